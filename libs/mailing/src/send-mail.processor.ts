import { Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { BatchLoader, Clock, DocketProcessor, JobName, MailTransport, QueueName, RequestContext, type JobPayloads } from '#docket/platform';
import { MailingService, SEND_ATTEMPTS } from './mailing.service.js';
import { OutboundMessage } from './outbound-message.entity.js';

/** An SMTP reply in the 5xx range: the server will refuse the same message again. */
export function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Talks to the mail transport and nothing else; it is the step that retries. Concurrency: MAIL_CONCURRENCY. */
@DocketProcessor(QueueName.Mail, 8)
export class SendMailProcessor extends WorkerHost {
  private readonly logger = new Logger(SendMailProcessor.name);
  /** Send jobs that start together read their messages with one query. */
  private readonly messages = new BatchLoader<string, OutboundMessage>(
    async (ids) => new Map((await this.dataSource.getRepository(OutboundMessage).find({ where: { id: In(ids) } })).map((message) => [message.id, message])),
    { maxSize: 50, windowMs: 2 },
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly mailing: MailingService,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.SendMail) throw new Error(`mail queue has no handler for job ${job.name}`);
    const { outboundMessageId } = job.data as JobPayloads[JobName.SendMail];
    const message = await this.messages.get(outboundMessageId);
    if (!message || message.status !== 'queued') return;
    await RequestContext.asAuthority(message.authorityId, async () => {
      try {
        const sent = await this.transport.send({
          to: message.to,
          cc: message.cc.length ? message.cc : undefined,
          replyTo: message.replyTo ?? undefined,
          subject: message.subject,
          html: message.html,
          text: message.text,
          // The same Message-ID on every attempt lets a receiving system drop a copy sent again after a crash.
          messageId: `<${message.id}@${this.transport.domain}>`,
          headers: { 'X-Docket-Message': message.id },
        });
        const outcome = { status: 'sent' as const, sentAt: this.clock.now(), messageId: sent.messageId, smtpResponse: sent.response, attempts: job.attemptsMade + 1, lastError: null };
        const onSent = this.mailing.sentHandler(message.kind);
        if (!onSent) {
          // Nothing else to record: one statement, no transaction round trips.
          await this.dataSource.getRepository(OutboundMessage).update({ id: message.id, status: 'queued' }, outcome);
        } else {
          await this.dataSource.transaction(async (manager) => {
            const claimed = await manager.update(OutboundMessage, { id: message.id, status: 'queued' }, outcome);
            if (claimed.affected) await onSent(manager, { ...message, ...outcome });
          });
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        // A 5xx reply (550 mailbox unavailable…) will not change on a retry: the message fails now.
        const permanent = isPermanentRefusal(error);
        const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? SEND_ATTEMPTS);
        await this.dataSource.transaction(async (manager) => {
          await manager.update(OutboundMessage, { id: message.id, status: 'queued' }, { attempts: job.attemptsMade + 1, lastError: reason, ...(final ? { status: 'failed' as const } : {}) });
          if (final) await this.mailing.failedHandler(message.kind)?.(manager, { ...message, status: 'failed', lastError: reason });
        });
        this.logger.warn(`sending ${message.kind} ${message.id} failed (attempt ${job.attemptsMade + 1}${final ? ', final' : ''}): ${reason}`);
        throw permanent ? new UnrecoverableError(reason) : error;
      }
    });
  }
}
