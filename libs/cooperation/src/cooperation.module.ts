import { Module, type OnModuleInit } from '@nestjs/common';
import { localDateOf } from '#docket/calendar';
import { AuditModule } from '#docket/audit';
import { CasesModule } from '#docket/cases';
import { CalendarService, DeadlinesModule, Reconciler } from '#docket/deadlines';
import { DocumentsModule } from '#docket/documents';
import { IdentityModule } from '#docket/identity';
import { MailingModule } from '#docket/mailing';
import { Clock } from '#docket/platform';
import { RegistryModule } from '#docket/registry';
import { AnswersComparedService } from './answers-compared.service.js';
import { CalendarChangesService } from './calendar-changes.service.js';
import { CooperationCaseFile } from './cooperation.case-file.js';
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
  ],
  exports: [
    ProceduresService,
    JointDeadlinesService,
    AnswersComparedService,
    ServiceAttemptsService,
    CalendarChangesService,
  ],
})
export class CooperationModule implements OnModuleInit {
  constructor(
    private readonly reconciler: Reconciler,
    private readonly procedures: ProceduresService,
    private readonly changes: CalendarChangesService,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  /**
   * Procedure clocks are checked on every reconciliation pass: missed ones escalated, near ones reminded. Every change
   * of an authority's calendar — a closure day, its settings (in the transaction of the change), the release's
   * holiday data (once per worker process, as the deadlines engine does) — goes the same way through
   * CalendarChangesService: running clocks counted again, joint deadlines checked, participants told.
   */
  onModuleInit(): void {
    this.reconciler.addStep('cooperationClocks', () => this.procedures.sweep());
    this.calendar.onClosureChange(async ({ manager, afterCommit, authority, date, change }) => {
      await this.changes.apply({ manager, afterCommit, authority, date, change });
    });
    this.calendar.onSettingsChange(async ({ manager, afterCommit, authority, changed }) => {
      await this.changes.apply({
        manager,
        afterCommit,
        authority,
        change: 'settings',
        date: localDateOf(this.clock.now(), authority.timezone),
        settings: changed,
      });
    });
    let holidayDataChecked = false;
    this.reconciler.addStep('cooperationHolidayData', async () => {
      if (holidayDataChecked) return 0;
      const moved = await this.changes.applyHolidayDataUpdate();
      holidayDataChecked = true;
      return moved;
    });
  }
}
