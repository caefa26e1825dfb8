// Benchmark (a script, not a test): a campaign to 1,000 organisations through Docket's real path (issue 10).
//
// Usage: npm run bench:campaign [-- --count 1000 --profile /tmp/campaign.cpuprofile --statements]
//
// In a scratch database on the machine's PostgreSQL (BENCH_ADMIN_URL, default
// postgres://postgres@127.0.0.1:5432/postgres),
// created and dropped here: Docket runs in this process with DOCKET_ROLES=api,worker and sends to an SMTP sink
// (smtp-server, in this process, on loopback) that notes each message's arrival. An authority and an officer
// are made through the HTTP API, and the organisations (one contact address each) too. Then
// `POST /api/v1/campaigns` is timed, and from that request: the last arrival at the sink, and the moment
// `GET /api/v1/campaigns/{id}` reports every target `sent`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { AuditService } from '#docket/audit';
import { configureHttpApp, httpAdapter, loadConfig, prepareRuntime } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { AppModule } from '../apps/server/src/app.module.js';
import { describeLockWaits, loadAverage, postgresCpuSeconds, sampleLockWaits } from './bench-support.js';

const arg = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
};
const COUNT = Number(arg('--count', '1000'));
/** Where to write a CPU profile of this process during the campaign alone (from the POST to every target `sent`). */
const PROFILE = arg('--profile', '');
/** Also print the statements sent to PostgreSQL during the campaign, most frequent first (per letter). */
const STATEMENTS = process.argv.includes('--statements');
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN = { email: 'bench-admin@docket.local', password: 'bench-admin-password-1' };
const database = `bench_campaign_${process.pid}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const arrivals: number[] = [];
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      arrivals.push(Date.now());
      callback();
    });
  },
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const smtpPort = (sink.server.address() as AddressInfo).port;

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
const dataDir = await mkdtemp(join(os.tmpdir(), 'docket-bench-campaign-'));
let app: NestExpressApplication | undefined;
let closeMail: (() => void) | undefined;
try {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: database,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`,
    MAIL_FROM: 'Docket bench <docket@bench.example>',
    DOCKET_ROLES: 'api,worker',
    DOCKET_DATA_DIR: dataDir,
    DOCKET_ADMIN_EMAIL: ADMIN.email,
    DOCKET_ADMIN_PASSWORD: ADMIN.password,
    LOGIN_ATTEMPTS_PER_MINUTE: '1000',
  });
  const runtime = await prepareRuntime(config, docketSchema, { log: () => undefined });
  closeMail = () => runtime.mail.close();
  app = await NestFactory.create<NestExpressApplication>(AppModule.forRuntime(runtime), httpAdapter(), {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  configureHttpApp(app, runtime);
  await app.listen(0, '127.0.0.1');
  const api = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const sysadmin = (await call('POST', '/api/v1/auth/token', null, ADMIN)).token as string;
  await call('POST', '/api/v1/authorities', sysadmin, {
    code: 'BGPDP',
    name: 'Bench authority',
    country: 'IT',
    timezone: 'Europe/Rome',
    locale: 'it-IT',
    holidayRegion: 'IT',
  });
  const officer = { email: 'officer@bench.example', password: 'officer-password-123' };
  const user = await call('POST', '/api/v1/users', sysadmin, {
    ...officer,
    name: 'Bench officer',
    role: 'officer',
    authority: 'BGPDP',
  });
  const token = (await call('POST', '/api/v1/auth/token', null, officer)).token as string;

  // The organisations through the API, each with its contact in this authority's address book (contacts are kept
  // per authority, so a bare INSERT into organisations no longer gives them one), 8 at a time.
  const organisations: { id: string }[] = [];
  for (let first = 1; first <= COUNT; first += 8) {
    const batch = Array.from({ length: Math.min(8, COUNT - first + 1) }, (_, k) => first + k);
    organisations.push(
      ...((await Promise.all(
        batch.map((n) =>
          call('POST', '/api/v1/organisations', token, {
            name: `Bench Provider ${n}`,
            country: n % 2 === 0 ? 'IT' : 'US',
            contacts: [{ name: 'DPO', email: `dpo@provider-${n}.example`, role: 'dpo' }],
          }),
        ),
      )) as unknown as { id: string }[]),
    );
  }

  const profiler = PROFILE ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  // Round trips from this process to PostgreSQL during the campaign (a message of several statements counts once;
  // the lock sampler's are left out, and the progress polls' are taken off, as many each as one poll makes at the end).
  let roundTrips = 0;
  let polls = 0;
  const statements = new Map<string, number>();
  const clientQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (this !== admin) roundTrips += 1;
    if (STATEMENTS && this !== admin) {
      const first = args[0] as string | { text?: string };
      const text = (typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' ').slice(0, 110);
      statements.set(text, (statements.get(text) ?? 0) + 1);
    }
    return clientQuery.apply(this, args);
  } as typeof pg.Client.prototype.query;
  const loadBefore = loadAverage();
  const cpuBefore = { process: process.cpuUsage(), postgres: postgresCpuSeconds(database) };
  const waits = sampleLockWaits(admin, database);
  const started = Date.now();
  const campaign = await call('POST', '/api/v1/campaigns', token, {
    title: 'Bench campaign',
    template: 'ai-inquiry',
    locale: 'auto',
    deadline: { count: 20, unit: 'calendar_days' },
    organisationIds: organisations.map((row) => row.id),
    caseDefaults: { type: 'ex_officio', assigneeId: user.id },
  });
  const accepted = Date.now() - started;
  let allSentAt = 0;
  let last: Record<string, number> = {};
  const deadline = started + 30 * 60_000;
  while (!allSentAt) {
    if (Date.now() > deadline)
      throw new Error(`not done after 30 minutes: ${JSON.stringify(last)}, ${arrivals.length} arrivals`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = (await call('GET', `/api/v1/campaigns/${String(campaign.id)}`, token)).counts as Record<string, number>;
    polls += 1;
    if (last.sent === COUNT) allSentAt = Date.now();
    if (last.failed > 0) throw new Error(`targets failed: ${JSON.stringify(last)}`);
  }
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    await writeFile(PROFILE, JSON.stringify(profile));
    profiler.disconnect();
  }
  const roundsDuringCampaign = roundTrips;
  const sampled = await waits.stop();
  // The progress page once every letter is out: its counts, a page of 100 by organisation name, and the list of
  // campaigns with their counts (the median of 10 of each), and the round trips of one progress poll.
  const median = async (request: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let run = 0; run < 10; run++) {
      const start = performance.now();
      await request();
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[5]!.toFixed(1);
  };
  const tripsBefore = roundTrips;
  await call('GET', `/api/v1/campaigns/${String(campaign.id)}`, token);
  const tripsPerPoll = roundTrips - tripsBefore;
  const progress = {
    counts: await median(() => call('GET', `/api/v1/campaigns/${String(campaign.id)}`, token)),
    page: await median(() =>
      call('GET', `/api/v1/campaigns/${String(campaign.id)}/targets?limit=100&sort=organisation`, token),
    ),
    list: await median(() => call('GET', '/api/v1/campaigns', token)),
  };
  const lastArrival = Math.max(...arrivals);
  const processCpu = process.cpuUsage(cpuBefore.process);
  const perLetter = (seconds: number) => `${((seconds / COUNT) * 1000).toFixed(1)} ms`;
  console.log(
    `campaign to ${COUNT} organisations (queue: BullMQ on PostgreSQL, send concurrency ${config.MAIL_CONCURRENCY})`,
  );
  console.log(`  POST /api/v1/campaigns answered 202 in ${accepted} ms`);
  console.log(
    `  all ${arrivals.length} letters at the SMTP sink after ${seconds(lastArrival - started)} (${(COUNT / ((lastArrival - started) / 1000)).toFixed(0)} letters/s)`,
  );
  console.log(`  all targets 'sent' in the campaign's progress after ${seconds(allSentAt - started)}`);
  console.log(
    `  CPU per letter: this process (API, workers, SMTP sink) ${perLetter((processCpu.user + processCpu.system) / 1e6)}, postgres backends ${perLetter(postgresCpuSeconds(database) - cpuBefore.postgres)}`,
  );
  console.log(
    `  round trips to PostgreSQL per letter (this process, the progress polls left out): ${((roundsDuringCampaign - tripsPerPoll * polls) / COUNT).toFixed(1)}`,
  );
  console.log(
    `  progress once sent (median of 10): GET campaign with counts ${progress.counts} ms, ` +
      `a page of 100 targets by organisation ${progress.page} ms, the list of campaigns ${progress.list} ms; ` +
      `${tripsPerPoll} round trips per poll`,
  );
  console.log(`  ${describeLockWaits(sampled)}`);
  if (STATEMENTS)
    for (const [text, count] of [...statements].sort((a, b) => b[1] - a[1]).slice(0, 40))
      console.log(`    ${(count / COUNT).toFixed(2).padStart(6)}  ${text}`);
  const appends = app.get(AuditService).appendCounts;
  console.log(
    `  audit appends: ${appends.expected} in one message with the commit, ${appends.locked} from the head read under its lock (${appends.moved} of them after finding the head moved)`,
  );
  console.log(`  machine: ${loadBefore} at the start, ${loadAverage()} at the end`);
  if (arrivals.length !== COUNT) throw new Error(`the sink received ${arrivals.length} messages, expected ${COUNT}`);
} finally {
  await app?.close();
  closeMail?.();
  await new Promise<void>((resolve) => sink.close(() => resolve()));
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  await rm(dataDir, { recursive: true, force: true });
}
