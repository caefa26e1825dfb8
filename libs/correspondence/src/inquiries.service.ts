import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { coverNote, DocumentsService, type Enclosure } from '#docket/documents';
import { CasesService, type CaseRecord, type CaseWithParties } from '#docket/cases';
import {
  DeadlinesService,
  responseDeadlineLabel,
  ruleOf,
  type DeadlineRecord,
  type ExtensionTarget,
  type ReminderPlanItem,
} from '#docket/deadlines';
import { IdentityService, UserRepository, type AuthorityRecord, type UserRecord } from '#docket/identity';
import { MailDelivery, MailingService, type NewMessage, type OutboundMessageRecord } from '#docket/mailing';
import {
  Clock,
  NotFound,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  ValidationProblem,
  type FieldError,
  type Runtime,
} from '#docket/platform';
import { OrganisationsService } from '#docket/registry';
import { Inquiry, type DeliveryNote } from './inquiry.entity.js';
import { InquiryRepository } from './inquiry.repository.js';
import { questionTextIn, TemplateRegistry } from './template-registry.js';
import {
  buildLetterContext,
  findQuestion,
  renderLetter,
  TemplateRenderError,
  type LetterContext,
  type LetterContextInput,
  type LetterQuestion,
  type QuestionBank,
  type RenderedLetter,
  type TemplateDefinition,
} from './templating/index.js';

export interface NewInquiry {
  template: string;
  locale: string;
  to: string[];
  cc?: string[];
  questionIds?: string[];
  deadline: ExtensionTarget;
  reminders?: ReminderPlanItem[];
  /** Case documents to enclose (DocumentsService.enclosuresFor checks them in the letter's transaction). */
  attachmentIds?: string[];
}

/** The questions of a letter: ids to write from a bank in the letter's locale, or a sent letter's snapshot as it is. */
export type LetterQuestions = { bank: QuestionBank; ids: readonly string[] } | readonly LetterQuestion[];

export interface LetterParties {
  authority: AuthorityRecord;
  case: CaseRecord;
  organisationName: string;
  officer: { name: string; email: string } | null;
  /** The case's assignee as stored (active or not), or null. */
  assignee: UserRecord | null;
}

export interface LetterPreviewOptions {
  questionIds?: string[];
  deadline?: ExtensionTarget;
  /** The address the letter is shown for (its first recipient). */
  recipient?: string;
}

/** A letter as it would be sent now, with the due date its deadline would get. */
export type LetterPreview = RenderedLetter & { dueDate: string; dueAt: string; templateVersion: number };

/** The locale of a template closest to the wanted one: `it-IT` → `it`, else English, else the first. */
export function closestLocale(template: TemplateDefinition, wanted: string): string {
  const base = wanted.split('-')[0];
  return (
    template.locales.find((locale) => locale === wanted) ??
    template.locales.find((locale) => locale === base) ??
    (template.locales.includes('en') ? 'en' : template.locales[0])
  );
}

