import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { CaseFileRegistry, CasesModule } from '#docket/cases';
import { QueueName } from '#docket/platform';
import { CalendarService } from './calendar.service.js';
import { AuthorityClosure } from './closure.entity.js';
import { ClosureRepository } from './closure.repository.js';
import { DeadlineEvent } from './deadline-event.entity.js';
import { DeadlineNotices } from './deadline-notices.js';
import { DeadlineQueries } from './deadline-queries.js';
import { Deadline } from './deadline.entity.js';
import { CalendarController, CaseDeadlinesController, DeadlinesController } from './deadlines.controllers.js';
import { DeadlinesService } from './deadlines.service.js';
import { DeadlinesSubscribers } from './deadlines.subscribers.js';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { Reconciler } from './reconciler.js';
import { DeadlineEventRepository, DeadlineRepository } from './deadline.repository.js';
import { ReminderScheduler } from './reminder-scheduler.js';
import { ReminderRepository } from './reminder.repository.js';
import { Reminder } from './reminder.entity.js';
import { RemindersProcessor } from './reminders.processor.js';

export const deadlinesEntities = [Deadline, DeadlineEvent, Reminder, AuthorityClosure];

/** What the audit trail keeps of a deadline change (see summary() in deadlines.service.ts). */
interface DeadlineAudit {
  label?: string;
  dueDate?: string;
  reason?: string | null;
  onTime?: boolean;
}

const because = (after: DeadlineAudit) => (after.reason ? ` (${after.reason})` : '');

@Global()
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Reminders }), CasesModule],
  controllers: [CalendarController, DeadlinesController, CaseDeadlinesController],
  providers: [
    DeadlinesService,
    DeadlinesSubscribers,
    DeadlineQueries,
    CalendarService,
    ReminderScheduler,
    Reconciler,
    RemindersProcessor,
    MaintenanceProcessor,
    DeadlineNotices,
    ClosureRepository,
    DeadlineRepository,
    DeadlineEventRepository,
    ReminderRepository,
  ],
  exports: [DeadlinesService, DeadlineQueries, CalendarService, Reconciler, ReminderScheduler, DeadlineNotices],
})
export class DeadlinesModule implements OnModuleInit {
  constructor(
    private readonly files: CaseFileRegistry,
    private readonly deadlines: DeadlinesService,
  ) {}

  onModuleInit(): void {
    // Closing a case stops its clocks; the cancelled reminders' jobs are removed by reconciliation
    // or find their rows cancelled and do nothing.
    this.files.onClosed((manager, caseId, reason) =>
      this.deadlines.cancelForCase(manager, caseId, `case closed: ${reason}`, () => undefined),
    );
    const timeline: Record<string, (after: DeadlineAudit) => string> = {
      'deadline.created': (after) => `Deadline set: ${after.label}, due ${after.dueDate}`,
      'deadline.extended': (after) => `Deadline extended: ${after.label}, now due ${after.dueDate}${because(after)}`,
      'deadline.suspended': (after) => `Clock stopped: ${after.label}${because(after)}`,
      'deadline.resumed': (after) => `Clock restarted: ${after.label}, now due ${after.dueDate}${because(after)}`,
      'deadline.recomputed': (after) =>
        `Deadline recomputed: ${after.label}, now due ${after.dueDate}${because(after)}`,
      'deadline.met': (after) => `Deadline met${after.onTime === false ? ' late' : ''}: ${after.label}`,
      'deadline.missed': (after) => `Deadline missed: ${after.label} (due ${after.dueDate})`,
      'deadline.waived': (after) => `Deadline waived: ${after.label}${because(after)}`,
    };
    // The same lines as catalogue messages (timeline.deadline.<event>), for pages in the reader's language.
    const message = (action: string, after: DeadlineAudit & { kind?: string; onTime?: boolean }) => ({
      key: `timeline.deadline.${action.slice('deadline.'.length)}${action === 'deadline.met' && after.onTime === false ? 'Late' : ''}`,
      params: {
        deadlineLabel: after.label ?? '',
        deadlineKind: after.kind ?? '',
        dueDay: after.dueDate ?? '',
        reason: after.reason ?? '',
      },
    });
    for (const [action, line] of Object.entries(timeline))
      this.files.describe(
        action,
        (event) => line((event.after ?? {}) as DeadlineAudit),
        (event) => message(action, (event.after ?? {}) as DeadlineAudit),
      );
    this.files.describeMessage('deadline.certificate_issued', (event) => ({
      key: 'timeline.deadline.certificateIssued',
      params: { sha256: String((event.after as { sha256?: string } | null)?.sha256 ?? '').slice(0, 16) },
    }));
  }
}
