import { RegistryModule } from '#docket/registry';
import { CorrespondenceModule } from '#docket/correspondence';
import { DocumentsModule } from '#docket/documents';
import { DeadlinesModule } from '#docket/deadlines';
import { IdentityModule } from '#docket/identity';
import { AuditModule } from '#docket/audit';
import { ScanningModule } from '#docket/scanning';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { CasesModule } from '#docket/cases';
import { RUNTIME, type Runtime } from '#docket/platform';
import { SearchModule } from '#docket/search';
import { Attachment } from './attachment.entity.js';
import { AttachmentStore } from './attachment-store.js';
import { AttachmentsService } from './attachments.service.js';
import { DecisionsCaseFile } from './decisions.case-file.js';
import { AttachmentLimit, OutcomesController, ResponsesController } from './decisions.controllers.js';
import { AttachmentRepository, OutcomeRepository, ResponseRepository } from './decisions.repository.js';
import { OutcomesService } from './outcomes.service.js';
import { Outcome, OutcomeDeadline } from './outcome.entity.js';
import { ResponseAnswer } from './response-answer.entity.js';
import { InquiryResponse } from './response.entity.js';
import { ResponsesService } from './responses.service.js';

export const decisionsEntities = [InquiryResponse, ResponseAnswer, Attachment, Outcome, OutcomeDeadline];

/** Responses assessed question by question, their attachments, and outcomes. */
@Module({
  imports: [
    AuditModule,
    IdentityModule,
    DeadlinesModule,
    DocumentsModule,
    CorrespondenceModule,
    ScanningModule,
    RegistryModule,
    CasesModule,
    SearchModule,
    MulterModule.registerAsync({
      inject: [RUNTIME],
      useFactory: (runtime: Runtime) => ({
        storage: new AttachmentStore(runtime.config.DOCKET_DATA_DIR).multerStorage(),
        limits: {
          fileSize: Math.floor(runtime.config.ATTACHMENT_MAX_MB * 1024 * 1024),
          files: 1,
          fields: 10,
          parts: 12,
        },
      }),
    }),
  ],
  controllers: [ResponsesController, OutcomesController],
  providers: [
    ResponseRepository,
    AttachmentRepository,
    OutcomeRepository,
    ResponsesService,
    OutcomesService,
    AttachmentsService,
    AttachmentLimit,
    DecisionsCaseFile,
  ],
  exports: [ResponsesService, OutcomesService, AttachmentsService],
})
export class DecisionsModule {}
