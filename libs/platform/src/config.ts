import { z } from 'zod';

const roles = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(['api', 'worker'])).min(1, 'name at least one of api, worker'));

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((value) => protocols.some((p) => value.startsWith(`${p}:`)), `must start with ${protocols.join(': or ')}:`);

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration written as a number and a unit (`500ms`, `30s`, `15m`, `48h`, `5d`), in milliseconds. */
export function parseDuration(value: string): number | null {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  return match ? Number(match[1]) * DURATION_UNITS[match[2]] : null;
}

const duration = (min: number, max: number) =>
  z.string().transform((value, context) => {
    const ms = parseDuration(value);
    if (ms === null || ms < min || ms > max) {
      context.addIssue({
        code: 'custom',
        message: `must be a number with a unit (ms, s, m, h, d) between ${min} ms and ${max / 86_400_000} days, e.g. 48h`,
      });
      return z.NEVER;
    }
    return ms;
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DOCKET_ROLES: roles.default(['api', 'worker']),
  DOCKET_DATA_DIR: z.string().min(1).default('var'),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  /**
   * The role that owns the tables, for migrations only (with DATABASE_URL): the application then connects
   * as DATABASE_URL's role, which should not own audit_events (see README, Protecting the audit trail).
   */
  DATABASE_OWNER_URL: url(['postgres', 'postgresql']).optional(),
  /**
   * PostgreSQL connections of this process for the application's queries (one pool); see README, Connections, for
   * the size that fits N processes under max_connections.
   */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /** Connections of each BullMQ queue and worker on the PostgreSQL queue backend (plus one LISTEN per worker). */
  QUEUE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(2),
  /**
   * DATABASE_URL points at PgBouncer in transaction pooling: no session state is kept between transactions
   * (migrations take a transaction-scoped lock), no named prepared statements; queues need REDIS_URL (the
   * PostgreSQL queue backend LISTENs).
   */
  DB_PGBOUNCER: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/i, 'letters, digits, _ or - only')
    .default('docket'),
  SMTP_URL: url(['smtp', 'smtps']).optional(),
  DOCKET_TEMPLATES_DIR: z.string().min(1).default('templates'),
  /** Domain of the per-inquiry Reply-To addresses (reply+<token>@domain); defaults to MAIL_FROM's. */
  REPLY_TO_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Docket <docket@localhost>'),
  /**
   * Address of the site as users reach it (links in staff e-mails, the calendar feed); defaults to
   * http://localhost:<PORT>.
   */
  PUBLIC_URL: z.string().url().optional(),
  /**
   * Tests only (NODE_ENV=test): a file holding the ISO instant the clock reads, so that tests can move
   * the time of a server they started as a separate process.
   */
  DOCKET_TEST_CLOCK_FILE: z.string().min(1).optional(),
  DOCKET_ADMIN_EMAIL: z.string().email().default('admin@docket.local'),
  DOCKET_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Loads the demo (libs/demo) at start, before listening, unless it is already there. */
  DOCKET_DEMO: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  TOKEN_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .default(12 * 60),
  /**
   * Key for the web pages' CSRF tokens and signed cookies; generated per process when unset (set it when several API
   * processes serve pages).
   */
  WEB_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * Key of the audit trail's HMAC chain and of its checkpoints; kept out of the database. When unset it is
   * generated at first start into <DOCKET_DATA_DIR>/audit.key (mode 0600). Every process must use the same.
   */
  AUDIT_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Folder outside the database (another disk, a mounted share) where audit checkpoints are written on demand. */
  AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb')
    .default('1mb'),
  /** Largest attachment of a response, in MiB. */
  ATTACHMENT_MAX_MB: z.coerce.number().positive().max(1024).default(20),
  /** ClamAV's clamd, `tcp://127.0.0.1:3310` or `unix:///run/clamav/clamd.ctl`: every file that enters is scanned. */
  CLAMD_URL: z
    .string()
    .regex(/^(tcp:\/\/[^/:]+:\d{1,5}|unix:\/\/\/.+)$/, 'must be tcp://host:port or unix:///path/to/socket')
    .optional(),
  CLAMD_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /**
   * Wrong passwords for one account (within ACCOUNT_LOCK_MINUTES) that lock it for ACCOUNT_LOCK_MINUTES, whatever
   * address they come from.
   */
  ACCOUNT_LOCK_FAILURES: z.coerce.number().int().min(1).default(10),
  ACCOUNT_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  /**
   * How long a worker's claim on a job lasts without renewal (renewed every half of it). A worker that
   * dies holds its jobs this long before they can be recovered; too short and a busy worker loses
   * jobs it is still running to another.
   */
  QUEUE_LOCK_DURATION_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** How often workers look for jobs whose worker died (their lock expired) and put them back. */
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /**
   * Messages one worker process hands to the mail server at once: send jobs in parallel, each on a pooled SMTP
   * connection.
   */
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  /**
   * How long a message the mail server does not take for now (connection failure, timeout, 4xx reply) is tried
   * again before it fails; RFC 5321 §4.5.4.1 suggests 4–5 days. In milliseconds once parsed.
   */
  MAIL_RETRY_WINDOW: duration(1000, 30 * 86_400_000).default(48 * 3_600_000),
  /** The longest pause between two attempts of a waiting message (the pauses grow from 2 s, doubling). */
  MAIL_RETRY_MAX_INTERVAL: duration(100, 86_400_000).default(15 * 60_000),
  /** Reminder jobs one worker process runs at once; those running together are fired in one transaction. */
  REMINDER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(50),
  /** SMTP listener for replies (libs/inbound); off when unset. 0 picks a free port. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Accepted recipient domains, comma separated; `domain=CODE` sends unmatched mail to that authority's triage inbox.
   */
  INBOUND_DOMAINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().regex(/^[a-z0-9.-]+(=[A-Za-z0-9_-]+)?$/i, 'each entry must be domain or domain=AUTHORITY_CODE'),
      ),
    )
    .default([]),
  INBOUND_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(200 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  /** Messages one envelope sender may deliver per minute before the listener answers 450. */
  INBOUND_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /**
   * IMAP mailbox polled for replies (libs/inbound), e.g. `imaps://user:password@imap.example:993`; off when
   * unset. `imap://` is plain text with STARTTLS when offered; `?tls=insecure` accepts any certificate.
   */
  INBOUND_IMAP_URL: z
    .string()
    .url()
    .refine((value) => /^imaps?:\/\/[^@/]+@[^/]+/.test(value), 'must be imap:// or imaps:// with user and password')
    .optional(),
  INBOUND_IMAP_FOLDER: z.string().min(1).default('INBOX'),
  INBOUND_IMAP_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  /** Authority (code) whose triage inbox receives the mailbox's messages that match nothing. */
  INBOUND_IMAP_AUTHORITY: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  /** PEM key and certificate files; STARTTLS stays disabled unless both are set. */
  INBOUND_TLS_KEY: z.string().min(1).optional(),
  INBOUND_TLS_CERT: z.string().min(1).optional(),
});

const configSchema = schema
  .refine((config) => !config.DATABASE_OWNER_URL || config.DATABASE_URL, {
    path: ['DATABASE_OWNER_URL'],
    message: 'is only accepted with DATABASE_URL',
  })
  .refine((config) => !config.DB_PGBOUNCER || (config.DATABASE_URL && config.REDIS_URL), {
    path: ['DB_PGBOUNCER'],
    message:
      'needs DATABASE_URL (PgBouncer in front of PostgreSQL) and REDIS_URL (the PostgreSQL queue backend needs LISTEN, which transaction pooling breaks)',
  })
  .refine((config) => !config.DOCKET_TEST_CLOCK_FILE || config.NODE_ENV === 'test', {
    path: ['DOCKET_TEST_CLOCK_FILE'],
    message: 'is only accepted with NODE_ENV=test',
  })
  .transform((config) => ({ ...config, PUBLIC_URL: config.PUBLIC_URL ?? `http://localhost:${config.PORT}` }));

export type DocketConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Reads and validates the environment once; a bad value stops the start naming the key (never the value). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): DocketConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