@Injectable()
export class InquiriesService {
  constructor(
    private readonly inquiries: InquiryRepository,
    private readonly users: UserRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly templates: TemplateRegistry,
    private readonly cases: CasesService,
    private readonly organisations: OrganisationsService,
    private readonly identity: IdentityService,
    private readonly deadlines: DeadlinesService,
    private readonly mailing: MailingService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly documents: DocumentsService,
    private readonly delivery: MailDelivery,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  replyAddress(token: string): string {
    const domain =
      this.runtime.config.REPLY_TO_DOMAIN ?? /@([^>\s]+)>?\s*$/.exec(this.runtime.config.MAIL_FROM)?.[1] ?? 'localhost';
    return `reply+${token}@${domain}`;
  }

  async parties(caseId: string): Promise<LetterParties> {
    const found = await this.cases.requireWithParties(caseId);
    const actor = found.assignee ? null : await this.actorUser();
    return this.partiesOf(found, actor);
  }

  /** `parties` of many cases of the caller's authority, in two round trips at most; unknown cases are left out. */
  async partiesOfCases(caseIds: string[]): Promise<Map<string, LetterParties>> {
    const found = await this.cases.withParties(caseIds);
    const actor = [...found.values()].some((kase) => !kase.assignee) ? await this.actorUser() : null;
    return new Map([...found].map(([id, kase]) => [id, this.partiesOf(kase, actor)]));
  }

  /** The signed-in user, who signs letters of cases without an assignee. */
  private async actorUser(): Promise<UserRecord | null> {
    const { userId } = RequestContext.actor();
    return userId ? this.users.byId(userId) : null;
  }

  private partiesOf(found: CaseWithParties, actor: UserRecord | null): LetterParties {
    const signer = found.assignee ?? actor;
    return {
      authority: found.authority,
      case: found,
      organisationName: found.organisation.legalName,
      officer: signer ? { name: signer.name, email: signer.email } : null,
      assignee: found.assignee ?? null,
    };
  }

  letterContext(
    parties: LetterParties,
    locale: string,
    questions: LetterQuestions,
    due: { dueAt: string | Date; dueDate?: string },
    recipient: { name?: string | null; email: string },
    extra: Pick<
      LetterContextInput,
      'inquiry' | 'reminder' | 'reply' | 'delivery' | 'assignment' | 'notice' | 'decision'
    > = {},
  ): LetterContext {
    return buildLetterContext({
      locale,
      now: this.clock.now(),
      authority: {
        code: parties.authority.code,
        name: parties.authority.name,
        country: parties.authority.country,
        locale: parties.authority.locale,
        timeZone: parties.authority.timezone,
      },
      case: {
        reference: parties.case.reference,
        title: parties.case.title,
        legalBasis: parties.case.legalBasis,
        url: `${this.runtime.config.PUBLIC_URL}/cases/${parties.case.id}`,
      },
      organisation: { name: parties.organisationName },
      recipient,
      officer: parties.officer,
      ...('bank' in questions
        ? { questionBank: questions.bank, questionIds: questions.ids }
        : { questions: questions as readonly LetterQuestion[] }),
      deadline: due,
      inquiry: extra.inquiry ?? undefined,
      reminder: extra.reminder ?? null,
      reply: extra.reply ?? null,
      delivery: extra.delivery ?? null,
      assignment: extra.assignment ?? null,
      notice: extra.notice ?? null,
      decision: extra.decision ?? null,
    });
  }

  /** `inThread` for previews: rendered in a render thread, off the event loop that serves everyone. */
  async render(
    template: TemplateDefinition,
    locale: string,
    context: LetterContext,
    { inThread = false } = {},
  ): Promise<RenderedLetter> {
    try {
      return await (inThread
        ? this.templates.renderInThread(template, locale, context)
        : renderLetter(template, locale, context));
    } catch (error) {
      if (error instanceof TemplateRenderError)
        throw new ValidationProblem(
          [
            {
              field: 'template',
              message: error.message,
              key: 'templates.refusal.renderFailed',
              params: { message: error.message },
            },
          ],
          `The template could not be rendered: ${error.message}`,
        ).withMessage('problem.templates.renderFailed', { message: error.message });
      throw error;
    }
  }

  /**
   * The question ids the letter will carry; 400 when the template, locale or questions do not fit together: every
   * question must be in `bank` (the authority's, `TemplateRegistry.bankFor`) and written in the letter's locale.
   */
  checkRequest(
    template: TemplateDefinition,
    request: Pick<NewInquiry, 'locale' | 'questionIds'>,
    bank: QuestionBank,
  ): string[] {
    if (template.kind !== 'inquiry')
      throw new ValidationProblem([
        {
          field: 'template',
          message: `"${template.key}" is a ${template.kind} template, not an inquiry`,
          key: 'inquiries.refusal.notInquiryTemplate',
          params: { template: template.key, kind: template.kind },
        },
      ]);
    if (!template.locales.includes(request.locale)) {
      throw new ValidationProblem([
        {
          field: 'locale',
          message: `template "${template.key}" has no "${request.locale}" version (available: ${template.locales.join(', ')})`,
          key: 'inquiries.refusal.noLocale',
          params: { template: template.key, locale: request.locale, available: template.locales.join(', ') },
        },
      ]);
    }
    const questionIds = request.questionIds ?? template.defaultQuestionIds;
    const errors = questionIds.flatMap((id, index): FieldError[] => {
      const question = findQuestion(bank, id);
      if (!question)
        return [
          {
            field: `questionIds.${index}`,
            message: `question "${id}" is not in the question bank`,
            key: 'inquiries.refusal.unknownQuestion',
            params: { id },
          },
        ];
      const has = Object.keys(question.text).sort().join(', ');
      return questionTextIn(question.text, request.locale) === undefined
        ? [
            {
              field: `questionIds.${index}`,
              message: `question "${id}" has no text in "${request.locale}" (it has ${has})`,
              key: 'inquiries.refusal.questionNotInLocale',
              params: { id, locale: request.locale, available: has },
            },
          ]
        : [];
    });
    if (new Set(questionIds).size !== questionIds.length)
      errors.push({
        field: 'questionIds',
        message: 'a question is listed twice',
        key: 'inquiries.refusal.questionTwice',
      });
    if (questionIds.length === 0)
      errors.push({
        field: 'questionIds',
        message: 'an inquiry needs at least one question',
        key: 'inquiries.refusal.noQuestions',
      });
    if (errors.length) throw new ValidationProblem(errors);
    return questionIds;
  }

  /**
   * Renders, storing and sending nothing, the letter a case not opened yet would carry (a campaign's target, before
   * its case is opened); 400 when it cannot be written, so no case is opened for a letter that fails.
   */
  async assertWritable(
    template: TemplateDefinition,
    organisationId: string,
    locale: string,
    questionIds: string[],
    bank: QuestionBank,
  ): Promise<void> {
    const [authority, organisation] = await Promise.all([
      this.identity.currentAuthority(),
      this.organisations.require(organisationId),
    ]);
    const now = this.clock.now();
    const parties: LetterParties = {
      authority,
      case: {
        id: randomUUID(),
        reference: `${authority.code}-0000-0000`,
        title: organisation.legalName,
        legalBasis: null,
        organisationId,
      } as CaseRecord,
      organisationName: organisation.legalName,
      officer: null,
      assignee: null,
    };
    const context = this.letterContext(
      parties,
      locale,
      { bank, ids: questionIds },
      { dueAt: now },
      { email: 'recipient@example.org' },
      { inquiry: { replyTo: this.replyAddress('check'), sentAt: now } },
    );
    await this.render(template, locale, context);
  }

  /** The letter exactly as it would be sent now, with the deadline the rule would give. */
  async preview(
    templateKey: string,
    caseId: string,
    locale: string,
    options: LetterPreviewOptions = {},
  ): Promise<LetterPreview> {
    return this.previewWith(await this.parties(caseId), templateKey, locale, options);
  }

  /**
   * The PDF the letter previewed will be sent as (libs/documents): never stored nor issued, never sealed, its footer
   * saying it is a preview. Dated today, as a letter sent now.
   */
  async previewPdf(
    templateKey: string,
    caseId: string,
    locale: string,
    options: LetterPreviewOptions & { attachmentIds?: string[] } = {},
  ): Promise<{ pdf: Buffer; filename: string }> {
    const parties = await this.parties(caseId);
    const letter = await this.previewWith(parties, templateKey, locale, options);
    const enclosures = await this.documents.enclosuresFor(caseId, options.attachmentIds);
    const pdf = await this.documents.preview(parties.authority.id, {
      locale,
      title: letter.subject,
      reference: parties.case.reference,
      issuedAt: this.clock.now(),
      body: letter.text,
      enclosures,
    });
    return { pdf, filename: `${parties.case.reference}-inquiry-preview.pdf` };
  }

  /**
   * The letter a case not opened yet would send (a campaign's preview): the case is the one `fields` would
   * open for the organisation, with `reference` standing for the reference it gets when it opens.
   */
  async previewForNewCase(
    templateKey: string,
    fields: {
      organisationId: string;
      title: string;
      legalBasis?: string | null;
      assigneeId?: string | null;
      reference: string;
    },
    locale: string,
    options: LetterPreviewOptions = {},
  ): Promise<LetterPreview> {
    const [authority, organisation] = await Promise.all([
      this.identity.currentAuthority(),
      this.organisations.require(fields.organisationId),
    ]);
    const assignee = fields.assigneeId ? await this.identity.userOfMyAuthority(fields.assigneeId) : null;
    const signer = assignee ?? (await this.actorUser());
    const kase = {
      id: randomUUID(),
      reference: fields.reference,
      title: fields.title,
      legalBasis: fields.legalBasis ?? null,
      organisationId: organisation.id,
    } as CaseRecord;
    const parties: LetterParties = {
      authority,
      case: kase,
      organisationName: organisation.legalName,
      officer: signer ? { name: signer.name, email: signer.email } : null,
      assignee,
    };
    return this.previewWith(parties, templateKey, locale, options);
  }

  private async previewWith(
    parties: LetterParties,
    templateKey: string,
    locale: string,
    options: LetterPreviewOptions,
  ): Promise<LetterPreview> {
    const [template, bank] = await Promise.all([this.templates.resolve(templateKey), this.templates.bankFor()]);
    const questionIds = this.checkRequest(template, { locale, questionIds: options.questionIds }, bank);
    const rule = ruleOf(options.deadline ?? { count: 20, unit: 'calendar_days' });
    const due = await this.deadlines.preview(parties.authority.id, this.clock.now(), rule);
    const { contacts } = await this.organisations.addressBook(parties.case.organisationId, parties.authority.id);
    const email = options.recipient ?? contacts[0]?.email ?? 'recipient@example.org';
    const context = this.letterContext(
      parties,
      locale,
      { bank, ids: questionIds },
      due,
      { email, name: contacts.find((c) => c.email === email)?.name ?? null },
      { inquiry: { replyTo: this.replyAddress('preview'), sentAt: this.clock.now() } },
    );
    return {
      ...(await this.render(template, locale, context, { inThread: true })),
      dueDate: due.dueDate,
      dueAt: due.dueAt,
      templateVersion: template.version,
    };
  }

  /**
   * Stores the letter, its deadline and its reminders in one transaction; the mail is queued after commit.
   * `withinTransaction` runs last in that transaction (a caller recording the inquiry atomically with it). With
   * `deliverNow` (a job writing letter after letter: a campaign's) the letter is handed to the mail server from this
   * process once committed, rather than by a job of the mail queue (MailDelivery.deliverNow: the queue takes it when
   * it cannot start within a minute or fails before the handover).
   */
  async create(
    caseId: string,
    request: NewInquiry,
    withinTransaction?: (inquiry: Inquiry) => Promise<void>,
    { deliverNow = false }: { deliverNow?: boolean } = {},
  ): Promise<{ inquiry: Inquiry; deadline: DeadlineRecord }> {
    const [created] = await this.createMany([{ caseId, request }], { deliverNow }, withinTransaction);
    return created!;
  }

  /**
   * `create` for several letters of the caller's authority (a campaign's batch), in one transaction and all or
   * nothing: each case is locked and moved on its own, but the deadlines, reminders, documents, messages and inquiries
   * of all the letters are each inserted with one statement. A caller that wants one bad letter not to fail the
   * others writes them again one by one when this fails (the campaigns' MicroBatcher does).
   */
  async createMany(
    letters: { caseId: string; request: NewInquiry }[],
    { deliverNow = false }: { deliverNow?: boolean } = {},
    withinTransaction?: (inquiry: Inquiry) => Promise<void>,
  ): Promise<{ inquiry: Inquiry; deadline: DeadlineRecord }[]> {
    const checked = await Promise.all(
      letters.map(async ({ caseId, request }) => {
        const [template, bank] = await Promise.all([
          this.templates.resolve(request.template),
          this.templates.bankFor(),
        ]);
        const questionIds = this.checkRequest(template, request, bank);
        const reminders = request.reminders ?? template.defaultReminders;
        this.deadlines.validatePlan(reminders);
        return { caseId, request, template, bank, questionIds, reminders };
      }),
    );
    // All or nothing: the deadline, document, message and case move joined here take no savepoint each.
    return this.unitOfWork.atomic(async () => {
      const now = this.clock.now();
      const locked: ((typeof checked)[number] & {
        open: CaseWithParties;
        parties: LetterParties;
        inquiryId: string;
        replyToken: string;
        to: string[];
        cc: string[];
      })[] = [];
      for (const letter of checked) {
        const open = await this.cases.lockOpenWithParties(letter.caseId);
        const parties = this.partiesOf(open, open.assignee ? null : await this.actorUser());
        locked.push({
          ...letter,
          open,
          parties,
          inquiryId: randomUUID(),
          replyToken: randomBytes(12).toString('base64url').replace(/[-_]/g, 'x'),
          to: letter.request.to.map((email) => email.toLowerCase()),
          cc: (letter.request.cc ?? []).map((email) => email.toLowerCase()),
        });
      }
      const deadlines = await this.deadlines.createMany(
        locked.map(({ caseId, inquiryId, parties, request, reminders }) => ({
          caseId,
          inquiryId,
          kind: 'response' as const,
          label: responseDeadlineLabel(now, parties.authority.timezone),
          eventAt: now,
          rule: ruleOf(request.deadline),
          reminderPlan: reminders,
        })),
      );
      const written: {
        letter: (typeof locked)[number];
        deadline: DeadlineRecord;
        replyTo: string;
        context: LetterContext;
        rendered: RenderedLetter;
        enclosures: Enclosure[];
      }[] = [];
      for (const [index, letter] of locked.entries()) {
        const deadline = deadlines[index]!;
        const { open, parties, request, template, bank, questionIds, to } = letter;
        const { contacts } = await this.organisations.addressBook(open.organisationId, open.authorityId);
        const replyTo = this.replyAddress(letter.replyToken);
        const recipient = { email: to[0], name: contacts.find((c) => c.email.toLowerCase() === to[0])?.name ?? null };
        const context = this.letterContext(
          parties,
          request.locale,
          { bank, ids: questionIds },
          { dueAt: deadline.dueAt, dueDate: deadline.dueDate },
          recipient,
          { inquiry: { replyTo, sentAt: now } },
        );
        const rendered = await this.render(template, request.locale, context);
        const enclosures = await this.documents.enclosuresFor(letter.caseId, request.attachmentIds);
        written.push({ letter, deadline, replyTo, context, rendered, enclosures });
      }
      // The letters travel as formal PDF documents; each mail's body is a cover note in the letter's language.
      const documents = await this.documents.issueMany(
        written.map(({ letter, rendered, enclosures }) => ({
          authorityId: letter.open.authorityId,
          caseId: letter.caseId,
          kind: 'inquiry' as const,
          issueKey: `inquiry.${letter.inquiryId}`,
          newIssueKey: true,
          locale: letter.request.locale,
          title: rendered.subject,
          reference: letter.parties.case.reference,
          issuedAt: now,
          body: rendered.text,
          enclosures,
        })),
      );
      const documentOf = (inquiryId: string) => {
        const document = documents.get(`inquiry.${inquiryId}`);
        if (document instanceof ValidationProblem) throw document;
        return document as Awaited<ReturnType<DocumentsService['issue']>>;
      };
      const messageIds = await this.storeLetters(
        deliverNow,
        written.map(({ letter, rendered, enclosures, replyTo, context }) => {
          const document = documentOf(letter.inquiryId);
          const cover = coverNote({
            locale: letter.request.locale,
            authorityName: letter.parties.authority.name,
            title: rendered.subject,
            reference: letter.parties.case.reference,
            filename: document.filename,
            dueFormatted: context.deadline.formatted,
            replyTo,
            verifyUrl: this.documents.verifyUrl,
          });
          return {
            authorityId: letter.open.authorityId,
            caseId: letter.caseId,
            kind: 'inquiry',
            dedupeKey: `inquiry.${letter.inquiryId}`,
            to: letter.to,
            cc: letter.cc,
            replyTo,
            subject: rendered.subject,
            ...cover,
            attachments: [
              this.documents.attachmentOf(document),
              ...enclosures.map((enclosure) => this.documents.attachmentOf(enclosure)),
            ],
          };
        }),
      );
      const inquiries = await this.inquiries.addAll(
        written.map(({ letter, deadline, rendered, enclosures, replyTo, context }) =>
          Object.assign(new Inquiry(), {
            id: letter.inquiryId,
            authorityId: letter.open.authorityId,
            caseId: letter.caseId,
            templateKey: letter.template.key,
            templateVersion: letter.template.version,
            locale: letter.request.locale,
            to: letter.to,
            cc: letter.cc,
            questions: context.questions,
            ...rendered,
            replyToken: letter.replyToken,
            replyTo,
            status: 'queued',
            deadlineId: deadline.id,
            outboundMessageId: messageIds.get(`inquiry.${letter.inquiryId}`),
            documentId: documentOf(letter.inquiryId).id,
            attachments: enclosures,
            createdBy: RequestContext.actor().label,
          }),
        ),
      );
      for (const [index, { letter, deadline, rendered, enclosures }] of written.entries()) {
        const inquiry = inquiries[index]!;
        const document = documentOf(letter.inquiryId);
        await this.cases.transition(letter.caseId, 'send_inquiry', { locked: letter.open });
        await this.audit.record({
          action: 'inquiry.queued',
          entityType: 'inquiry',
          entityId: inquiry.id,
          caseId: letter.caseId,
          after: {
            template: `${letter.template.key}@${letter.template.version}`,
            locale: letter.request.locale,
            to: letter.to,
            questions: letter.questionIds,
            subject: rendered.subject,
            dueDate: deadline.dueDate,
            documentId: document.id,
            sha256: document.sha256,
            ...(enclosures.length
              ? {
                  attachments: enclosures.map(({ documentId, filename, sha256 }) => ({ documentId, filename, sha256 })),
                }
              : {}),
          },
        });
        if (withinTransaction) await withinTransaction(inquiry);
      }
      return written.map(({ deadline }, index) => ({ inquiry: inquiries[index]!, deadline }));
    });
  }

  /** Letters' mails, stored in the caller's transaction: queued, or (`deliverNow`) sent from here after commit. */
  private storeLetters(deliverNow: boolean, messages: NewMessage[]): Promise<Map<string, string>> {
    return deliverNow ? this.delivery.storeAndSendAfterCommit(messages) : this.mailing.queueMessages(messages);
  }

  async get(id: string): Promise<Inquiry> {
    const inquiry = await this.inquiries.byId(id);
    if (!inquiry)
      throw new NotFound(`There is no inquiry ${id} in your authority.`).withMessage('problem.inquiries.notFound', {
        id,
      });
    return inquiry;
  }

  forCase(caseId: string): Promise<Inquiry[]> {
    return this.inquiries.forCase(caseId);
  }

  byIds(ids: string[]): Promise<Inquiry[]> {
    return this.inquiries.byIds(ids);
  }

  /**
   * The delivery status and response deadline of these inquiries of the caller's authority, by id (others are left
   * out), in one read: a campaign's progress asks for a thousand letters at once.
   */
  async states(ids: string[]): Promise<Map<string, Pick<Inquiry, 'status' | 'deadlineId'>>> {
    const found = await this.inquiries.statesOf([...new Set(ids)]);
    return new Map(found.map(({ id, status, deadlineId }) => [id, { status, deadlineId }]));
  }

  /** Notes a bounce or an automatic reply to the letter on the inquiry. */
  addDeliveryNote(inquiryId: string, note: DeliveryNote): Promise<void> {
    return this.inquiries.addDeliveryNote(inquiryId, note);
  }

  /** Mail outcomes of inquiry letters, written in the send job's transaction: the letters sent, in one statement. */
  async recordSent(messages: OutboundMessageRecord[]): Promise<void> {
    const byMessage = new Map(messages.map((message) => [message.id, message]));
    const changed = await this.inquiries.markSent(
      messages.map((message) => ({
        outboundMessageId: message.id,
        messageId: message.messageId,
        smtpResponse: message.smtpResponse,
      })),
      this.clock.now(),
    );
    for (const inquiry of changed) {
      const message = byMessage.get(inquiry.outboundMessageId as string)!;
      await this.audit.record({
        authorityId: inquiry.authorityId,
        action: 'inquiry.sent',
        entityType: 'inquiry',
        entityId: inquiry.id,
        caseId: inquiry.caseId,
        after: { messageId: message.messageId, smtpResponse: message.smtpResponse },
      });
    }
  }

  /**
   * A letter that finally failed to send never reached the organisation, so its clock never started: the
   * deadline is suspended, which cancels every reminder of it (no chaser to an address that refuses mail, no
   * escalation about a letter nobody received, and the deadline never counts as overdue). Instead of countdown
   * reminders about a clock that does not run, the staff who must act (the assignee, else the managers) get one
   * notice now. Staff then send the letter again (a campaign retry brings a new deadline and reminder plan) or
   * resume or waive the deadline.
   */
  async recordFailed(message: OutboundMessageRecord): Promise<void> {
    if (message.parentId) return this.recordRefusedPart(message);
    const inquiry = await this.inquiries.ofMessage(message.id);
    if (!inquiry) return;
    const reason = message.lastError ?? 'the mail server refused the letter';
    await this.inquiries.change(inquiry.id, { status: 'failed', lastError: message.lastError });
    const notified = await this.notifyUndelivered(inquiry, reason);
    await this.audit.record({
      authorityId: inquiry.authorityId,
      action: 'inquiry.failed',
      entityType: 'inquiry',
      entityId: inquiry.id,
      caseId: inquiry.caseId,
      after: { error: message.lastError, attempts: message.attempts, notified },
    });
    const deadline = inquiry.deadlineId
      ? await this.deadlines.get(inquiry.deadlineId).catch((error: unknown) => {
          if (error instanceof NotFound) return null;
          throw error;
        })
      : null;
    if (deadline?.status === 'pending') {
      await this.deadlines.suspend(deadline.id, `the letter could not be delivered: ${reason}`.slice(0, 500));
    }
  }

  /** Tells a case's new assignee, in their language, that the case is theirs now (template `case-assigned`). */
  async notifyAssigned(kase: CaseRecord): Promise<void> {
    const parties = (await this.partiesOfCases([kase.id])).get(kase.id);
    const assignee = parties?.assignee;
    if (!parties || !assignee?.active) return;
    const template = await this.templates.resolve('case-assigned');
    const locale = staffLocale(assignee, parties.authority, template);
    const by = await this.actorUser();
    const context = this.letterContext(
      parties,
      locale,
      [],
      { dueAt: this.clock.now() },
      { email: assignee.email, name: assignee.name },
      { assignment: { by: by?.name ?? null } },
    );
    const letter = await this.render(template, locale, context);
    await this.mailing.queueMessage({
      authorityId: kase.authorityId,
      caseId: kase.id,
      kind: 'notification',
      dedupeKey: `case-assigned.${kase.id}.${kase.version}`,
      to: [assignee.email],
      ...letter,
      subject: letter.subject.slice(0, 500),
    });
  }

  /**
   * Some recipients of a letter refused it for good while others took it (or may still): the letter reached the
   * organisation, so its clock runs; the refused addresses are recorded on the case and staff are told which.
   */
  private async recordRefusedPart(part: OutboundMessageRecord): Promise<void> {
    const inquiry = await this.inquiries.ofMessage(part.parentId as string);
    if (!inquiry) return;
    const refused = part.envelopeTo ?? part.refused;
    const reason = part.lastError ?? 'refused by the mail server';
    const notified = await this.notifyUndelivered(inquiry, reason, { refused, partId: part.id });
    await this.audit.record({
      authorityId: inquiry.authorityId,
      action: 'inquiry.refused_by_some',
      entityType: 'inquiry',
      entityId: inquiry.id,
      caseId: inquiry.caseId,
      after: { refused, error: reason, notified },
    });
  }

  /** A failed letter sent again by an operator: queued again until the mail server's answer. */
  async recordRetried(message: OutboundMessageRecord): Promise<void> {
    if (message.parentId) return;
    await this.inquiries.requeueFailed(message.id);
  }

  /**
   * Tells the case's assignee (else the authority's managers) that a letter was not delivered (template
   * `letter-undelivered`), or, when others took it, that it was refused for `partly.refused` only and its deadline
   * runs on (template `letter-partly-refused`), each in their own language; returns who was told.
   */
  private async notifyUndelivered(
    inquiry: Inquiry,
    reason: string,
    partly?: { refused: string[]; partId: string },
  ): Promise<string[]> {
    const parties = (await this.partiesOfCases([inquiry.caseId])).get(inquiry.caseId);
    if (!parties) return [];
    const assignee = parties.assignee?.active ? parties.assignee : null;
    const staff = assignee ? [assignee] : await this.users.activeManagers();
    if (staff.length === 0) return [];
    const template = await this.templates.resolve(partly ? 'letter-partly-refused' : 'letter-undelivered');
    const groups = byLanguage(staff, parties.authority, template);
    let first = true;
    for (const [locale, users] of groups) {
      const context = this.letterContext(
        parties,
        locale,
        [],
        { dueAt: this.clock.now() },
        { email: users[0]!.email, name: users.length === 1 ? users[0]!.name : null },
        {
          inquiry: { replyTo: inquiry.replyTo, sentAt: inquiry.sentAt ?? inquiry.createdAt },
          delivery: { subject: inquiry.subject, to: partly ? partly.refused : inquiry.to, error: reason },
        },
      );
      const letter = await this.render(template, locale, context);
      await this.mailing.queueMessage({
        authorityId: inquiry.authorityId,
        caseId: inquiry.caseId,
        kind: 'notification',
        // The first group keeps the key of one notice per letter; other languages add theirs.
        dedupeKey: `${partly ? `inquiry-refused.${partly.partId}` : `inquiry-undelivered.${inquiry.id}`}${first ? '' : `.${locale}`}`,
        to: users.map((user) => user.email),
        ...letter,
        subject: letter.subject.slice(0, 500),
      });
      first = false;
    }
    return staff.map((user) => user.email);
  }
}

/**
 * The language a member of staff reads notices in: their own where users have one (`language`), else their
 * authority's; then the closest locale the template has.
 */
export function staffLocale(
  user: Pick<UserRecord, 'email'> & { language?: string | null },
  authority: Pick<AuthorityRecord, 'locale'>,
  template: TemplateDefinition,
): string {
  return closestLocale(template, user.language || authority.locale);
}

/** Staff grouped by the locale their notice is written in, in the order first met. */
export function byLanguage<T extends Pick<UserRecord, 'email'> & { language?: string | null }>(
  staff: T[],
  authority: Pick<AuthorityRecord, 'locale'>,
  template: TemplateDefinition,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const user of staff) {
    const locale = staffLocale(user, authority, template);
    groups.set(locale, [...(groups.get(locale) ?? []), user]);
  }
  return groups;
}
