import { WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { BatchLoader, DocketProcessor, JobName, QueueName, type JobPayloads } from '#docket/platform';
import { MailDelivery } from './mail-delivery.js';
import { OutboundMessage } from './outbound-message.entity.js';

/** The mail queue: first sends of queued messages and every retry. Concurrency: MAIL_CONCURRENCY. */
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
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.SendMail) throw new Error(`mail queue has no handler for job ${job.name}`);
    const { outboundMessageId } = job.data as JobPayloads[JobName.SendMail];
    const message = await this.messages.get(outboundMessageId);
    if (!message || message.status !== 'queued') return;
    const result = await this.delivery.attempt(message);
    if (result.sent) return;
    // The message's own attempt count decides (a first attempt may have been made before it was queued).
    if (result.final)
      throw new UnrecoverableError(result.error instanceof Error ? result.error.message : String(result.error));
    throw result.error;
  }
}
