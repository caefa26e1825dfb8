import { Inject, Injectable } from '@nestjs/common';
import { OutboundMessageRepository, type OutboundMessageRecord } from '#docket/mailing';
import {
  keysetPage,
  keysetSql,
  MailTransport,
  NotFound,
  readPageRequest,
  RUNTIME,
  type KeysetPage,
  type ListOrder,
  type Runtime,
  type SortValueType,
} from '#docket/platform';
import type { OutboxListQuery, OutboxSortKey } from './dto.js';

export const OUTBOX_DEFAULT_LIMIT = 100;

const OUTBOX_SORT_SQL: Record<OutboxSortKey, { value: string; type: SortValueType }> = {
  createdAt: { value: 'm.created_at', type: 'timestamptz' },
  sentAt: { value: "coalesce(m.sent_at, 'infinity'::timestamptz)", type: 'timestamptz' },
  status: { value: 'm.status', type: 'text' },
  subject: { value: 'm.subject', type: 'text' },
};
const OUTBOX_ORDER: ListOrder<OutboxSortKey> = {
  keys: Object.fromEntries(Object.entries(OUTBOX_SORT_SQL).map(([key, { type }]) => [key, type])) as Record<
    OutboxSortKey,
    SortValueType
  >,
  fallback: '-createdAt',
};

/** The e-mail the caller's authority sent or is sending: for the API's outbox and the Outbox page. */
@Injectable()
export class OutboxService {
  constructor(
    private readonly outbox: OutboundMessageRepository,
    private readonly transport: MailTransport,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  /** Where mail goes: "smtp <host>" or "files in <dir>". */
  get transportDescription(): string {
    return this.transport.describe;
  }

  /** Where mail goes, for the outbox page's words. */
  get destination(): { kind: 'smtp' | 'files'; where: string } {
    return this.transport.destination;
  }

  /** The From header every message carries. */
  get from(): string {
    return this.runtime.config.MAIL_FROM;
  }

  /** A page of the outbox, newest first unless `sort` says otherwise, filtered by status, kind or case. */
  async page(query: OutboxListQuery): Promise<KeysetPage<OutboundMessageRecord>> {
    const request = readPageRequest(query, OUTBOX_ORDER, OUTBOX_DEFAULT_LIMIT);
    const column = OUTBOX_SORT_SQL[request.sort.key];
    const keyset = keysetSql(request, { ...column, id: 'm.id' }, ':afterValue', ':afterId');
    const builder = this.outbox
      .messages()
      .addSelect(`(${column.value})::text`, 'sort_value')
      .orderBy(column.value, keyset.direction)
      .addOrderBy('m.id', keyset.direction)
      .limit(request.limit + 1);
    if (query.status?.length) builder.andWhere('m.status IN (:...statuses)', { statuses: query.status });
    if (query.kind?.length) builder.andWhere('m.kind IN (:...kinds)', { kinds: query.kind });
    if (query.caseId) builder.andWhere('m.case_id = :caseId', { caseId: query.caseId });
    if (keyset.where) builder.andWhere(keyset.where, { afterValue: request.after?.value, afterId: request.after?.id });
    const { entities, raw } = await builder.getRawAndEntities<{ m_id: string; sort_value: string }>();
    const values = new Map(raw.map((row) => [row.m_id, row.sort_value]));
    return keysetPage(entities, request, (message) => ({ value: values.get(message.id) ?? '', id: message.id }));
  }

  async get(id: string): Promise<OutboundMessageRecord> {
    const message = await this.outbox.byId(id);
    if (!message)
      throw new NotFound(`There is no message ${id} in your authority's outbox.`).withMessage(
        'problem.outbox.notFound',
        { id },
      );
    return message;
  }

  /** The .eml the embedded file transport wrote for the message, or null (sent over SMTP, or the file is gone). */
  async eml(id: string): Promise<Buffer | null> {
    const message = await this.get(id);
    const file = /^written (\S+\.eml)$/.exec(message.smtpResponse ?? '')?.[1];
    return file ? this.transport.readOutboxMessage(file) : null;
  }
}
