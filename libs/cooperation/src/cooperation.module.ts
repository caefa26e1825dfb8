import { Module } from '@nestjs/common';
import { AuditModule } from '#docket/audit';
import { CasesModule } from '#docket/cases';
import { DeadlinesModule } from '#docket/deadlines';
import { DocumentsModule } from '#docket/documents';
import { IdentityModule } from '#docket/identity';
import { MailingModule } from '#docket/mailing';
import { RegistryModule } from '#docket/registry';
import { AnswersComparedService } from './answers-compared.service.js';
import { CalendarChangesService } from './calendar-changes.service.js';
import { CooperationCaseFile } from './cooperation.case-file.js';
import { CooperationSubscribers } from './cooperation.subscribers.js';
import { AnswersComparedController, CaseServiceController, ProceduresController } from './cooperation.controllers.js';
import { JointDeadlinesService } from './joint-deadlines.service.js';
import { ProceduresService } from './procedures.service.js';
import { ServiceAttemptRepository } from './service-attempt.repository.js';
import { ServiceAttemptsService } from './service-attempts.service.js';

@Module({
  imports: [AuditModule, IdentityModule, CasesModule, RegistryModule, DeadlinesModule, MailingModule, DocumentsModule],
  controllers: [ProceduresController, AnswersComparedController, CaseServiceController],
  providers: [
    ProceduresService,
    JointDeadlinesService,
    AnswersComparedService,
    ServiceAttemptsService,
    ServiceAttemptRepository,
    CalendarChangesService,
    CooperationCaseFile,
    CooperationSubscribers,
  ],
  exports: [
    ProceduresService,
    JointDeadlinesService,
    AnswersComparedService,
    ServiceAttemptsService,
    CalendarChangesService,
  ],
})
export class CooperationModule {}
