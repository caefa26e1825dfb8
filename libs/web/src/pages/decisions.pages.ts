import { Body, Get, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import type { Response as ExpressResponse } from 'express';
import { DateTime } from 'luxon';
import { instantOfLocalTime } from '#docket/calendar';
import { t } from '#docket/i18n';
import { CasesService } from '#docket/cases';
import { DocumentsService, documentView } from '#docket/documents';
import { InquiriesService, TemplateRegistry, type InquiryRecord } from '#docket/correspondence';
import {
  AttachmentsService,
  CHANNELS,
  FollowUpRequest,
  OUTCOME_TYPES,
  OutcomeRequest,
  OutcomesService,
  ResponseRequest,
  ResponsesService,
} from '#docket/decisions';
import { CASE_WRITERS, Clock, Roles, type FieldError } from '#docket/platform';
import { formatDate, formatInstant, formatMoney, localDate } from '../dates.js';
import { errorsOf, formErrors, formValues, noErrors, sentence, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { currentDateSettings, type PageRequest } from '../page-context.js';
import { labelsOf } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { unitOptions } from './deadlines.pages.js';
import { assessmentQuestions, readAssessments } from './assessment-form.js';
import { confirmationOf, confirmationToken } from './confirmation.js';
import { unitWords } from './deadline-rows.js';
import { enclosureOptions } from './documents.pages.js';
import { downloadDisposition } from './file-rows.js';
import { fieldErrorsOf, listOf, localeLabel, requireUuid, settingsOf, validateInput } from './page-helpers.js';

const CHANNEL_LABELS = labelsOf('channelOption.', ['email', 'portal', 'post']);

const RESPONSE_FIELDS = ['receivedDate', 'receivedTime', 'channel', 'summary'];
const RESPONSE_MESSAGES = labelsOf('decisions.error.', ['receivedDate', 'receivedTime', 'channel', 'summary']);

const OUTCOME_FIELDS = [
  'attachmentIds',
  'type',
  'decidedDate',
  'decidedTime',
  'summary',
  'legalBasis',
  'published',
  'fineAmount',
  'fineCurrency',
  'referralTo',
  'noticeTo',
  'complianceCount',
  'complianceUnit',
  'complianceDate',
  'check1Count',
  'check1Unit',
  'check1Date',
  'check2Count',
  'check2Unit',
  'check2Date',
];
const OUTCOME_MESSAGES = labelsOf('decisions.outcomeError.', [
  'type',
  'decidedDate',
  'decidedTime',
  'summary',
  'fineCurrency',
]);
/** Which deadline of the outcome a form prefix stands for. */
const DEADLINE_BLOCKS = [
  { prefix: 'compliance', field: 'compliance' },
  { prefix: 'check1', field: 'followUpChecks.0' },
  { prefix: 'check2', field: 'followUpChecks.1' },
];

/** A local date and time in the authority's zone as an ISO instant with its offset; null when either is not one. */
function instantOf(date: string, time: string, timezone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  try {
    return DateTime.fromJSDate(instantOfLocalTime(date, time, timezone), { zone: timezone }).toISO({
      suppressMilliseconds: true,
    });
  } catch {
    return null;
  }
}

function nowParts(req: PageRequest, clock: Clock): { date: string; time: string } {
  const timezone = settingsOf(req).timezone;
  const now = clock.now();
  return { date: localDate(now, timezone), time: DateTime.fromJSDate(now, { zone: timezone }).toFormat('HH:mm') };
}

/**
 * Recording the organisation's response to an inquiry, question by question, and the follow-up of the open questions.
 */
@Page()
@Roles(...CASE_WRITERS)
export class ResponsePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly inquiries: InquiriesService,
    private readonly cases: CasesService,
    private readonly responses: ResponsesService,
    private readonly templates: TemplateRegistry,
    private readonly clock: Clock,
  ) {}

  @Get('inquiries/:id/responses/new')
  async form(@Req() req: PageRequest, @Param('id') id: string) {
    const inquiry = await this.inquiries.get(requireUuid(id, 'inquiry'));
    const { date, time } = nowParts(req, this.clock);
    return this.formPage(
      inquiry,
      { receivedDate: date, receivedTime: time, channel: 'email', summary: '' },
      {},
      noErrors(),
    );
  }

  @Post('inquiries/:id/responses')
  async record(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const inquiry = await this.inquiries.get(requireUuid(id, 'inquiry'));
    const values = formValues(body, RESPONSE_FIELDS);
    const assessed = readAssessments(inquiry.questions, body);
    const answerValues = assessed.values;
    const problems: FieldError[] = [];
    const receivedAt = instantOf(values.receivedDate.trim(), values.receivedTime.trim(), settingsOf(req).timezone);
    const timeProblem = whenProblem(values.receivedDate, values.receivedTime, receivedAt, 'received');
    if (timeProblem)
      problems.push({
        ...timeProblem,
        message: RESPONSE_MESSAGES[timeProblem.field as 'receivedDate' | 'receivedTime'],
      });
    problems.push(...assessed.problems);
    const fields = [...RESPONSE_FIELDS, ...Object.keys(answerValues)];
    const fail = (errors: FormErrors) => this.formPage(inquiry, values, answerValues, errors, 400);
    let request: ResponseRequest;
    try {
      request = await validateInput(ResponseRequest, {
        receivedAt: receivedAt ?? undefined,
        channel: values.channel || undefined,
        summary: values.summary.trim() || undefined,
        answers: assessed.answers,
      });
    } catch (error) {
      const found = fieldErrorsOf(error, responseField);
      if (!found) throw error;
      // A date or time already reported stands for receivedAt; the rest in the form's words.
      problems.push(
        ...found
          .filter((problem) => problem.field !== 'receivedDate' || !timeProblem)
          .map((problem) => {
            // The form's own message where it has one (in the reader's language already), else the service's.
            const own = (RESPONSE_MESSAGES as Record<string, string>)[problem.field];
            return own ? { field: problem.field, message: own } : problem;
          }),
      );
      return fail(errorsOf(dedupe(problems), { form: 'response', fields }));
    }
    if (problems.length) return fail(errorsOf(problems, { form: 'response', fields }));
    try {
      const response = await this.responses.record(inquiry.id, request);
      const timing = !response.metDeadline
        ? t('decisions.flash.recorded')
        : response.onTime
          ? t('decisions.flash.onTime')
          : t('decisions.flash.late', { days: response.lateByDays ?? 0 });
      return this.pages.redirect(`/cases/${inquiry.caseId}#responses-title`, timing);
    } catch (error) {
      const found = fieldErrorsOf(error, responseField);
      return fail(
        found ? errorsOf(found, { form: 'response', fields }) : formErrors(error, { form: 'response', fields }),
      );
    }
  }

  /**
   * A follow-up asking again the questions the response left open, with the first inquiry's template,
   * language and recipients. The first post shows the letter, its recipients and due date; it is sent only
   * by a second post that confirms what was shown.
   */
  @Post('responses/:id/follow-up')
  async followUp(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    const response = await this.responses.view(requireUuid(id, 'response'));
    const values = formValues(body, ['count', 'unit']);
    const count = /^\d{1,4}$/.test(values.count.trim()) ? Number(values.count.trim()) : 20;
    const unit = values.unit || 'calendar_days';
    const request = await validateInput(FollowUpRequest, { deadline: { count, unit } });
    // A refusal (nothing left to ask, closed case) becomes the error page with the service's words.
    const preview = await this.responses.followUpPreview(response.id, request);
    const token = confirmationToken({
      to: preview.to,
      cc: preview.cc,
      template: preview.template,
      version: preview.templateVersion,
      locale: preview.locale,
      questions: preview.questionIds,
      subject: preview.letter.subject,
      dueDate: preview.dueDate,
    });
    const confirmed = confirmationOf(body);
    if (confirmed !== token)
      return this.followUpPage(req, preview, { count: String(count), unit }, token, confirmed !== null);
    const inquiry = await this.responses.followUp(response.id, request);
    const due = inquiry.deadline
      ? ` ${t('decisions.flash.due', { date: formatDate(inquiry.deadline.dueDate, settingsOf(req)) })}`
      : '';
    const open = preview.questionIds.length;
    return this.pages.redirect(
      `/cases/${response.caseId}#inquiries-title`,
      `${t('decisions.flash.followUp', { count: open })}${due}`,
    );
  }

  private async followUpPage(
    req: PageRequest,
    preview: Awaited<ReturnType<ResponsesService['followUpPreview']>>,
    values: Record<string, string>,
    token: string,
    changed: boolean,
  ) {
    const file = await this.cases.get(preview.caseId);
    const settings = settingsOf(req);
    const bank = await this.templates.bankFor();
    return this.pages.render(
      'decisions/follow-up-confirm',
      {
        title: `${t('followUp.title')} – ${file.reference}`,
        case: { id: file.id, reference: file.reference, title: file.title, organisation: file.organisation.name },
        responseId: preview.responseId,
        changed,
        template: { key: preview.template, version: preview.templateVersion, localeLabel: localeLabel(preview.locale) },
        locale: preview.locale,
        to: preview.to,
        toList: preview.to.join(', '),
        cc: preview.cc,
        questions: preview.questionIds.map(
          (questionId) =>
            bank.questions.find((question) => question.id === questionId)?.text[preview.locale] ?? questionId,
        ),
        letter: preview.letter,
        due: {
          date: preview.dueDate,
          dateText: formatDate(preview.dueDate, settings),
          at: preview.dueAt,
          atText: formatInstant(preview.dueAt, settings),
          past: new Date(preview.dueAt).getTime() <= this.clock.now().getTime(),
        },
        rule: unitWords(Number(values.count), values.unit),
        values,
        confirm: token,
      },
      { status: changed ? 409 : 200 },
    );
  }

  private async formPage(
    inquiry: InquiryRecord,
    values: Record<string, string>,
    answers: Record<string, string>,
    errors: FormErrors,
    status = 200,
  ) {
    const file = await this.cases.get(inquiry.caseId);
    return this.pages.render(
      'decisions/response-new',
      {
        title: `${t('nextEvent.record_response')} – ${file.reference}`,
        case: { id: file.id, reference: file.reference, title: file.title, organisation: file.organisation.name },
        inquiry: { id: inquiry.id, subject: inquiry.subject },
        channels: CHANNELS.map((channel) => ({ value: channel, label: CHANNEL_LABELS[channel] ?? channel })),
        questions: assessmentQuestions(inquiry.questions, answers, errors),
        values,
        errors,
      },
      { status },
    );
  }
}

