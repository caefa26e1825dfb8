import { Inject, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectQueue, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { DocketProcessor, JobName, QueueName, RUNTIME, type Runtime } from '#docket/platform';
import { DeadlineNotices } from './deadline-notices.js';
import { Reconciler } from './reconciler.js';

export const RECONCILE_EVERY_MS = 30_000;
/**
 * How often each worker process checks that the reconciliation schedule is still in the queue: one cheap read, so a
 * queue that lost its data gets its lost jobs back within seconds rather than half a minute.
 */
const SCHEDULE_CHECK_EVERY_MS = 5_000;
const SCHEDULER_ID = 'reconcile';

/**
 * Runs reconciliation every 30 s, and over every scheduled job when a worker starts or finds that the queue
 * lost its data (Redis restarted without persistence takes the repeatable job with it, so each worker
 * process also checks, every 5 s on a timer of its own, that the schedule is still there).
 */
@DocketProcessor(QueueName.Maintenance, [JobName.Reconcile], 1)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MaintenanceProcessor.name);
  private watch: NodeJS.Timeout | null = null;
  /** A check still waiting for the queue (one that does not answer) is not joined by the next ones. */
  private checking = false;

  constructor(
    private readonly reconciler: Reconciler,
    private readonly notices: DeadlineNotices,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runtime.config.DOCKET_ROLES.includes('worker')) return;
    await this.schedule();
    this.watch = setInterval(() => void this.rescheduleIfLost(), SCHEDULE_CHECK_EVERY_MS);
    this.watch.unref();
  }

  onModuleDestroy(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.Reconcile) throw new Error(`maintenance queue has no handler for job ${job.name}`);
    await this.reconciler.reconcileRecent();
  }

  private async schedule(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: RECONCILE_EVERY_MS },
      { name: JobName.Reconcile, data: {} },
    );
    void this.reconciler
      .reconcile(Infinity)
      .catch((error: unknown) => this.logger.error(`whole reconciliation failed: ${String(error)}`));
    // A release whose holiday data differs moves the running deadlines computed with the old data (each move in the
    // deadline's history, its assignee told).
    void this.notices
      .applyHolidayDataUpdate()
      .catch((error: unknown) => this.logger.error(`holiday data update failed: ${String(error)}`));
  }

  private async rescheduleIfLost(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      if (await this.queue.getJobScheduler(SCHEDULER_ID)) return;
      this.logger.warn(
        'the queue lost its reconciliation schedule (its data was lost): scheduling again and reconciling everything',
      );
      await this.schedule();
    } catch (error) {
      this.logger.warn(
        `could not check the reconciliation schedule: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.checking = false;
    }
  }
}
