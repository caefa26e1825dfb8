import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { CaseFileRegistry, CasesModule, CasesService } from '#docket/cases';
import { RegistryModule } from '#docket/registry';
import { DeadlinesService, REMINDER_MESSAGES } from '#docket/deadlines';
import { AuthorityQuestion } from './authority-question.entity.js';
import {
  InquiriesController,
  OutboxController,
  QuestionsController,
  TemplatesController,
} from './correspondence.controllers.js';
import { AuthorityQuestionRepository } from './authority-question.repository.js';
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
import { inquiryView } from './views.js';

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
    OutboxService,
    ReminderLetters,
    RespondentLetters,
    { provide: REMINDER_MESSAGES, useExisting: ReminderLetters },
  ],
  exports: [TemplateRegistry, QuestionsService, InquiriesService, OutboxService, RespondentLetters, REMINDER_MESSAGES],
})
export class CorrespondenceModule implements OnModuleInit {
  constructor(
    private readonly inquiries: InquiriesService,
    private readonly deadlines: DeadlinesService,
    private readonly files: CaseFileRegistry,
    private readonly cases: CasesService,
    private readonly respondentLetters: RespondentLetters,
  ) {}

  onModuleInit(): void {
    this.deadlines.onChanged((manager, deadline, change, afterCommit) =>
      this.respondentLetters.deadlineChanged(manager, deadline, change, afterCommit),
    );
    this.cases.onAssigned((manager, kase, afterCommit) => this.inquiries.notifyAssigned(manager, kase, afterCommit));
    this.files.register({
      key: 'inquiries',
      load: async (caseId, manager) => {
        const inquiries = await this.inquiries.forCase(caseId, manager);
        const deadlines = await this.deadlines.forCase(caseId, manager);
        return inquiries.map((inquiry) =>
          inquiryView(
            inquiry,
            deadlines.find((deadline) => deadline.id === inquiry.deadlineId),
          ),
        );
      },
    });
    // Each line also as a catalogue message (timeline.inquiry.*) for pages in the reader's language; the mail
    // server's own error text stays as it came.
    type InquiryAudit = { subject?: string; error?: string; refused?: string[]; notified?: string[] };
    const of = (event: { after: unknown }) => (event.after ?? {}) as InquiryAudit;
    this.files.describe(
      'inquiry.queued',
      (event) => `Inquiry queued: ${String((event.after as { subject?: string } | null)?.subject ?? '')}`,
      (event) => ({ key: 'timeline.inquiry.queued', params: { subject: of(event).subject ?? '' } }),
    );
    this.files.describeMessage('letter.queued', (event) => ({
      key: 'timeline.letter.queued',
      params: { subject: of(event).subject ?? '' },
    }));
    this.files.describe(
      'inquiry.sent',
      () => 'Inquiry delivered to the mail server',
      () => ({ key: 'timeline.inquiry.sent' }),
    );
    this.files.describe(
      'inquiry.refused_by_some',
      (event) => {
        const after = (event.after ?? {}) as { error?: string; refused?: string[] };
        return `Inquiry refused for ${after.refused?.join(', ') ?? 'some recipients'}: ${after.error ?? ''}`;
      },
      (event) => ({
        key: 'timeline.inquiry.refusedBySome',
        params: { recipients: of(event).refused?.join(', ') ?? '', error: of(event).error ?? '' },
      }),
    );
    this.files.describe(
      'inquiry.failed',
      (event) => {
        const after = (event.after ?? {}) as { error?: string; notified?: string[] };
        return `Inquiry could not be delivered: ${after.error ?? ''}${after.notified?.length ? ` (notice sent to ${after.notified.join(', ')})` : ''}`;
      },
      (event) => ({
        key: 'timeline.inquiry.failed',
        params: { error: of(event).error ?? '', notified: of(event).notified?.join(', ') ?? '' },
      }),
    );
  }
}
