import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QueueAdmin, QueueName, ReadinessChecks, type JobPayloads, type JobName } from '#docket/platform';
import { MailAdminController } from './mail-admin.controller.js';
import { MailDelivery } from './mail-delivery.js';
import { MailingService } from './mailing.service.js';
import { OutboundMessage } from './outbound-message.entity.js';
import { OutboundMessageRepository } from './outbound-message.repository.js';
import { SendMailProcessor } from './send-mail.processor.js';

export const mailingEntities = [OutboundMessage];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Global()
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Mail })],
  controllers: [MailAdminController],
  providers: [MailingService, MailDelivery, SendMailProcessor, OutboundMessageRepository],
  exports: [MailingService, MailDelivery, OutboundMessageRepository],
})
export class MailingModule implements OnModuleInit {
  constructor(
    private readonly mailing: MailingService,
    private readonly readiness: ReadinessChecks,
    private readonly queues: QueueAdmin,
  ) {}

  onModuleInit(): void {
    this.readiness.add('mail', async () => {
      const status = await this.mailing.status();
      return { state: status.waiting > 0 ? 'degraded' : 'ok', ...status };
    });
    // A failed send job retried by an operator sends its message: the message is queued again first.
    this.queues.onRetry(QueueName.Mail, async (job) => {
      const { outboundMessageId } = job.data as JobPayloads[JobName.SendMail];
      if (typeof outboundMessageId === 'string' && UUID.test(outboundMessageId))
        await this.mailing.retry({ ids: [outboundMessageId] }, { schedule: false });
    });
  }
}
