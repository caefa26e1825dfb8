import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QueueName } from '#docket/platform';
import { MailDelivery } from './mail-delivery.js';
import { MailingService } from './mailing.service.js';
import { OutboundMessage } from './outbound-message.entity.js';
import { SendMailProcessor } from './send-mail.processor.js';

export const mailingEntities = [OutboundMessage];

@Global()
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Mail })],
  providers: [MailingService, MailDelivery, SendMailProcessor],
  exports: [MailingService, MailDelivery],
})
export class MailingModule {}
