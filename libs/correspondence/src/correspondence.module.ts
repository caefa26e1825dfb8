import { Global, Module } from '@nestjs/common';
import { CasesModule } from '#docket/cases';
import { RegistryModule } from '#docket/registry';
import { REMINDER_MESSAGES } from '#docket/deadlines';
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

@Global()
@Module({
  imports: [CasesModule, RegistryModule],
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
    { provide: REMINDER_MESSAGES, useExisting: ReminderLetters },
  ],
  exports: [TemplateRegistry, QuestionsService, InquiriesService, OutboxService, RespondentLetters, REMINDER_MESSAGES],
})
export class CorrespondenceModule {}
