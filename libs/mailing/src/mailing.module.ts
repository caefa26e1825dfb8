import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QueueName } from '#docket/platform';
import { MailAdminController } from './mail-admin.controller.js';
import { MailDelivery } from './mail-delivery.js';
import { MailJobRetries, MailReadiness } from './mailing.contributions.js';
import { MailingService } from './mailing.service.js';
import { OutboundMessage } from './outbound-message.entity.js';
import { OutboundMessageRepository } from './outbound-message.repository.js';
import { SendMailProcessor } from './send-mail.processor.js';

export const mailingEntities = [OutboundMessage];

@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Mail })],
  controllers: [MailAdminController],
  providers: [
    MailingService,
    MailDelivery,
    SendMailProcessor,
    OutboundMessageRepository,
    MailReadiness,
    MailJobRetries,
  ],
  exports: [MailingService, MailDelivery, OutboundMessageRepository],
})
export class MailingModule {}
