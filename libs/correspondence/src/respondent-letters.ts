import { Injectable } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { coverNote, DocumentsService, type DocumentKind, type Enclosure } from '#docket/documents';
import { currentEventAt, DeadlinesService, type DeadlineChange, type DeadlineRecord } from '#docket/deadlines';
import { MailingService } from '#docket/mailing';
import { UnitOfWork } from '#docket/platform';
import { closestLocale, InquiriesService } from './inquiries.service.js';
import type { Inquiry } from './inquiry.entity.js';
import { TemplateRegistry } from './template-registry.js';
import type { LetterContextInput, NoticeKind } from './templating/index.js';

type IssuedDocument = Awaited<ReturnType<DocumentsService['issue']>>;

/** A formal letter to the organisation: its text, the document kind and the event it is issued once for. */
export interface RespondentLetter {
  caseId: string;
  kind: DocumentKind;
  /** One document and one message per business event (`acknowledgement.<response id>`, …). */
  issueKey: string;
  locale: string;
  subject: string;
  text: string;
  to: string[];
  cc?: string[];
  replyTo?: string | null;
  /** Message kind in the outbox. */
  mailKind: string;
  /** Printed in the cover note when the letter asks for a reply by a date. */
  dueFormatted?: string | null;
  /** Case documents that travel with the letter (listed in its document, which the caller issued with them). */
  enclosures?: Enclosure[];
}

const NOTICE_FOR: Partial<Record<DeadlineChange['action'], NoticeKind>> = {
  extended: 'extension',
  suspended: 'suspension',
  resumed: 'resumption',
  restarted: 'restart',
};
const DOCUMENT_KIND_FOR: Record<NoticeKind, DocumentKind> = {
  acknowledgement: 'acknowledgement',
  extension: 'extension_notice',
  suspension: 'suspension_notice',
  resumption: 'resumption_notice',
  restart: 'resumption_notice',
};

/**
 * Letters the organisation receives besides inquiries and chasers: the acknowledgement of its reply, notices that the
 * time limit of its reply was extended, stopped, resumed or counted anew (from templates, in the inquiry's language),
 * and decision letters. Each is issued as a formal document and mailed with a cover note, in the caller's
 * transaction (the mail is queued after commit).
 */
