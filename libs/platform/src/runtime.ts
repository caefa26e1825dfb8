import { DataSource } from 'typeorm';
import { type DocketConfig } from './config.js';
import { dataSourceOptions, runMigrations, type SchemaParts } from './database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import { MailTransport } from './mail-transport.js';
import { selectQueueBackend, type QueueBackend } from './queue-backend.js';
import { configureQueueWorkers, QueueName } from './queues.js';
import { Clock, FileClock, SystemClock } from './clock.js';

export const RUNTIME = Symbol('DOCKET_RUNTIME');

/** Everything decided before Nest starts: where the database, queue and mail live. */
export interface Runtime {
  config: DocketConfig;
  databaseUrl: string;
  schema: SchemaParts;
  queue: QueueBackend;
  mail: MailTransport;
  clock: Clock;
  embedded?: EmbeddedDatabase;
  describe(): string;
}

export interface PrepareOptions {
  log?: (line: string) => void;
  clock?: Clock;
  migrate?: boolean;
}

export async function prepareRuntime(config: DocketConfig, schema: SchemaParts, options: PrepareOptions = {}): Promise<Runtime> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.DOCKET_DATA_DIR, config.EMBEDDED_PG_PORT, log);
    databaseUrl = embedded.url;
  }
  if (options.migrate !== false) {
    const dataSource = new DataSource(dataSourceOptions(databaseUrl, schema, 2));
    await dataSource.initialize();
    try {
      const applied = await runMigrations(dataSource);
      if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    } finally {
      await dataSource.destroy();
    }
  }
  const queue = selectQueueBackend(config.REDIS_URL, databaseUrl);
  configureQueueWorkers({
    lockDuration: config.QUEUE_LOCK_DURATION_MS,
    stalledInterval: config.QUEUE_STALLED_INTERVAL_MS,
    concurrency: { [QueueName.Mail]: config.MAIL_CONCURRENCY, [QueueName.Reminders]: config.REMINDER_CONCURRENCY },
  });
  const mail = new MailTransport(config.SMTP_URL, config.DOCKET_DATA_DIR, config.MAIL_FROM, config.MAIL_CONCURRENCY);
  const database = embedded ? `embedded postgres on 127.0.0.1:${config.EMBEDDED_PG_PORT}` : `postgres ${new URL(databaseUrl).host}`;
  return {
    config,
    databaseUrl,
    schema,
    queue,
    mail,
    clock: options.clock ?? (config.DOCKET_TEST_CLOCK_FILE ? new FileClock(config.DOCKET_TEST_CLOCK_FILE) : new SystemClock()),
    embedded,
    describe: () => `database: ${database}; queue: ${queue.describe}; mail: ${mail.describe}; roles: ${config.DOCKET_ROLES.join('+')}`,
  };
}
