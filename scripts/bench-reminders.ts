// Benchmark (a script, not a test): reminder delivery through Docket's real path against a bare
// BullMQ + nodemailer script doing the same sends, on both queue backends (issue 6).
//
// Usage: npm run bench:reminders [-- --count 100000 --lag 1000 --lag-window 60 --workers 1 --warm-up 1000
//   --backends postgres,redis]
// BENCH_WORKER_ENV='{"MAIL_CONCURRENCY":"16"}' passes settings to Docket (the bare script follows MAIL_CONCURRENCY);
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" passes flags to every worker process's node, to profile them.
//
// Per backend, on the machine's PostgreSQL (BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
// and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379), in a scratch database created and dropped here
// and a queue prefix of its own (its Redis keys are deleted at the end; nothing else is touched):
// - an SMTP sink (smtp-server, in this process, on loopback) counts messages and notes each Message-ID's
//   arrival time; it does not parse them;
// - this process runs Docket with DOCKET_ROLES=api; authorities, users, an organisation, and one case with
//   an inquiry per authority are created through the HTTP API;
// - the rest of the data is inserted with set-based SQL, copied from those API-made rows: cases, their
//   inquiries, deadlines and one reminder per deadline (`-P1D` before a due instant one day after the fire
//   time, so no deadline falls due during the run; audiences respondent 4 : assignee 3 : manager 3); deadlines keep
//   the seed's rule set and holiday-data version, as Docket writes them (without it a worker's start moves them as
//   computed with other holiday data, and the notices of those moves reach the sink among the reminders);
// - the reminder jobs are then scheduled through Docket's own ReminderScheduler.enqueue, and delivered by
//   Docket's real worker processes (`node dist/apps/server/src/main.js`, DOCKET_ROLES=worker, --workers of
//   them): fire-reminder job (row lock, status check, render, outbound row with dedupe key) then send-mail
//   job (SMTP, mark sent), with the periodic reconciliation running as in production;
// - the bare script: the same number of worker processes (this file with --bare-worker) running one BullMQ
//   worker whose concurrency is Docket's send concurrency, sending with nodemailer over the same SMTP URL
//   (so the same connection pooling), messages copied from what Docket rendered; jobs are added with
//   addBulk, delayed to one instant like the reminders.
// Runs: Docket warm-up (1,000) and the lag run (--lag reminders spread evenly over --lag-window seconds);
// bare warm-up and burst (--count due at one instant); Docket burst (--count due at one instant), last, so
// that any table bloat left by earlier runs counts against Docket. A burst is timed from the due instant
// to the last arrival at the sink. PostgreSQL's CPU is given for all its processes (on a shared machine that
// includes others' work, and falls when their sessions end) and for the sessions of this run's database alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createPostgresBackend, Queue, setDefaultBackendFactory, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { Between, DataSource } from 'typeorm';
import { Reminder, ReminderScheduler } from '#docket/deadlines';
import type { MessageAttachment } from '#docket/mailing';
import {
  configureHttpApp,
  defaultJobOptions,
  httpAdapter,
  loadConfig,
  prepareRuntime,
  type Runtime,
  smtpOptions,
} from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { AppModule } from '../apps/server/src/app.module.js';
import { cpuSeconds, loadAverage, postgresCpuSeconds } from './bench-support.js';

type Backend = 'postgres' | 'redis';

const arg = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
};
const COUNT = Number(arg('--count', '100000'));
const LAG_COUNT = Number(arg('--lag', '1000'));
const LAG_WINDOW_S = Number(arg('--lag-window', '60'));
const WORKERS = Number(arg('--workers', '1'));
const BACKENDS = arg('--backends', 'postgres,redis').split(',') as Backend[];
const WARM_UP = Number(arg('--warm-up', '1000'));
/** How long a burst may take per message before the run gives up (a loaded machine: BENCH_WAIT_PER_MESSAGE_MS). */
const BURST_WAIT_PER_MESSAGE_MS = Number(process.env.BENCH_WAIT_PER_MESSAGE_MS ?? '20');
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = { email: 'bench-admin@docket.local', password: 'bench-admin-password-1' };
/**
 * Extra settings for Docket (its worker processes and this process), e.g. {"MAIL_CONCURRENCY":"16"}; the bare script
 * follows MAIL_CONCURRENCY.
 */
const DOCKET_ENV = process.env.BENCH_WORKER_ENV
  ? (JSON.parse(process.env.BENCH_WORKER_ENV) as Record<string, string>)
  : {};
