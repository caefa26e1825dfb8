import { Module } from '@nestjs/common';
import { MailingModule } from '#docket/mailing';
import { IdentityModule } from '#docket/identity';
import { AuditModule } from '#docket/audit';
import { BullModule } from '@nestjs/bullmq';
import { CasesModule } from '#docket/cases';
import { QueueName } from '#docket/platform';
import { CalendarService } from './calendar.service.js';
import { AuthorityClosure } from './closure.entity.js';
import { ClosureRepository } from './closure.repository.js';
import { DeadlineEvent } from './deadline-event.entity.js';
import { DeadlineNotices } from './deadline-notices.js';
import { DeadlineQueries } from './deadline-queries.js';
import { Deadline } from './deadline.entity.js';
import { CalendarController, CaseDeadlinesController, DeadlinesController } from './deadlines.controllers.js';
import { DeadlinesCaseFile } from './deadlines.case-file.js';
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

@Module({
  imports: [
    AuditModule,
    IdentityModule,
    MailingModule,
    BullModule.registerQueue({ name: QueueName.Reminders }),
    CasesModule,
  ],
  controllers: [CalendarController, DeadlinesController, CaseDeadlinesController],
  providers: [
    DeadlinesService,
    DeadlinesSubscribers,
    DeadlinesCaseFile,
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
export class DeadlinesModule {}
