import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { Queue, type Job } from 'bullmq';
import { InvalidInput, NotFound } from './domain-errors.js';
import { EventBus } from './events.js';
import { QueueName } from './queues.js';

export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'completed',
  'failed',
  'prioritized',
  'waiting-children',
] as const;

export interface QueueJobView {
  id: string | undefined;
  name: string;
  data: unknown;
  attemptsMade: number;
  failedReason: string | null;
  stacktrace: string[];
  createdAt: string;
  finishedAt: string | null;
}

export function queueJobView(job: Job): QueueJobView {
  return {
    id: job.id,
    name: job.name,
    data: job.data as unknown,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason ?? null,
    stacktrace: (job.stacktrace ?? []).slice(-1),
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/**
 * An operator retries a failed job: told on the event bus (outside any transaction) before the job runs again, so
 * that the context owning the queue reopens the record the job acts on (the mail queue queues its message again).
 * A subscriber that fails keeps the job failed.
 */
export class FailedJobRetried {
  constructor(
    readonly queue: QueueName,
    readonly job: Job,
  ) {}
}

/** The deployment's queues for its operators: counts, failed jobs, retry. Shared by the API and the Queues page. */
@Injectable()
export class QueueAdmin implements OnModuleInit {
  private readonly logger = new Logger(QueueAdmin.name);

  constructor(
    private readonly modules: ModuleRef,
    private readonly discovery: DiscoveryService,
    private readonly events: EventBus,
  ) {}

  /**
   * A queue emits `error` when its connection fails (PostgreSQL restarted or the connection cut, with the PostgreSQL
   * backend; Redis gone): without a listener Node throws it, and the process dies of a blip it would survive. Every
   * Queue instance of the application gets one (a module that registers a queue has its own instance).
   */
  onModuleInit(): void {
    const seen = new Set<Queue>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as unknown;
      if (!(instance instanceof Queue) || seen.has(instance)) continue;
      seen.add(instance);
      const name = instance.name;
      instance.on('error', (error: Error) => this.logger.warn(`queue ${name}: ${error.message}`));
    }
  }

  names(): string[] {
    return Object.values(QueueName);
  }

  private queue(name: string): Queue {
    if (!this.names().includes(name))
      throw new NotFound(`There is no queue "${name}". Queues: ${this.names().join(', ')}.`);
    return this.modules.get<Queue>(getQueueToken(name), { strict: false });
  }

  list(): Promise<{ name: string; counts: Record<string, number> }[]> {
    return Promise.all(
      this.names().map(async (name) => ({ name, counts: await this.queue(name).getJobCounts(...QUEUE_STATES) })),
    );
  }

  /** Failed jobs, newest first. */
  async failed(name: string, limit = 50): Promise<QueueJobView[]> {
    const take = Math.min(Math.max(Math.trunc(limit) || 50, 1), 500);
    return (await this.queue(name).getFailed(0, take - 1)).map(queueJobView);
  }

  async retry(name: string, id: string): Promise<QueueJobView> {
    const job = await this.queue(name).getJob(id);
    if (!job) throw new NotFound(`Queue ${name} has no job ${id}.`);
    if (!(await job.isFailed())) throw new InvalidInput(`Job ${id} is not failed; only failed jobs can be retried.`);
    await this.events.publish(new FailedJobRetried(name as QueueName, job));
    await job.retry();
    return queueJobView(job);
  }
}