/** Recording a decision of the case. */
@Page('cases/:id/outcomes')
@Roles(...CASE_WRITERS)
export class OutcomePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly cases: CasesService,
    private readonly outcomes: OutcomesService,
    private readonly clock: Clock,
    private readonly documents: DocumentsService,
  ) {}

  @Get('new')
  async form(@Req() req: PageRequest, @Param('id') id: string) {
    const { date, time } = nowParts(req, this.clock);
    return this.formPage(
      requireUuid(id, 'case'),
      {
        type: '',
        decidedDate: date,
        decidedTime: time,
        complianceUnit: 'calendar_days',
        check1Unit: 'calendar_days',
        check2Unit: 'calendar_days',
      },
      noErrors(),
    );
  }

  @Post()
  async record(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'case');
    const values = formValues(body, OUTCOME_FIELDS);
    const attachmentIds = listOf(body.attachmentIds);
    const options = { form: 'outcome', fields: OUTCOME_FIELDS };
    const fail = (errors: FormErrors) => this.formPage(id, values, errors, 400, attachmentIds);
    const problems: FieldError[] = [];
    const decidedAt = instantOf(values.decidedDate.trim(), values.decidedTime.trim(), settingsOf(req).timezone);
    const timeProblem = whenProblem(values.decidedDate, values.decidedTime, decidedAt, 'decided');
    if (timeProblem)
      problems.push({ ...timeProblem, message: OUTCOME_MESSAGES[timeProblem.field as 'decidedDate' | 'decidedTime'] });
    const type = values.type;
    let fine: Record<string, unknown> | undefined;
    if (type === 'fine') {
      const amount = values.fineAmount.trim().replace(/[\s,]/g, '');
      if (!/^\d+(\.\d+)?$/.test(amount))
        problems.push({
          field: 'fineAmount',
          message: t('decisions.outcomeError.fineAmount'),
        });
      const currency = values.fineCurrency.trim().toUpperCase();
      if (!currency) problems.push({ field: 'fineCurrency', message: t('decisions.outcomeError.fineCurrencyMissing') });
      fine = { amount: Number(amount), currency };
    }
    const deadline = (prefix: string) => {
      const count = values[`${prefix}Count`].trim();
      const date = values[`${prefix}Date`].trim();
      if (!count && !date) return undefined;
      if (count && date) problems.push({ field: `${prefix}Count`, message: t('decisions.outcomeError.periodOrDate') });
      if (date) return { dueDate: date };
      if (!/^\d{1,4}$/.test(count) || Number(count) < 1)
        problems.push({ field: `${prefix}Count`, message: t('decisions.outcomeError.period') });
      return { count: Number(count), unit: values[`${prefix}Unit`] || undefined };
    };
    const compliance = deadline('compliance');
    const checks = [deadline('check1'), deadline('check2')].filter((check) => check !== undefined);
    let request: OutcomeRequest | null = null;
    try {
      request = await validateInput(OutcomeRequest, {
        type: type || undefined,
        decidedAt: decidedAt ?? undefined,
        summary: values.summary.trim() || undefined,
        legalBasis: values.legalBasis.trim() || undefined,
        published: values.published === 'yes',
        fine,
        referralTo: type === 'referral' ? values.referralTo.trim() || undefined : undefined,
        noticeTo: type === 'third_party_notice' ? values.noticeTo.trim() || undefined : undefined,
        compliance,
        followUpChecks: checks.length ? checks : undefined,
        attachmentIds: attachmentIds.length ? attachmentIds : undefined,
      });
    } catch (error) {
      const found = fieldErrorsOf(error, outcomeField);
      if (!found) throw error;
      problems.push(
        ...found.map((problem) => {
          const own = (OUTCOME_MESSAGES as Record<string, string>)[problem.field];
          return own ? { field: problem.field, message: own } : problem;
        }),
      );
    }
    if (problems.length || !request) return fail(errorsOf(dedupe(problems), options));
    try {
      const outcome = await this.outcomes.record(id, request);
      return this.pages.redirect(
        `/cases/${id}#outcomes-title`,
        outcome.fine
          ? t('decisions.flash.outcomeFine', {
              type: t(`outcomeType.${outcome.type}`),
              amount: formatMoney(outcome.fine.amount, outcome.fine.currency, currentDateSettings()),
            })
          : t('decisions.flash.outcome', { type: t(`outcomeType.${outcome.type}`) }),
      );
    } catch (error) {
      const found = fieldErrorsOf(error, outcomeField);
      return fail(
        found ? errorsOf(dedupe(found), options) : formErrors(error, { form: 'outcome', fields: OUTCOME_FIELDS }),
      );
    }
  }

  private async formPage(
    caseId: string,
    values: Record<string, string>,
    errors: FormErrors,
    status = 200,
    attachmentIds: string[] = [],
  ) {
    const file = await this.cases.get(caseId);
    const enclosures = enclosureOptions((await this.documents.forCase(caseId)).map(documentView), attachmentIds);
    return this.pages.render(
      'decisions/outcome-new',
      {
        title: `${t('nextEvent.decide')} – ${file.reference}`,
        case: { id: file.id, reference: file.reference, title: file.title, organisation: file.organisation.name },
        types: OUTCOME_TYPES.map((value) => ({
          value,
          label: sentence(t(`outcomeType.${value}`)),
          reveal:
            value === 'fine'
              ? 'outcome-fine-block'
              : value === 'referral'
                ? 'outcome-referral-block'
                : value === 'third_party_notice'
                  ? 'outcome-notice-block'
                  : 'outcome-no-block',
        })),
        units: unitOptions(),
        deadlines: [
          { prefix: 'compliance', legend: 'deadlineKind.compliance', hint: 'decisions.complianceHint' },
          { prefix: 'check1', legend: 'decisions.check1', hint: 'decisions.check1Hint' },
          { prefix: 'check2', legend: 'decisions.check2', hint: '' },
        ],
        enclosures,
        values,
        errors,
      },
      { status },
    );
  }
}

