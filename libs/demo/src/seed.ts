import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import type { Job } from 'bullmq';
import { CasesService } from '#docket/cases';
import { InquiriesService, TemplateRegistry } from '#docket/correspondence';
import { OutcomesService, ResponsesService } from '#docket/decisions';
import { CalendarService, DeadlinesService, ReminderScheduler } from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import { SEND_ATTEMPTS } from '#docket/mailing';
import { JobName, queueProcessors, QueueName, type Runtime } from '#docket/platform';
import { OrganisationsService } from '#docket/registry';
import { DemoClock } from './demo-clock.js';
import { DemoLoader, DemoRefused, type DemoReport } from './demo-loader.js';

export type RootModule = (runtime: Runtime) => DynamicModule;

/** The mail worker's processor, to send one letter at the instant of its story (its queued job then finds it sent). */
function mailSender(app: INestApplicationContext): (messageId: string) => Promise<void> {
  const host = queueProcessors(app.get(DiscoveryService)).get(QueueName.Mail);
  if (!host) throw new Error('the mail processor is not registered');
  return async (messageId) => {
    const job = {
      name: JobName.SendMail,
      data: { outboundMessageId: messageId },
      attemptsMade: 0,
      opts: { attempts: SEND_ATTEMPTS },
    };
    // A failure is recorded on the message and its queued job retries it, as for any letter.
    await host.process(job as unknown as Job).catch(() => undefined);
  };
}

/**
 * Loads the demo in an application context of its own: the same modules as the server (`root`), no
 * queue workers (they would run on the demo's clock), and a clock the loader sets to each step's instant.
 */
export async function seedDemo(runtime: Runtime, root: RootModule, log: (line: string) => void): Promise<DemoReport> {
  const clock = new DemoClock();
  const demoRuntime: Runtime = { ...runtime, clock, config: { ...runtime.config, DOCKET_ROLES: ['api'] } };
  const app = await NestFactory.createApplicationContext(root(demoRuntime), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    const loader = new DemoLoader(
      {
        identity: app.get(IdentityService),
        organisations: app.get(OrganisationsService),
        cases: app.get(CasesService),
        inquiries: app.get(InquiriesService),
        templates: app.get(TemplateRegistry),
        deadlines: app.get(DeadlinesService),
        calendar: app.get(CalendarService),
        scheduler: app.get(ReminderScheduler),
        responses: app.get(ResponsesService),
        outcomes: app.get(OutcomesService),
        deliver: mailSender(app),
      },
      clock,
      log,
    );
    return await loader.load();
  } finally {
    await app.close();
  }
}

/** `DOCKET_DEMO=true`: loads the demo before the server starts; a database with real work is left alone. */
export async function seedDemoAtStart(runtime: Runtime, root: RootModule, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  try {
    await seedDemo(runtime, root, log);
    log(
      `Demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s; sign in as manager@gpdp.demo.example / demo-gpdp-manager.`,
    );
  } catch (error) {
    if (!(error instanceof DemoRefused)) throw error;
    log(`DOCKET_DEMO is set but the demo was not loaded: ${error.message}`);
  }
}
