import { randomUUID } from 'node:crypto';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { Clock } from './clock.js';
import { EventBus } from './events.js';
import { Extensions } from './extensions.js';
import { dataSourceOptions } from './database.js';
import { HealthController } from './health.controller.js';
import { MailTransport } from './mail-transport.js';
import { ProblemFilter } from './problem.js';
import { defaultJobOptions } from './queue-backend.js';
import { QueueAdminController } from './queue-admin.controller.js';
import { QueueAdmin } from './queue-admin.service.js';
import { QueueName } from './queues.js';
import { RUNTIME, type Runtime } from './runtime.js';
import { UnitOfWork } from './unit-of-work.js';
import { WorkerLauncher } from './worker-launcher.js';

const NEST_START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Database, queue, mail, clock, logging, errors, health and the event bus for the whole process. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        DiscoveryModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: runtime.config.LOG_LEVEL,
            genReqId: (req) => (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            // A calendar feed's address is its credential: keep it out of the logs.
            serializers: {
              req: (req: { url?: string }) =>
                req.url?.startsWith('/ical/') ? { ...req, url: '/ical/[Redacted].ics', params: undefined } : req,
            },
            autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
            // Nest's start-up lines (a line per module and per route, ~370) bury what a start says to its reader
            // (the credentials shown once, the data folder); they stay visible at LOG_LEVEL=debug.
            hooks: {
              logMethod(args, method, level) {
                const first: unknown = args[0];
                const context =
                  typeof first === 'object' && first !== null ? (first as { context?: unknown }).context : null;
                if (level === 30 && typeof context === 'string' && NEST_START_UP_CONTEXTS.has(context)) {
                  if (this.isLevelEnabled('debug')) method.apply(this, args);
                  return;
                }
                method.apply(this, args);
              },
            },
          },
        }),
        TypeOrmModule.forRoot(dataSourceOptions(runtime.databaseUrl, runtime.schema, runtime.config.DB_POOL_SIZE)),
        BullModule.forRoot({
          connection: runtime.queue.connection,
          prefix: runtime.config.QUEUE_PREFIX,
          defaultJobOptions: defaultJobOptions(runtime.queue.kind),
          // The WorkerLauncher builds the processors' Workers, in worker processes only.
          extraOptions: { manualRegistration: true },
        }),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController, QueueAdminController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: Clock, useValue: runtime.clock },
        { provide: MailTransport, useValue: runtime.mail },
        { provide: APP_FILTER, useClass: ProblemFilter },
        WorkerLauncher,
        UnitOfWork,
        EventBus,
        Extensions,
        QueueAdmin,
      ],
      exports: [RUNTIME, Clock, MailTransport, BullModule, UnitOfWork, EventBus, Extensions, QueueAdmin],
    };
  }
}
