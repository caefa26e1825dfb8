import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BullRegistrar, WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';
import { jobHandlerProblems, processorJobs, processorQueue, type QueueName } from './queues.js';
import { RUNTIME, workDeadline, type Runtime } from './runtime.js';

/** How long shutdown waits for a worker still opening its connections before it closes it anyway. */
const READY_WAIT_MS = 5000;

/**
 * The queue processors (`@DocketProcessor` classes) of an application, by queue. In a process without
 * the worker role they have no BullMQ Worker: call only their `process` method.
 */
export function queueProcessors(discovery: DiscoveryService): Map<QueueName, WorkerHost> {
  const processors = new Map<QueueName, WorkerHost>();
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as unknown;
    if (!(instance instanceof WorkerHost)) continue;
    const queue = processorQueue(instance.constructor);
    if (queue) processors.set(queue, instance);
  }
  return processors;
}

/**
 * Owns the BullMQ Workers. Only a process with the worker role has any: the launcher builds them
 * (`@nestjs/bullmq` is set to manual registration, so an api-only process constructs none, and a
 * Worker opens its connections as soon as it is constructed, run or not), starts them once the
 * application is up and closes them before the rest of the application shuts down, so the jobs
 * being processed finish while the database is still open.
 */
@Injectable()
export class WorkerLauncher implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerLauncher.name);
  private workers: Worker[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly registrar: BullRegistrar,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  onModuleInit(): void {
    if (!this.runtime.config.DOCKET_ROLES.includes('worker')) return;
    const processors = queueProcessors(this.discovery);
    // A worker that would leave a job name unhandled (or run it twice) does not start.
    const problems = jobHandlerProblems(
      [...processors].map(([queue, host]) => ({
        name: host.constructor.name,
        queue,
        jobs: processorJobs(host.constructor),
      })),
    );
    if (problems.length) throw new Error(`queue jobs without exactly one handler: ${problems.join('; ')}`);
    this.registrar.register();
    this.workers = [...processors.values()].map((host) => host.worker);
    // See QueueAdmin.onModuleInit: an `error` without a listener would end the process.
    for (const worker of this.workers)
      worker.on('error', (error: Error) => this.logger.warn(`worker ${worker.name}: ${error.message}`));
  }

  onApplicationBootstrap(): void {
    if (!this.workers.length) return;
    for (const worker of this.workers) {
      void worker.run().catch((error: unknown) => this.logger.error(`worker ${worker.name} stopped: ${String(error)}`));
    }
    this.logger.log(
      `started ${this.workers.length} queue workers: ${this.workers.map((worker) => worker.name).join(', ')}`,
    );
  }

  /**
   * Workers stop taking jobs at once and get until 70 % of SHUTDOWN_GRACE_MS to finish those they run; a job still
   * running then is cancelled (its signal aborted) and left to BullMQ, which hands it to another worker once its
   * lock expires (QUEUE_LOCK_DURATION_MS): the process does not wait for it.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    if (!workers.length) return;
    const deadline = workDeadline(this.runtime);
    await Promise.all(
      workers.map(async (worker) => {
        // A worker closed while it is still connecting may open its LISTEN connection after the
        // close (BullMQ's PostgreSQL backend) and keep it: let it finish connecting first.
        await within(
          worker.waitUntilReady().catch(() => undefined),
          Math.min(READY_WAIT_MS, deadline - Date.now()),
        );
        const closed = await within(
          worker
            .close()
            .then(() => true)
            .catch((error: unknown) => {
              this.logger.error(`worker ${worker.name} did not close cleanly: ${String(error)}`);
              return true;
            }),
          deadline - Date.now(),
        );
        if (closed) return;
        worker.cancelAllJobs('the process is shutting down');
        this.logger.warn(
          `worker ${worker.name} still ran jobs at the end of the shutdown grace (SHUTDOWN_GRACE_MS): left to another worker once their lock expires`,
        );
      }),
    );
  }
}

/** `work`'s result, or undefined when it takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), Math.max(0, ms))));
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
