import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource, In } from 'typeorm';
import {
  Clock,
  EventBus,
  JobName,
  jobId,
  jobNeedsAdding,
  QueueName,
  RequestContext,
  UnitOfWork,
} from '#docket/platform';
import { MessageRetried } from './message-events.js';
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

/**
 * Tries of one send job when the database or the queue fails under it (not the mail server: a message the server
 * does not take waits and gets a job of its own for each next attempt).
 */
export const SEND_ATTEMPTS = 5;

/** A queued message this old without a queue job was lost, not in flight. */
export const STALE_AFTER_MS = 5 * 60_000;

/** A waiting message this long past its next attempt without a queue job lost it (a restart, Redis without data). */
const WAITING_LATE_MS = 30_000;

/** The job of a message's attempt after `attempts` attempts: `mail.<id>` for the first. */
export const mailJobId = (messageId: string, attempts: number) =>
  attempts === 0 ? jobId('mail', messageId) : jobId('mail', messageId, attempts);

/** The row of a new message, queued for its first attempt under an id of its own. */
function queuedRow(message: NewMessage) {
  return {
    ...message,
    id: randomUUID(),
    caseId: message.caseId ?? null,
    cc: message.cc ?? [],
    replyTo: message.replyTo ?? null,
    attachments: message.attachments ?? [],
    status: 'queued' as const,
    attempts: 0,
  };
}

/** What operators see of the mail: waiting (and since when), failed, sent again after an unknown outcome. */
export interface MailStatus {
  waiting: number;
  /** The first failure of the mail waiting longest, or null. */
  waitingSince: string | null;
  oldestWaitingSeconds: number | null;
  failed: number;
  /** Handovers made again after one whose outcome was never recorded (possible duplicates), and of how many. */
  resends: number;
  resentMessages: number;
}