function responseField(field: string): string {
  if (field === 'receivedAt') return 'receivedDate';
  const answer = /^answers\.(\d+)/.exec(field);
  if (answer) return `answer-${answer[1]}`;
  return field;
}

function outcomeField(field: string): string {
  if (field === 'decidedAt') return 'decidedDate';
  if (field === 'fine' || field === 'fine.amount') return 'fineAmount';
  if (field === 'fine.currency') return 'fineCurrency';
  for (const block of DEADLINE_BLOCKS) {
    if (field === block.field || field.startsWith(`${block.field}.`)) {
      const rest = field.slice(block.field.length + 1);
      return rest === 'dueDate'
        ? `${block.prefix}Date`
        : rest === 'unit'
          ? `${block.prefix}Unit`
          : `${block.prefix}Count`;
    }
  }
  if (field === 'followUpChecks') return 'check1Count';
  return field;
}

/** The field of a date and time pair that is missing or not a date or time. */
function whenProblem(date: string, time: string, instant: string | null, prefix: string): { field: string } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) return { field: `${prefix}Date` };
  if (!/^\d{2}:\d{2}$/.test(time.trim())) return { field: `${prefix}Time` };
  return instant ? null : { field: `${prefix}Date` };
}

function dedupe(problems: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return problems.filter((problem) => (seen.has(problem.field) ? false : (seen.add(problem.field), true)));
}

/** A file kept with a response, downloaded under the session (the case page links here; 409 when quarantined). */
@Page('attachments')
export class AttachmentPages {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get(':id')
  async open(@Param('id') id: string, @Res({ passthrough: true }) res: ExpressResponse): Promise<StreamableFile> {
    const { attachment, content } = await this.attachments.open(requireUuid(id, 'attachment'));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(content, {
      type: attachment.contentType,
      length: Number(attachment.size),
      disposition: downloadDisposition(attachment.filename),
    });
  }
}
