import { Module } from '@nestjs/common';
import { DocumentsModule } from '#docket/documents';
import { DeadlinesModule } from '#docket/deadlines';
import { MailingModule } from '#docket/mailing';
import { IdentityModule } from '#docket/identity';
import { AuditModule } from '#docket/audit';
import { CasesModule } from '#docket/cases';
import { RegistryModule } from '#docket/registry';
import { AuthorityQuestion } from './authority-question.entity.js';
import {
  InquiriesController,
  OutboxController,
  QuestionsController,
  TemplatesController,
} from './correspondence.controllers.js';
import { AuthorityQuestionRepository } from './authority-question.repository.js';
import { CorrespondenceCaseFile } from './correspondence.case-file.js';
import { CorrespondenceSubscribers } from './correspondence.subscribers.js';
import { QuestionsService } from './questions.service.js';
import { InquiriesService } from './inquiries.service.js';
import { InquiryRepository } from './inquiry.repository.js';
import { Inquiry } from './inquiry.entity.js';
import { OutboxService } from './outbox.service.js';
import { ReminderLetters } from './reminder-letters.js';
import { RespondentLetters } from './respondent-letters.js';
import { TemplateVersionRepository } from './template-version.repository.js';
import { TemplateRegistry } from './template-registry.js';
import { TemplateVersion } from './template-version.entity.js';

export const correspondenceEntities = [Inquiry, TemplateVersion, AuthorityQuestion];

@Module({
  imports: [AuditModule, IdentityModule, MailingModule, DeadlinesModule, DocumentsModule, CasesModule, RegistryModule],
  controllers: [TemplatesController, InquiriesController, OutboxController, QuestionsController],
  providers: [
    TemplateRegistry,
    AuthorityQuestionRepository,
    TemplateVersionRepository,
    InquiryRepository,
    QuestionsService,
    InquiriesService,
    CorrespondenceSubscribers,
    CorrespondenceCaseFile,
    OutboxService,
    ReminderLetters,
    RespondentLetters,
  ],
  exports: [TemplateRegistry, QuestionsService, InquiriesService, OutboxService, RespondentLetters],
})
export class CorrespondenceModule {}