const MAIL_FROM = 'Docket bench <docket@bench.example>';
const BARE_QUEUE = 'bare-mail';
const SERVER_ENTRY = fileURLToPath(new URL('../apps/server/src/main.js', import.meta.url));
const THIS_SCRIPT = fileURLToPath(import.meta.url);
const AUTHORITIES = [
  { code: 'BGPDP', country: 'IT', timezone: 'Europe/Rome', locale: 'it-IT', holidayRegion: 'IT' },
  { code: 'BCNIL', country: 'FR', timezone: 'Europe/Paris', locale: 'fr-FR', holidayRegion: 'FR' },
  { code: 'BDPC', country: 'IE', timezone: 'Europe/Dublin', locale: 'en-IE', holidayRegion: 'IE' },
  { code: 'BPIPC', country: 'KR', timezone: 'Asia/Seoul', locale: 'ko-KR', holidayRegion: 'KR' },
  { code: 'BPPC', country: 'JP', timezone: 'Asia/Tokyo', locale: 'ja-JP', holidayRegion: 'JP' },
  { code: 'BAEPD', country: 'ES', timezone: 'Europe/Madrid', locale: 'en-ES', holidayRegion: 'ES' },
  { code: 'BBFDI', country: 'DE', timezone: 'Europe/Berlin', locale: 'en-DE', holidayRegion: 'DE' },
  { code: 'BAP', country: 'NL', timezone: 'Europe/Amsterdam', locale: 'en-NL', holidayRegion: 'NL' },
  { code: 'BICO', country: 'GB', timezone: 'Europe/London', locale: 'en-GB', holidayRegion: 'GB' },
  { code: 'BUODO', country: 'PL', timezone: 'Europe/Warsaw', locale: 'en-PL', holidayRegion: 'PL' },
];
const INQUIRY_LOCALE: Record<string, string> = { IT: 'it', FR: 'fr', KR: 'ko', JP: 'ja' };
const DEADLINES_PER_CASE = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const log = (line: string) => process.stdout.write(`${line}\n`);

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A real SMTP server on loopback that notes when each Message-ID arrives, without parsing the messages. */
class CountingSink {
  arrivals = new Map<string, number>();
  duplicates = 0;
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      disableReverseLookup: true,
      logger: false,
      onData: (stream, _session, callback) => {
        let head = '';
        let messageId: string | null = null;
        stream.on('data', (chunk: Buffer) => {
          if (messageId !== null || head.length > 65536) return;
          head += chunk.toString('latin1');
          messageId = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? null;
        });
        stream.on('end', () => {
          const at = Date.now();
          const id = messageId ?? `<no-message-id-${at}-${Math.random()}>`;
          if (this.arrivals.has(id)) this.duplicates++;
          else this.arrivals.set(id, at);
          callback();
        });
      },
    });
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** First and last arrival. */
  span(): { first: number; last: number } {
    let first = Infinity;
    let last = -Infinity;
    for (const at of this.arrivals.values()) {
      first = Math.min(first, at);
      last = Math.max(last, at);
    }
    return { first, last };
  }

  reset(): void {
    this.arrivals = new Map();
    this.duplicates = 0;
  }

  async waitFor(count: number, timeoutMs: number, what: string): Promise<void> {
    const started = Date.now();
    while (this.arrivals.size < count) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`${what}: ${this.arrivals.size}/${count} messages after ${(timeoutMs / 1000).toFixed(0)} s`);
      await sleep(20);
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function queueConnection(backend: Backend, databaseUrl: string): ConnectionOptions {
  if (backend === 'redis') {
    const url = new URL(REDIS_URL);
    return { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  }
  return { connectionString: databaseUrl, schema: 'bullmq', migrate: true, max: 10 } as unknown as ConnectionOptions;
}

interface Spawned {
  child: ChildProcess;
  output: () => string;
}

async function spawnReady(
  args: string[],
  env: Record<string, string>,
  readyLine: string,
  label: string,
): Promise<Spawned> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20000)));
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20000);
    process.stderr.write(`[${label} ${child.pid}] ${chunk.toString('utf8')}`);
  });
  const started = Date.now();
  while (!output.includes(readyLine)) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > 60_000) throw new Error(`${label} not ready within 60 s:\n${output}`);
    await sleep(50);
  }
  return { child, output: () => output };
}

async function stopAll(processes: Spawned[]): Promise<void> {
  await Promise.all(
    processes.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid as number, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid as number, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }),
  );
  processes.length = 0;
}

