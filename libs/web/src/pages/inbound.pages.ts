import { Body, Get, Injectable, NotFoundException, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Response as ExpressResponse } from 'express';
import { t } from '#docket/i18n';
import { CasesService } from '#docket/cases';
import { InquiriesService, type InquiryRecord } from '#docket/correspondence';
import type { ResponseView } from '#docket/decisions';
import { IdentityService } from '#docket/identity';
import { ConfirmRequest, DismissRequest, InboundListQuery, InboundService, type InboundView } from '#docket/inbound';
import { CASE_WRITERS, Contributes, httpExceptionOf, ProblemException, Roles, type KeysetPage } from '#docket/platform';
import { formatInstant, type DateSettings } from '../dates.js';
import { errorsOf, formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { NAV_BADGES, PageRenderer, type NavBadge } from '../page-renderer.js';
import { assessmentQuestions, readAssessments } from './assessment-form.js';
import { downloadDisposition, fileRow } from './file-rows.js';
import { INBOUND_STATUS_LABELS } from './case-labels.js';
import { pagerLinks, sortHeaders } from './list-paging.js';
import { fieldErrorsOf, requireUuid, settingsOf, UUID, validateInput } from './page-helpers.js';

/** Shown in the inbox per message; the whole text is on the message's page. */
const PREVIEW_LENGTH = 200;
const TRIAGE_PAGE_SIZE = 50;
const TRIAGE_FIELDS = ['sort', 'cursor'];
const ASSIGN_FIELDS = ['reference', 'inquiryId', 'authority'];
/** Replies to review listed on the inbox; the heading counts them all. */
const REVIEW_LIMIT = 100;

interface FailedForm {
  name: 'assign' | 'dismiss';
  errors: FormErrors;
  values: Record<string, string>;
}

/** An inquiry of the case the officer named, offered when the case has several letters the message may answer. */
interface InquiryChoice {
  value: string;
  label: string;
}

/** The Inbox link counts the replies waiting for review in the caller's authority. */
@Injectable()
@Contributes(NAV_BADGES)
export class InboxBadge implements NavBadge {
  readonly href = '/inbox';

  constructor(private readonly inbound: InboundService) {}

  async count(): Promise<number> {
    return (await this.inbound.repliesToReview({ limit: 0 })).total;
  }
}

/**
 * Mail received by e-mail: the triage inbox of messages that matched no inquiry (filed to a case's inquiry or
 * dismissed), each message with its text and sanitised HTML, and confirming a draft reply as the inquiry's response.
 */
@Page('inbox')
@Roles('admin', 'manager', 'officer', 'viewer', 'sysadmin')
export class InboundPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly inbound: InboundService,
    private readonly cases: CasesService,
    private readonly inquiries: InquiriesService,
    private readonly identity: IdentityService,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Query() query: Record<string, unknown>) {
    const settings = settingsOf(req);
    const values = formValues(query, TRIAGE_FIELDS);
    let errors = noErrors();
    let page: KeysetPage<InboundView> = { items: [], nextCursor: null, prevCursor: null };
    try {
      const filter = await validateForm(InboundListQuery, query, { fields: TRIAGE_FIELDS });
      page = await this.inbound.page({ ...filter, status: 'triage', limit: TRIAGE_PAGE_SIZE });
    } catch (error) {
      errors = formErrors(error, { fields: TRIAGE_FIELDS });
    }
    const messages = page.items;
    const previews = await this.inbound.previews(
      messages.map((message) => message.id),
      PREVIEW_LENGTH,
    );
    const deployment = req.auth!.user.role === 'sysadmin';
    const review = deployment ? null : await this.inbound.repliesToReview({ limit: REVIEW_LIMIT });
    return this.pages.render(
      'inbox/list',
      {
        title: t('nav.inbox'),
        deployment,
        review: review && {
          total: review.total,
          items: review.items.map((item) => ({
            ...item,
            received: { iso: item.receivedAt, text: formatInstant(item.receivedAt, settings) },
          })),
        },
        messages: messages.map((message) => ({
          ...messageRow(message, settings),
          preview: previewOf(previews.get(message.id) ?? ''),
        })),
        sortColumns: sortHeaders('/inbox', {}, values.sort || '-receivedAt', [
          { key: 'receivedAt', label: t('inbox.received'), first: 'desc' },
          { key: 'from', label: t('outbox.from'), first: 'asc' },
          { key: 'subject', label: t('outbox.message'), first: 'asc' },
        ]),
        pager: pagerLinks('/inbox', { sort: values.sort }, page, Boolean(values.cursor)),
        errors,
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }

  /** A file that came with a received message, downloaded under the session (409 quarantined, 404 another's). */
  @Get(':id/attachments/:index')
  async attachment(
    @Param('id') id: string,
    @Param('index') index: string,
    @Res({ passthrough: true }) res: ExpressResponse,
  ): Promise<StreamableFile> {
    if (!/^\d{1,4}$/.test(index)) throw new NotFoundException(t('documents.noAttachment'));
    const { attachment, content } = await this.inbound.openAttachment(requireUuid(id, 'message'), Number(index));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(content, {
      type: 'application/octet-stream',
      length: attachment.size,
      disposition: downloadDisposition(attachment.filename ?? `attachment-${index}`),
    });
  }

  @Get(':id')
  show(@Req() req: PageRequest, @Param('id') id: string) {
    return this.messagePage(req, requireUuid(id, 'message'));
  }

  /** Files a triaged message to an inquiry of a case named by its reference (the sysadmin: to an authority's inbox). */
  @Roles(...CASE_WRITERS, 'sysadmin')
  @Post(':id/assign')
  async assign(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'message');
    const values = formValues(body, ASSIGN_FIELDS);
    const fail = (errors: FormErrors, choices: InquiryChoice[] = []) =>
      this.messagePage(req, id, { name: 'assign', errors, values }, choices);
    const options = { form: 'assign', fields: ASSIGN_FIELDS };
    try {
      if (req.auth!.user.role === 'sysadmin') {
        if (!values.authority)
          return await fail(errorsOf([{ field: 'authority', message: t('inbox.error.authority') }], options));
        await this.inbound.assign(id, { authority: values.authority });
        return this.pages.redirect('/inbox', t('inbox.flash.moved', { authority: values.authority }));
      }
      const reference = values.reference.trim();
      if (!reference)
        return await fail(errorsOf([{ field: 'reference', message: t('inbox.error.reference') }], options));
      const found = (await this.cases.list({ q: reference, limit: 10 })).items.find(
        (item) => item.reference.toLowerCase() === reference.toLowerCase(),
      );
      if (!found)
        return await fail(errorsOf([{ field: 'reference', message: t('inbox.error.noCase', { reference }) }], options));
      const letters = (await this.inquiries.forCase(found.id)).reverse();
      if (letters.length === 0)
        return await fail(
          errorsOf(
            [{ field: 'reference', message: t('inbox.error.noInquiry', { reference: found.reference }) }],
            options,
          ),
        );
      const chosen = UUID.test(values.inquiryId)
        ? letters.find((letter) => letter.id === values.inquiryId)
        : letters.length === 1
          ? letters[0]
          : undefined;
      if (!chosen) {
        const choices = letters.map((letter) => ({
          value: letter.id,
          label: `${letter.subject} (${formatInstant(letter.sentAt ?? letter.createdAt, settingsOf(req))})`,
        }));
        return await fail(
          errorsOf(
            [{ field: 'inquiryId', message: t('inbox.error.severalInquiries', { reference: found.reference }) }],
            options,
          ),
          choices,
        );
      }
      await this.inbound.assign(id, { inquiryId: chosen.id });
      return this.pages.redirect(
        `/cases/${found.id}#inbound-title`,
        t('inbox.flash.filed', { reference: found.reference }),
      );
    } catch (error) {
      return fail(formErrors(error, options));
    }
  }

  @Roles(...CASE_WRITERS, 'sysadmin')
  @Post(':id/dismiss')
  async dismiss(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'message');
    try {
      const input = await validateForm(DismissRequest, body, { fields: ['reason'] });
      const message = await this.inbound.dismiss(id, input);
      return this.pages.redirect(
        message.caseId && message.inquiryId ? `/cases/${message.caseId}#inbound-title` : '/inbox',
        t('inbox.flash.dismissed', { subject: message.subject || t('replies.noSubject') }),
      );
    } catch (error) {
      return this.messagePage(req, id, {
        name: 'dismiss',
        errors: formErrors(error, {
          form: 'dismiss',
          fields: ['reason'],
          messages: { reason: t('inbox.error.dismissReason', { max: 1000 }) },
        }),
        values: formValues(body, ['reason']),
      });
    }
  }

  /** Files the message as a request for more time and opens the deadline's extension form with the request quoted. */
  @Roles(...CASE_WRITERS)
  @Post(':id/extension-request')
  async fileAsExtensionRequest(@Param('id') id: string) {
    let filed: Awaited<ReturnType<InboundService['fileAsExtensionRequest']>>;
    try {
      filed = await this.inbound.fileAsExtensionRequest(requireUuid(id, 'message'));
    } catch (error) {
      // Filed, confirmed or dismissed meanwhile (another tab, a colleague): the message's page says what it is now.
      const refusal = httpExceptionOf(error);
      if (refusal instanceof ProblemException && refusal.getStatus() === 409 && refusal.detailMessage)
        return this.pages.redirect(`/inbox/${id}`, {
          kind: 'info',
          message: t(refusal.detailMessage.key, refusal.detailMessage.params),
        });
      throw error;
    }
    const { message, deadlineId } = filed;
    if (!deadlineId)
      return this.pages.redirect(`/cases/${message.caseId}#inbound-title`, {
        kind: 'info',
        message: t('inbox.flash.extensionNoDeadline', { subject: message.subject || t('replies.noSubject') }),
      });
    return this.pages.redirect(
      `/deadlines/${deadlineId}?extension-request=${message.id}#extend-form`,
      t('inbox.flash.extensionFiled', { subject: message.subject || t('replies.noSubject') }),
    );
  }

  @Roles(...CASE_WRITERS)
  @Get(':id/confirm')
  async confirmForm(@Param('id') id: string) {
    return this.confirmPage(await this.inbound.view(requireUuid(id, 'message')), {}, noErrors());
  }

  /** Records the draft as the inquiry's response, received when the e-mail arrived, with an assessment per question. */
  @Roles(...CASE_WRITERS)
  @Post(':id/confirm')
  async confirm(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    const message = await this.inbound.view(requireUuid(id, 'message'));
    const inquiry = message.inquiryId ? await this.inquiries.get(message.inquiryId) : null;
    const questions = inquiry?.questions ?? [];
    const assessed = readAssessments(questions, body);
    const values = { ...formValues(body, ['summary']), ...assessed.values };
    const fields = Object.keys(values);
    const fail = (errors: FormErrors) => this.confirmPage(message, values, errors, 400);
    const problems = assessed.problems;
    let request: ConfirmRequest;
    try {
      request = await validateInput(ConfirmRequest, {
        summary: values.summary.trim() || undefined,
        answers: assessed.answers,
      });
    } catch (error) {
      const found = fieldErrorsOf(error, answerField);
      if (!found) throw error;
      return fail(errorsOf([...problems, ...found], { form: 'confirm', fields }));
    }
    if (problems.length) return fail(errorsOf(problems, { form: 'confirm', fields }));
    try {
      const { response } = await this.inbound.confirm(message.id, request);
      return this.pages.redirect(
        `/cases/${response.caseId}#responses-title`,
        t('inbox.flash.confirmed', timingOf(response)),
      );
    } catch (error) {
      const found = fieldErrorsOf(error, answerField);
      return fail(
        found ? errorsOf(found, { form: 'confirm', fields }) : formErrors(error, { form: 'confirm', fields }),
      );
    }
  }

  private async messagePage(req: PageRequest, id: string, failed?: FailedForm, inquiryChoices: InquiryChoice[] = []) {
    const message = await this.inbound.view(id);
    const settings = settingsOf(req);
    const role = req.auth!.user.role;
    const isSysadmin = role === 'sysadmin';
    const canAct = isSysadmin || (CASE_WRITERS as string[]).includes(role);
    const kase = message.caseId && !isSysadmin ? await this.cases.findById(message.caseId) : null;
    const authorities = isSysadmin && message.status === 'triage' ? await this.identity.listAuthorities() : [];
    const formOf = (name: FailedForm['name']) =>
      failed?.name === name
        ? { errors: failed.errors, values: failed.values }
        : { errors: noErrors(), values: { reference: kase?.reference ?? '' } };
    return this.pages.render(
      'inbox/show',
      {
        title: message.subject || t('replies.noSubject'),
        message: {
          ...messageRow(message, settings),
          envelopeFrom: message.envelopeFrom,
          to: message.to.join(', '),
          messageId: message.messageId,
          matchedBy: message.matchedBy,
          handledBy: message.handledBy,
          handled: message.handledAt
            ? { iso: message.handledAt, text: formatInstant(message.handledAt, settings) }
            : null,
          // Name, type, size, SHA-256 and scan of each file; a kept, clean (or unscanned) one opens under the session.
          attachments: message.attachments.map((attachment, index) =>
            fileRow(attachment, attachment.url ? `/inbox/${message.id}/attachments/${index}` : null),
          ),
          raw: message.raw,
          caseHref: kase ? `/cases/${kase.id}` : null,
          caseReference: kase?.reference ?? null,
        },
        letter: { subject: message.subject, html: message.html ?? null, text: message.text ?? '' },
        isSysadmin,
        canAssign: canAct && message.status === 'triage',
        canDismiss: canAct && (message.status === 'triage' || message.status === 'draft'),
        canConfirm: !isSysadmin && canAct && message.status === 'draft',
        canFileExtension:
          !isSysadmin &&
          canAct &&
          (message.status === 'draft' || (message.status === 'triage' && message.caseId !== null)),
        authorities: [
          { value: '', label: t('inbox.chooseAuthority') },
          ...authorities.map((authority) => ({
            value: authority.code,
            label: `${authority.name} (${authority.code})`,
          })),
        ],
        inquiryChoices: inquiryChoices.length
          ? [{ value: '', label: t('inbox.chooseInquiry') }, ...inquiryChoices]
          : [],
        forms: { assign: formOf('assign'), dismiss: formOf('dismiss') },
        errors: failed?.errors ?? noErrors(),
      },
      { status: failed ? 400 : 200 },
    );
  }

  private async confirmPage(message: InboundView, values: Record<string, string>, errors: FormErrors, status = 200) {
    // A message already confirmed, dismissed or never matched has nothing to confirm: its own page says why.
    if (message.status !== 'draft' || !message.inquiryId)
      return this.pages.redirect(`/inbox/${message.id}`, {
        kind: 'info',
        message: t('inbox.noDraft', { status: INBOUND_STATUS_LABELS[message.status] ?? message.status }),
      });
    const inquiry: InquiryRecord = await this.inquiries.get(message.inquiryId);
    const file = await this.cases.get(inquiry.caseId);
    return this.pages.render(
      'inbox/confirm',
      {
        title: t('inbox.confirm.pageTitle', { reference: file.reference }),
        case: { id: file.id, reference: file.reference, title: file.title, organisation: file.organisation.name },
        inquiry: { id: inquiry.id, subject: inquiry.subject },
        message: { id: message.id, from: message.from, subject: message.subject, receivedAt: message.receivedAt },
        letter: { subject: message.subject, html: message.html ?? null, text: message.text ?? '' },
        questions: assessmentQuestions(inquiry.questions, values, errors),
        values,
        errors,
      },
      { status },
    );
  }
}

function messageRow(message: InboundView, settings: DateSettings) {
  return {
    id: message.id,
    href: `/inbox/${message.id}`,
    from: message.from,
    subject: message.subject || t('replies.noSubject'),
    status: message.status,
    statusText: INBOUND_STATUS_LABELS[message.status] ?? message.status,
    received: { iso: message.receivedAt, text: formatInstant(message.receivedAt, settings) },
    attachments: message.attachments.length,
  };
}

/** One line of the text: whitespace folded, cut at a word with an ellipsis when the text goes on. */
export function previewOf(text: string, length = PREVIEW_LENGTH - 40): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded.length <= length) return folded;
  const cut = folded.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return `${space > length / 2 ? cut.slice(0, space) : cut}…`;
}

/** How the confirmed response met its deadline, as the parameters of `inbox.flash.confirmed`. */
function timingOf(response: ResponseView): { timing: string; days: number } {
  if (!response.metDeadline) return { timing: 'recorded', days: 0 };
  return response.onTime ? { timing: 'onTime', days: 0 } : { timing: 'late', days: response.lateByDays ?? 0 };
}

function answerField(field: string): string {
  const answer = /^answers\.(\d+)/.exec(field);
  return answer ? `answer-${answer[1]}` : field;
}
