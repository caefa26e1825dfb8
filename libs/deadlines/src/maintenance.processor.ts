import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { DocketProcessor, JobName, QueueName, RUNTIME, type Runtime } from '#docket/platform';
import { Inject } from '@nestjs/common';
import { Reconciler } from './reconciler.js';

export const RECONCILE_EVERY_MS = 30_000;

/** Runs reconciliation every 30 s, and once over every scheduled job when a worker starts. */
@DocketProcessor(QueueName.Maintenance, 1)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly reconciler: Reconciler,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runtime.config.DOCKET_ROLES.includes('worker')) return;
    await this.queue.upsertJobScheduler('reconcile', { every: RECONCILE_EVERY_MS }, { name: JobName.Reconcile, data: {} });
    void this.reconciler.reconcile(Infinity).catch((error: unknown) => this.logger.error(`start-up reconciliation failed: ${String(error)}`));
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.Reconcile) throw new Error(`maintenance queue has no handler for job ${job.name}`);
    await this.reconciler.reconcile();
  }
}
