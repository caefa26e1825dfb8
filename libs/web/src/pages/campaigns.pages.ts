import { Body, ConflictException, Get, Param, Post, Query, Req } from '@nestjs/common';
import { LanguageContext, t } from '#docket/i18n';
import {
  CampaignsService,
  CreateCampaignRequest,
  NEW_CASE_REFERENCE,
  type CampaignCounts,
  type CampaignPreview,
  type TargetView,
  CampaignListQuery,
  TargetListQuery,
} from '#docket/campaigns';
import { TemplateRegistry, type TemplateDefinition } from '#docket/correspondence';
import { DeadlinesService, REMINDER_AUDIENCES, type ExtensionTarget, type ReminderPlanItem } from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import { CASE_WRITERS, Clock, Roles, type FieldError } from '#docket/platform';
import { OrganisationsService, type OrganisationView } from '#docket/registry';
import { formatDate, formatInstant, type DateSettings } from '../dates.js';
import { errorsOf, formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { readableParams } from '../message-params.js';
import type { PageRequest } from '../page-context.js';
import { keyedLabels, labelsOf, prefixedOptions, templateDescription } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { AUDIENCE_LABELS, PRIORITY_OPTIONS, TYPE_LABELS, TYPE_OPTIONS } from './case-labels.js';
import { describeOffset, planKey, unitWords } from './deadline-rows.js';
import { unitOptions } from './deadlines.pages.js';
import { confirmationOf, confirmationToken } from './confirmation.js';
import { pagerLinks, sortHeaders } from './list-paging.js';
import { fieldErrorsOf, listOf, localeLabel, requireUuid, settingsOf, UUID, validateInput } from './page-helpers.js';

/** Organisations offered as boxes on the form; more are found by searching. */
const ORGANISATION_CHOICES = 100;
const LIST_FIELDS = ['sort', 'cursor'];
const LIST_PAGE_SIZE = 50;
const TARGET_FIELDS = ['status', 'sort', 'cursor'];
const TARGET_PAGE_SIZE = 100;
const FIELDS = [
  'title',
  'template',
  'locale',
  'mode',
  'count',
  'unit',
  'dueDate',
  'extraCount',
  'extraWhen',
  'extraAudience',
  'type',
  'legalBasis',
  'priority',
  'assigneeId',
  'search',
];
const FORM_FIELDS = [...FIELDS, 'organisationIds', 'reminders'];
const MESSAGES = keyedLabels({
  title: 'campaigns.error.title',
  organisationIds: 'campaigns.error.organisationIds',
  mode: 'campaigns.error.mode',
  count: 'form.error.period',
  unit: 'form.error.unit',
  dueDate: 'form.error.dueDate',
  extraCount: 'form.error.extraCount',
  type: 'campaigns.error.type',
});
const WHEN_OPTIONS = prefixedOptions('reminderWhen.', ['before', 'after']);
/** The progress counts in the order shown; a count the service does not return is left out. */
const COUNT_KEYS: (keyof CampaignCounts)[] = ['total', 'pending', 'queued', 'sent', 'failed', 'answered', 'overdue'];
const STATUS_WORDS = labelsOf('campaignTarget.', ['pending', 'queued', 'sent', 'failed', 'answered']);

interface CampaignForm {
  values: Record<string, string>;
  organisationIds: string[];
  reminders: string[];
}

/** Campaigns: one letter to many organisations; the list, the form and the progress of each organisation. */
@Page('campaigns')
@Roles('admin', 'manager', 'officer', 'viewer')
export class CampaignPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly campaigns: CampaignsService,
    private readonly templates: TemplateRegistry,
    private readonly organisations: OrganisationsService,
    private readonly identity: IdentityService,
    private readonly deadlines: DeadlinesService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Query() query: Record<string, unknown>) {
    const settings = settingsOf(req);
    const values = formValues(query, LIST_FIELDS);
    let errors = noErrors();
    let page: Awaited<ReturnType<CampaignsService['list']>> = { items: [], nextCursor: null, prevCursor: null };
    try {
      const filter = await validateForm(CampaignListQuery, query, { fields: LIST_FIELDS });
      page = await this.campaigns.list({ ...filter, limit: LIST_PAGE_SIZE });
    } catch (error) {
      errors = formErrors(error, { fields: LIST_FIELDS });
    }
    return this.pages.render('campaigns/list', {
      title: t('nav.campaigns'),
      errors,
      sortColumns: sortHeaders('/campaigns', {}, values.sort || '-createdAt', [
        { key: 'title', label: t('campaigns.campaign'), first: 'asc' },
        { key: 'createdAt', label: t('campaigns.started'), first: 'desc' },
      ]),
      pager: pagerLinks('/campaigns', { sort: values.sort }, page, Boolean(values.cursor)),
      campaigns: page.items.map((campaign) => ({
        id: campaign.id,
        href: `/campaigns/${campaign.id}`,
        title: campaign.title,
        template: `${campaign.templateKey} v${campaign.templateVersion}`,
        created: { iso: campaign.createdAt.toISOString(), text: formatInstant(campaign.createdAt, settings) },
        counts: countRows(campaign.counts),
      })),
    });
  }

  @Roles(...CASE_WRITERS)
  @Get('new')
  async form(@Req() req: PageRequest, @Query() query: Record<string, unknown>) {
    const asked = formValues(query, ['template', 'search']);
    const template = await this.template(asked.template || undefined);
    const form: CampaignForm = {
      values: {
        ...formValues({}, FIELDS),
        template: template.key,
        locale: 'auto',
        mode: 'period',
        count: '20',
        unit: 'calendar_days',
        extraWhen: 'before',
        extraAudience: 'assignee',
        type: 'ex_officio',
        priority: 'normal',
        assigneeId: req.auth!.user.id,
        search: asked.search.trim().slice(0, 200),
      },
      organisationIds: [],
      reminders: template.defaultReminders.map(planKey),
    };
    return this.formPage(template, form, noErrors());
  }

  /** "Change" on the confirmation: the form again with what was entered. */
  @Roles(...CASE_WRITERS)
  @Post('new')
  async change(@Body() body: Record<string, unknown>) {
    const form = readForm(body);
    return this.formPage(await this.template(form.values.template || undefined), form, noErrors());
  }

  /**
   * The form posts here twice: first it shows what would be sent to whom (the organisations and their
   * addresses, the letter, the due date, how many letters), then it starts the campaign on a post that
   * confirms exactly that.
   */
  @Roles(...CASE_WRITERS)
  @Post()
  async create(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const form = readForm(body);
    const template = await this.template(form.values.template || undefined);
    const options = { form: 'campaign', fields: FORM_FIELDS, messages: MESSAGES };
    const parsed = await this.parse(form, template);
    if (!parsed.ok) return this.formPage(template, form, errorsOf(parsed.problems, options), 400);
    const refused = (error: unknown) => {
      const fields = fieldErrorsOf(error, (field) => campaignField(field, parsed.extraIndex, form.values.mode));
      return this.formPage(
        template,
        form,
        fields
          ? errorsOf(fields, { form: 'campaign', fields: FORM_FIELDS })
          : formErrors(error, { form: 'campaign', fields: FORM_FIELDS }),
        400,
      );
    };
    let preview: CampaignPreview;
    try {
      preview = await this.campaigns.preview(parsed.request);
    } catch (error) {
      return refused(error);
    }
    const token = confirmationToken({
      title: parsed.request.title.trim(),
      template: preview.template,
      locale: preview.locale,
      questions: preview.questionIds,
      deadline: preview.deadline,
      dueDate: preview.dueDate,
      reminders: preview.reminders,
      caseDefaults: parsed.request.caseDefaults,
      targets: preview.targets.map((target) => [target.organisationId, target.email, target.locale, target.caseId]),
      subject: preview.sample?.subject ?? null,
    });
    const confirmed = confirmationOf(body);
    if (confirmed !== token) return this.confirmPage(req, form, preview, token, confirmed !== null);
    try {
      const campaign = await this.campaigns.create(parsed.request);
      const count = campaign.counts.total;
      return this.pages.redirect(
        `/campaigns/${campaign.id}`,
        t('campaigns.flash.started', { title: campaign.title, count }),
      );
    } catch (error) {
      return refused(error);
    }
  }

  private async confirmPage(
    req: PageRequest,
    form: CampaignForm,
    preview: CampaignPreview,
    token: string,
    changed: boolean,
  ) {
    const settings = settingsOf(req);
    const bank = await this.templates.bankFor();
    const writers = form.values.assigneeId ? await this.identity.listUsers(CASE_WRITERS) : [];
    const assignee = writers.find((user) => user.id === form.values.assigneeId);
    const letters = preview.targets.length;
    const withoutAddress = preview.targets.filter((target) => !target.email).length;
    const questionLocale = preview.sample?.locale ?? preview.locale ?? 'en';
    return this.pages.render(
      'campaigns/confirm',
      {
        title: t('campaigns.confirm.titleOf', { title: form.values.title.trim() }),
        changed,
        campaign: {
          title: form.values.title.trim(),
          template: t('form.templateVersion', { key: preview.template.key, version: preview.template.version }),
          language: preview.locale ? localeLabel(preview.locale) : t('campaigns.confirm.autoLanguage'),
          deadline: describeTarget(preview.deadline, settings),
          reminders: preview.reminders.map(
            (item) => `${describeOffset(item.offset)}: ${AUDIENCE_LABELS[item.audience] ?? item.audience}`,
          ),
          caseType: TYPE_LABELS[form.values.type] ?? form.values.type,
          assignee: assignee ? assignee.name : t('dashboard.notAssigned'),
        },
        letters,
        withoutAddress,
        targets: preview.targets.map((target) => ({
          organisation: target.organisationName,
          email: target.email,
          language: localeLabel(target.locale),
          caseReference: target.caseReference,
        })),
        questions: preview.questionIds.map(
          (questionId) =>
            bank.questions.find((question) => question.id === questionId)?.text[questionLocale] ?? questionId,
        ),
        questionLocale,
        sample: preview.sample,
        due: {
          date: preview.dueDate,
          dateText: formatDate(preview.dueDate, settings),
          at: preview.dueAt,
          atText: formatInstant(preview.dueAt, settings),
          past: new Date(preview.dueAt).getTime() <= this.clock.now().getTime(),
          period: 'count' in preview.deadline,
        },
        newCaseReference: NEW_CASE_REFERENCE,
        hidden: hiddenFields(form),
        confirm: token,
      },
      { status: changed ? 409 : 200 },
    );
  }

  @Get(':id')
  async show(@Req() req: PageRequest, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    const campaign = await this.campaigns.require(requireUuid(id, 'campaign'));
    const values = formValues(query, TARGET_FIELDS);
    let errors = noErrors();
    let page: Awaited<ReturnType<CampaignsService['targetPage']>> = {
      items: [],
      nextCursor: null,
      prevCursor: null,
      total: 0,
    };
    let counts: CampaignCounts | undefined;
    try {
      const filter = await validateForm(TargetListQuery, query, { fields: TARGET_FIELDS });
      ({ page, counts } = await this.campaigns.progress(campaign, { ...filter, limit: TARGET_PAGE_SIZE }));
    } catch (error) {
      errors = formErrors(error, { fields: TARGET_FIELDS });
    }
    counts ??= (await this.campaigns.counts([campaign.id])).get(campaign.id) ?? CampaignsService.count([]);
    const path = `/campaigns/${campaign.id}`;
    const settings = settingsOf(req);
    const role = req.auth!.user.role;
    const canWrite = (CASE_WRITERS as string[]).includes(role);
    return this.pages.render('campaigns/show', {
      title: campaign.title,
      campaign: {
        id: campaign.id,
        title: campaign.title,
        template: `${campaign.templateKey} v${campaign.templateVersion}`,
        language: campaign.locale ? localeLabel(campaign.locale) : t('campaigns.show.autoLanguage'),
        deadline: describeTarget(campaign.deadline, settings),
        reminders: campaign.reminders.map(
          (item) => `${describeOffset(item.offset)}: ${AUDIENCE_LABELS[item.audience] ?? item.audience}`,
        ),
        caseType: TYPE_LABELS[campaign.caseDefaults.type] ?? campaign.caseDefaults.type,
        createdBy: campaign.createdBy,
        created: { iso: campaign.createdAt.toISOString(), text: formatInstant(campaign.createdAt, settings) },
      },
      counts: countRows(counts),
      targets: page.items.map((target) => targetRow(target, settings)),
      sortColumns: sortHeaders(path, {}, values.sort || 'position', [
        { key: 'organisation', label: t('common.organisation'), first: 'asc' },
        { key: 'status', label: t('common.status'), first: 'asc' },
      ]),
      pager: pagerLinks(path, { sort: values.sort }, page, Boolean(values.cursor)),
      canRetry: canWrite && counts.failed > 0,
      failed: counts.failed,
      errors,
    });
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/retry')
  async retry(@Param('id') id: string) {
    const result = await this.campaigns.retry(requireUuid(id, 'campaign'));
    const message =
      result.retried === 0
        ? t('campaigns.flash.nothingToRetry')
        : t('campaigns.flash.retried', { count: result.retried });
    return this.pages.redirect(`/campaigns/${result.id}`, message);
  }

  private async template(key: string | undefined): Promise<TemplateDefinition> {
    const inquiryTemplates = (await this.templates.list()).filter((template) => template.kind === 'inquiry');
    const chosen = key ? inquiryTemplates.find((template) => template.key === key) : inquiryTemplates[0];
    if (chosen) return chosen;
    if (key) return this.templates.resolve(key);
    throw new ConflictException(t('inquiries.noTemplate'));
  }

  /** Reads the form into the API's request and checks it with the API's rules; nothing is stored. */
  private async parse(
    form: CampaignForm,
    template: TemplateDefinition,
  ): Promise<
    { ok: true; request: CreateCampaignRequest; extraIndex: number | null } | { ok: false; problems: FieldError[] }
  > {
    const { values } = form;
    const problems: FieldError[] = [];
    if (values.mode !== 'period' && values.mode !== 'date') problems.push({ field: 'mode', message: MESSAGES.mode });
    if (form.organisationIds.length === 0)
      problems.push({ field: 'organisationIds', message: MESSAGES.organisationIds });

    // Unchanged template reminders are left to the template, as the API does when none are given.
    const defaults = template.defaultReminders.map(planKey);
    let plan: ReminderPlanItem[] | undefined = form.reminders.flatMap((key) => {
      const [offset, audience] = key.split(' ');
      return offset && (REMINDER_AUDIENCES as readonly string[]).includes(audience)
        ? [{ offset, audience: audience as ReminderPlanItem['audience'] }]
        : [];
    });
    let extraIndex: number | null = null;
    const days = values.extraCount.trim();
    if (days) {
      if (!/^\d{1,3}$/.test(days) || Number(days) > 366)
        problems.push({ field: 'extraCount', message: MESSAGES.extraCount });
      else if (!(REMINDER_AUDIENCES as readonly string[]).includes(values.extraAudience))
        problems.push({ field: 'extraAudience', message: t('form.error.audience') });
      else {
        extraIndex = plan.length;
        plan.push({
          offset: Number(days) === 0 ? 'PT0S' : `${values.extraWhen === 'after' ? '' : '-'}P${Number(days)}D`,
          audience: values.extraAudience as ReminderPlanItem['audience'],
        });
      }
    }
    if (
      extraIndex === null &&
      plan.length === defaults.length &&
      plan.every((item, index) => planKey(item) === defaults[index])
    )
      plan = undefined;

    const count = values.count.trim();
    const deadline =
      values.mode === 'date'
        ? { dueDate: values.dueDate.trim() || undefined }
        : { count: /^\d{1,6}$/.test(count) ? Number(count) : count || undefined, unit: values.unit || undefined };
    let request: CreateCampaignRequest | null = null;
    try {
      request = await validateInput(CreateCampaignRequest, {
        title: values.title.trim() || undefined,
        template: template.key,
        locale: values.locale || undefined,
        deadline,
        reminders: plan,
        organisationIds: form.organisationIds,
        caseDefaults: {
          type: values.type || undefined,
          legalBasis: values.legalBasis.trim() || undefined,
          priority: values.priority || undefined,
          assigneeId: values.assigneeId || undefined,
        },
      });
    } catch (error) {
      const fields = fieldErrorsOf(error, (field) => campaignField(field, extraIndex, values.mode));
      if (!fields) throw error;
      problems.push(
        ...fields.filter((problem) => problem.field !== 'organisationIds' || form.organisationIds.length > 0),
      );
    }
    if (problems.length || !request) return { ok: false, problems };
    try {
      this.deadlines.validatePlan(plan);
    } catch (error) {
      const fields = fieldErrorsOf(error, (field) => campaignField(field, extraIndex, values.mode));
      if (!fields) throw error;
      return { ok: false, problems: fields };
    }
    return { ok: true, request, extraIndex };
  }

  private async formPage(template: TemplateDefinition, form: CampaignForm, errors: FormErrors, status = 200) {
    const search = form.values.search.trim();
    const [all, found, writers] = await Promise.all([
      this.templates.list(),
      this.organisations.search({ q: search || undefined, limit: ORGANISATION_CHOICES }),
      this.identity.listUsers(CASE_WRITERS),
    ]);
    // Organisations ticked on an earlier round stay offered (and ticked) whatever the search shows now.
    const choices: OrganisationView[] = [...found.items];
    for (const id of form.organisationIds.filter(
      (id) => UUID.test(id) && !choices.some((organisation) => organisation.id === id),
    )) {
      const chosen = await this.organisations.findById(id);
      if (chosen) choices.unshift(await this.organisations.get(chosen.id));
    }
    return this.pages.render(
      'campaigns/new',
      {
        title: t('campaigns.new'),
        template: { key: template.key, version: template.version, description: templateDescription(template) },
        templates: all
          .filter((item) => item.kind === 'inquiry')
          .map((item) => ({
            value: item.key,
            label: t('form.templateOption', { key: item.key, version: item.version }),
          })),
        locales: [
          { value: 'auto', label: t('campaigns.new.autoLanguage') },
          ...template.locales.map((locale) => ({ value: locale, label: localeLabel(locale) })),
        ],
        search,
        more: Boolean(found.nextCursor),
        organisations: choices.map((organisation) => {
          const email = organisation.contacts.find((contact) => contact.email)?.email;
          return {
            value: organisation.id,
            label: organisation.name,
            hint: [organisation.country, email ?? t('campaigns.new.noAddressHint')].filter(Boolean).join(' · '),
            checked: form.organisationIds.includes(organisation.id),
          };
        }),
        reminderOptions: template.defaultReminders.map((item) => ({
          value: planKey(item),
          label: `${describeOffset(item.offset)}: ${AUDIENCE_LABELS[item.audience] ?? item.audience}`,
          checked: form.reminders.includes(planKey(item)),
        })),
        units: unitOptions(),
        whenOptions: WHEN_OPTIONS,
        audiences: REMINDER_AUDIENCES.map((audience) => ({
          value: audience,
          label: AUDIENCE_LABELS[audience] ?? audience,
        })),
        types: TYPE_OPTIONS,
        priorities: PRIORITY_OPTIONS,
        assignees: [
          { value: '', label: t('dashboard.notAssigned') },
          ...writers
            .filter((user) => user.active)
            .map((user) => ({ value: user.id, label: `${user.name} (${t(`role.${user.role}`)})` })),
        ],
        values: form.values,
        errors,
      },
      { status },
    );
  }
}

