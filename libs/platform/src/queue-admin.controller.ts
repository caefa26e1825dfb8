import { BadRequestException, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { ModuleRef } from '@nestjs/core';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Job, Queue } from 'bullmq';
import { Authenticated, Roles } from './public.decorator.js';
import { QueueName } from './queues.js';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children'] as const;

function jobView(job: Job) {
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

/** Queue status for the operators of the deployment (jobs carry ids only, but errors can name addresses). */
@ApiTags('operations')
@Authenticated()
@Roles('sysadmin')
@Controller('api/v1/admin/queues')
export class QueueAdminController {
  constructor(private readonly modules: ModuleRef) {}

  private queue(name: string): Queue {
    if (!(Object.values(QueueName) as string[]).includes(name)) throw new NotFoundException(`There is no queue "${name}". Queues: ${Object.values(QueueName).join(', ')}.`);
    return this.modules.get<Queue>(getQueueToken(name), { strict: false });
  }

  @Get()
  @ApiOkResponse({ description: '[{name, counts: {waiting, active, delayed, completed, failed, …}}]' })
  async list() {
    return Promise.all(Object.values(QueueName).map(async (name) => ({ name, counts: await this.queue(name).getJobCounts(...STATES) })));
  }

  @Get(':name/failed')
  @ApiOkResponse({ description: 'Failed jobs, newest first, with their error' })
  async failed(@Param('name') name: string, @Query('limit') limit?: string) {
    const take = Math.min(Math.max(Number(limit) || 50, 1), 500);
    return (await this.queue(name).getFailed(0, take - 1)).map(jobView);
  }

  @Post(':name/jobs/:id/retry')
  @HttpCode(200)
  async retry(@Param('name') name: string, @Param('id') id: string) {
    const job = await this.queue(name).getJob(id);
    if (!job) throw new NotFoundException(`Queue ${name} has no job ${id}.`);
    if (!(await job.isFailed())) throw new BadRequestException(`Job ${id} is not failed; only failed jobs can be retried.`);
    await job.retry();
    return jobView(job);
  }
}
