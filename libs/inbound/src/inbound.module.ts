import { ScanningModule } from '#docket/scanning';
import { CorrespondenceModule } from '#docket/correspondence';
import { DeadlinesModule } from '#docket/deadlines';
import { MailingModule } from '#docket/mailing';
import { AuditModule } from '#docket/audit';
import { Module } from '@nestjs/common';
import { CasesModule } from '#docket/cases';
import { DecisionsModule } from '#docket/decisions';
import { IdentityModule } from '#docket/identity';
import { SearchModule } from '#docket/search';
import { InboundController } from './inbound.controller.js';
import { InboundMessage } from './inbound-message.entity.js';
import { InboundMessageRepository } from './inbound-message.repository.js';
import { InboundCaseFile } from './inbound.case-file.js';
import { InboundService } from './inbound.service.js';
import { MailboxPoller, MailboxPollProcessor } from './mailbox-poller.js';
import { InboundSmtpListener } from './smtp-listener.js';

export const inboundEntities = [InboundMessage];

/** Replies by e-mail: the SMTP listener, the matching pipeline, the triage inbox and draft confirmation. */
@Module({
  imports: [
    AuditModule,
    IdentityModule,
    MailingModule,
    DeadlinesModule,
    CorrespondenceModule,
    CasesModule,
    DecisionsModule,
    SearchModule,
    ScanningModule,
  ],
  controllers: [InboundController],
  providers: [
    InboundService,
    InboundCaseFile,
    InboundMessageRepository,
    InboundSmtpListener,
    MailboxPoller,
    MailboxPollProcessor,
  ],
  exports: [InboundService, InboundSmtpListener, MailboxPoller],
})
export class InboundModule {}
