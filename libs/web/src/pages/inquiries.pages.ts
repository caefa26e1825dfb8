import { Body, ConflictException, Get, Param, Post, Query, Req } from '@nestjs/common';
import { CasesService, type CaseView } from '#docket/cases';
import { LanguageContext, t } from '#docket/i18n';
import {
  closestLocale,
  InquiriesService,
  InquiryRequest,
  TemplateRegistry,
  type TemplateDefinition,
} from '#docket/correspondence';
import {
  DeadlinesService,
  REMINDER_AUDIENCES,
  targetOf,
  type ExtensionTarget,
  type ReminderPlanItem,
} from '#docket/deadlines';
import { CASE_WRITERS, Clock, RequestContext, Roles, type FieldError } from '#docket/platform';
import { documentView, DocumentsService, SealsService } from '#docket/documents';
import { OrganisationsService } from '#docket/registry';
import { formatDate, formatInstant } from '../dates.js';
import { errorsOf, formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { keyedLabels, prefixedOptions, templateDescription } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { AUDIENCE_LABELS, CONTACT_ROLE_LABELS } from './case-labels.js';
import { describeOffset, planKey, unitWords } from './deadline-rows.js';
import { enclosureOptions } from './documents.pages.js';
import { unitOptions } from './deadlines.pages.js';
import {
  fieldErrorsOf,
  listOf,
  localeLabel,
  requireUuid,
  settingsOf,
  splitList,
  validateInput,
} from './page-helpers.js';

/** The single-value fields of the inquiry form; contacts, questionIds and reminders repeat. */
const FIELDS = [
  'template',
  'locale',
  'otherTo',
  'cc',
  'mode',
  'count',
  'unit',
  'dueDate',
  'extraCount',
  'extraWhen',
  'extraAudience',
];
const FORM_FIELDS = [...FIELDS, 'to', 'contacts', 'questionIds', 'reminders', 'attachmentIds'];
/** The response period offered first: the Garante's 20 days of January 2025. */
const DEFAULT_PERIOD = { count: '20', unit: 'calendar_days' };
const MESSAGES = keyedLabels({
  to: 'inquiries.error.to',
  otherTo: 'inquiries.error.otherTo',
  cc: 'inquiries.error.cc',
  mode: 'inquiries.error.mode',
  count: 'form.error.period',
  unit: 'form.error.unit',
  dueDate: 'form.error.dueDate',
  extraCount: 'form.error.extraCount',
});
const WHEN_OPTIONS = prefixedOptions('reminderWhen.', ['before', 'after']);

/** What the form holds: its single fields as text, and the ticked boxes. */
interface InquiryForm {
  values: Record<string, string>;
  contacts: string[];
  questionIds: string[];
  reminders: string[];
  /** Case documents ticked to travel with the letter. */
  attachmentIds: string[];
}

/** A form read into the request the domain takes, or the problems with it. */
type Parsed =
  | {
      ok: true;
      request: InquiryRequest;
      target: ExtensionTarget;
      reminders: ReminderPlanItem[] | undefined;
      extraIndex: number | null;
    }
  | { ok: false; problems: FieldError[] };

/** Send an inquiry: the form, a preview of the letter exactly as it will go out, and sending. */
@Page('cases/:id/inquiries')
@Roles(...CASE_WRITERS)
export class InquiryPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly cases: CasesService,
    private readonly organisations: OrganisationsService,
    private readonly templates: TemplateRegistry,
    private readonly inquiries: InquiriesService,
    private readonly deadlines: DeadlinesService,
    private readonly clock: Clock,
    private readonly seals: SealsService,
    private readonly documents: DocumentsService,
  ) {}

  @Get('new')
  async form(@Req() req: PageRequest, @Param('id') id: string, @Query('template') key?: string) {
    const file = await this.openCase(id);
    const template = await this.template(typeof key === 'string' ? key : undefined);
    const organisation = await this.organisations.get(file.organisationId);
    const form: InquiryForm = {
      values: {
        template: template.key,
        locale: closestLocale(template, req.auth!.authority!.locale),
        mode: 'period',
        ...DEFAULT_PERIOD,
        extraWhen: 'before',
        extraAudience: 'assignee',
      },
      contacts: organisation.contacts.map((contact) => contact.email),
      questionIds: template.defaultQuestionIds,
      reminders: template.defaultReminders.map(planKey),
      attachmentIds: [],
    };
    return this.formPage(file, template, form, noErrors());
  }

  /** "Change" on the preview: the form again with what was entered. */
  @Post('new')
  async change(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    const file = await this.openCase(id);
    const form = readForm(body);
    return this.formPage(file, await this.template(form.values.template), form, noErrors());
  }

  @Post('preview')
  async preview(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const checked = await this.checkedForm(id, body);
    if (!checked.ok) return checked.page;
    const { file, form, template, parsed } = checked;
    const { request, target } = parsed;
    let letter: Awaited<ReturnType<InquiriesService['preview']>>;
    let enclosed: Awaited<ReturnType<DocumentsService['enclosuresFor']>>;
    try {
      letter = await this.inquiries.preview(request.template, id, request.locale, {
        questionIds: request.questionIds,
        deadline: target,
        recipient: request.to[0],
      });
      // What the letter would enclose, checked as sending will check it (a quarantined file, another case's …).
      enclosed = await this.documents.enclosuresFor(id, request.attachmentIds);
    } catch (error) {
      return this.formPage(file, template, form, this.serviceErrors(error, parsed), 400);
    }
    const settings = settingsOf(req);
    const bank = await this.templates.bankFor();
    const reminders = parsed.reminders ?? template.defaultReminders;
    return this.pages.render('inquiries/preview', {
      title: t('inquiries.preview.titleOf', { reference: file.reference }),
      case: caseHeading(file),
      template: { key: template.key, version: template.version, localeLabel: localeLabel(request.locale) },
      letter: { subject: letter.subject, html: letter.html, text: letter.text },
      to: request.to,
      cc: request.cc ?? [],
      questions: (request.questionIds ?? []).map(
        (questionId) =>
          bank.questions.find((question) => question.id === questionId)?.text[request.locale] ?? questionId,
      ),
      locale: request.locale,
      // A due date already past is refused at sending: say so before the button, not after it.
      due: {
        date: letter.dueDate,
        dateText: formatDate(letter.dueDate, settings),
        at: letter.dueAt,
        atText: formatInstant(letter.dueAt, settings),
        past: new Date(letter.dueAt).getTime() <= this.clock.now().getTime(),
      },
      rule:
        'count' in target
          ? t('inquiries.preview.rulePeriod', { period: unitWords(target.count, target.unit) })
          : t('inquiries.preview.ruleFixed'),
      reminders: reminders.map(
        (item) => `${describeOffset(item.offset)}: ${AUDIENCE_LABELS[item.audience] ?? item.audience}`,
      ),
      remindersAreDefault: parsed.reminders === undefined,
      seal_holder: await this.seals.holderFor(RequestContext.authorityId()),
      enclosures: enclosed.map((document) => ({
        href: `/documents/${document.documentId}`,
        title: document.title,
        filename: document.filename,
      })),
      hidden: hiddenFields(form),
    });
  }

  /** The form read and checked against its template; a refused one comes back as the form with its messages. */
  private async checkedForm(id: string, body: Record<string, unknown>) {
    const file = await this.openCase(id);
    const form = readForm(body);
    const template = await this.template(form.values.template);
    const parsed = await this.parse(form, template);
    if (!parsed.ok) {
      const errors = errorsOf(parsed.problems, { form: 'inquiry', fields: FORM_FIELDS, messages: MESSAGES });
      return { ok: false as const, page: await this.formPage(file, template, form, errors, 400) };
    }
    return { ok: true as const, file, form, template, parsed };
  }

  /**
   * The letter previewed as the PDF it will be sent as ("Open the PDF" on the preview posts the same form here): set
   * now from the form, never stored nor issued; a form the preview would refuse shows the form with its messages.
   */
  @Post('preview/pdf')
  async previewPdf(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    const checked = await this.checkedForm(id, body);
    if (!checked.ok) return checked.page;
    const { file, form, template, parsed } = checked;
    const { request, target } = parsed;
    try {
      const { pdf, filename } = await this.inquiries.previewPdf(request.template, id, request.locale, {
        questionIds: request.questionIds,
        deadline: target,
        recipient: request.to[0],
        attachmentIds: request.attachmentIds,
      });
      return new Response(new Uint8Array(pdf), {
        status: 200,
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `inline; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"`,
          'cache-control': 'no-store',
        },
      });
    } catch (error) {
      return this.formPage(file, template, form, this.serviceErrors(error, parsed), 400);
    }
  }

  @Post()
  async send(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const checked = await this.checkedForm(id, body);
    if (!checked.ok) return checked.page;
    const { file, form, template, parsed } = checked;
    const { request, target, reminders } = parsed;
    try {
      const { deadline } = await this.inquiries.create(id, {
        template: request.template,
        locale: request.locale,
        to: request.to,
        cc: request.cc,
        questionIds: request.questionIds,
        deadline: target,
        reminders,
        attachmentIds: request.attachmentIds,
      });
      const recipients = request.to.join(', ');
      return this.pages.redirect(
        `/cases/${id}`,
        t('inquiries.flash.queued', { recipients, date: formatDate(deadline.dueDate, settingsOf(req)) }),
      );
    } catch (error) {
      return this.formPage(file, template, form, this.serviceErrors(error, parsed), 400);
    }
  }

  /** The case, refusing (404 for another authority's, 409 when closed) before any form is shown. */
  private async openCase(id: string): Promise<CaseView> {
    const file = await this.cases.get(requireUuid(id, 'case'));
    if (!file.allowedActions.some((action) => action.event === 'send_inquiry'))
      throw new ConflictException(
        t('inquiries.caseNotOpen', { reference: file.reference, status: t(`caseStatus.${file.status}`) }),
      );
    return file;
  }

  private async template(key: string | undefined): Promise<TemplateDefinition> {
    if (key) return this.templates.resolve(key);
    const first = (await this.templates.list()).find((template) => template.kind === 'inquiry');
    if (!first) throw new ConflictException(t('inquiries.noTemplate'));
    return first;
  }

  /** Reads the form into the API's request and checks it with the API's rules; nothing is sent or stored. */
  private async parse(form: InquiryForm, template: TemplateDefinition): Promise<Parsed> {
    const { values } = form;
    const problems: FieldError[] = [];
    if (values.mode !== 'period' && values.mode !== 'date') problems.push({ field: 'mode', message: MESSAGES.mode });

    // Unchanged template reminders are left to the template (its default then applies, as in the API).
    const defaults = template.defaultReminders.map(planKey);
    let plan: ReminderPlanItem[] | undefined = form.reminders.flatMap((key) => {
      const [offset, audience] = key.split(' ');
      return offset && (REMINDER_AUDIENCES as readonly string[]).includes(audience)
        ? [{ offset, audience: audience as ReminderPlanItem['audience'] }]
        : [];
    });
    let extraIndex: number | null = null;
    if (values.extraCount.trim()) {
      const days = values.extraCount.trim();
      if (!/^\d{1,3}$/.test(days) || Number(days) > 366)
        problems.push({ field: 'extraCount', message: MESSAGES.extraCount });
      else if (!(REMINDER_AUDIENCES as readonly string[]).includes(values.extraAudience))
        problems.push({ field: 'extraAudience', message: t('form.error.audience') });
      else {
        const offset = Number(days) === 0 ? 'PT0S' : `${values.extraWhen === 'after' ? '' : '-'}P${Number(days)}D`;
        extraIndex = plan.length;
        plan.push({ offset, audience: values.extraAudience as ReminderPlanItem['audience'] });
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
    let request: InquiryRequest | null = null;
    try {
      request = await validateInput(InquiryRequest, {
        template: values.template || undefined,
        locale: values.locale || undefined,
        to: [...new Set([...form.contacts, ...splitList(values.otherTo)].map((email) => email.toLowerCase()))],
        cc: splitList(values.cc),
        questionIds: form.questionIds,
        deadline,
        reminders: plan,
        attachmentIds: form.attachmentIds.length ? form.attachmentIds : undefined,
      });
    } catch (error) {
      const fields = fieldErrorsOf(error, inquiryField);
      if (!fields) throw error;
      problems.push(...fields);
    }
    if (problems.length || !request) return { ok: false, problems };
    try {
      const target = targetOf(request.deadline);
      this.deadlines.validatePlan(plan);
      return { ok: true, request, target, reminders: plan, extraIndex };
    } catch (error) {
      const fields = fieldErrorsOf(error, (field) =>
        extraIndex !== null && field.startsWith(`reminders.${extraIndex}.`) ? 'extraCount' : inquiryField(field),
      );
      if (!fields) throw error;
      return { ok: false, problems: fields };
    }
  }

  /** Refusals of the domain (unknown question, closed case, a due date the calendar refuses …) in its own words. */
  private serviceErrors(error: unknown, parsed: Extract<Parsed, { ok: true }>): FormErrors {
    // A refused deadline belongs by the field of the chosen mode (the date, or the period).
    const dateMode = 'dueDate' in parsed.target || 'dueAt' in parsed.target;
    const fields = fieldErrorsOf(error, (field) =>
      parsed.extraIndex !== null && field.startsWith(`reminders.${parsed.extraIndex}.`)
        ? 'extraCount'
        : field === 'deadline' && dateMode
          ? 'dueDate'
          : inquiryField(field),
    );
    return fields
      ? errorsOf(fields, { form: 'inquiry', fields: FORM_FIELDS })
      : formErrors(error, { form: 'inquiry', fields: FORM_FIELDS });
  }

  private async formPage(
    file: CaseView,
    template: TemplateDefinition,
    form: InquiryForm,
    errors: FormErrors,
    status = 200,
  ) {
    const [all, organisation, documents] = await Promise.all([
      this.templates.list(),
      this.organisations.get(file.organisationId),
      this.documents.forCase(file.id),
    ]);
    const bank = await this.templates.bankFor();
    const known = new Set(organisation.contacts.map((contact) => contact.email));
    // Addresses ticked on an earlier round that are not contacts stay in the free-text field.
    const strays = form.contacts.filter((email) => !known.has(email));
    const values = { ...form.values, otherTo: [form.values.otherTo, ...strays].filter(Boolean).join(', ') };
    // "No recipient" belongs by the contacts' boxes, or by the address field when the organisation has no contact.
    if (errors.fields.to !== undefined) errors = moveError(errors, 'to', known.size > 0 ? 'contacts' : 'otherTo');
    return this.pages.render(
      'inquiries/new',
      {
        title: t('inquiries.new.titleOf', { reference: file.reference }),
        case: caseHeading(file),
        template: { key: template.key, version: template.version, description: templateDescription(template) },
        templates: all
          .filter((item) => item.kind === 'inquiry')
          .map((item) => ({
            value: item.key,
            label: t('form.templateOption', { key: item.key, version: item.version }),
          })),
        locales: template.locales.map((locale) => ({ value: locale, label: localeLabel(locale) })),
        contactsLegend: t('inquiries.new.contactsOf', { organisation: organisation.name }),
        hasContacts: organisation.contacts.length > 0,
        contacts: organisation.contacts.map((contact) => ({
          value: contact.email,
          label: contact.email,
          hint: [contact.name, CONTACT_ROLE_LABELS[contact.role] ?? contact.role].filter(Boolean).join(' – '),
          checked: form.contacts.includes(contact.email),
        })),
        questions: bank.questions.map((question) => ({
          value: question.id,
          label: question.text[LanguageContext.language()] ?? question.text.en ?? Object.values(question.text)[0],
          hint: template.defaultQuestionIds.includes(question.id)
            ? t('inquiries.new.topicDefault', { topic: t(`questionTopic.${question.topic}`) })
            : t(`questionTopic.${question.topic}`),
          checked: form.questionIds.includes(question.id),
        })),
        enclosures: enclosureOptions(documents.map(documentView), form.attachmentIds),
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
        values,
        errors,
      },
      { status },
    );
  }
}

function readForm(body: Record<string, unknown>): InquiryForm {
  return {
    values: formValues(body, FIELDS),
    contacts: listOf(body.contacts),
    questionIds: listOf(body.questionIds),
    reminders: listOf(body.reminders),
    attachmentIds: listOf(body.attachmentIds),
  };
}

/** The form as hidden inputs of the preview, so that "Send" and "Change" post exactly what was previewed. */
function hiddenFields(form: InquiryForm): { name: string; value: string }[] {
  return [
    ...FIELDS.map((name) => ({ name, value: form.values[name] ?? '' })),
    ...form.contacts.map((value) => ({ name: 'contacts', value })),
    ...form.questionIds.map((value) => ({ name: 'questionIds', value })),
    ...form.reminders.map((value) => ({ name: 'reminders', value })),
    ...form.attachmentIds.map((value) => ({ name: 'attachmentIds', value })),
  ];
}

/** Maps a field of the API's request onto the form's. */
function inquiryField(field: string): string {
  if (field === 'to') return 'to';
  if (field.startsWith('to.')) return 'otherTo';
  if (field.startsWith('cc')) return 'cc';
  if (field.startsWith('questionIds')) return 'questionIds';
  if (field.startsWith('reminders')) return 'reminders';
  if (field.startsWith('attachmentIds')) return 'attachmentIds';
  if (field.startsWith('deadline.')) return field.slice('deadline.'.length);
  if (field === 'deadline') return 'count';
  return field;
}

function moveError(errors: FormErrors, from: string, to: string): FormErrors {
  const fields = { ...errors.fields, [to]: errors.fields[from] };
  delete fields[from];
  const summary = errors.summary.map((item) =>
    item.field === from ? { ...item, field: to, href: item.href.replace(new RegExp(`${from}$`), to) } : item,
  );
  return { ...errors, fields, summary };
}

function caseHeading(file: CaseView) {
  return { id: file.id, reference: file.reference, title: file.title, organisation: file.organisation.name };
}