// ---------------------------------------------------------------------------------------------------
// The bare script's worker: BullMQ + nodemailer and nothing else.

/** A message Docket sent, sent again by the bare script: the same text and the same attached files. */
interface MessageSample {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments: MessageAttachment[];
}

async function bareWorker(): Promise<void> {
  const backend = process.env.BENCH_BACKEND as Backend;
  if (backend === 'postgres') setDefaultBackendFactory(createPostgresBackend as never);
  // The same nodemailer options as Docket's transport (a pool of as many SMTP sessions as jobs at once).
  const concurrency = Number(process.env.BENCH_CONCURRENCY);
  const transport = nodemailer.createTransport(
    smtpOptions(process.env.BENCH_SMTP_URL as string, true, concurrency) as never,
  );
  const worker = new Worker(
    BARE_QUEUE,
    async (job) => {
      const data = job.data as MessageSample;
      await transport.sendMail({
        from: MAIL_FROM,
        to: data.to,
        subject: data.subject,
        html: data.html,
        text: data.text,
        messageId: `<bare-${job.id}@bench.example>`,
        attachments: data.attachments.map((attachment) => ({
          filename: attachment.filename,
          contentType: attachment.contentType,
          path: join(process.env.BENCH_DATA_DIR as string, attachment.path),
        })),
      });
    },
    {
      connection: queueConnection(backend, process.env.BENCH_DATABASE_URL as string),
      prefix: process.env.BENCH_PREFIX,
      concurrency,
    },
  );
  await worker.waitUntilReady();
  process.stdout.write('bare worker ready\n');
  process.once('SIGTERM', () => {
    void worker.close().then(() => {
      transport.close();
      process.exit(0);
    });
  });
}

// ---------------------------------------------------------------------------------------------------

interface Seed {
  authorityId: string;
  code: string;
  caseId: string;
  inquiryId: string;
  deadlineId: string;
}

class Bench {
  private readonly prefix = `bench${Date.now().toString(36)}`;
  private readonly database = `docket_bench_${this.prefix}`;
  private databaseUrl = '';
  private runtime!: Runtime;
  private app!: NestExpressApplication;
  private dataSource!: DataSource;
  private apiUrl = '';
  private sink!: CountingSink;
  private dataDir = '';
  private readonly workers: Spawned[] = [];
  private seeds: Seed[] = [];
  private samples: MessageSample[] = [];
  /** Jobs queued per second, as last measured for Docket and for the bare script: to plan due instants. */
  private enqueueRate = 2000;
  private bareEnqueueRate = 2000;
  private batch = 0;

  constructor(private readonly backend: Backend) {}

  async run(): Promise<void> {
    try {
      await this.setUp();
      await this.startDocketWorkers();
      await this.sink.waitFor(AUTHORITIES.length, 60_000, 'seed inquiries');
      this.sink.reset();
      await this.docketBurst(WARM_UP, 'Docket warm-up');
      await this.saveSamples();
      await this.lagRun();
      await stopAll(this.workers);

      await this.bareBurst(WARM_UP, 'bare warm-up');
      const bare = await this.bareBurst(COUNT, 'bare burst');

      await this.startDocketWorkers();
      const docket = await this.docketBurst(COUNT, 'Docket burst');
      log(`  ${this.backend}: ratio Docket / bare throughput at ${COUNT}: ${(docket / bare).toFixed(2)}`);
    } finally {
      await this.tearDown();
    }
  }