function countRows(counts: Partial<CampaignCounts>) {
  return COUNT_KEYS.filter((key) => typeof counts[key] === 'number').map((key) => ({
    key,
    label: t(`campaignCount.${key}`),
    value: counts[key] as number,
    alert: (key === 'failed' || key === 'overdue') && (counts[key] as number) > 0,
  }));
}

function targetRow(target: TargetView, settings: DateSettings) {
  return {
    organisation: target.organisationName,
    caseHref: target.caseId ? `/cases/${target.caseId}` : null,
    caseReference: target.caseReference,
    attached: target.attachedToExistingCase,
    status: target.status,
    statusText: STATUS_WORDS[target.status] ?? target.status,
    overdue: target.overdue,
    // Why it failed in the reader's language; a target failed before messages were kept shows its stored text.
    error:
      target.errorMessage && LanguageContext.language() !== 'en'
        ? t(target.errorMessage.key, readableParams(target.errorMessage.params, settings))
        : target.error,
    attempt: target.attempt,
    due: target.dueDate ? { date: target.dueDate, text: formatDate(target.dueDate, settings, 'short') } : null,
  };
}

function describeTarget(target: ExtensionTarget, settings: DateSettings): string {
  if ('count' in target) return t('campaigns.fromEachLetter', { period: unitWords(target.count, target.unit) });
  if ('dueDate' in target) return t('campaigns.until', { date: formatDate(target.dueDate, settings) });
  return t('campaigns.until', { date: formatInstant(target.dueAt, settings) });
}

