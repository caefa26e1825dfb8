import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { MailingService } from '#docket/mailing';
import { Clock, EventBus } from '#docket/platform';
import { ReconciliationPass } from './deadline-events.js';
import { Deadline } from './deadline.entity.js';
import { DeadlinesService } from './deadlines.service.js';
import { ReminderScheduler } from './reminder-scheduler.js';
import { Reminder } from './reminder.entity.js';

export interface ReconcileReport {
  missed: number;
  remindersRequeued: number;
  deadlinesRequeued: number;
  messagesRequeued: number;
  /** What each other context's step put back, by the step's name (see ReconciliationPass). */
  steps: Record<string, number>;
}

const BATCH = 2000;
/** How far ahead a pass makes sure reminders have their job. */
const HORIZON_MS = 10 * 60_000;
/**
 * A regular pass looks again at rows written this long before the previous pass started (a transaction open across it).
 */
const OVERLAP_MS = 5 * 60_000;
/** … and at this many of the reminders still scheduled a minute after their fire time, oldest first. */
const LATE_CHECKED_PER_PASS = 2000;

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
    private readonly events: EventBus,
  ) {}

  /** When the last regular pass of this process started; null until one ran. */
  private lastPassStartedAt: Date | null = null;

  /**
   * Every reminder due within the horizon, however many (at worker start, and when the queue lost its data).
   * `horizonMs`: Infinity checks them all.
   */
  async reconcile(horizonMs = HORIZON_MS): Promise<ReconcileReport> {
    const startedAt = this.clock.now();
    const report = await this.pass(horizonMs, null);
    this.lastPassStartedAt = startedAt;
    return report;
  }

  /**
   * The regular pass: the reminders written since the previous pass (a crash between commit and enqueue loses
   * only those) and the oldest of those still waiting after their fire time (a job that failed), not every row
   * of a large backlog each time. The first pass of a process is a whole one.
   */
  async reconcileRecent(): Promise<ReconcileReport> {
    const startedAt = this.clock.now();
    const since = this.lastPassStartedAt ? new Date(this.lastPassStartedAt.getTime() - OVERLAP_MS) : null;
    const report = await this.pass(HORIZON_MS, since);
    this.lastPassStartedAt = startedAt;
    return report;
  }

  private async pass(horizonMs: number, writtenSince: Date | null): Promise<ReconcileReport> {
    const missed = await this.deadlines.markOverdue();
    const now = this.clock.now();
    const until = Number.isFinite(horizonMs) ? new Date(now.getTime() + horizonMs) : new Date('9999-12-31T00:00:00Z');
    let remindersRequeued = 0;
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const query = this.dataSource
        .getRepository(Reminder)
        .createQueryBuilder('reminder')
        .where('reminder.status = :status AND reminder.fireAt <= :until AND reminder.id > :afterId', {
          status: 'scheduled',
          until,
          afterId,
        });
      if (writtenSince) query.andWhere('reminder.createdAt >= :writtenSince', { writtenSince });
      const batch = await query.orderBy('reminder.id', 'ASC').take(BATCH).getMany();
      if (batch.length === 0) break;
      remindersRequeued += await this.scheduler.ensureJobs(batch, []);
      afterId = batch[batch.length - 1].id;
    }
    if (writtenSince) {
      const late = await this.dataSource.getRepository(Reminder).find({
        where: { status: 'scheduled', fireAt: LessThanOrEqual(new Date(now.getTime() - 60_000)) },
        order: { fireAt: 'ASC' },
        take: LATE_CHECKED_PER_PASS,
      });
      remindersRequeued += await this.scheduler.ensureJobs(late, []);
    }
    const pending = await this.dataSource
      .getRepository(Deadline)
      .find({ where: { status: In(['pending']), dueAt: LessThanOrEqual(until) }, take: 10_000 });
    const deadlinesRequeued = await this.scheduler.ensureJobs([], pending);
    const messagesRequeued = await this.mailing.requeueStale();
    // Each other context puts back its own jobs; one's failure does not keep the others from being reconciled (the
    // next pass tries it again).
    const pass = new ReconciliationPass();
    await this.events.publish(pass);
    const { steps } = pass;
    const report = { missed, remindersRequeued, deadlinesRequeued, messagesRequeued, steps };
    if (missed || remindersRequeued || deadlinesRequeued || messagesRequeued || Object.values(steps).some(Boolean))
      this.logger.log(`reconciled ${JSON.stringify(report)}`);
    return report;
  }
}