@Injectable()
export class RespondentLetters {
  constructor(
    private readonly templates: TemplateRegistry,
    private readonly inquiries: InquiriesService,
    private readonly documents: DocumentsService,
    private readonly mailing: MailingService,
    private readonly audit: AuditService,
    private readonly deadlines: DeadlinesService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Issues the letter's document and queues its mail in the caller's transaction (or its own); returns it. */
  send(
    authority: { id: string; name: string },
    reference: string,
    letter: RespondentLetter,
    existing?: IssuedDocument,
  ): Promise<IssuedDocument> {
    return this.unitOfWork.run(() => this.sendIn(authority, reference, letter, existing));
  }

  private async sendIn(
    authority: { id: string; name: string },
    reference: string,
    letter: RespondentLetter,
    existing?: IssuedDocument,
  ): Promise<IssuedDocument> {
    const document =
      existing ??
      (await this.documents.issue({
        authorityId: authority.id,
        caseId: letter.caseId,
        kind: letter.kind,
        issueKey: letter.issueKey,
        locale: letter.locale,
        title: letter.subject,
        reference,
        issuedAt: this.inquiries.now(),
        body: letter.text,
      }));
    if (letter.to.length === 0) return document;
    const cover = coverNote({
      locale: letter.locale,
      authorityName: authority.name,
      title: letter.subject,
      reference,
      filename: document.filename,
      dueFormatted: letter.dueFormatted ?? null,
      replyTo: letter.replyTo ?? null,
      verifyUrl: this.documents.verifyUrl,
    });
    const message = await this.mailing.queueMessage({
      authorityId: authority.id,
      caseId: letter.caseId,
      kind: letter.mailKind,
      dedupeKey: `${letter.mailKind}.${letter.issueKey}`,
      to: letter.to,
      cc: letter.cc ?? [],
      replyTo: letter.replyTo ?? null,
      subject: letter.subject,
      ...cover,
      attachments: [
        this.documents.attachmentOf(document),
        ...(letter.enclosures ?? []).map((enclosure) => this.documents.attachmentOf(enclosure)),
      ],
    });
    await this.audit.record({
      authorityId: authority.id,
      action: 'letter.queued',
      entityType: 'document',
      entityId: document.id,
      caseId: letter.caseId,
      after: {
        kind: letter.kind,
        to: letter.to,
        subject: letter.subject,
        messageId: message.id,
        sha256: document.sha256,
      },
    });
    return document;
  }

  /**
   * The decision letter of an outcome: rendered from the `decision-letter` template (versioned, seven languages, the
   * template editor's preview and sandbox) in the authority's language, issued as a formal document with the case
   * documents it encloses, and mailed to `to` (with none, only stored).
   */
  async decision(
    caseId: string,
    decision: NonNullable<LetterContextInput['decision']>,
    to: string[],
    issueKey: string,
    enclosures: Enclosure[],
  ): Promise<IssuedDocument> {
    const template = await this.templates.resolve('decision-letter');
    const parties = await this.inquiries.parties(caseId);
    const locale = closestLocale(template, parties.authority.locale);
    const context = this.inquiries.letterContext(
      parties,
      locale,
      [],
      { dueAt: decision.decidedAt },
      { email: to[0] ?? '', name: null },
      { decision },
    );
    const letter = await this.inquiries.render(template, locale, context);
    const document = await this.documents.issue({
      authorityId: parties.authority.id,
      caseId,
      kind: 'decision',
      issueKey,
      locale,
      title: letter.subject,
      reference: parties.case.reference,
      issuedAt: this.inquiries.now(),
      body: letter.text,
      enclosures,
    });
    return this.send(
      { id: parties.authority.id, name: parties.authority.name },
      parties.case.reference,
      {
        caseId,
        kind: 'decision',
        issueKey,
        locale,
        subject: letter.subject,
        text: letter.text,
        to,
        mailKind: 'decision',
        enclosures,
      },
      document,
    );
  }

  /** The acknowledgement that the organisation's reply to an inquiry was received. */
  async acknowledge(inquiry: Inquiry, response: { id: string; receivedAt: Date }): Promise<IssuedDocument> {
    return this.notify(
      inquiry,
      null,
      { kind: 'acknowledgement', receivedAt: response.receivedAt },
      `acknowledgement.${response.id}`,
    );
  }

  /** A change of an inquiry's response deadline, told to the organisation (other deadlines: nothing). */
  async deadlineChanged(deadline: DeadlineRecord, change: DeadlineChange): Promise<void> {
    const kind = NOTICE_FOR[change.action];
    if (!kind || deadline.kind !== 'response' || !deadline.inquiryId) return;
    const inquiry = await this.inquiries.get(deadline.inquiryId);
    await this.notify(
      inquiry,
      deadline,
      {
        kind,
        previousDueAt: change.previousDueAt,
        stoppedAt: change.stoppedAt,
        eventAt: kind === 'restart' ? currentEventAt(deadline) : null,
      },
      `${kind}.${deadline.id}.${deadline.version}`,
    );
  }

  private async notify(
    inquiry: Inquiry,
    deadline: DeadlineRecord | null,
    notice: {
      kind: NoticeKind;
      receivedAt?: Date;
      previousDueAt?: Date;
      stoppedAt?: Date | null;
      eventAt?: Date | null;
    },
    issueKey: string,
  ): Promise<IssuedDocument> {
    const template = await this.templates.resolve(
      notice.kind === 'acknowledgement' ? 'response-acknowledgement' : 'deadline-notice',
    );
    const locale = closestLocale(template, inquiry.locale);
    const parties = await this.inquiries.parties(inquiry.caseId);
    const due = deadline ?? (inquiry.deadlineId ? await this.deadlines.get(inquiry.deadlineId) : null);
    const context = this.inquiries.letterContext(
      parties,
      locale,
      inquiry.questions,
      due ? { dueAt: due.dueAt, dueDate: due.dueDate } : { dueAt: inquiry.createdAt },
      { email: inquiry.to[0] ?? '', name: null },
      { inquiry: { replyTo: inquiry.replyTo, sentAt: inquiry.sentAt ?? inquiry.createdAt }, notice },
    );
    const letter = await this.inquiries.render(template, locale, context);
    return this.send({ id: parties.authority.id, name: parties.authority.name }, parties.case.reference, {
      caseId: inquiry.caseId,
      kind: DOCUMENT_KIND_FOR[notice.kind],
      issueKey,
      locale,
      subject: letter.subject,
      text: letter.text,
      to: inquiry.to,
      cc: inquiry.cc,
      replyTo: inquiry.replyTo,
      mailKind: 'respondent_notice',
      dueFormatted:
        notice.kind === 'acknowledgement' || notice.kind === 'suspension' ? null : context.deadline.formatted,
    });
  }
}
