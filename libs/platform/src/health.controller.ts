import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { ProblemException } from './problem.js';
import { Public } from './public.decorator.js';
import { QueueName } from './queues.js';
import { Extensions } from './extensions.js';
import { READINESS } from './readiness.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    private readonly extensions: Extensions,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({
    description:
      'Database and queue answer (otherwise 503, a problem whose `checks` give each check `up` or `down`). `details.mail`: `state` (`ok`, or `degraded` while mail waits for the mail server), `waiting`, `waitingSince`, `oldestWaitingSeconds`, `failed`, `resends` (handovers made again after one whose outcome was never recorded) and `resentMessages`.',
  })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.checks();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      // Terminus's answer would lose its figures in the problem; say which checks failed (never their messages: the
      // endpoint is public, and they name hosts and ports).
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      const checks = Object.fromEntries(Object.entries(result.details).map(([name, { status }]) => [name, status]));
      throw new ProblemException(503, 'Not ready', `Not ready: no answer from ${down.join(', ')}.`, { checks });
    }
  }

  private checks() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(2000),
      () =>
        this.indicators
          .check('queue')
          .attempt(async () => ({ waiting: (await this.queue.getJobCounts('waiting')).waiting }))
          .withTimeout(3000),
      ...this.extensions.of(READINESS).map(
        (readiness) => () =>
          this.indicators
            .check(readiness.name)
            .attempt(() => readiness.check())
            .withTimeout(3000)
            .cacheFor(2000),
      ),
    ]);
  }
}
