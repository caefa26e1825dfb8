import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import pLimit, { type LimitFunction } from 'p-limit';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  BatchLoader,
  Clock,
  EventBus,
  groupBy,
  MailTransport,
  MicroBatcher,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  workDeadline,
  type AfterCommit,
  type Runtime,
  type RecipientRefusal,
  type SentMail,
} from '#docket/platform';
import {
  describeRefusals,
  nextAttemptAt,
  outcomeOfError,
  outcomeOfSent,
  retryDelayMs,
  type AttemptOutcome,
} from './delivery-policy.js';
import { MailingService, type NewMessage } from './mailing.service.js';
import { MessageFailed, MessageSent } from './message-events.js';
import { OutboundMessage, recipientsOf } from './outbound-message.entity.js';

/**
 * What an attempt to send a message came to: `sent` (to some recipients at least), `waiting` (to be tried again),
 * `failed` (refused for good, or the retry window is over), `skipped` (no longer queued or waiting), `not-started`
 * (no free slot in time).
 */
export type DeliveryResult =
  { outcome: 'sent' | 'waiting' | 'skipped' | 'not-started' } | { outcome: 'failed'; error: string };

/** The outcome of a message handed to the server could not be recorded, even after trying again. */
export class OutcomeNotRecorded extends Error {}

/**
 * A message sent from the process that committed it must be handed to the transport within this time,
 * or it goes to the mail queue instead. With the transport's own timeouts (connection 10 s, greeting
 * 10 s, socket 30 s) this bounds how long a message can stay in flight without a queue job, which is
 * what lets reconciliation tell a lost message from one still being sent (STALE_AFTER_MS).
 */
const INLINE_START_WITHIN_MS = 60_000;

/**
 * How long the record of a message the server took is tried again when the database fails (a connection cut,
 * a failover): the message must not stay queued and be sent again by reconciliation.
 */
const RECORD_RETRY_MS = 60_000;

type Sent = Pick<OutboundMessage, 'id' | 'sentAt' | 'messageId' | 'smtpResponse' | 'attempts' | 'accepted'>;
type Told = { message: OutboundMessage; record: Sent; told: MessageSent };

/**
 * Records messages sent to every recipient (`sentParameters`), each unless another attempt already settled it: what
 * `claimSent` writes for one, in one statement for many.
 */
const SENT_UPDATE = `UPDATE outbound_messages AS m
    SET status = 'sent', sent_at = v.sent_at, message_id = v.message_id, smtp_response = v.smtp_response,
        attempts = v.attempts, accepted = v.accepted::text[], refused = '{}', last_error = NULL, waiting_since = NULL,
        handed_at = NULL
   FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::text[])
        AS v(id, sent_at, message_id, smtp_response, attempts, accepted)
  WHERE m.id = v.id AND m.status IN ('queued', 'waiting')`;

function sentParameters(sent: { record: Sent }[]): unknown[] {
  return [
    sent.map(({ record }) => record.id),
    sent.map(({ record }) => record.sentAt),
    sent.map(({ record }) => record.messageId),
    sent.map(({ record }) => record.smtpResponse),
    sent.map(({ record }) => record.attempts),
    // unnest flattens arrays of arrays: each list travels as one array literal.
    sent.map(
      ({ record }) => `{${record.accepted.map((address) => `"${address.replace(/["\\]/g, '\\$&')}"`).join(',')}}`,
    ),
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Errors of the connection or of concurrency, which a second try can get past (not a bug or a constraint). */
function isTransient(error: unknown): boolean {
  const cause = ((error as { driverError?: unknown } | null)?.driverError ?? error) as {
    code?: unknown;
    message?: unknown;
  } | null;
  const code = String(cause?.code ?? '');
  if (code.startsWith('08') || code.startsWith('57P') || code === '40001' || code === '40P01' || code === '53300')
    return true;
  return /Connection terminated|connection error|ECONNRESET|ECONNREFUSED|EPIPE|timeout|not queryable/i.test(
    String(cause?.message ?? ''),
  );
}