/** Maps a field of the API's request onto the form's. */
function campaignField(field: string, extraIndex: number | null, mode: string): string {
  if (extraIndex !== null && field.startsWith(`reminders.${extraIndex}.`)) return 'extraCount';
  if (field.startsWith('reminders')) return 'reminders';
  if (field.startsWith('organisationIds')) return 'organisationIds';
  if (field.startsWith('caseDefaults.')) return field.slice('caseDefaults.'.length);
  if (field.startsWith('deadline.')) return field.slice('deadline.'.length);
  // A refused deadline belongs by the field of the chosen mode (the date, or the period).
  if (field === 'deadline') return mode === 'date' ? 'dueDate' : 'count';
  return field;
}

function readForm(body: Record<string, unknown>): CampaignForm {
  return {
    values: formValues(body, FIELDS),
    organisationIds: listOf(body.organisationIds),
    reminders: listOf(body.reminders),
  };
}

/** The form as hidden inputs of the confirmation, so that "Start" and "Change" post exactly what was shown. */
function hiddenFields(form: CampaignForm): { name: string; value: string }[] {
  return [
    ...FIELDS.map((name) => ({ name, value: form.values[name] ?? '' })),
    ...form.organisationIds.map((value) => ({ name: 'organisationIds', value })),
    ...form.reminders.map((value) => ({ name: 'reminders', value })),
  ];
}