  private async setUp(): Promise<void> {
    await withClient(ADMIN_URL, (client) => client.query(`CREATE DATABASE "${this.database}"`));
    const url = new URL(ADMIN_URL);
    url.pathname = `/${this.database}`;
    this.databaseUrl = url.toString();
    this.dataDir = await mkdtemp(join(os.tmpdir(), 'docket-bench-'));
    this.sink = await new CountingSink().start();
    if (this.backend === 'redis') {
      const redis = new Redis(REDIS_URL);
      await redis.set(`${this.prefix}-sentinel`, '1');
      redis.disconnect();
    }
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: this.databaseUrl,
      ...(this.backend === 'redis' ? { REDIS_URL } : {}),
      QUEUE_PREFIX: this.prefix,
      SMTP_URL: this.smtpUrl(),
      MAIL_FROM,
      DOCKET_ROLES: 'api',
      DOCKET_DATA_DIR: this.dataDir,
      DOCKET_ADMIN_EMAIL: ADMIN.email,
      DOCKET_ADMIN_PASSWORD: ADMIN.password,
      LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      ...DOCKET_ENV,
    });
    this.runtime = await prepareRuntime(config, docketSchema, { log: () => undefined });
    this.app = await NestFactory.create<NestExpressApplication>(AppModule.forRuntime(this.runtime), httpAdapter(), {
      bodyParser: false,
      logger: ['error', 'warn'],
    });
    configureHttpApp(this.app, this.runtime);
    await this.app.listen(0, '127.0.0.1');
    this.apiUrl = `http://127.0.0.1:${(this.app.getHttpServer().address() as AddressInfo).port}`;
    this.dataSource = this.app.get(DataSource);
    await this.seedThroughApi();
    const { REMINDER_CONCURRENCY, MAIL_CONCURRENCY } = this.runtime.config;
    log(
      `  ${this.backend}: Docket workers run ${REMINDER_CONCURRENCY} reminder jobs and ${MAIL_CONCURRENCY} send jobs at once (${MAIL_CONCURRENCY} pooled SMTP sessions); the bare workers ${MAIL_CONCURRENCY} jobs on as many sessions`,
    );
  }

  private smtpUrl(): string {
    return `smtp://127.0.0.1:${this.sink.port}?ignoreTLS=true`;
  }

  private async call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  private async seedThroughApi(): Promise<void> {
    const admin = (await this.call('POST', '/api/v1/auth/token', null, ADMIN)).token as string;
    let organisationId = '';
    for (const authority of AUTHORITIES) {
      const created = await this.call('POST', '/api/v1/authorities', admin, {
        ...authority,
        name: `${authority.code} (benchmark)`,
      });
      const lower = authority.code.toLowerCase();
      const users: Record<string, string> = {};
      for (const [role, email] of [
        ['officer', `officer@${lower}.bench`],
        ['manager', `manager@${lower}.bench`],
        ['manager', `deputy@${lower}.bench`],
      ]) {
        const user = await this.call('POST', '/api/v1/users', admin, {
          email,
          name: `${authority.code} ${role}`,
          password: `${role}-password-123`,
          role,
          authority: authority.code,
        });
        users[email] = user.id as string;
      }
      const officer = (
        await this.call('POST', '/api/v1/auth/token', null, {
          email: `officer@${lower}.bench`,
          password: 'officer-password-123',
        })
      ).token as string;
      if (!organisationId) {
        organisationId = (
          await this.call('POST', '/api/v1/organisations', officer, {
            name: 'Bench AI Ltd',
            country: 'CN',
            contacts: [{ name: 'Data Protection Officer', email: 'dpo@provider.example', role: 'dpo' }],
            products: [{ name: 'Chat app', kind: 'app' }],
          })
        ).id as string;
      }
      const kase = await this.call('POST', '/api/v1/cases', officer, {
        organisationId,
        title: 'Processing of personal data by an AI chatbot',
        type: 'ex_officio',
        legalBasis: 'GDPR Art. 58(1)(a)',
        assigneeId: users[`officer@${lower}.bench`],
      });
      const inquiry = await this.call('POST', `/api/v1/cases/${kase.id as string}/inquiries`, officer, {
        template: 'ai-inquiry',
        locale: INQUIRY_LOCALE[authority.country] ?? 'en',
        to: ['dpo@provider.example'],
        deadline: { count: 20, unit: 'calendar_days' },
      });
      this.seeds.push({
        authorityId: created.id as string,
        code: authority.code,
        caseId: kase.id as string,
        inquiryId: inquiry.id as string,
        deadlineId: (inquiry.deadline as { id: string }).id,
      });
    }
  }

  /**
   * Copies the API-made case, inquiry and deadline of each authority with set-based SQL: one case (with its
   * inquiry) per ten reminders, and one deadline with one reminder firing at `fireAt(index)` per reminder.
   */
  private async insertReminders(count: number, fireAt: (index: number) => Date): Promise<{ from: Date; to: Date }> {
    const cases = Math.ceil(count / DEADLINES_PER_CASE);
    const batch = ++this.batch;
    const fireTimes = Array.from({ length: count }, (_, index) => fireAt(index).toISOString());
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `CREATE TEMP TABLE bc ON COMMIT DROP AS
           SELECT gen_random_uuid() AS case_id, gen_random_uuid() AS inquiry_id, replace(gen_random_uuid()::text, '-', '') AS token,
                  s.authority_id, s.code, s.case_id AS seed_case, s.inquiry_id AS seed_inquiry, s.deadline_id AS seed_deadline, g AS n
             FROM generate_series(0, $1::int - 1) g
             JOIN unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[]) WITH ORDINALITY AS s(authority_id, code, case_id, inquiry_id, deadline_id, position)
               ON s.position = g % $7::int + 1`,
        [
          cases,
          this.seeds.map((s) => s.authorityId),
          this.seeds.map((s) => s.code),
          this.seeds.map((s) => s.caseId),
          this.seeds.map((s) => s.inquiryId),
          this.seeds.map((s) => s.deadlineId),
          this.seeds.length,
        ],
      );
      await manager.query(
        `INSERT INTO cases (id, authority_id, reference, title, organisation_id, products, type, legal_basis, priority, assignee_id, tags, risk_flags, status, version, shared_for_coordination, created_at, updated_at)
         SELECT bc.case_id, bc.authority_id, bc.code || '-2099-B' || $1::int || '-' || bc.n, c.title, c.organisation_id, c.products, c.type, c.legal_basis, c.priority, c.assignee_id, c.tags, c.risk_flags, c.status, 1, false, now(), now()
           FROM bc JOIN cases c ON c.id = bc.seed_case`,
        [batch],
      );
      await manager.query(
        `INSERT INTO inquiries (id, authority_id, case_id, template_key, template_version, locale, to_addresses, cc_addresses, questions, subject, html, text, reply_token, reply_to, status, sent_at, created_by, created_at)
         SELECT bc.inquiry_id, bc.authority_id, bc.case_id, i.template_key, i.template_version, i.locale, i.to_addresses, i.cc_addresses, i.questions, i.subject, i.html, i.text,
                bc.token, 'reply+' || bc.token || '@bench.example', 'sent', now(), i.created_by, now()
           FROM bc JOIN inquiries i ON i.id = bc.seed_inquiry`,
      );
      await manager.query(
        `CREATE TEMP TABLE bd ON COMMIT DROP AS
           SELECT gen_random_uuid() AS deadline_id, gen_random_uuid() AS reminder_id, bc.*, row_number() OVER (ORDER BY bc.n, k) AS position,
                  (ARRAY['respondent', 'assignee', 'manager', 'respondent', 'assignee', 'manager', 'respondent', 'assignee', 'manager', 'respondent'])[k % 10 + 1] AS audience
             FROM bc CROSS JOIN generate_series(0, $1::int - 1) k`,
        [DEADLINES_PER_CASE],
      );
      await manager.query(`DELETE FROM bd WHERE position > $1`, [count]);
      await manager.query(
        `CREATE TEMP TABLE bf ON COMMIT DROP AS SELECT ordinality AS position, fire_at FROM unnest($1::timestamptz[]) WITH ORDINALITY AS f(fire_at)`,
        [fireTimes],
      );
      await manager.query(
        `INSERT INTO deadlines (id, authority_id, case_id, inquiry_id, kind, label, event_at, rule, adjustments, rule_set, holiday_data_version, due_date, due_at, explanation, status, reminder_plan, version, created_at, updated_at)
         SELECT bd.deadline_id, bd.authority_id, bd.case_id, bd.inquiry_id, d.kind, d.label, d.event_at, d.rule, '[]', d.rule_set, d.holiday_data_version, (bf.fire_at + interval '1 day')::date, bf.fire_at + interval '1 day', d.explanation, 'pending',
                jsonb_build_array(jsonb_build_object('offset', '-P1D', 'audience', bd.audience)), 1, now(), now()
           FROM bd JOIN bf USING (position) JOIN deadlines d ON d.id = bd.seed_deadline`,
      );
      await manager.query(
        `INSERT INTO reminders (id, authority_id, deadline_id, "offset", audience, due_at, fire_at, status)
         SELECT bd.reminder_id, bd.authority_id, bd.deadline_id, '-P1D', bd.audience, bf.fire_at + interval '1 day', bf.fire_at, 'scheduled'
           FROM bd JOIN bf USING (position)`,
      );
    });
    return { from: new Date(fireTimes[0]), to: new Date(fireTimes[fireTimes.length - 1]) };
  }

  private async scheduleThroughDocket(window: { from: Date; to: Date }, expected: number): Promise<number> {
    const reminders = await this.dataSource
      .getRepository(Reminder)
      .find({ where: { status: 'scheduled', fireAt: Between(window.from, window.to) } });
    if (reminders.length !== expected)
      throw new Error(`expected ${expected} scheduled reminders, found ${reminders.length}`);
    const started = Date.now();
    await this.app.get(ReminderScheduler).enqueue(reminders);
    const ms = Date.now() - started;
    this.enqueueRate = Math.max(200, (reminders.length / Math.max(ms, 1)) * 1000);
    return ms;
  }

  /** How long before the due instant to plan a batch so that it is queued in time. */
  private leadMs(count: number, rate = this.enqueueRate): number {
    return 3000 + Math.ceil((count / rate) * 1000 * 1.5) + Math.ceil(count / 20);
  }

  private async startDocketWorkers(): Promise<void> {
    for (let i = 0; i < WORKERS; i++) {
      this.workers.push(
        await spawnReady(
          [SERVER_ENTRY],
          {
            NODE_ENV: 'production',
            DOCKET_ROLES: 'worker',
            LOG_LEVEL: 'warn',
            DATABASE_URL: this.databaseUrl,
            ...(this.backend === 'redis' ? { REDIS_URL } : {}),
            QUEUE_PREFIX: this.prefix,
            SMTP_URL: this.smtpUrl(),
            MAIL_FROM,
            DOCKET_DATA_DIR: this.dataDir,
            ...DOCKET_ENV,
          },
          'Docket worker ',
          'docket worker',
        ),
      );
    }
  }

  private cpuOf(processes: Spawned[]): number {
    return processes.reduce((sum, { child }) => sum + cpuSeconds(child.pid as number), 0);
  }

  /** Returns the throughput in messages per second. */
  private async docketBurst(count: number, label: string): Promise<number> {
    this.sink.reset();
    const lead = this.leadMs(count);
    const dueAt = new Date(Date.now() + lead);
    const insertStarted = Date.now();
    const window = await this.insertReminders(count, () => dueAt);
    const inserted = Date.now() - insertStarted;
    const enqueueMs = await this.scheduleThroughDocket(window, count);
    const slack = dueAt.getTime() - Date.now();
    if (slack < 0) log(`  (warning: ${label} was still being queued ${-slack} ms after its due instant)`);
    await sleep(Math.max(0, slack - 200));
    const cpu = {
      workers: this.cpuOf(this.workers),
      postgres: postgresCpuSeconds(),
      own: postgresCpuSeconds(this.database),
      self: process.cpuUsage(),
    };
    await this.sink
      .waitFor(count, Math.max(180_000, count * BURST_WAIT_PER_MESSAGE_MS), label)
      .catch(async (error: unknown) => {
        throw new Error(
          `${String(error)}; ${await this.state(window)}\nworker output:\n${this.workers.map((worker) => worker.output().slice(-3000)).join('\n')}`,
        );
      });
    const { first, last } = this.sink.span();
    const seconds = (last - dueAt.getTime()) / 1000;
    const self = process.cpuUsage(cpu.self);
    await sleep(1000);
    const check = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE r.status = 'sent')::int AS sent, count(*)::int AS total, count(DISTINCT o.id) FILTER (WHERE o.status = 'sent')::int AS messages
         FROM reminders r LEFT JOIN outbound_messages o ON o.dedupe_key = 'reminder.' || r.id WHERE r.fire_at BETWEEN $1 AND $2`,
      [window.from, window.to],
    );
    const perMessage = (seconds: number) => `${((seconds / count) * 1000).toFixed(2)} ms`;
    log(
      `  ${this.backend}: ${label}: ${count} reminders due at one instant (rows inserted in ${(inserted / 1000).toFixed(1)} s, queued through ReminderScheduler.enqueue in ${(enqueueMs / 1000).toFixed(1)} s), ` +
        `all at the sink ${seconds.toFixed(2)} s after the due instant (first after ${((first - dueAt.getTime()) / 1000).toFixed(2)} s): ${(count / seconds).toFixed(0)} messages/s; ` +
        `CPU per message: workers ${perMessage(this.cpuOf(this.workers) - cpu.workers)}, PostgreSQL server (all its sessions) ${perMessage(postgresCpuSeconds() - cpu.postgres)}, of which this database's ${perMessage(postgresCpuSeconds(this.database) - cpu.own)}, sink ${perMessage((self.user + self.system) / 1e6)}; ` +
        `check: ${check[0].sent}/${check[0].total} reminders sent, ${check[0].messages} messages sent, ${this.sink.duplicates} duplicates at the sink; ${loadAverage()}`,
    );
    return count / seconds;
  }

  /** Where the reminders of a run are, for a failure message. */
  private async state(window: { from: Date; to: Date }): Promise<string> {
    const reminders = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM reminders WHERE fire_at BETWEEN $1 AND $2 GROUP BY status`,
      [window.from, window.to],
    );
    const messages = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM outbound_messages GROUP BY status`,
    );
    const queues = await Promise.all(
      ['reminders', 'mail'].map(async (name) => {
        const queue = new Queue(name, {
          connection: queueConnection(this.backend, this.databaseUrl),
          prefix: this.prefix,
        });
        try {
          return `${name} ${JSON.stringify(await queue.getJobCounts())}`;
        } finally {
          await queue.close();
        }
      }),
    );
    return `reminders ${JSON.stringify(reminders)}, messages ${JSON.stringify(messages)}, queues ${queues.join(', ')}${await this.flushed()}`;
  }

  /** A note when Redis lost this run's keys (another process's FLUSHALL: the tests of this repository do that). */
  private async flushed(): Promise<string> {
    if (this.backend !== 'redis') return '';
    const redis = new Redis(REDIS_URL);
    try {
      return (await redis.exists(`${this.prefix}-sentinel`))
        ? ''
        : ' — Redis lost its keys during the run (did another process run FLUSHALL?)';
    } finally {
      redis.disconnect();
    }
  }

  /**
   * Two hundred of the warm-up's messages taken at random, so that the kinds (and the chasers' attached PDFs) come
   * in the proportions Docket sent them.
   */
  private async saveSamples(): Promise<void> {
    const rows = (await this.dataSource.query(
      `SELECT kind, to_addresses, subject, html, text, attachments FROM outbound_messages
        WHERE dedupe_key LIKE 'reminder.%' ORDER BY md5(id::text) LIMIT 200`,
    )) as {
      kind: string;
      to_addresses: string[];
      subject: string;
      html: string;
      text: string;
      attachments: MessageAttachment[];
    }[];
    this.samples = rows.map((row) => ({
      to: row.to_addresses,
      subject: row.subject,
      html: row.html,
      text: row.text,
      attachments: row.attachments,
    }));
    const sizes = rows.map((row) => row.html.length + row.text.length);
    const kinds = new Set(rows.map((row) => row.kind)).size;
    const attached = rows.filter((row) => row.attachments.length > 0).length;
    log(
      `  ${this.backend}: message samples for the bare script: ${rows.length} of ${kinds} kinds, ${Math.min(...sizes)}–${Math.max(...sizes)} characters of html + text, ${attached} with attached files`,
    );
  }

  private async lagRun(): Promise<void> {
    this.sink.reset();
    const lead = this.leadMs(LAG_COUNT);
    const start = Date.now() + lead;
    const spacing = (LAG_WINDOW_S * 1000) / LAG_COUNT;
    const window = await this.insertReminders(LAG_COUNT, (index) => new Date(start + Math.round(index * spacing)));
    await this.scheduleThroughDocket(window, LAG_COUNT);
    await this.sink.waitFor(LAG_COUNT, lead + LAG_WINDOW_S * 1000 + 120_000, 'lag run');
    const rows = (await this.dataSource.query(
      `SELECT r.fire_at, o.id FROM reminders r JOIN outbound_messages o ON o.id = r.outbound_message_id WHERE r.fire_at BETWEEN $1 AND $2`,
      [window.from, window.to],
    )) as { fire_at: Date; id: string }[];
    const domain = this.runtime.mail.domain;
    const lags = rows
      .map((row) => (this.sink.arrivals.get(`<${row.id}@${domain}>`) ?? Number.NaN) - row.fire_at.getTime())
      .sort((a, b) => a - b);
    const missing = lags.filter((lag) => Number.isNaN(lag)).length;
    const ok = lags.filter((lag) => !Number.isNaN(lag));
    log(
      `  ${this.backend}: lag of ${LAG_COUNT} reminders spread over ${LAG_WINDOW_S} s (arrival at the sink − fire time): ` +
        `p50 ${percentile(ok, 50)} ms, p99 ${percentile(ok, 99)} ms, max ${ok[ok.length - 1]} ms, min ${ok[0]} ms${missing ? `, ${missing} without arrival` : ''}`,
    );
  }

  /** Returns the throughput in messages per second. */
  private async bareBurst(count: number, label: string): Promise<number> {
    this.sink.reset();
    const concurrency = this.runtime.config.MAIL_CONCURRENCY;
    const bare: Spawned[] = [];
    try {
      for (let i = 0; i < WORKERS; i++) {
        bare.push(
          await spawnReady(
            [THIS_SCRIPT, '--bare-worker'],
            {
              BENCH_BACKEND: this.backend,
              BENCH_DATABASE_URL: this.databaseUrl,
              BENCH_PREFIX: `${this.prefix}bare`,
              BENCH_SMTP_URL: this.smtpUrl(),
              BENCH_DATA_DIR: this.dataDir,
              BENCH_CONCURRENCY: String(concurrency),
            },
            'bare worker ready',
            'bare worker',
          ),
        );
      }
      const queue = new Queue(BARE_QUEUE, {
        connection: queueConnection(this.backend, this.databaseUrl),
        prefix: `${this.prefix}bare`,
        defaultJobOptions: defaultJobOptions(this.backend),
      });
      try {
        const lead = this.leadMs(count, this.bareEnqueueRate);
        const dueAt = Date.now() + lead;
        const started = Date.now();
        const offset = this.batch++ * 10_000_000;
        for (let start = 0; start < count; start += 1000) {
          const now = Date.now();
          await queue.addBulk(
            Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
              name: 'send',
              data: this.samples[(start + i) % this.samples.length],
              opts: {
                jobId: `m${offset + start + i}`,
                delay: Math.max(0, dueAt - now),
                attempts: 5,
                backoff: { type: 'exponential', delay: 2000 },
              },
            })),
          );
        }
        const enqueueMs = Date.now() - started;
        this.bareEnqueueRate = Math.max(200, (count / Math.max(enqueueMs, 1)) * 1000);
        if (Date.now() > dueAt)
          log(`  (warning: ${label} was still being queued ${Date.now() - dueAt} ms after its due instant)`);
        const cpu = {
          workers: this.cpuOf(bare),
          postgres: postgresCpuSeconds(),
          own: postgresCpuSeconds(this.database),
          self: process.cpuUsage(),
        };
        await this.sink
          .waitFor(count, Math.max(180_000, count * BURST_WAIT_PER_MESSAGE_MS), label)
          .catch(async (error: unknown) => {
            throw new Error(
              `${String(error)}; bare queue ${JSON.stringify(await queue.getJobCounts())}${await this.flushed()}`,
            );
          });
        const { last } = this.sink.span();
        const seconds = (last - dueAt) / 1000;
        const self = process.cpuUsage(cpu.self);
        const perMessage = (seconds: number) => `${((seconds / count) * 1000).toFixed(2)} ms`;
        log(
          `  ${this.backend}: ${label}: ${count} jobs due at one instant (queued with addBulk in ${(enqueueMs / 1000).toFixed(1)} s), all at the sink ${seconds.toFixed(2)} s after the due instant: ${(count / seconds).toFixed(0)} messages/s; ` +
            `CPU per message: workers ${perMessage(this.cpuOf(bare) - cpu.workers)}, PostgreSQL server (all its sessions) ${perMessage(postgresCpuSeconds() - cpu.postgres)}, of which this database's ${perMessage(postgresCpuSeconds(this.database) - cpu.own)}, sink ${perMessage((self.user + self.system) / 1e6)}; ${this.sink.duplicates} duplicates at the sink; ${loadAverage()}`,
        );
        return count / seconds;
      } finally {
        await queue.close();
      }
    } finally {
      await stopAll(bare);
    }
  }

  private async tearDown(): Promise<void> {
    await stopAll(this.workers).catch(() => undefined);
    await this.app?.close().catch(() => undefined);
    this.runtime?.mail.close();
    await this.sink?.stop().catch(() => undefined);
    if (this.backend === 'redis') {
      const redis = new Redis(REDIS_URL);
      await redis.del(`${this.prefix}-sentinel`);
      for (const pattern of [`${this.prefix}:*`, `${this.prefix}bare:*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      }
      redis.disconnect();
    }
    await withClient(ADMIN_URL, (client) =>
      client.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`),
    ).catch((error: unknown) => log(`could not drop ${this.database}: ${String(error)}`));
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const pgVersion = (
    await withClient(ADMIN_URL, (client) => client.query<{ server_version: string }>('SHOW server_version'))
  ).rows[0].server_version;
  log(
    `bench-reminders: ${COUNT} reminders at one instant, lag over ${LAG_COUNT} in ${LAG_WINDOW_S} s; ${WORKERS} worker process${WORKERS === 1 ? '' : 'es'} per side; ` +
      `Node ${process.version}, ${os.cpus().length} CPUs, PostgreSQL ${pgVersion}`,
  );
  for (const backend of BACKENDS) {
    log(`${backend} queue backend:`);
    await new Bench(backend).run();
  }
}

if (process.argv.includes('--bare-worker')) {
  bareWorker().catch((error: unknown) => {
    process.stderr.write(`bare worker: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench-reminders: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
