import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
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

/** The deployment's queues for its operators: counts, failed jobs, retry. Shared by the API and the Queues page. */
@Injectable()
export class QueueAdmin {
  constructor(private readonly modules: ModuleRef) {}

  names(): string[] {
    return Object.values(QueueName);
  }

  private queue(name: string): Queue {
    if (!this.names().includes(name))
      throw new NotFoundException(`There is no queue "${name}". Queues: ${this.names().join(', ')}.`);
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
    if (!job) throw new NotFoundException(`Queue ${name} has no job ${id}.`);
    if (!(await job.isFailed()))
      throw new BadRequestException(`Job ${id} is not failed; only failed jobs can be retried.`);
    await job.retry();
    return queueJobView(job);
  }
}
