import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource, In, LessThan, type EntityManager } from 'typeorm';
import { Clock, JobName, jobId, QueueName, type AfterCommit } from '#docket/platform';
import { OutboundMessage } from './outbound-message.entity.js';

export interface MessageAttachment {
  filename: string;
  contentType: string;
  /** Relative to DOCKET_DATA_DIR. */
  path: string;
}

export interface NewMessage {
  authorityId: string;
  caseId?: string | null;
  kind: string;
  dedupeKey: string;
  to: string[];
  cc?: string[];
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** Files that travel with the message (formal documents), read from the data folder when it is sent. */
  attachments?: MessageAttachment[];
}

/** `afterCommit` runs work once the outcome's transaction has committed (queueing a message written there). */
export type MessageOutcomeHandler = (
  manager: EntityManager,
  message: OutboundMessage,
  afterCommit: AfterCommit,
) => Promise<void>;

export const SEND_ATTEMPTS = 5;

/** A queued message this old without a queue job was lost, not in flight. */
export const STALE_AFTER_MS = 5 * 60_000;

@Injectable()
export class MailingService {
  private readonly sentHandlers = new Map<string, MessageOutcomeHandler>();
  private readonly failedHandlers = new Map<string, MessageOutcomeHandler>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
  ) {}

  /**
   * Lets the contexts interested in a kind of message learn, in the same transaction, that it was sent or
   * finally failed. Several handlers of one kind run in the order they were registered.
   */
  onOutcome(kind: string, handlers: { sent?: MessageOutcomeHandler; failed?: MessageOutcomeHandler }): void {
    const chain = (map: Map<string, MessageOutcomeHandler>, handler: MessageOutcomeHandler) => {
      const first = map.get(kind);
      map.set(
        kind,
        first
          ? async (manager, message, afterCommit) => (
              await first(manager, message, afterCommit),
              handler(manager, message, afterCommit)
            )
          : handler,
      );
    };
    if (handlers.sent) chain(this.sentHandlers, handlers.sent);
    if (handlers.failed) chain(this.failedHandlers, handlers.failed);
  }

  sentHandler(kind: string): MessageOutcomeHandler | undefined {
    return this.sentHandlers.get(kind);
  }

  failedHandler(kind: string): MessageOutcomeHandler | undefined {
    return this.failedHandlers.get(kind);
  }

  /**
   * Stores a message in the caller's transaction and queues its sending after commit.
   * A second call with the same dedupe key returns the first message and queues nothing.
   */
  async queueMessage(manager: EntityManager, message: NewMessage, afterCommit: AfterCommit): Promise<OutboundMessage> {
    const values = {
      ...message,
      id: randomUUID(),
      caseId: message.caseId ?? null,
      cc: message.cc ?? [],
      replyTo: message.replyTo ?? null,
      attachments: message.attachments ?? [],
      status: 'queued' as const,
      attempts: 0,
    };
    const inserted = (await manager
      .createQueryBuilder()
      .insert()
      .into(OutboundMessage)
      .values(values)
      .orIgnore()
      .returning('created_at')
      .execute()) as { raw: { created_at: Date }[] };
    if (inserted.raw.length === 0)
      return manager.findOneOrFail(OutboundMessage, { where: { dedupeKey: message.dedupeKey } });
    afterCommit(() => this.enqueue([values.id]));
    return manager.create(OutboundMessage, {
      ...values,
      lastError: null,
      messageId: null,
      smtpResponse: null,
      sentAt: null,
      createdAt: inserted.raw[0].created_at,
    });
  }

  /**
   * `queueMessage` for many messages in one statement: returns the id of each message by dedupe key
   * (the first message's, for a key already used) and queues the sending of the new ones after commit.
   */
  async queueMessages(
    manager: EntityManager,
    messages: NewMessage[],
    afterCommit: AfterCommit,
  ): Promise<Map<string, string>> {
    const { ids, stored } = await this.storeMessages(manager, messages);
    if (stored.length) afterCommit(() => this.enqueue(stored.map((message) => message.id)));
    return ids;
  }

  /**
   * Stores messages in the caller's transaction, one per dedupe key: returns the id of each message by
   * dedupe key (the first message's, for a key already used) and the messages stored by this call.
   */
  async storeMessages(
    manager: EntityManager,
    messages: NewMessage[],
  ): Promise<{ ids: Map<string, string>; stored: OutboundMessage[] }> {
    if (messages.length === 0) return { ids: new Map(), stored: [] };
    const rows = messages.map((message) => ({
      ...message,
      id: randomUUID(),
      caseId: message.caseId ?? null,
      cc: message.cc ?? [],
      replyTo: message.replyTo ?? null,
      attachments: message.attachments ?? [],
      status: 'queued' as const,
      attempts: 0,
    }));
    const inserted = (await manager
      .createQueryBuilder()
      .insert()
      .into(OutboundMessage)
      .values(rows)
      .orIgnore()
      .returning('id, dedupe_key, created_at')
      .execute()) as {
      raw: { id: string; dedupe_key: string; created_at: Date }[];
    };
    const ids = new Map(inserted.raw.map((row) => [row.dedupe_key, row.id]));
    const taken = messages.filter((message) => !ids.has(message.dedupeKey)).map((message) => message.dedupeKey);
    if (taken.length) {
      const existing = await manager.find(OutboundMessage, {
        select: { id: true, dedupeKey: true },
        where: { dedupeKey: In(taken) },
      });
      for (const message of existing) ids.set(message.dedupeKey, message.id);
    }
    const createdAt = new Map(inserted.raw.map((row) => [row.id, row.created_at]));
    const stored = rows
      .filter((row) => createdAt.has(row.id))
      .map((row): OutboundMessage => ({
        ...row,
        lastError: null,
        messageId: null,
        smtpResponse: null,
        sentAt: null,
        createdAt: createdAt.get(row.id) as Date,
      }));
    return { ids, stored };
  }

  async enqueue(messageIds: string[], { delayMs = 0 } = {}): Promise<void> {
    if (messageIds.length === 0) return;
    await this.queue.addBulk(
      messageIds.map((outboundMessageId) => ({
        name: JobName.SendMail,
        data: { outboundMessageId },
        opts: {
          jobId: jobId('mail', outboundMessageId),
          attempts: SEND_ATTEMPTS,
          backoff: { type: 'exponential', delay: 2000 },
          ...(delayMs ? { delay: delayMs } : {}),
        },
      })),
    );
  }

  /**
   * Queues the send job of a message that is still waiting to go, for a caller that committed the
   * message and may have died before its after-commit enqueue. A job that already exists is left as is.
   */
  async requeueIfQueued(messageId: string): Promise<boolean> {
    const message = await this.dataSource
      .getRepository(OutboundMessage)
      .findOne({ select: { id: true, status: true }, where: { id: messageId } });
    if (message?.status !== 'queued') return false;
    await this.enqueue([message.id]);
    return true;
  }

  /**
   * Re-queues messages still queued after `olderThanMs` whose job is gone (e.g. Redis lost its data).
   * The default is longer than a message sent without a job (MailDelivery.deliverNow) can be in flight.
   */
  async requeueStale(olderThanMs = STALE_AFTER_MS): Promise<number> {
    const stale = await this.dataSource.getRepository(OutboundMessage).find({
      select: { id: true },
      where: { status: 'queued', createdAt: LessThan(new Date(this.clock.now().getTime() - olderThanMs)) },
      take: 5000,
    });
    const missing: string[] = [];
    for (const { id } of stale) {
      const job = await this.queue.getJob(jobId('mail', id));
      if (!job) missing.push(id);
      else if (await job.isFailed()) await job.retry();
    }
    await this.enqueue(missing);
    return missing.length;
  }
}
