import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { type DocketConfig } from './config.js';
import { dataSourceOptions, runMigrations, type SchemaParts } from './database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import { MailTransport } from './mail-transport.js';
import { selectQueueBackend, type QueueBackend } from './queue-backend.js';
import { configureQueueWorkers, QueueName } from './queues.js';
import { Clock, FileClock, SystemClock } from './clock.js';
import { generateSecret, readOrCreateSecretFile } from './secrets.js';

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
  /**
   * The audit trail's HMAC key (AUDIT_KEY, or generated into <DOCKET_DATA_DIR>/audit.key); never stored in the
   * database.
   */
  auditKey: Buffer;
  describe(): string;
  /** Set when shutdown begins: the time by which work in flight must be finished or handed back. */
  shutdownBy?: number;
}

/**
 * The time by which the parts of a shutting-down process must have finished or handed back their work in flight:
 * 70 % of SHUTDOWN_GRACE_MS after shutdown began, leaving the rest to close connections. The first caller starts it.
 */
export function workDeadline(runtime: Runtime): number {
  runtime.shutdownBy ??= Date.now() + runtime.config.SHUTDOWN_GRACE_MS;
  return runtime.shutdownBy - Math.round(runtime.config.SHUTDOWN_GRACE_MS * 0.3);
}

export interface PrepareOptions {
  log?: (line: string) => void;
  clock?: Clock;
  migrate?: boolean;
}

export async function prepareRuntime(
  config: DocketConfig,
  schema: SchemaParts,
  options: PrepareOptions = {},
): Promise<Runtime> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.DOCKET_DATA_DIR, config.EMBEDDED_PG_PORT, log);
    databaseUrl = embedded.url;
  }
  const auditKey = loadAuditKey(config, log);
  if (options.migrate !== false) {
    const dataSource = new DataSource(
      dataSourceOptions(embedded?.ownerUrl ?? config.DATABASE_OWNER_URL ?? databaseUrl, schema, 2),
    );
    await dataSource.initialize();
    try {
      const applied = await runMigrations(dataSource, { transactionPooling: config.DB_PGBOUNCER });
      if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    } finally {
      await dataSource.destroy();
    }
  }
  await embedded?.grantApplicationRole(schema.appendOnlyTables);
  const queue = selectQueueBackend(config.REDIS_URL, databaseUrl, config.QUEUE_DB_POOL_SIZE);
  configureQueueWorkers({
    lockDuration: config.QUEUE_LOCK_DURATION_MS,
    stalledInterval: config.QUEUE_STALLED_INTERVAL_MS,
    concurrency: { [QueueName.Mail]: config.MAIL_CONCURRENCY, [QueueName.Reminders]: config.REMINDER_CONCURRENCY },
  });
  const mail = new MailTransport(config.SMTP_URL, config.DOCKET_DATA_DIR, config.MAIL_FROM, config.MAIL_CONCURRENCY);
  const database = embedded
    ? `embedded postgres on 127.0.0.1:${config.EMBEDDED_PG_PORT}`
    : `postgres ${new URL(databaseUrl).host}`;
  return {
    config,
    databaseUrl,
    schema,
    queue,
    mail,
    clock:
      options.clock ??
      (config.DOCKET_TEST_CLOCK_FILE ? new FileClock(config.DOCKET_TEST_CLOCK_FILE) : new SystemClock()),
    embedded,
    auditKey,
    describe: () =>
      `database: ${database}; queue: ${queue.describe}; mail: ${mail.describe}; roles: ${config.DOCKET_ROLES.join('+')}`,
  };
}

/**
 * AUDIT_KEY, or the key generated at first start into <DOCKET_DATA_DIR>/audit.key (mode 0600). With a
 * database of its own (DATABASE_URL) each process would otherwise keep its own key: say so.
 */
export function loadAuditKey(config: DocketConfig, log: (line: string) => void): Buffer {
  if (config.AUDIT_KEY) return Buffer.from(config.AUDIT_KEY, 'utf8');
  const path = resolve(config.DOCKET_DATA_DIR, 'audit.key');
  const { value, created } = readOrCreateSecretFile(
    path,
    () => generateSecret(32),
    (text) => {
      const key = text.trim();
      if (key.length < 32) throw new Error(`${path} is damaged (shorter than 32 characters): restore it from a backup`);
      return key;
    },
    (key) => `${key}\n`,
  );
  if (created)
    log(
      `generated the audit key in ${path}: back it up with the database; without it the audit trail cannot be verified`,
    );
  if (config.DATABASE_URL && config.NODE_ENV === 'production')
    log(
      `AUDIT_KEY is not set: using ${path}; every process writing to this database must use the same key (set AUDIT_KEY)`,
    );
  return Buffer.from(value, 'utf8');
}
