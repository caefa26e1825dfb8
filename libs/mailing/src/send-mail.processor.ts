import { WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { BatchLoader, Clock, DocketProcessor, JobName, QueueName, type JobPayloads } from '#docket/platform';
import { MailDelivery } from './mail-delivery.js';
import { OutboundMessage } from './outbound-message.entity.js';

/** A job this early for a waiting message's next attempt is left alone (the attempt has a job of its own). */
const EARLY_TOLERANCE_MS = 1000;

/**
 * The mail queue: first sends of queued messages and each next attempt of a waiting one. Concurrency:
 * MAIL_CONCURRENCY. A message the server does not take is not a failed job: MailDelivery records it waiting and
 * adds the job of its next attempt. A job fails when the message fails for good (shown to operators, whose retry
 * sends it) or when the database fails under it (BullMQ tries it again).
 */
@DocketProcessor(QueueName.Mail, [JobName.SendMail], 8)
export class SendMailProcessor extends WorkerHost {
  /** Send jobs that start together read their messages with one query. */
  private readonly messages = new BatchLoader<string, OutboundMessage>(
    async (ids) =>
      new Map(
        (await this.dataSource.getRepository(OutboundMessage).find({ where: { id: In(ids) } })).map((message) => [
          message.id,
          message,
        ]),
      ),
    { maxSize: 50, windowMs: 2 },
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly delivery: MailDelivery,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.SendMail) throw new Error(`mail queue has no handler for job ${job.name}`);
    const { outboundMessageId } = job.data as JobPayloads[JobName.SendMail];
    const message = await this.messages.get(outboundMessageId);
    if (!message || (message.status !== 'queued' && message.status !== 'waiting')) return;
    if (
      message.status === 'waiting' &&
      message.nextAttemptAt.getTime() - this.clock.now().getTime() > EARLY_TOLERANCE_MS
    )
      return;
    const result = await this.delivery.attempt(message);
    if (result.outcome === 'failed') throw new UnrecoverableError(result.error);
  }
}