/**
 * One attempt to send a stored message and the record of its outcome. At most MAIL_CONCURRENCY messages
 * are between "handed to the transport" and "recorded" at any time, so that a process killed mid-flight leaves
 * at most that many messages to be sent again (with the same Message-ID, counted in `resends`).
 *
 * A message the server does not take for now (connection refused or cut, timeout, 4xx) waits: it is tried again
 * after growing pauses (2 s doubling, up to MAIL_RETRY_MAX_INTERVAL) until MAIL_RETRY_WINDOW after its first
 * failure; only a 5xx for a recipient, or the end of the window, fails it. Recipients refused while others took
 * the message are split off into a part of their own, which fails (or waits) alone.
 */
@Injectable()
export class MailDelivery implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MailDelivery.name);
  private readonly slots: LimitFunction;
  /** Messages sent close together are recorded with one statement. */
  private readonly sentRecords = new MicroBatcher<Sent>((sent) => this.recordSent(sent), { maxSize: 50, windowMs: 2 });
  /**
   * … and those whose sending others are told of (an inquiry's letter, a campaign's target) in one transaction: one
   * commit and one append to the audit chain for the batch.
   */
  private readonly toldRecords = new MicroBatcher<Told>((told) => this.recordTold(told), { maxSize: 50, windowMs: 2 });
  /**
   * Before a message is handed over it is marked so (`handed_at`): a message still marked at its next attempt was
   * handed over by an attempt whose outcome was never recorded, and sending it again is counted as a resend.
   */
  private readonly handovers = new BatchLoader<string, boolean>((ids) => this.markHandedOver(ids), {
    maxSize: 50,
    windowMs: 2,
  });
  private readonly inFlight = new Set<Promise<unknown>>();
  /**
   * The messages to send once a transaction has committed, by its `afterCommit` (one per transaction or savepoint:
   * a savepoint rolled back drops its task, and with it the messages stored in it).
   */
  private readonly afterCommitSends = new WeakMap<AfterCommit, { messages: OutboundMessage[]; calls: number }>();
  /**
   * Set when an attempt of this process was deferred (and at start, when mail may be waiting from before): the
   * next message the server takes then sends everything waiting, oldest first.
   */
  private troubleSeen = true;
  private releasing = false;
  private readonly window: { windowMs: number; maxIntervalMs: number };

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly transport: MailTransport,
    private readonly mailing: MailingService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    this.slots = pLimit(runtime.config.MAIL_CONCURRENCY);
    this.window = { windowMs: runtime.config.MAIL_RETRY_WINDOW, maxIntervalMs: runtime.config.MAIL_RETRY_MAX_INTERVAL };
  }

  /**
   * Stores messages in the caller's transaction like `MailingService.queueMessages`, and sends the new
   * ones from this process once it has committed.
   */
  storeAndSendAfterCommit(messages: NewMessage[]): Promise<Map<string, string>> {
    return this.unitOfWork.run(async (_manager, afterCommit) => {
      const { ids, stored } = await this.mailing.storeMessages(messages);
      if (!stored.length) return ids;
      // Several calls in one transaction (a campaign's batch of letters) hand their messages over together, once the
      // transaction's other after-commit tasks up to the last call have run (a letter's reminder jobs are queued
      // before its mail can fail and remove them): the tasks run one after the other, and one per message would send
      // them one at a time.
      let together = this.afterCommitSends.get(afterCommit);
      if (!together) this.afterCommitSends.set(afterCommit, (together = { messages: [], calls: 0 }));
      const sends = together;
      sends.messages.push(...stored);
      const call = ++sends.calls;
      afterCommit(() => (call === sends.calls ? this.deliverNow(sends.messages) : Promise.resolve()));
      return ids;
    });
  }

  /**
   * Sends messages committed a moment ago by this process, without a trip through the mail queue; a
   * message the transport does not take now waits for its next attempt (a job of the mail queue).
   */
  async deliverNow(messages: OutboundMessage[]): Promise<void> {
    const handedAt = Date.now();
    await Promise.all(
      messages.map(async (message) => {
        try {
          const result = await this.attempt(message, handedAt + INLINE_START_WITHIN_MS);
          if (result.outcome === 'not-started') await this.mailing.enqueue([message.id]);
        } catch (error) {
          this.logger.warn(`sending ${message.kind} ${message.id} from this process failed: ${errorText(error)}`);
          // Not handed over: the mail queue tries it. Handed over but not recorded: reconciliation finds it queued.
          if (!(error instanceof OutcomeNotRecorded))
            await this.mailing.enqueue([message.id], { delayMs: 2000 }).catch(() => undefined);
        }
      }),
    );
  }

  /**
   * The next attempt of a message. With `startBy`, a message still waiting for a free slot at that time is not
   * attempted (`not-started`). Throws when the database fails before the handover (nothing was sent) or, as
   * OutcomeNotRecorded, when the outcome could not be recorded.
   */
  attempt(message: OutboundMessage, startBy = Infinity): Promise<DeliveryResult> {
    const work = this.slots(() => {
      if (Date.now() > startBy) return Promise.resolve({ outcome: 'not-started' as const });
      return RequestContext.asAuthority(message.authorityId, () => this.sendAndRecord(message));
    });
    this.inFlight.add(work);
    void work.then(
      () => this.inFlight.delete(work),
      () => this.inFlight.delete(work),
    );
    return work;
  }

  /** Waits (up to 70 % of SHUTDOWN_GRACE_MS) for the messages this process is handing over, to record them. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const wait = Math.max(0, workDeadline(this.runtime) - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), wait)));
    const done = await Promise.race([Promise.allSettled([...this.inFlight]).then(() => 'done' as const), expired]);
    clearTimeout(timer);
    if (done === 'expired')
      this.logger.warn(
        `${this.inFlight.size} messages were still being handed to the mail server at the end of the shutdown grace; reconciliation sends them again`,
      );
  }

  private async sendAndRecord(message: OutboundMessage): Promise<DeliveryResult> {
    if (!(await this.handovers.get(message.id))) return { outcome: 'skipped' };
    const attempts = message.attempts + 1;
    const recipients = recipientsOf(message);
    let sent: SentMail | null = null;
    let outcome: AttemptOutcome;
    try {
      sent = await this.transport.send({
        to: message.to,
        cc: message.cc.length ? message.cc : undefined,
        replyTo: message.replyTo ?? undefined,
        subject: message.subject,
        html: message.html,
        text: message.text,
        envelopeTo: message.envelopeTo,
        // The same Message-ID on every attempt (and on every part split off) lets a receiving system drop a copy
        // sent again after a crash.
        messageId: `<${message.parentId ?? message.id}@${this.transport.domain}>`,
        headers: { 'X-Docket-Message': message.parentId ?? message.id },
        attachments: (message.attachments ?? []).map((attachment) => ({
          filename: attachment.filename,
          contentType: attachment.contentType,
          path: resolve(this.runtime.config.DOCKET_DATA_DIR, attachment.path),
        })),
      });
      outcome = outcomeOfSent(recipients, sent);
    } catch (error) {
      outcome = outcomeOfError(recipients, error);
    }
    try {
      return await this.persist(() => this.record(message, attempts, outcome, sent));
    } catch (error) {
      throw new OutcomeNotRecorded(`the outcome of message ${message.id} could not be recorded: ${errorText(error)}`, {
        cause: error,
      });
    }
  }

  /** Records what an attempt came to; see the class comment. */
  private async record(
    message: OutboundMessage,
    attempts: number,
    outcome: AttemptOutcome,
    sent: SentMail | null,
  ): Promise<DeliveryResult> {
    const now = this.clock.now();
    if (sent && outcome.accepted.length) {
      const record: Sent = {
        id: message.id,
        sentAt: now,
        messageId: sent.messageId,
        smtpResponse: sent.response,
        attempts,
        accepted: outcome.accepted,
      };
      const told = new MessageSent({ ...message, ...record, status: 'sent', lastError: null });
      // Nobody refused: the record joins others, in one statement without a transaction when nobody is to be told.
      const listened = this.events.hasSubscribers(told);
      if (!outcome.refused.length && !outcome.deferred.length) {
        await (listened ? this.toldRecords.add({ message, record, told }) : this.sentRecords.add(record));
      } else {
        await this.unitOfWork.run(async (manager, afterCommit) => {
          if (!(await this.claimSent(manager, message, record, outcome.refused))) return;
          if (listened) await this.events.publish(told, { manager, afterCommit });
          await this.splitOff(manager, message, 'failed', outcome.refused, afterCommit);
          await this.splitOff(manager, message, 'waiting', outcome.deferred, afterCommit);
        });
      }
      this.releaseWaiting();
      return { outcome: 'sent' };
    }
    const reason = describeRefusals([...outcome.refused, ...outcome.deferred]);
    if (outcome.deferred.length) {
      const waitingSince = message.waitingSince ?? now;
      const next = nextAttemptAt(now, waitingSince, attempts, this.window);
      if (next) {
        this.troubleSeen = true;
        await this.unitOfWork.run(async (manager, afterCommit) => {
          const claimed = await manager.update(
            OutboundMessage,
            { id: message.id, status: In(['queued', 'waiting']) },
            {
              status: 'waiting',
              attempts,
              lastError: reason,
              waitingSince,
              nextAttemptAt: next,
              // Those refused for good leave in a part of their own; the others are tried again.
              envelopeTo: outcome.refused.length
                ? outcome.deferred.map((refusal) => refusal.address)
                : message.envelopeTo,
              handedAt: null,
            },
          );
          if (!claimed.affected) return;
          await this.splitOff(manager, message, 'failed', outcome.refused, afterCommit);
          afterCommit(() => this.mailing.schedule([{ id: message.id, attempts }], next.getTime() - now.getTime()));
        });
        this.logger.warn(
          `${message.kind} ${message.id} waits for the mail server (attempt ${attempts}, next ${next.toISOString()}): ${reason}`,
        );
        return { outcome: 'waiting' };
      }
    }
    const windowOver = outcome.deferred.length > 0;
    const error = windowOver
      ? `not taken by the mail server within ${this.runtime.config.MAIL_RETRY_WINDOW / 3_600_000} h: ${reason}`
      : reason;
    await this.unitOfWork.run(async (manager, afterCommit) => {
      const claimed = await manager.update(
        OutboundMessage,
        { id: message.id, status: In(['queued', 'waiting']) },
        {
          status: 'failed',
          attempts,
          lastError: error,
          refused: [...outcome.refused, ...outcome.deferred].map((refusal) => refusal.address),
          handedAt: null,
        },
      );
      if (claimed.affected)
        await this.events.publish(new MessageFailed({ ...message, attempts, status: 'failed', lastError: error }), {
          manager,
          afterCommit,
        });
    });
    this.logger.warn(`sending ${message.kind} ${message.id} failed (attempt ${attempts}, final): ${error}`);
    return { outcome: 'failed', error };
  }

  /**
   * The recipients of a message that did not take it while others did, as a part of their own with the same
   * letter and Message-ID: `failed` (refused for good; MessageFailed is told of it) or `waiting` (tried
   * again on its own).
   */
  private async splitOff(
    manager: EntityManager,
    message: OutboundMessage,
    status: 'failed' | 'waiting',
    refusals: AttemptOutcome['refused'],
    afterCommit: AfterCommit,
  ): Promise<void> {
    if (!refusals.length) return;
    const now = this.clock.now();
    const next = new Date(now.getTime() + retryDelayMs(1, this.window.maxIntervalMs));
    const part: OutboundMessage = {
      ...message,
      id: randomUUID(),
      dedupeKey: `${message.dedupeKey}#${status === 'failed' ? 'refused' : 'deferred'}.${message.attempts + 1}`,
      parentId: message.parentId ?? message.id,
      envelopeTo: refusals.map((refusal) => refusal.address),
      status,
      attempts: 1,
      lastError: describeRefusals(refusals),
      accepted: [],
      refused: status === 'failed' ? refusals.map((refusal) => refusal.address) : [],
      messageId: null,
      smtpResponse: null,
      sentAt: null,
      handedAt: null,
      resends: 0,
      waitingSince: status === 'waiting' ? now : null,
      nextAttemptAt: next,
      createdAt: now,
    };
    const inserted = (await manager
      .createQueryBuilder()
      .insert()
      .into(OutboundMessage)
      .values(part)
      .orIgnore()
      .returning('id')
      .execute()) as { raw: { id: string }[] };
    if (!inserted.raw.length) return;
    if (status === 'failed') await this.events.publish(new MessageFailed(part), { manager, afterCommit });
    else afterCommit(() => this.mailing.schedule([{ id: part.id, attempts: 1 }], next.getTime() - now.getTime()));
  }

  /** Runs `work` again while the database fails in a way a second try can get past, for up to RECORD_RETRY_MS. */
  private async persist<T>(work: () => Promise<T>): Promise<T> {
    const until = Date.now() + RECORD_RETRY_MS;
    let delay = 100;
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!isTransient(error) || Date.now() + delay > until) throw error;
        this.logger.warn(`recording a mail outcome failed, trying again in ${delay} ms: ${errorText(error)}`);
        await sleep(delay);
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  /** After mail was deferred, the first message the server takes again sends everything waiting, oldest first. */
  private releaseWaiting(): void {
    if (!this.troubleSeen || this.releasing) return;
    this.troubleSeen = false;
    this.releasing = true;
    void this.mailing
      .releaseWaiting()
      .catch((error: unknown) => {
        this.troubleSeen = true;
        this.logger.warn(`sending the waiting mail now failed (their own attempts follow): ${errorText(error)}`);
      })
      .finally(() => (this.releasing = false));
  }

  /**
   * Autocommit on purpose, outside any transaction: the mark must be committed before the SMTP handover, so that a
   * crash after it shows the message as possibly sent (a resend is counted).
   */
  private async markHandedOver(ids: string[]): Promise<Map<string, boolean>> {
    const rows = (await this.dataSource.query(
      `UPDATE outbound_messages
          SET handed_at = now(), resends = resends + CASE WHEN handed_at IS NULL THEN 0 ELSE 1 END
        WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'waiting')
        RETURNING id`,
      [ids],
    )) as [{ id: string }[], number] | { id: string }[];
    const list = Array.isArray(rows[0]) ? (rows[0] as { id: string }[]) : (rows as { id: string }[]);
    return new Map(list.map((row) => [row.id, true]));
  }

  /** Each message recorded sent and its subscribers told, as its own authority, all in one transaction. */
  private async recordTold(batch: Told[]): Promise<void> {
    await this.unitOfWork.run(async (manager, afterCommit) => {
      // One statement records the batch (as claimSent would each, nobody refused); only those it settled are told.
      const [claimed] = (await manager.query(`${SENT_UPDATE} RETURNING m.id`, sentParameters(batch))) as [
        { id: string }[],
        number,
      ];
      const settled = new Set(claimed.map((row) => row.id));
      const byAuthority = groupBy(
        batch.filter(({ message }) => settled.has(message.id)),
        ({ message }) => message.authorityId,
      );
      // Told together, so that their subscribers record the batch with one statement each.
      for (const [authorityId, told] of byAuthority)
        await RequestContext.asAuthority(authorityId, () =>
          this.events.publishAll(
            told.map((entry) => entry.told),
            { manager, afterCommit },
          ),
        );
    });
  }

  /** Records a message sent (refused for these recipients) unless another attempt already settled it. */
  private async claimSent(
    manager: EntityManager,
    message: OutboundMessage,
    record: Sent,
    refused: RecipientRefusal[],
  ): Promise<boolean> {
    const claimed = await manager.update(
      OutboundMessage,
      { id: message.id, status: In(['queued', 'waiting']) },
      {
        ...record,
        status: 'sent',
        refused: refused.map((refusal) => refusal.address),
        lastError: refused.length ? describeRefusals(refused) : null,
        waitingSince: null,
        handedAt: null,
      },
    );
    return Boolean(claimed.affected);
  }

  /** Micro-batched autocommit statement on purpose (no transaction, nobody to tell): see `deliver`. */
  private async recordSent(sent: Sent[]): Promise<void> {
    await this.dataSource.query(SENT_UPDATE, sentParameters(sent.map((record) => ({ record }))));
  }
}
