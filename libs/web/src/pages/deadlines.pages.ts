import { Body, Get, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import type { Response as ExpressResponse } from 'express';
import { t } from '#docket/i18n';
import { PERIOD_UNITS } from '#docket/calendar';
import { CasesService } from '#docket/cases';
import {
  canApply,
  DeadlinesService,
  ExtendRequest,
  OptionalReasonRequest,
  ReasonRequest,
  replyPending,
  RestartRequest,
  SuspendRequest,
  targetOf,
  type DeadlineRecord,
} from '#docket/deadlines';
import { InboundService } from '#docket/inbound';
import { CASE_WRITERS, Roles } from '#docket/platform';
import { explanationText } from '../explanations.js';
import { formatDate, formatInstant, type DateSettings } from '../dates.js';
import { errorsOf, formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { settingsOf, type PageRequest } from '../page-context.js';
import { labelsOf } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { AUDIENCE_LABELS } from './case-labels.js';
import {
  deadlineLabel,
  describeOffset,
  describeRule,
  historyReason,
  kindLabel,
  reminderNote,
  unitName,
} from './deadline-rows.js';
import { previewOf } from './inbound.pages.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXTEND_FIELDS = ['mode', 'dueDate', 'count', 'unit', 'reason'];
const DEADLINE_EVENTS = labelsOf('deadlineEvent.', [
  'created',
  'met',
  'reply_received',
  'reply_assessed',
  'waived',
  'extended',
  'suspended',
  'resumed',
  'restarted',
  'recomputed',
  'missed',
]);

/** The units of a period for a select, in the request's language. */
export const unitOptions = () => PERIOD_UNITS.map((unit) => ({ value: unit, label: unitName(unit) }));

interface FailedForm {
  name: 'extend' | 'suspend' | 'resume' | 'restart' | 'waive';
  errors: FormErrors;
  values: Record<string, string>;
}

/** One deadline: when it is due and why, its history and reminders; extend, suspend, resume or waive it. */
@Page('deadlines')
export class DeadlinePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly deadlines: DeadlinesService,
    private readonly cases: CasesService,
    private readonly inbound: InboundService,
  ) {}

  @Get(':id')
  show(@Req() req: PageRequest, @Param('id') id: string) {
    return this.page(req, id);
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/extend')
  async extend(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const deadlines = this.service(id);
    const values = formValues(body, EXTEND_FIELDS);
    const fail = (errors: FormErrors) => this.page(req, id, { name: 'extend', errors, values });
    const options = {
      form: 'extend',
      fields: ['mode', 'dueDate', 'count', 'unit', 'reason'],
      rename: { dueAt: 'dueDate' },
      messages: {
        dueDate: t('deadlines.error.dueDate'),
        count: t('form.error.count'),
        unit: t('form.error.unit'),
        reason: t('deadlines.error.reason'),
      },
    };
    if (values.mode !== 'date' && values.mode !== 'period')
      return fail(errorsOf([{ field: 'mode', message: t('deadlines.error.mode') }], options));
    let input: ExtendRequest;
    try {
      input = await validateForm(ExtendRequest, body, {
        fields: values.mode === 'date' ? ['dueDate', 'reason'] : ['count', 'unit', 'reason'],
        numbers: ['count'],
      });
    } catch (error) {
      return fail(formErrors(error, options));
    }
    try {
      const deadline = await deadlines.extend(id, targetOf(input), input.reason);
      return this.pages.redirect(
        `/deadlines/${id}`,
        t('deadlines.flash.extended', { date: formatDate(deadline.dueDate, settingsOf(req)) }),
      );
    } catch (error) {
      // The service's own words explain its refusals (e.g. "must move the due date later than …").
      return fail(formErrors(error, { ...options, messages: {} }));
    }
  }

  /** The certificate of how the due date was reached, as a JSON download; each issue is in the audit trail. */
  @Get(':id/certificate')
  async certificate(@Param('id') id: string, @Res() res: ExpressResponse): Promise<void> {
    const issued = await this.service(id).certificate(id);
    res
      .type('application/json')
      .setHeader('Content-Disposition', `attachment; filename="deadline-${id}-certificate.json"`)
      .send(JSON.stringify(issued, null, 2));
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/suspend')
  async suspend(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const deadlines = this.service(id);
    try {
      // An empty date stops the clock now; a date is the authority's local date.
      const input = await validateForm(SuspendRequest, body, { fields: ['reason', 'from'] });
      const from = input.from ? await deadlines.parseLocal(input.from, 'from') : undefined;
      await deadlines.suspend(id, input.reason, from);
      return this.pages.redirect(`/deadlines/${id}`, t('deadlines.flash.suspended'));
    } catch (error) {
      return this.page(req, id, {
        name: 'suspend',
        errors: formErrors(error, {
          form: 'suspend',
          fields: ['reason', 'from'],
          messages: { reason: t('deadlines.error.reason'), from: t('deadlines.error.suspendFrom') },
        }),
        values: formValues(body, ['reason', 'from']),
      });
    }
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/restart')
  async restart(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const deadlines = this.service(id);
    try {
      const input = await validateForm(RestartRequest, body, { fields: ['eventAt', 'reason'] });
      const deadline = await deadlines.restart(id, await deadlines.parseLocal(input.eventAt, 'eventAt'), input.reason);
      return this.pages.redirect(
        `/deadlines/${id}`,
        t('deadlines.flash.restarted', { date: formatDate(deadline.dueDate, settingsOf(req)) }),
      );
    } catch (error) {
      return this.page(req, id, {
        name: 'restart',
        errors: formErrors(error, {
          form: 'restart',
          fields: ['eventAt', 'reason'],
          messages: { eventAt: t('deadlines.error.restartEventAt'), reason: t('deadlines.error.reason') },
        }),
        values: formValues(body, ['eventAt', 'reason']),
      });
    }
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/resume')
  async resume(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const deadlines = this.service(id);
    try {
      const input = await validateForm(OptionalReasonRequest, body, { fields: ['reason'] });
      const deadline = await deadlines.resume(id, input.reason);
      return this.pages.redirect(
        `/deadlines/${id}`,
        t('deadlines.flash.resumed', { date: formatDate(deadline.dueDate, settingsOf(req)) }),
      );
    } catch (error) {
      return this.page(req, id, {
        name: 'resume',
        errors: formErrors(error, {
          form: 'resume',
          fields: ['reason'],
          messages: { reason: t('deadlines.error.resumeReason') },
        }),
        values: formValues(body, ['reason']),
      });
    }
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/waive')
  async waive(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const deadlines = this.service(id);
    try {
      const input = await validateForm(ReasonRequest, body, { fields: ['reason'] });
      await deadlines.waive(id, input.reason);
      return this.pages.redirect(`/deadlines/${id}`, t('deadlines.flash.waived'));
    } catch (error) {
      return this.page(req, id, {
        name: 'waive',
        errors: formErrors(error, {
          form: 'waive',
          fields: ['reason'],
          messages: { reason: t('deadlines.error.waiveReason') },
        }),
        values: formValues(body, ['reason']),
      });
    }
  }

  /**
   * The message of this deadline's case filed as an extension request (`?extension-request=<id>`), quoted in the
   * extension's reason.
   */
  private async extensionRequest(req: PageRequest, deadline: DeadlineRecord, settings: DateSettings) {
    const id = req.query['extension-request'];
    if (typeof id !== 'string' || !UUID.test(id)) return null;
    const message = await this.inbound.view(id).catch(() => null);
    if (!message || message.status !== 'extension_request' || message.caseId !== deadline.caseId) return null;
    return {
      id: message.id,
      from: message.from.slice(0, 120),
      subject: (message.subject || '(no subject)').slice(0, 150),
      receivedText: formatInstant(message.receivedAt, settings),
      quote: previewOf(message.text ?? '', 500),
    };
  }

  private service(id: string): DeadlinesService {
    if (!UUID.test(id)) throw new NotFoundException('There is no such deadline.');
    return this.deadlines;
  }

  private async page(req: PageRequest, id: string, failed?: FailedForm) {
    const deadlines = this.service(id);
    const deadline = await deadlines.get(id);
    const [history, reminders, owner] = await Promise.all([
      deadlines.historyOf(id),
      deadlines.remindersOf([id]),
      this.cases.require(deadline.caseId),
    ]);
    const settings = settingsOf(req);
    const role = req.auth!.user.role;
    const canWrite = (CASE_WRITERS as string[]).includes(role);
    const emptyForm = { errors: noErrors(), values: {} as Record<string, string> };
    const formOf = (name: FailedForm['name'], defaults: Record<string, string>) =>
      failed?.name === name ? { errors: failed.errors, values: failed.values } : { ...emptyForm, values: defaults };
    const extensionRequest = !failed && canWrite ? await this.extensionRequest(req, deadline, settings) : null;
    return this.pages.render(
      'deadlines/show',
      {
        title: deadlineLabel(deadline, settings),
        deadline: view(deadline, settings),
        case: { id: owner.id, reference: owner.reference, title: owner.title },
        explanation: deadline.explanation.map((entry) => ({
          date: entry.date,
          kind: entry.kind,
          reason: explanationText(entry, settings),
          dateText: formatDate(entry.date, settings, 'short'),
        })),
        history: history.map((event) => ({
          at: event.at.toISOString(),
          atText: formatInstant(event.at, settings),
          action: DEADLINE_EVENTS[event.action] ?? event.action,
          actor: event.actorLabel,
          reason: historyReason(event.reason, settings.locale),
          previousDueText: event.previousDueAt ? formatInstant(event.previousDueAt, settings) : null,
          dueText: event.previousDueAt && event.dueAt ? formatInstant(event.dueAt, settings) : null,
        })),
        reminders: reminders.map((reminder) => ({
          when: describeOffset(reminder.offset),
          audience: AUDIENCE_LABELS[reminder.audience] ?? reminder.audience,
          fireAtText: formatInstant(reminder.fireAt, settings),
          fireAt: reminder.fireAt.toISOString(),
          status: reminder.status,
          note: reminderNote(reminder.note),
        })),
        units: unitOptions(),
        extensionRequest,
        actions: {
          extend: canWrite && canApply(deadline.status, 'extend'),
          suspend: canWrite && canApply(deadline.status, 'suspend'),
          resume: canWrite && canApply(deadline.status, 'resume'),
          restart: canWrite && canApply(deadline.status, 'restart') && deadline.rule.type === 'period',
          waive: canWrite && canApply(deadline.status, 'waive'),
        },
        forms: {
          extend: formOf('extend', { mode: 'period', unit: 'calendar_days' }),
          suspend: formOf('suspend', {}),
          resume: formOf('resume', {}),
          restart: formOf('restart', {}),
          waive: formOf('waive', {}),
        },
        errors: failed?.errors ?? noErrors(),
      },
      { status: failed ? 400 : 200 },
    );
  }
}

function view(deadline: DeadlineRecord, settings: DateSettings) {
  return {
    id: deadline.id,
    label: deadlineLabel(deadline, settings),
    kind: deadline.kind,
    kindLabel: kindLabel(deadline.kind),
    status: deadline.status,
    caseId: deadline.caseId,
    dueDate: deadline.dueDate,
    dueDateText: formatDate(deadline.dueDate, settings),
    dueAt: deadline.dueAt.toISOString(),
    dueAtText: formatInstant(deadline.dueAt, settings),
    eventAtText: formatInstant(deadline.eventAt, settings),
    rule: describeRule(deadline.rule, deadline.eventAt, settings),
    suspendedAtText: deadline.suspendedAt ? formatInstant(deadline.suspendedAt, settings) : null,
    suspendReason: deadline.suspendReason,
    settledAtText: deadline.settledAt ? formatInstant(deadline.settledAt, settings) : null,
    replyPending: replyPending(deadline),
    replyPendingSince: deadline.replyPendingSince?.toISOString() ?? null,
    replyPendingSinceText: deadline.replyPendingSince ? formatInstant(deadline.replyPendingSince, settings) : null,
    timezone: settings.timezone,
  };
}
