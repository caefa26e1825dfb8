import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { DocketProcessor, JobName, QueueName, RUNTIME, type Runtime } from '#docket/platform';
import { CountersService } from './counters.service.js';

/** Every dashboard sums the deltas not folded yet: a fold every 10 s keeps them to what 10 s of writes append. */
export const COMPACT_EVERY_MS = 10_000;

/** Folds the dashboard counters' deltas into their totals every COMPACT_EVERY_MS (worker role only). */
@DocketProcessor(QueueName.Reporting, [JobName.CompactCounters], 1)
export class CountersProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(CountersProcessor.name);

  constructor(
    private readonly counters: CountersService,
    @InjectQueue(QueueName.Reporting) private readonly queue: Queue,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runtime.config.DOCKET_ROLES.includes('worker')) return;
    await this.queue.upsertJobScheduler(
      'compact-counters',
      { every: COMPACT_EVERY_MS },
      { name: JobName.CompactCounters, data: {} },
    );
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.CompactCounters) throw new Error(`reporting queue has no handler for job ${job.name}`);
    await this.counters.compactAll().catch((error: unknown) => {
      this.logger.error(`counter compaction failed: ${String(error)}`);
      throw error;
    });
  }
}
