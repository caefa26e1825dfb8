import { resolve } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import pLimit, { type LimitFunction } from 'p-limit';
import { DataSource, type EntityManager } from 'typeorm';
import {
  Clock,
  MailTransport,
  MicroBatcher,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  type AfterCommit,
  type Runtime,
} from '#docket/platform';
import { MailingService, SEND_ATTEMPTS, type NewMessage } from './mailing.service.js';
import { OutboundMessage } from './outbound-message.entity.js';

/** An SMTP reply in the 5xx range: the server will refuse the same message again. */
export function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** What an attempt to send a message came to; `final` failures are recorded as failed and not retried. */
export type DeliveryResult = { sent: true } | { sent: false; final: boolean; started: boolean; error: unknown };

/**
 * A message sent from the process that committed it must be handed to the transport within this time,
 * or it goes to the mail queue instead. With the transport's own timeouts (connection 10 s, greeting
 * 10 s, socket 30 s) this bounds how long a message can stay in flight without a queue job, which is
 * what lets reconciliation tell a lost message from one still being sent (STALE_AFTER_MS).
 */
const INLINE_START_WITHIN_MS = 60_000;

type Sent = Pick<OutboundMessage, 'id' | 'sentAt' | 'messageId' | 'smtpResponse' | 'attempts'>;

/**
 * One attempt to send a stored message and the record of its outcome. At most MAIL_CONCURRENCY messages
 * are between "handed to the transport" and "recorded as sent" at any time, so that a process killed
 * mid-flight leaves at most that many messages to be sent again (with the same Message-ID).
 */
@Injectable()
export class MailDelivery {
  private readonly logger = new Logger(MailDelivery.name);
  private readonly slots: LimitFunction;
  private readonly dataDir: string;
  /** Messages sent close together are recorded with one statement. */
  private readonly sentRecords = new MicroBatcher<Sent>((sent) => this.recordSent(sent), { maxSize: 50, windowMs: 2 });

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly transport: MailTransport,
    private readonly mailing: MailingService,
    private readonly clock: Clock,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.slots = pLimit(runtime.config.MAIL_CONCURRENCY);
    this.dataDir = runtime.config.DOCKET_DATA_DIR;
  }

  /**
   * Stores messages in the caller's transaction like `MailingService.queueMessages`, and sends the new
   * ones from this process once it has committed.
   */
  async storeAndSendAfterCommit(
    manager: EntityManager,
    messages: NewMessage[],
    afterCommit: AfterCommit,
  ): Promise<Map<string, string>> {
    const { ids, stored } = await this.mailing.storeMessages(manager, messages);
    if (stored.length) afterCommit(() => this.deliverNow(stored));
    return ids;
  }

  /**
   * Sends messages committed a moment ago by this process, without a trip through the mail queue; a
   * message the transport does not take now is handed to the queue, which retries it.
   */
  async deliverNow(messages: OutboundMessage[]): Promise<void> {
    const handedAt = Date.now();
    await Promise.all(
      messages.map(async (message) => {
        const result = await this.attempt(message, handedAt + INLINE_START_WITHIN_MS);
        if (!result.sent && !result.final)
          await this.mailing.enqueue([message.id], { delayMs: result.started ? 2000 : 0 });
      }),
    );
  }

  /**
   * Attempt number `message.attempts + 1`; the last allowed one is final. With `startBy`, a message still
   * waiting for a free slot at that time is not attempted (`started: false`).
   */
  attempt(message: OutboundMessage, startBy = Infinity): Promise<DeliveryResult> {
    return this.slots(() => {
      if (Date.now() > startBy)
        return Promise.resolve({
          sent: false as const,
          final: false,
          started: false,
          error: new Error('no free slot in time'),
        });
      return RequestContext.asAuthority(message.authorityId, () => this.sendAndRecord(message));
    });
  }

  private async sendAndRecord(message: OutboundMessage): Promise<DeliveryResult> {
    const attempts = message.attempts + 1;
    let sent: { messageId: string; response: string };
    try {
      sent = await this.transport.send({
        to: message.to,
        cc: message.cc.length ? message.cc : undefined,
        replyTo: message.replyTo ?? undefined,
        subject: message.subject,
        html: message.html,
        text: message.text,
        // The same Message-ID on every attempt lets a receiving system drop a copy sent again after a crash.
        messageId: `<${message.id}@${this.transport.domain}>`,
        headers: { 'X-Docket-Message': message.id },
        attachments: (message.attachments ?? []).map((attachment) => ({
          filename: attachment.filename,
          contentType: attachment.contentType,
          path: resolve(this.dataDir, attachment.path),
        })),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // A 5xx reply (550 mailbox unavailable…) will not change on a retry: the message fails now.
      const final = isPermanentRefusal(error) || attempts >= SEND_ATTEMPTS;
      await this.unitOfWork.run(async (manager, afterCommit) => {
        await manager.update(
          OutboundMessage,
          { id: message.id, status: 'queued' },
          { attempts, lastError: reason, ...(final ? { status: 'failed' as const } : {}) },
        );
        if (final)
          await this.mailing.failedHandler(message.kind)?.(
            manager,
            { ...message, attempts, status: 'failed', lastError: reason },
            afterCommit,
          );
      });
      this.logger.warn(
        `sending ${message.kind} ${message.id} failed (attempt ${attempts}${final ? ', final' : ''}): ${reason}`,
      );
      return { sent: false, final, started: true, error };
    }
    const outcome = { sentAt: this.clock.now(), messageId: sent.messageId, smtpResponse: sent.response, attempts };
    const onSent = this.mailing.sentHandler(message.kind);
    if (!onSent) {
      await this.sentRecords.add({ id: message.id, ...outcome });
    } else {
      await this.unitOfWork.run(async (manager, afterCommit) => {
        const claimed = await manager.update(
          OutboundMessage,
          { id: message.id, status: 'queued' },
          { ...outcome, status: 'sent', lastError: null },
        );
        if (claimed.affected)
          await onSent(manager, { ...message, ...outcome, status: 'sent', lastError: null }, afterCommit);
      });
    }
    return { sent: true };
  }

  private async recordSent(sent: Sent[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbound_messages AS m
          SET status = 'sent', sent_at = v.sent_at, message_id = v.message_id, smtp_response = v.smtp_response, attempts = v.attempts, last_error = NULL
         FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::int[]) AS v(id, sent_at, message_id, smtp_response, attempts)
        WHERE m.id = v.id AND m.status = 'queued'`,
      [
        sent.map((row) => row.id),
        sent.map((row) => row.sentAt),
        sent.map((row) => row.messageId),
        sent.map((row) => row.smtpResponse),
        sent.map((row) => row.attempts),
      ],
    );
  }
}
