import { createHash } from 'node:crypto';
import { createReadStream, existsSync, type ReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { simpleParser, type ParsedMail } from 'mailparser';
import { DataSource } from 'typeorm';
import { AuditService } from '#docket/audit';
import { caseOfReference, CasesService, type CaseRecord } from '#docket/cases';
import {
  inquiryOfReplyToken,
  newestInquiryOfCase,
  newestInquiryOfMessages,
  staffLocale,
  InquiriesService,
  TemplateRegistry,
  type DeliveryNote,
  type InquiryRecord,
} from '#docket/correspondence';
import { DeadlinesService, isRunning } from '#docket/deadlines';
import { AttachmentsService, ResponsesService, type ResponseView } from '#docket/decisions';
import { IdentityService } from '#docket/identity';
import { MailingService } from '#docket/mailing';
import { SearchService } from '#docket/search';
import { FileQuarantined, MalwareScanner, QuarantineNotice } from '#docket/scanning';
import {
  Clock,
  Conflict,
  keysetPage,
  keysetSql,
  NotFound,
  readPageRequest,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  ValidationProblem,
  type KeysetPage,
  type ListOrder,
  type Runtime,
  type SortValueType,
} from '#docket/platform';
import {
  bounceDetail,
  caseReference,
  classify,
  htmlToText,
  referencedMessageIds,
  replyToken,
  sanitiseHtml,
  type MessageKind,
} from './classify.js';
import type { AssignRequest, ConfirmRequest, DismissRequest, InboundListQuery, InboundSortKey } from './dto.js';
import { InboundMessage, type InboundAttachment, type InboundStatus } from './inbound-message.entity.js';
import { InboundMessageRepository } from './inbound-message.repository.js';
import { inboundView, type InboundView } from './views.js';

/** Another tab or a colleague handled the message first. */
const filedMeanwhile = () =>
  new Conflict('This message was filed or dismissed meanwhile.').withMessage('problem.inbound.handledMeanwhile');

export interface Envelope {
  from: string;
  to: string[];
  /** Authority (code) whose triage inbox takes the message when neither it nor its recipients' domain match. */
  triageAuthority?: string;
}

/** One reply by e-mail waiting for staff to confirm it as the response or dismiss it. */
export interface ReplyToReview {
  id: string;
  caseId: string;
  caseReference: string;
  caseTitle: string;
  subject: string;
  from: string;
  receivedAt: string;
}

export interface RepliesToReview {
  total: number;
  items: ReplyToReview[];
}

interface Match {
  inquiry: InquiryRecord | null;
  kase: Pick<CaseRecord, 'id' | 'authorityId'> | null;
  by: string | null;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Accepted recipient domains, and the authority (by code) owning each one's unmatched mail. */
export function inboundDomains(entries: string[]): Map<string, string | null> {
  return new Map(
    entries.map((entry) => {
      const [domain, code] = entry.split('=');
      return [domain.toLowerCase(), code ? code.toUpperCase() : null] as const;
    }),
  );
}

/**
 * The reply pipeline: raw message kept as evidence, parsed, matched to its inquiry (reply token, then the
 * Message-ID it answers, then the case reference in the subject), and filed as a draft response, a delivery
 * note of the inquiry (bounce, auto-reply), or a triage item. Nothing is dropped.
 */
const INBOUND_SORT_SQL: Record<InboundSortKey, { value: string; type: SortValueType }> = {
  receivedAt: { value: 'm.received_at', type: 'timestamptz' },
  from: { value: 'm.from_address', type: 'text' },
  subject: { value: 'm.subject', type: 'text' },
  status: { value: 'm.status', type: 'text' },
};
const INBOUND_ORDER: ListOrder<InboundSortKey> = {
  keys: Object.fromEntries(Object.entries(INBOUND_SORT_SQL).map(([key, { type }]) => [key, type])) as Record<
    InboundSortKey,
    SortValueType
  >,
  fallback: '-receivedAt',
};

@Injectable()
export class InboundService {
  readonly domains: Map<string, string | null>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly inquiries: InquiriesService,
    private readonly responses: ResponsesService,
    private readonly mailing: MailingService,
    private readonly templates: TemplateRegistry,
    private readonly deadlines: DeadlinesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly messages: InboundMessageRepository,
    private readonly search: SearchService,
    private readonly scanner: MalwareScanner,
    private readonly quarantine: QuarantineNotice,
    private readonly attachmentFiles: AttachmentsService,
    private readonly identity: IdentityService,
    private readonly cases: CasesService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    this.domains = inboundDomains(runtime.config.INBOUND_DOMAINS);
    // Unset: the domain the Reply-To addresses are written with.
    if (this.domains.size === 0) this.domains.set(inquiries.replyAddress('x').split('@')[1].toLowerCase(), null);
  }

  private get dir(): string {
    return join(this.runtime.config.DOCKET_DATA_DIR, 'inbound');
  }

  /** Stores and files one received message; the same bytes delivered twice give the first row. */
  async ingest(raw: Buffer, envelope: Envelope, receivedAt: Date = this.clock.now()): Promise<InboundMessage> {
    const rawSha256 = sha256(raw);
    const existing = await this.dataSource.manager.findOne(InboundMessage, { where: { rawSha256 } });
    if (existing) return existing;
    await this.keep(join(this.dir, `${rawSha256}.eml`), raw);

    const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
    const kind = classify(mail, envelope.from);
    const recipients = envelope.to.map((address) => address.toLowerCase());
    const subject = (mail.subject ?? '').slice(0, 1000);
    // The token is case-sensitive: only the domain is compared without case.
    const match = await this.match(mail, raw, envelope.to, subject);
    const attachments = await this.attachments(mail);
    // The text of stored PDF and text attachments, extracted once per content, for search.
    const extracts: { sha256: string; text: string | null }[] = [];
    for (const [index, part] of attachments.entries())
      // A quarantined file's text is not indexed: search must not serve what cannot be downloaded.
      if (part.stored && part.scan?.status !== 'infected')
        extracts.push({
          sha256: part.sha256,
          text: await this.search.extract(
            part.sha256,
            { content: mail.attachments[index].content },
            part.contentType,
            part.filename ?? '',
          ),
        });

    let status: InboundStatus;
    let authorityId: string | null;
    if (match.inquiry) {
      status = kind === 'reply' ? 'draft' : kind;
      authorityId = match.inquiry.authorityId;
    } else if (match.kase) {
      status = 'triage';
      authorityId = match.kase.authorityId;
    } else {
      status = 'triage';
      authorityId = await this.domainAuthority(recipients, envelope.triageAuthority);
    }

    const row = this.dataSource.manager.create(InboundMessage, {
      authorityId,
      caseId: match.inquiry?.caseId ?? match.kase?.id ?? null,
      inquiryId: match.inquiry?.id ?? null,
      status,
      matchedBy: match.by,
      receivedAt,
      envelopeFrom: envelope.from.slice(0, 500),
      envelopeTo: recipients.slice(0, 100),
      fromAddress: (mail.from?.text ?? envelope.from).slice(0, 500),
      subject,
      messageId: mail.messageId?.slice(0, 1000) ?? null,
      textBody: (mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToText(mail.html) : '').slice(
        0,
        1_000_000,
      ),
      htmlBody: typeof mail.html === 'string' ? sanitiseHtml(mail.html) : null,
      attachments,
      rawSha256,
      rawSize: raw.length,
      responseId: null,
      handledBy: null,
      handledAt: null,
    });

    const file = () =>
      this.unitOfWork.run(async (manager) => {
        for (const extract of extracts) await this.search.storeExtract(extract.sha256, extract.text);
        const inserted = (await manager
          .createQueryBuilder()
          .insert()
          .into(InboundMessage)
          .values(row)
          .orIgnore()
          .returning('id, created_at')
          .execute()) as { raw: { id: string; created_at: Date }[] };
        // Delivered twice at once: the other delivery filed it.
        if (inserted.raw.length === 0) return manager.findOneOrFail(InboundMessage, { where: { rawSha256 } });
        Object.assign(row, { id: inserted.raw[0].id, createdAt: inserted.raw[0].created_at });
        if (!authorityId) return row;
        for (const part of row.attachments.filter((attachment) => attachment.scan?.status === 'infected')) {
          await this.audit.record({
            authorityId,
            action: 'inbound.attachment_quarantined',
            entityType: 'inbound_message',
            entityId: row.id,
            caseId: row.caseId,
            after: { filename: part.filename, sha256: part.sha256, signature: part.scan!.detail },
          });
          await this.quarantine.send({
            authorityId,
            caseId: row.caseId,
            filename: part.filename ?? part.sha256,
            sha256: part.sha256,
            signature: part.scan!.detail ?? 'malware',
            path: `/inbox/${row.id}`,
          });
        }
        if (match.inquiry && kind !== 'reply') await this.deliveryNote(match.inquiry, row, kind, mail, raw);
        else if (status === 'draft' && match.inquiry) await this.draftFiled(match.inquiry, row);
        else
          await this.audit.record({
            authorityId,
            action: 'inbound.triaged',
            entityType: 'inbound_message',
            entityId: row.id,
            caseId: row.caseId,
            after: { from: row.fromAddress, subject: row.subject },
          });
        return row;
      });
    return authorityId ? RequestContext.asAuthority(authorityId, file, 'inbound mail') : file();
  }

  private async keep(path: string, data: Buffer): Promise<void> {
    if (
      await stat(path).then(
        () => true,
        () => false,
      )
    )
      return;
    await mkdir(join(path, '..'), { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, data, { flag: 'wx' });
    await rename(temporary, path);
  }

  private async attachments(mail: ParsedMail): Promise<InboundAttachment[]> {
    const limit = Math.floor(this.runtime.config.ATTACHMENT_MAX_MB * 1024 * 1024);
    const kept: InboundAttachment[] = [];
    for (const part of mail.attachments.slice(0, 100)) {
      const content = part.content;
      const digest = sha256(content);
      const stored = content.length <= limit;
      if (stored) await this.keep(join(this.dir, 'attachments', digest), content);
      kept.push({
        filename: part.filename?.slice(0, 255) ?? null,
        contentType: part.contentType,
        size: content.length,
        sha256: digest,
        stored,
        scan: await this.scanner.scan(content),
      });
    }
    return kept;
  }

  private async match(mail: ParsedMail, raw: Buffer, recipients: string[], subject: string): Promise<Match> {
    const manager = this.dataSource.manager;
    const token = replyToken(recipients, new Set(this.domains.keys()));
    if (token) {
      const inquiry = await inquiryOfReplyToken(manager, token);
      if (inquiry) return { inquiry, kase: null, by: 'token' };
    }
    const ids = referencedMessageIds(mail, raw);
    if (ids.length) {
      const inquiry = await newestInquiryOfMessages(manager, ids);
      if (inquiry) return { inquiry, kase: null, by: 'message_id' };
    }
    const reference = caseReference(subject);
    if (reference) {
      const kase = await caseOfReference(manager, reference);
      if (kase) {
        const inquiry = await newestInquiryOfCase(manager, kase);
        return { inquiry, kase, by: 'reference' };
      }
    }
    return { inquiry: null, kase: null, by: null };
  }

  private async domainAuthority(recipients: string[], fallbackCode?: string): Promise<string | null> {
    const codes = recipients.map((address) => this.domains.get(address.split('@').pop() ?? ''));
    for (const code of [...codes, fallbackCode?.toUpperCase()]) {
      if (!code) continue;
      const authority = await this.identity.findAuthorityByCode(code);
      if (authority) return authority.id;
    }
    return null;
  }

  private async deliveryNote(
    inquiry: InquiryRecord,
    row: InboundMessage,
    kind: Exclude<MessageKind, 'reply'>,
    mail: ParsedMail,
    raw: Buffer,
  ): Promise<void> {
    const note: DeliveryNote = {
      kind,
      at: row.receivedAt.toISOString(),
      from: row.fromAddress,
      subject: row.subject,
      inboundMessageId: row.id,
      ...(kind === 'bounce' ? { detail: bounceDetail(mail, raw) } : {}),
    };
    await this.inquiries.addDeliveryNote(inquiry.id, note);
    await this.audit.record({
      authorityId: inquiry.authorityId,
      action: kind === 'bounce' ? 'inquiry.bounced' : 'inquiry.auto_replied',
      entityType: 'inquiry',
      entityId: inquiry.id,
      caseId: inquiry.caseId,
      after: note,
    });
  }

  private async draftFiled(inquiry: InquiryRecord, row: InboundMessage): Promise<void> {
    await this.audit.record({
      authorityId: inquiry.authorityId,
      action: 'inbound.received',
      entityType: 'inbound_message',
      entityId: row.id,
      caseId: inquiry.caseId,
      after: {
        inquiryId: inquiry.id,
        from: row.fromAddress,
        subject: row.subject,
        matchedBy: row.matchedBy,
        attachments: row.attachments.length,
      },
    });
    await this.syncReplyPending(inquiry.id);
    await this.notifyAssignee(inquiry, row);
  }

  /**
   * The inquiry's deadlines learn whether a reply still awaits assessment (the oldest draft's arrival), which holds or
   * releases the chasers.
   */
  private syncReplyPending(inquiryId: string): Promise<void> {
    return this.deadlines.replyPendingForInquiry(inquiryId, () => this.messages.oldestDraftOf(inquiryId));
  }

  /**
   * Tells the case's assignee that a reply waits (template `reply-received`, in the assignee's language, with a
   * link to the message). One notice per message: the same Message-ID delivered again, even with other bytes
   * (a relay's retry adds headers), reuses the dedupe key.
   */
  private async notifyAssignee(inquiry: InquiryRecord, row: InboundMessage): Promise<void> {
    const parties = (await this.inquiries.partiesOfCases([inquiry.caseId])).get(inquiry.caseId);
    const assignee = parties?.assignee;
    if (!parties || !assignee?.active || assignee.id === RequestContext.actor().userId) return;
    const deadline =
      (await this.deadlines.forCase(inquiry.caseId))
        .filter((candidate) => candidate.inquiryId === inquiry.id)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0] ?? null;
    const template = await this.templates.resolve('reply-received');
    const locale = staffLocale(assignee, parties.authority, template);
    const context = this.inquiries.letterContext(
      parties,
      locale,
      [],
      deadline ? { dueAt: deadline.dueAt, dueDate: deadline.dueDate } : { dueAt: row.receivedAt },
      { email: assignee.email, name: assignee.name },
      {
        inquiry: { replyTo: inquiry.replyTo, sentAt: inquiry.sentAt ?? inquiry.createdAt },
        reply: {
          from: row.fromAddress,
          subject: row.subject,
          receivedAt: row.receivedAt,
          url: `${this.runtime.config.PUBLIC_URL}/inbox/${row.id}`,
        },
      },
    );
    const letter = await this.inquiries.render(template, locale, context);
    const dedupeKey = row.messageId
      ? `inbound.reply.${sha256(Buffer.from(`${inquiry.id}\n${row.messageId}`))}`
      : `inbound.${row.id}`;
    await this.mailing.queueMessage({
      authorityId: inquiry.authorityId,
      caseId: inquiry.caseId,
      kind: 'notification',
      dedupeKey,
      to: [assignee.email],
      ...letter,
    });
  }

  // ---- the API ----

  /** A page of the inbox, newest first unless `sort` says otherwise; `total` counts every message of the filter. */
  async page(query: InboundListQuery): Promise<KeysetPage<InboundView> & { total: number }> {
    const request = readPageRequest(query, INBOUND_ORDER, 100);
    const column = INBOUND_SORT_SQL[request.sort.key];
    const keyset = keysetSql(request, { ...column, id: 'm.id' }, ':afterValue', ':afterId');
    const filtered = this.messages.inbox('m');
    if (query.status) filtered.andWhere('m.status = :status', { status: query.status });
    if (query.caseId) filtered.andWhere('m.case_id = :caseId', { caseId: query.caseId });
    if (query.from)
      filtered.andWhere(`m.from_address ILIKE :from ESCAPE '\\'`, {
        from: `%${query.from.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    const builder = filtered
      .clone()
      .addSelect(`(${column.value})::text`, 'sort_value')
      .orderBy(column.value, keyset.direction)
      .addOrderBy('m.id', keyset.direction)
      .limit(request.limit + 1);
    if (keyset.where) builder.andWhere(keyset.where, { afterValue: request.after?.value, afterId: request.after?.id });
    const [{ entities, raw }, total] = await Promise.all([
      builder.getRawAndEntities<{ m_id: string; sort_value: string }>(),
      filtered.getCount(),
    ]);
    const values = new Map(raw.map((row) => [row.m_id, row.sort_value]));
    const page = keysetPage(entities, request, (row) => ({ value: values.get(row.id) ?? '', id: row.id }));
    return { ...page, items: page.items.map((row) => inboundView(row, false)), total };
  }

  /**
   * Replies by e-mail matched to an inquiry and waiting for staff to confirm or dismiss them (drafts), newest first,
   * in the caller's authority; `assigneeId` narrows them to the cases of one assignee. `total` counts them all.
   */
  async repliesToReview(options: { assigneeId?: string; limit: number }): Promise<RepliesToReview> {
    const actor = RequestContext.actor();
    if (actor.role === 'sysadmin') return { total: 0, items: [] };
    const query = this.messages.draftsToReview(
      options.assigneeId ? this.cases.idsWith('assigneeId', options.assigneeId) : undefined,
    );
    const total = await query.getCount();
    const limit = Math.max(0, Math.min(Math.floor(options.limit), 500));
    const rows =
      limit === 0
        ? []
        : ((await query
            .clone()
            .select([
              'message.id AS id',
              'message.case_id AS "caseId"',
              'message.subject AS subject',
              'message.from_address AS "from"',
              'message.received_at AS "receivedAt"',
            ])
            .orderBy('message.received_at', 'DESC')
            .addOrderBy('message.id', 'ASC')
            .limit(limit)
            .getRawMany()) as (Pick<ReplyToReview, 'id' | 'caseId' | 'subject' | 'from'> & { receivedAt: Date })[]);
    const cases = await this.cases.headlines(rows.map((row) => row.caseId));
    return {
      total,
      items: rows.map(({ id, caseId, subject, from, receivedAt }) => ({
        id,
        caseId,
        caseReference: cases.get(caseId)!.reference,
        caseTitle: cases.get(caseId)!.title,
        subject,
        from,
        receivedAt: new Date(receivedAt).toISOString(),
      })),
    };
  }

  async require(id: string): Promise<InboundMessage> {
    const row = await this.messages.inInbox(id);
    if (!row)
      throw new NotFound(`There is no received message ${id} in your inbox.`).withMessage('problem.inbound.notFound', {
        id,
      });
    return row;
  }

  /** One kept file of a received message, for its authority; a quarantined or unkept one is refused. */
  async openAttachment(id: string, index: number): Promise<{ attachment: InboundAttachment; content: ReadStream }> {
    const message = await this.require(id);
    const attachment = message.attachments[index];
    if (!attachment)
      throw new NotFound(`Message ${id} has no attachment ${index}.`).withMessage('problem.inbound.noAttachment', {
        id,
        index,
      });
    if (attachment.scan?.status === 'infected')
      throw new FileQuarantined(attachment.filename ?? null, attachment.scan.detail ?? null);
    const path = join(this.dir, 'attachments', attachment.sha256);
    if (!attachment.stored || !existsSync(path))
      throw new AttachmentNotKept(attachment.filename ?? null, message.rawSha256);
    return { attachment, content: createReadStream(path) };
  }

  async view(id: string): Promise<InboundView> {
    return inboundView(await this.require(id), true);
  }

  /**
   * The start of each message's text, for lists that show a preview without loading whole bodies; ids outside the
   * caller's inbox are left out.
   */
  async previews(ids: string[], length = 300): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.messages.previews(ids, length);
    return new Map(rows.map((row) => [row.id, row.preview]));
  }

  forCase(caseId: string): Promise<InboundView[]> {
    return this.messages.forCase(caseId).then((rows) => rows.map((row) => inboundView(row, false)));
  }

  /**
   * Records the draft as the inquiry's response (received at the message's arrival, by e-mail). The draft is
   * claimed first so that two officers confirming at once make one response; it is released if recording fails.
   */
  async confirm(id: string, request: ConfirmRequest): Promise<{ message: InboundView; response: ResponseView }> {
    RequestContext.authorityId();
    const message = await this.require(id);
    if (message.status !== 'draft' || !message.inquiryId)
      throw new Conflict(`Only a draft can be confirmed; this message is ${message.status}.`).withMessage(
        'problem.inbound.confirmOnlyDraft',
        { status: message.status },
      );
    const actor = RequestContext.actor().label;
    if (!(await this.messages.claimDraft(id, actor, this.clock.now())))
      throw new Conflict('This draft was confirmed or dismissed meanwhile.').withMessage(
        'problem.inbound.draftHandledMeanwhile',
      );
    let response: ResponseView;
    try {
      response = await this.responses.record(message.inquiryId, {
        receivedAt: message.receivedAt.toISOString(),
        channel: 'email',
        summary:
          request.summary ??
          (`E-mail from ${message.fromAddress}: ${message.subject}`.slice(0, 20000) || 'E-mail reply'),
        answers: request.answers,
      });
    } catch (error) {
      await this.messages.releaseDraft(id);
      throw error;
    }
    const inquiryId = message.inquiryId;
    await this.unitOfWork.run(async () => {
      await this.messages.changeIf(id, 'confirmed', { responseId: response.id });
      // The reply's files travel into the response (quarantined ones stay quarantined there).
      await this.attachmentFiles.adopt(
        { id: response.id, caseId: response.caseId },
        message.attachments
          .filter((attachment) => attachment.stored)
          .map((attachment) => ({
            filename: attachment.filename ?? 'attachment',
            contentType: attachment.contentType,
            size: attachment.size,
            sha256: attachment.sha256,
            path: join(this.dir, 'attachments', attachment.sha256),
            scan: attachment.scan ?? { status: 'not_scanned', detail: null, engine: null, scannedAt: null },
          })),
      );
      await this.audit.record({
        action: 'inbound.confirmed',
        entityType: 'inbound_message',
        entityId: id,
        caseId: message.caseId,
        after: { responseId: response.id, receivedAt: message.receivedAt.toISOString() },
      });
      await this.syncReplyPending(inquiryId);
    });
    return { message: inboundView(await this.require(id), true), response };
  }

  /**
   * Files a triaged message: to an inquiry of the caller's authority (it becomes a draft), or, for the sysadmin, to an
   * authority's inbox.
   */
  async assign(id: string, request: AssignRequest): Promise<InboundView> {
    const message = await this.require(id);
    if (message.status !== 'triage')
      throw new Conflict(`Only a message in triage can be filed; this message is ${message.status}.`).withMessage(
        'problem.inbound.fileOnlyTriage',
        { status: message.status },
      );
    if (RequestContext.actor().role === 'sysadmin') {
      if (!request.authority)
        throw new ValidationProblem([
          {
            field: 'authority',
            message: 'the sysadmin files a message to an authority by its code',
            key: 'inbound.refusal.authority',
          },
        ]);
      const authority = await this.identity.findAuthorityByCode(request.authority.toUpperCase());
      if (!authority)
        throw new NotFound(`There is no authority ${request.authority}.`).withMessage('problem.authorities.notFound', {
          code: request.authority,
        });
      return this.unitOfWork.run(async () => {
        if (!(await this.messages.fileToAuthority(id, authority.id))) throw filedMeanwhile();
        await this.audit.record({
          authorityId: authority.id,
          action: 'inbound.triaged',
          entityType: 'inbound_message',
          entityId: id,
          after: { from: message.fromAddress, subject: message.subject },
        });
        const filed = await RequestContext.actingFor(authority.id, () => this.messages.byId(id));
        return inboundView(filed!, true);
      });
    }
    if (!request.inquiryId)
      throw new ValidationProblem([
        { field: 'inquiryId', message: 'inquiryId is required', key: 'inbound.refusal.inquiry' },
      ]);
    const inquiry = await this.inquiries.get(request.inquiryId);
    await this.unitOfWork.run(async () => {
      const moved = await this.messages.changeIf(id, 'triage', {
        status: 'draft',
        inquiryId: inquiry.id,
        caseId: inquiry.caseId,
        matchedBy: 'assigned',
        handledBy: RequestContext.actor().label,
        handledAt: this.clock.now(),
      });
      if (!moved) throw filedMeanwhile();
      await this.audit.record({
        action: 'inbound.received',
        entityType: 'inbound_message',
        entityId: id,
        caseId: inquiry.caseId,
        after: {
          inquiryId: inquiry.id,
          from: message.fromAddress,
          subject: message.subject,
          matchedBy: 'assigned',
          attachments: message.attachments.length,
        },
      });
      await this.syncReplyPending(inquiry.id);
      // Filed by someone else than the assignee: they learn of it as of a matched reply.
      await this.notifyAssignee(inquiry, (await this.messages.byId(id))!);
    });
    return this.view(id);
  }

  async dismiss(id: string, request: DismissRequest): Promise<InboundView> {
    const message = await this.require(id);
    if (message.status !== 'triage' && message.status !== 'draft')
      throw new Conflict(
        `Only a draft or a message in triage can be dismissed; this message is ${message.status}.`,
      ).withMessage('problem.inbound.dismissOnly', { status: message.status });
    const actor = RequestContext.actor();
    await this.unitOfWork.run(async () => {
      const moved = await this.messages.changeIf(id, message.status, {
        status: 'dismissed',
        handledBy: actor.label,
        handledAt: this.clock.now(),
      });
      if (!moved) throw filedMeanwhile();
      if (message.authorityId)
        await this.audit.record({
          authorityId: message.authorityId,
          action: 'inbound.dismissed',
          entityType: 'inbound_message',
          entityId: id,
          caseId: message.caseId,
          after: { subject: message.subject, reason: request.reason ?? null },
        });
      // A dismissed draft no longer holds the chasers (unless another reply still awaits).
      if (message.status === 'draft' && message.inquiryId) await this.syncReplyPending(message.inquiryId);
    });
    return this.view(id);
  }

  /**
   * Files a draft (or a triaged message of a case) as a request to extend the deadline: kept on the case as
   * evidence, not a response. The chasers it held resume. Returns the message and the deadline to extend (the
   * inquiry's, else the case's open response deadline), or null when none runs.
   */
  async fileAsExtensionRequest(id: string): Promise<{ message: InboundView; deadlineId: string | null }> {
    const message = await this.require(id);
    if (!(message.status === 'draft' || (message.status === 'triage' && message.caseId))) {
      throw new Conflict(
        `Only a draft reply, or a message of a case in triage, can be filed as an extension request; this message is ${message.status}.`,
      ).withMessage('problem.inbound.extensionOnly', { status: message.status });
    }
    const caseId = message.caseId as string;
    const deadlineId = await this.unitOfWork.run(async () => {
      RequestContext.authorityId();
      const moved = await this.messages.changeIf(id, message.status, {
        status: 'extension_request',
        handledBy: RequestContext.actor().label,
        handledAt: this.clock.now(),
      });
      if (!moved) throw filedMeanwhile();
      await this.audit.record({
        action: 'inbound.extension_requested',
        entityType: 'inbound_message',
        entityId: id,
        caseId,
        after: { inquiryId: message.inquiryId, from: message.fromAddress, subject: message.subject },
      });
      if (message.inquiryId) await this.syncReplyPending(message.inquiryId);
      const open = (await this.deadlines.forCase(caseId)).filter((deadline) => isRunning(deadline.status));
      const target =
        open.find((deadline) => message.inquiryId && deadline.inquiryId === message.inquiryId) ??
        open.find((deadline) => deadline.kind === 'response') ??
        null;
      return target?.id ?? null;
    });
    return { message: await this.view(id), deadlineId };
  }
}

/**
 * A file of a received message that was too large to be kept apart (ATTACHMENT_MAX_MB): only the raw message holds it
 * (409, 'File not kept').
 */
export class AttachmentNotKept extends Conflict {
  override readonly title = 'File not kept';

  constructor(filename: string | null, rawSha256: string) {
    super(
      `${filename ?? 'This file'} was larger than ATTACHMENT_MAX_MB and was not kept apart; the raw message (SHA-256 ${rawSha256}) still holds it.`,
    );
    this.withMessage('problem.inbound.notKept', { filename: filename ?? 'none', sha256: rawSha256 });
  }
}
