import { Body, Get, Param, Post, Req } from '@nestjs/common';
import { t } from '#docket/i18n';
import { CasesService, UpdateCaseRequest, type CaseView } from '#docket/cases';
import { OUTCOME_REMINDERS } from '#docket/decisions';
import {
  ADDABLE_DEADLINE_KINDS,
  CreateDeadlineRequest,
  DeadlinesService,
  REMINDER_AUDIENCES,
  ruleOf,
  targetOf,
  type ReminderPlanItem,
} from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import { CASE_WRITERS, httpStatusOf, Roles, type FieldError } from '#docket/platform';
import { formatDate } from '../dates.js';
import { errorsOf, formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { labelsOf } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { AUDIENCE_LABELS, PRIORITY_OPTIONS } from './case-labels.js';
import { describeOffset, kindLabel, planKey } from './deadline-rows.js';
import { unitOptions } from './deadlines.pages.js';
import { fieldErrorsOf, listOf, requireUuid, settingsOf, splitList, validateInput } from './page-helpers.js';

const EDIT_FIELDS = ['version', 'title', 'priority', 'assigneeId', 'legalBasis', 'tags'];
/** Each message names the field as the form labels it. */
const EDIT_MESSAGES = labelsOf('cases.edit.error.', ['title', 'priority', 'legalBasis', 'tags']);

const DEADLINE_FIELDS = ['kind', 'label', 'mode', 'count', 'unit', 'dueDate'];
const DEADLINE_MESSAGES = labelsOf('cases.deadline.error.', ['kind', 'label', 'mode', 'count', 'unit', 'dueDate']);
const kindOptions = () => ADDABLE_DEADLINE_KINDS.map((kind) => ({ value: kind, label: kindLabel(kind) }));

/** Managing a case on pages: change its assignee, priority, title, legal basis and tags; add a deadline to it. */
@Page('cases')
@Roles(...CASE_WRITERS)
export class CaseManagePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly cases: CasesService,
    private readonly identity: IdentityService,
    private readonly deadlines: DeadlinesService,
  ) {}

  @Get(':id/edit')
  async edit(@Param('id') id: string) {
    const file = await this.cases.get(requireUuid(id, 'case'));
    return this.editPage(file, valuesOf(file), noErrors());
  }

  @Post(':id/edit')
  async update(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'case');
    const values = formValues(body, EDIT_FIELDS);
    const options = {
      form: 'edit',
      fields: EDIT_FIELDS.filter((field) => field !== 'version'),
      messages: EDIT_MESSAGES,
    };
    const current = await this.cases.get(id);
    const fail = (errors: FormErrors, file: CaseView = current, stale = false) =>
      this.editPage(file, { ...values, version: String(file.version) }, errors, stale ? valuesOf(file) : null);
    // A form without a version cannot be checked against the case: treat it as stale rather than overwrite blindly.
    const version = /^\d{1,9}$/.test(values.version) ? Number(values.version) : -1;
    let patch: UpdateCaseRequest;
    try {
      patch = await validateInput(UpdateCaseRequest, {
        title: values.title,
        priority: values.priority || undefined,
        legalBasis: values.legalBasis.trim() || null,
        tags: splitList(values.tags),
        // The assignee is sent only when it changes: an unchanged one who was since deactivated must not block the
        // other fields.
        ...(values.assigneeId !== (current.assigneeId ?? '') ? { assigneeId: values.assigneeId || null } : {}),
      });
    } catch (error) {
      const fields = fieldErrorsOf(error, (field) => field.split('.')[0]);
      return fail(fields ? errorsOf(fields, options) : formErrors(error, options));
    }
    try {
      const saved = await this.cases.update(id, version, patch);
      return this.pages.redirect(`/cases/${id}`, t('cases.flash.saved', { reference: saved.reference }));
    } catch (error) {
      if (httpStatusOf(error) === 412) {
        return fail(
          errorsOf([{ field: 'form', message: t('cases.edit.stale') }], { form: 'edit', fields: [] }),
          await this.cases.get(id),
          true,
        );
      }
      const fields = fieldErrorsOf(error, (field) => field.split('.')[0]);
      // A 409 (the case was closed meanwhile) is the service's own explanation, for the whole form.
      return fail(fields ? errorsOf(fields, options) : formErrors(error, options));
    }
  }

  @Get(':id/deadlines/new')
  async newDeadline(@Param('id') id: string) {
    const file = await this.cases.get(requireUuid(id, 'case'));
    return this.deadlinePage(
      file,
      { kind: 'compliance', mode: 'period', unit: 'calendar_days' },
      OUTCOME_REMINDERS.map(planKey),
      noErrors(),
    );
  }

  @Post(':id/deadlines')
  async addDeadline(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'case');
    const values = formValues(body, DEADLINE_FIELDS);
    const reminders = listOf(body.reminders);
    const options = {
      form: 'deadline',
      fields: [...DEADLINE_FIELDS, 'reminders'],
      messages: DEADLINE_MESSAGES,
      rename: { deadline: 'dueDate' },
    };
    const fail = async (errors: FormErrors) => this.deadlinePage(await this.cases.get(id), values, reminders, errors);
    const problems: FieldError[] = [];
    if (values.mode !== 'period' && values.mode !== 'date')
      problems.push({ field: 'mode', message: DEADLINE_MESSAGES.mode });
    const plan: ReminderPlanItem[] = reminders.flatMap((key) => {
      const [offset, audience] = key.split(' ');
      return OUTCOME_REMINDERS.some((item) => planKey(item) === key) &&
        (REMINDER_AUDIENCES as readonly string[]).includes(audience)
        ? [{ offset, audience: audience as ReminderPlanItem['audience'] }]
        : [];
    });
    let input: CreateDeadlineRequest | null = null;
    try {
      const count = values.count.trim();
      input = await validateInput(CreateDeadlineRequest, {
        label: values.label.trim() || undefined,
        kind: values.kind || undefined,
        ...(values.mode === 'date' ? { dueDate: values.dueDate.trim() || undefined } : {}),
        ...(values.mode === 'period'
          ? { count: /^-?\d{1,9}$/.test(count) ? Number(count) : count || undefined, unit: values.unit || undefined }
          : {}),
        reminders: plan,
      });
    } catch (error) {
      const fields = fieldErrorsOf(error, (field) => field.split('.')[0]);
      if (!fields) return fail(formErrors(error, options));
      problems.push(...fields);
    }
    if (!problems.length && values.mode === 'period' && !values.count.trim())
      problems.push({ field: 'count', message: DEADLINE_MESSAGES.count });
    if (!problems.length && values.mode === 'date' && !values.dueDate.trim())
      problems.push({ field: 'dueDate', message: DEADLINE_MESSAGES.dueDate });
    if (problems.length || !input) return fail(errorsOf(problems, options));
    try {
      const deadline = await this.deadlines.createForCase(id, {
        label: input.label,
        kind: input.kind ?? 'other',
        rule: ruleOf(targetOf(input)),
        reminderPlan: input.reminders ?? [],
      });
      return this.pages.redirect(
        `/deadlines/${deadline.id}`,
        t('cases.flash.deadlineAdded', { date: formatDate(deadline.dueDate, settingsOf(req)) }),
      );
    } catch (error) {
      // The service's words (a date already past, a closed case) by the field they concern.
      const fields = fieldErrorsOf(error, (field) => field.split('.')[0]);
      return fail(
        fields ? errorsOf(fields, { ...options, messages: {} }) : formErrors(error, { ...options, messages: {} }),
      );
    }
  }

  private async editPage(
    file: CaseView,
    values: Record<string, string>,
    errors: FormErrors,
    now: Record<string, string> | null = null,
  ) {
    const writers = await this.identity.listUsers(CASE_WRITERS);
    const assignees = [
      { value: '', label: t('cases.edit.nobody') },
      ...writers
        .filter((user) => user.active || user.id === file.assigneeId)
        .map((user) => ({ value: user.id, label: `${user.name} (${user.role}${user.active ? '' : ', deactivated'})` })),
    ];
    const assigneeName = (value: string) =>
      assignees.find((option) => option.value === value)?.label ?? t('cases.edit.nobody');
    // After a refusal for a stale version: what the case holds now, for the fields where it differs from the form.
    const changed = now
      ? [
          { field: t('common.title'), value: now.title, theirs: values.title },
          { field: t('common.priority'), value: priorityName(now.priority), theirs: priorityName(values.priority) },
          {
            field: t('common.assignedTo'),
            value: assigneeName(now.assigneeId),
            theirs: assigneeName(values.assigneeId),
          },
          {
            field: t('common.legalBasis'),
            value: now.legalBasis || t('common.notGiven'),
            theirs: values.legalBasis || t('common.notGiven'),
          },
          { field: t('common.tags'), value: now.tags || t('common.none'), theirs: values.tags || t('common.none') },
        ].filter((row) => row.value !== row.theirs)
      : null;
    return this.pages.render(
      'cases/edit',
      {
        title: t('cases.edit.pageTitle', { reference: file.reference }),
        case: { id: file.id, reference: file.reference, title: file.title, status: file.status },
        closed: file.status === 'closed',
        priorities: PRIORITY_OPTIONS,
        assignees,
        values,
        errors,
        changed,
      },
      { status: errors.summary.length ? (now ? 409 : 400) : 200 },
    );
  }

  private deadlinePage(file: CaseView, values: Record<string, string>, reminders: string[], errors: FormErrors) {
    return this.pages.render(
      'cases/deadline-new',
      {
        title: t('cases.deadline.pageTitle', { reference: file.reference }),
        case: { id: file.id, reference: file.reference, title: file.title },
        closed: file.status === 'closed',
        kinds: kindOptions(),
        units: unitOptions(),
        reminderOptions: OUTCOME_REMINDERS.map((item) => ({
          value: planKey(item),
          label: `${describeOffset(item.offset)}: ${AUDIENCE_LABELS[item.audience] ?? item.audience}`,
          checked: reminders.includes(planKey(item)),
        })),
        values,
        errors,
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }
}

function valuesOf(file: CaseView): Record<string, string> {
  return {
    version: String(file.version),
    title: file.title,
    priority: file.priority,
    assigneeId: file.assigneeId ?? '',
    legalBasis: file.legalBasis ?? '',
    tags: file.tags.join(', '),
  };
}

const priorityName = (priority: string): string => (priority ? t(`priority.${priority}`) : '');
