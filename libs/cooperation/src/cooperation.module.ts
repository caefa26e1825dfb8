import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '#docket/audit';
import { CasesModule } from '#docket/cases';
import { CalendarService, DeadlinesModule, Reconciler } from '#docket/deadlines';
import { DocumentsModule } from '#docket/documents';
import { IdentityModule } from '#docket/identity';
import { MailingModule } from '#docket/mailing';
import { RegistryModule } from '#docket/registry';
import { AnswersComparedService } from './answers-compared.service.js';
import { AnswersComparedController, CaseServiceController, ProceduresController } from './cooperation.controllers.js';
import { JointDeadlinesService } from './joint-deadlines.service.js';
import { ProceduresService } from './procedures.service.js';
import { ServiceAttemptsService } from './service-attempts.service.js';

@Module({
  imports: [AuditModule, IdentityModule, CasesModule, RegistryModule, DeadlinesModule, MailingModule, DocumentsModule],
  controllers: [ProceduresController, AnswersComparedController, CaseServiceController],
  providers: [ProceduresService, JointDeadlinesService, AnswersComparedService, ServiceAttemptsService],
  exports: [ProceduresService, JointDeadlinesService, AnswersComparedService, ServiceAttemptsService],
})
export class CooperationModule implements OnModuleInit {
  constructor(
    private readonly reconciler: Reconciler,
    private readonly procedures: ProceduresService,
    private readonly calendar: CalendarService,
  ) {}

  /** Procedure clocks are checked on every reconciliation pass: missed ones escalated, near ones reminded. */
  onModuleInit(): void {
    this.reconciler.addStep('cooperationClocks', () => this.procedures.sweep());
    // A closure day moves the acting authority's running clocks as it moves its deadlines.
    this.calendar.onClosureChange((change) => this.procedures.closureChanged(change));
  }
}