@Injectable()
export class MailingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: EventBus,
    @InjectQueue(QueueName.Mail) private readonly queue: Queue,
  ) {}

  /**
   * Stores a message in the caller's transaction (joined, or its own outside one) and queues its sending after
   * commit. A second call with the same dedupe key returns the first message and queues nothing.
   */
  queueMessage(message: NewMessage): Promise<OutboundMessage> {
    return this.unitOfWork.run(async (manager, afterCommit) => {
      const values = queuedRow(message);
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
        ...unsentColumns(),
        createdAt: inserted.raw[0].created_at,
        nextAttemptAt: inserted.raw[0].created_at,
      });
    });
  }

  /**
   * `queueMessage` for many messages in one statement: returns the id of each message by dedupe key
   * (the first message's, for a key already used) and queues the sending of the new ones after commit.
   */
  queueMessages(messages: NewMessage[]): Promise<Map<string, string>> {
    return this.unitOfWork.run(async (_manager, afterCommit) => {
      const { ids, stored } = await this.storeMessages(messages);
      if (stored.length) afterCommit(() => this.enqueue(stored.map((message) => message.id)));
      return ids;
    });
  }

  /**
   * Stores messages in the caller's transaction, one per dedupe key: returns the id of each message by
   * dedupe key (the first message's, for a key already used) and the messages stored by this call.
   */
  async storeMessages(messages: NewMessage[]): Promise<{ ids: Map<string, string>; stored: OutboundMessage[] }> {
    if (messages.length === 0) return { ids: new Map(), stored: [] };
    const manager = this.unitOfWork.manager();
    const rows = messages.map(queuedRow);
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
        ...unsentColumns(),
        createdAt: createdAt.get(row.id) as Date,
        nextAttemptAt: createdAt.get(row.id) as Date,
      }));
    return { ids, stored };
  }

  async enqueue(messageIds: string[], { delayMs = 0 } = {}): Promise<void> {
    await this.schedule(
      messageIds.map((id) => ({ id, attempts: 0 })),
      delayMs,
    );
  }

  /** Adds the job of each message's next attempt (after `attempts` attempts), to run in `delayMs`. */
  async schedule(messages: { id: string; attempts: number }[], delayMs = 0): Promise<void> {
    if (messages.length === 0) return;
    await this.queue.addBulk(
      messages.map(({ id, attempts }) => ({
        name: JobName.SendMail,
        data: { outboundMessageId: id },
        opts: {
          jobId: mailJobId(id, attempts),
          attempts: SEND_ATTEMPTS,
          backoff: { type: 'exponential', delay: 2000 },
          ...(delayMs > 0 ? { delay: Math.ceil(delayMs) } : {}),
        },
      })),
    );
  }

  /**
   * Makes each message's next attempt run now, in the order given: its delayed job is promoted, a missing or
   * finished one added again, a waiting or running one left alone. Returns how many jobs it added or promoted.
   */
  private async runNow(messages: { id: string; attempts: number }[]): Promise<number> {
    let moved = 0;
    for (const message of messages) {
      const id = mailJobId(message.id, message.attempts);
      const job = await this.queue.getJob(id);
      if (job && !job.finishedOn) {
        if (await job.isDelayed()) {
          await job.promote().catch(() => undefined);
          moved++;
        }
        continue;
      }
      if (await jobNeedsAdding(this.queue, id)) {
        await this.schedule([message]);
        moved++;
      }
    }
    return moved;
  }

  /**
   * The mail server answers again: every waiting message is tried now, oldest first (their own next attempts may
   * lie minutes ahead). Returns how many.
   */
  async releaseWaiting(limit = 5000): Promise<number> {
    const now = this.clock.now();
    // Autocommit on purpose: the jobs runNow adds must find the new attempt times committed.
    const rows = await this.dataSource.query<{ id: string; attempts: number }[]>(
      `WITH due AS (
         SELECT id FROM outbound_messages WHERE status = 'waiting' ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE outbound_messages m SET next_attempt_at = LEAST(m.next_attempt_at, $1)
         FROM due WHERE m.id = due.id
       RETURNING m.id, m.attempts, m.created_at`,
      [now, limit],
    );
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as unknown as {
      id: string;
      attempts: number;
      created_at: Date;
    }[];
    list.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id));
    return this.runNow(list);
  }

  /**
   * Queues the send job of a message that is still waiting to go, for a caller that committed the
   * message and may have died before its after-commit enqueue. A job that already exists is left as is.
   */
  async requeueIfQueued(messageId: string): Promise<boolean> {
    const message = await this.dataSource
      .getRepository(OutboundMessage)
      .findOne({ select: { id: true, status: true, attempts: true }, where: { id: messageId } });
    if (message?.status !== 'queued') return false;
    await this.schedule([{ id: message.id, attempts: message.attempts }]);
    return true;
  }

  /**
   * Puts back the job of every message still to be tried whose job is gone (Redis lost its data, a restart): a
   * queued message older than `olderThanMs` (longer than one sent without a job, MailDelivery.deliverNow, can be in
   * flight) and a waiting one past its next attempt. The database knows what waits: nothing waits on the queue alone.
   */
  async requeueStale(olderThanMs = STALE_AFTER_MS): Promise<number> {
    const now = this.clock.now().getTime();
    const stale = await this.dataSource.query<{ id: string; attempts: number }[]>(
      `(SELECT id, attempts, next_attempt_at FROM outbound_messages WHERE status = 'queued' AND next_attempt_at < $1
         ORDER BY next_attempt_at LIMIT 5000)
       UNION ALL
       (SELECT id, attempts, next_attempt_at FROM outbound_messages WHERE status = 'waiting' AND next_attempt_at < $2
         ORDER BY next_attempt_at LIMIT 5000)
       ORDER BY next_attempt_at`,
      [new Date(now - olderThanMs), new Date(now - WAITING_LATE_MS)],
    );
    const missing: { id: string; attempts: number }[] = [];
    for (const message of stale)
      if (await jobNeedsAdding(this.queue, mailJobId(message.id, message.attempts))) missing.push(message);
    await this.schedule(missing);
    return missing.length;
  }

  /**
   * An operator's retry: failed messages are queued again (a new retry window) and waiting ones tried now, each
   * sent by its job; the kinds' `retried` handlers reopen what the failure closed. `ids` limits it to those messages,
   * `statuses` to those states. `schedule: false` leaves the running to the caller (a failed job retried as such).
   * Returns the messages retried, oldest first.
   */
  async retry(
    filter: { ids?: string[]; statuses?: ('failed' | 'waiting')[]; limit?: number },
    { schedule = true } = {},
  ): Promise<{ id: string; status: string }[]> {
    const statuses = filter.statuses ?? ['failed', 'waiting'];
    const limit = Math.min(Math.max(filter.limit ?? 1000, 1), 5000);
    const now = this.clock.now();
    const retried = await this.unitOfWork.run(async (manager, afterCommit) => {
      const messages = await manager.find(OutboundMessage, {
        where: { status: In(statuses), ...(filter.ids ? { id: In(filter.ids) } : {}) },
        order: { createdAt: 'ASC', id: 'ASC' },
        take: limit,
        lock: { mode: 'pessimistic_write' },
      });
      const failed = messages.filter((message) => message.status === 'failed');
      if (failed.length)
        await manager.update(
          OutboundMessage,
          { id: In(failed.map((message) => message.id)), status: 'failed' },
          { status: 'queued', nextAttemptAt: now, waitingSince: null },
        );
      const waiting = messages.filter((message) => message.status === 'waiting');
      if (waiting.length)
        await manager.update(
          OutboundMessage,
          { id: In(waiting.map((message) => message.id)), status: 'waiting' },
          { nextAttemptAt: now },
        );
      for (const message of failed) {
        const event = new MessageRetried({ ...message, status: 'queued' });
        if (this.events.hasSubscribers(event))
          await RequestContext.asAuthority(message.authorityId, () =>
            this.events.publish(event, { manager, afterCommit }),
          );
      }
      if (schedule) afterCommit(() => this.runNow(messages));
      return messages.map((message) => ({ id: message.id, status: message.status }));
    });
    return retried;
  }

  /** Waiting, failed and resent mail of the whole deployment (for /health/ready and the operators' page). */
  async status(): Promise<MailStatus> {
    const [row] = await this.dataSource.query<
      { waiting: number; waiting_since: Date | null; failed: number; resends: number; resent_messages: number }[]
    >(
      `SELECT (SELECT count(*)::int FROM outbound_messages WHERE status = 'waiting') AS waiting,
              (SELECT min(waiting_since) FROM outbound_messages WHERE status = 'waiting') AS waiting_since,
              (SELECT count(*)::int FROM outbound_messages WHERE status = 'failed') AS failed,
              (SELECT coalesce(sum(resends), 0)::int FROM outbound_messages WHERE resends > 0) AS resends,
              (SELECT count(*)::int FROM outbound_messages WHERE resends > 0) AS resent_messages`,
    );
    const since = row.waiting_since ? new Date(row.waiting_since) : null;
    return {
      waiting: row.waiting,
      waitingSince: since?.toISOString() ?? null,
      oldestWaitingSeconds: since
        ? Math.max(0, Math.round((this.clock.now().getTime() - since.getTime()) / 1000))
        : null,
      failed: row.failed,
      resends: row.resends,
      resentMessages: row.resent_messages,
    };
  }
}

/** The columns of a message just stored, before any attempt. */
function unsentColumns() {
  return {
    lastError: null,
    messageId: null,
    smtpResponse: null,
    sentAt: null,
    waitingSince: null,
    parentId: null,
    envelopeTo: null,
    accepted: [],
    refused: [],
    handedAt: null,
    resends: 0,
  };
}
