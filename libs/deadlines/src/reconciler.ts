import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { MailingService } from '#docket/mailing';
import { Clock } from '#docket/platform';
import { Deadline } from './deadline.entity.js';
import { DeadlinesService } from './deadlines.service.js';
import { ReminderScheduler } from './reminder-scheduler.js';
import { Reminder } from './reminder.entity.js';

export interface ReconcileReport {
  missed: number;
  remindersRequeued: number;
  deadlinesRequeued: number;
  messagesRequeued: number;
}

const BATCH = 2000;

/**
 * PostgreSQL is the truth; the queue only delivers. This puts back every job the queue lost
 * (Redis flushed or restarted without persistence, a crash between commit and enqueue).
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly deadlines: DeadlinesService,
    private readonly scheduler: ReminderScheduler,
    private readonly mailing: MailingService,
  ) {}

  /** `horizonMs`: how far ahead to check scheduled jobs; Infinity checks them all (at worker start). */
  async reconcile(horizonMs = 10 * 60_000): Promise<ReconcileReport> {
    const missed = await this.deadlines.markOverdue();
    const until = Number.isFinite(horizonMs) ? new Date(this.clock.now().getTime() + horizonMs) : new Date('9999-12-31T00:00:00Z');
    let remindersRequeued = 0;
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await this.dataSource
        .getRepository(Reminder)
        .createQueryBuilder('reminder')
        .where('reminder.status = :status AND reminder.fireAt <= :until AND reminder.id > :afterId', { status: 'scheduled', until, afterId })
        .orderBy('reminder.id', 'ASC')
        .take(BATCH)
        .getMany();
      if (batch.length === 0) break;
      remindersRequeued += await this.scheduler.ensureJobs(batch, []);
      afterId = batch[batch.length - 1].id;
    }
    const pending = await this.dataSource.getRepository(Deadline).find({ where: { status: In(['pending']), dueAt: LessThanOrEqual(until) }, take: 10_000 });
    const deadlinesRequeued = await this.scheduler.ensureJobs([], pending);
    const messagesRequeued = await this.mailing.requeueStale();
    const report = { missed, remindersRequeued, deadlinesRequeued, messagesRequeued };
    if (missed || remindersRequeued || deadlinesRequeued || messagesRequeued) this.logger.log(`reconciled ${JSON.stringify(report)}`);
    return report;
  }
}
