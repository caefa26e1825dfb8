// Benchmark (a script, not a test): Docket as a deployment runs it — N API processes and M worker processes against one
// PostgreSQL and one Redis on loopback — so that a deployment can size itself (issue 23).
//
// Usage: npm run bench:scaleout [-- --shapes 1x1,2x2,4x4 --cases 2000 --clients 8 --organisations 500
//                                   --reminders 20000 --backend redis]
//
// For each shape "NxM", in a scratch database created and dropped here (BENCH_ADMIN_URL, default
// postgres://postgres@127.0.0.1:5432/postgres) and a queue prefix of its own on BENCH_REDIS_URL (default
// redis://127.0.0.1:6379; `--backend postgres` puts the queues in PostgreSQL instead):
// - one SMTP sink on loopback (in this process) counts what arrives;
// - N processes `node dist/apps/server/src/main.js` with DOCKET_ROLES=api and M with DOCKET_ROLES=worker, sharing
//   one data folder, audit key and web secret; requests go round-robin over the N APIs;
// - case creation: --clients concurrent clients per API process open --cases cases (after a warm-up);
// - campaign: one campaign to --organisations organisations, timed from the POST to the last letter at the sink;
// - reminders: bench-reminders' Docket path with M worker processes (`--workers M --count --reminders`), its
//   burst figure quoted (bench-reminders seeds with set-based SQL, as API processes play no part in reminders).
// Each phase prints its throughput and the CPU it cost per item in the API processes, the workers and PostgreSQL,
// with the machine's load average. On a 2-core machine the larger shapes show where the machine saturates,
// not what more machines would give: run it where the processes get cores of their own to see that.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { client, cpuSeconds, freePort, loadAverage, postgresCpuSeconds } from './bench-support.js';

const arg = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
};
const SHAPES = arg('--shapes', '1x1,2x2,4x4')
  .split(',')
  .map((shape) => {
    const [apis, workers] = shape.split('x').map(Number);
    if (!(apis >= 1 && workers >= 1)) throw new Error(`a shape is APIxWORKERS, e.g. 2x2: not "${shape}"`);
    return { apis, workers };
  });
const CASES = Number(arg('--cases', '2000'));
const CLIENTS_PER_API = Number(arg('--clients', '8'));
const ORGANISATIONS = Number(arg('--organisations', '500'));
const REMINDERS = Number(arg('--reminders', '20000'));
const BACKEND = arg('--backend', 'redis');
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = { email: 'bench-admin@docket.local', password: 'bench-admin-password-1' };
const SERVER_ENTRY = fileURLToPath(new URL('../apps/server/src/main.js', import.meta.url));
const REMINDER_BENCH = fileURLToPath(new URL('./bench-reminders.js', import.meta.url));
const log = (line: string) => process.stdout.write(`${line}\n`);
async function admin<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: ADMIN_URL });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

class Sink {
  arrivals = 0;
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        this.arrivals++;
        callback();
      });
    },
  });

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  async waitFor(count: number, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.arrivals < count) {
      if (Date.now() > until) throw new Error(`the sink has ${this.arrivals} of ${count} messages`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** One deployment of the shape: its processes, their ports and a way to measure what they cost. */
class Deployment {
  private processes: { role: 'api' | 'worker'; child: ChildProcess; port: number }[] = [];
  private constructor(
    readonly database: string,
    readonly env: Record<string, string>,
    private readonly dataDir: string,
  ) {}

  static async create(shape: { apis: number; workers: number }, smtpPort: number): Promise<Deployment> {
    const database = `docket_bench_scaleout_${process.pid}_${shape.apis}x${shape.workers}`;
    await admin((db) => db.query(`CREATE DATABASE "${database}"`));
    const dataDir = await mkdtemp(join(os.tmpdir(), 'docket-bench-scaleout-'));
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString(),
      QUEUE_PREFIX: database,
      ...(BACKEND === 'redis' ? { REDIS_URL } : {}),
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`,
      MAIL_FROM: 'Docket bench <docket@bench.example>',
      DOCKET_DATA_DIR: dataDir,
      DOCKET_ADMIN_EMAIL: ADMIN.email,
      DOCKET_ADMIN_PASSWORD: ADMIN.password,
      AUDIT_KEY: randomBytes(32).toString('hex'),
      WEB_SECRET: randomBytes(32).toString('hex'),
      LOGIN_ATTEMPTS_PER_MINUTE: '100000',
    };
    const deployment = new Deployment(database, env, dataDir);
    // The first API migrates the database; the others start once it is ready.
    await deployment.start('api');
    await Promise.all([
      ...Array.from({ length: shape.apis - 1 }, () => deployment.start('api')),
      ...Array.from({ length: shape.workers }, () => deployment.start('worker')),
    ]);
    return deployment;
  }

  get apiPorts(): number[] {
    return this.processes.filter((entry) => entry.role === 'api').map((entry) => entry.port);
  }

  private async start(role: 'api' | 'worker'): Promise<void> {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      env: { ...process.env, ...this.env, PORT: String(port), DOCKET_ROLES: role },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.processes.push({ role, child, port });
    // A process is up when it says so: "Docket listening on …" for an API, "Docket worker …" for a worker.
    let said = '';
    child.stdout?.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
    const until = Date.now() + 120_000;
    while (!said.includes(role === 'api' ? 'Docket listening on' : 'Docket worker')) {
      if (child.exitCode !== null) throw new Error(`a ${role} process exited with code ${child.exitCode}`);
      if (Date.now() > until) throw new Error(`a ${role} process did not start within 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  cpu(): { api: number; worker: number; postgres: number } {
    const sum = (role: 'api' | 'worker') =>
      this.processes
        .filter((entry) => entry.role === role)
        .reduce((total, entry) => total + cpuSeconds(entry.child.pid as number), 0);
    return { api: sum('api'), worker: sum('worker'), postgres: postgresCpuSeconds(this.database) };
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await rm(this.dataDir, { recursive: true, force: true });
    await admin((db) => db.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`));
    if (BACKEND === 'redis') {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${this.database}:*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      redis.disconnect();
    }
  }
}

/** Round-robin JSON calls over the API processes, failing on any status of 300 or more. */
function apiClient(ports: number[]) {
  const clients = ports.map((port) => client(port));
  let next = 0;
  return async (method: string, path: string, token: string | null, body?: unknown) => {
    const answer = await clients[next++ % clients.length](method, path, token, body);
    if (answer.status >= 300) throw new Error(`${method} ${path} → ${answer.status}: ${answer.text.slice(0, 300)}`);
    return (answer.text ? JSON.parse(answer.text) : {}) as Record<string, unknown>;
  };
}

type Row = { shape: string; phase: string; rate: string; cpu: string };

function costLine(
  before: ReturnType<Deployment['cpu']>,
  after: ReturnType<Deployment['cpu']>,
  items: number,
  include: ('api' | 'worker' | 'postgres')[],
): string {
  return include.map((part) => `${part} ${(((after[part] - before[part]) / items) * 1000).toFixed(2)} ms`).join(', ');
}

async function caseCreation(deployment: Deployment, apis: number, token: string, organisationId: string) {
  const clients = apis * CLIENTS_PER_API;
  // One keep-alive connection per client, spread over the APIs.
  const calls = Array.from({ length: clients }, (_, index) => apiClient([deployment.apiPorts[index % apis]]));
  let issued = 0;
  const run = async (count: number) => {
    issued = 0;
    await Promise.all(
      calls.map(async (call) => {
        while (issued < count) {
          const n = ++issued;
          await call('POST', '/api/v1/cases', token, {
            organisationId,
            title: `Scale-out case ${n}`,
            type: 'ex_officio',
            priority: 'high',
            tags: ['bench'],
          });
        }
      }),
    );
  };
  await run(Math.min(200, Math.ceil(CASES / 10)));
  const before = deployment.cpu();
  const t0 = performance.now();
  await run(CASES);
  const seconds = (performance.now() - t0) / 1000;
  return {
    rate: `${(CASES / seconds).toFixed(0)} cases/s (${clients} clients)`,
    cpu: costLine(before, deployment.cpu(), CASES, ['api', 'postgres']),
  };
}

async function campaign(deployment: Deployment, sink: Sink, token: string, assigneeId: string) {
  const call = apiClient(deployment.apiPorts);
  const organisationIds: string[] = [];
  for (let first = 1; first <= ORGANISATIONS; first += 8) {
    const batch = Array.from({ length: Math.min(8, ORGANISATIONS - first + 1) }, (_, k) => first + k);
    const made = await Promise.all(
      batch.map((n) =>
        call('POST', '/api/v1/organisations', token, {
          name: `Scale-out Provider ${n}`,
          country: 'IT',
          contacts: [{ name: 'DPO', email: `dpo@provider-${n}.example`, role: 'dpo' }],
        }),
      ),
    );
    organisationIds.push(...made.map((organisation) => organisation.id as string));
  }
  const arrivedBefore = sink.arrivals;
  const before = deployment.cpu();
  const t0 = performance.now();
  await call('POST', '/api/v1/campaigns', token, {
    title: 'Scale-out campaign',
    template: 'ai-inquiry',
    locale: 'auto',
    deadline: { count: 20, unit: 'calendar_days' },
    organisationIds,
    caseDefaults: { type: 'ex_officio', assigneeId },
  });
  await sink.waitFor(arrivedBefore + ORGANISATIONS, 30 * 60_000);
  const seconds = (performance.now() - t0) / 1000;
  return {
    rate: `${(ORGANISATIONS / seconds).toFixed(1)} letters/s`,
    cpu: costLine(before, deployment.cpu(), ORGANISATIONS, ['api', 'worker', 'postgres']),
  };
}

/** bench-reminders with M worker processes; its "Docket burst" line gives the rate and the CPU per message. */
function reminders(workers: number): Promise<{ rate: string; cpu: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        REMINDER_BENCH,
        '--workers',
        String(workers),
        '--count',
        String(REMINDERS),
        '--backends',
        BACKEND,
        '--lag',
        '100',
        '--lag-window',
        '5',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench-reminders exited with ${code}:\n${output}`));
      const lines = output.split('\n');
      const burst = lines.find((line) => line.includes('Docket burst:')) ?? '';
      const ratio = lines.find((line) => line.includes('ratio Docket / bare')) ?? '';
      resolve({
        rate: `${/(\d+) messages\/s/.exec(burst)?.[1] ?? '?'} messages/s (${ratio.split(': ').pop()?.trim() ?? '?'}× bare)`,
        cpu: /CPU per message: (.*?); check/.exec(burst)?.[1] ?? '',
      });
    });
  });
}

async function main(): Promise<void> {
  const sink = new Sink();
  const smtpPort = await sink.listen();
  const rows: Row[] = [];
  log(`scale-out on ${os.cpus().length} cores, queue backend ${BACKEND}; ${loadAverage()} at the start`);
  try {
    for (const shape of SHAPES) {
      const name = `${shape.apis} API × ${shape.workers} worker`;
      log(`\n${name}: starting`);
      const deployment = await Deployment.create(shape, smtpPort);
      try {
        const call = apiClient(deployment.apiPorts);
        const sysadmin = (await call('POST', '/api/v1/auth/token', null, ADMIN)).token as string;
        await call('POST', '/api/v1/authorities', sysadmin, {
          code: 'BGPDP',
          name: 'Scale-out authority',
          country: 'IT',
          timezone: 'Europe/Rome',
          locale: 'it-IT',
          holidayRegion: 'IT',
        });
        const officer = { email: 'officer@scaleout.example', password: 'officer-password-123' };
        const user = await call('POST', '/api/v1/users', sysadmin, {
          ...officer,
          name: 'Scale-out officer',
          role: 'officer',
          authority: 'BGPDP',
        });
        const token = (await call('POST', '/api/v1/auth/token', null, officer)).token as string;
        const organisation = await call('POST', '/api/v1/organisations', token, {
          name: 'Scale-out AI Ltd',
          country: 'CN',
        });

        const cases = await caseCreation(deployment, shape.apis, token, organisation.id as string);
        rows.push({ shape: name, phase: 'case creation', ...cases });
        log(`  case creation: ${cases.rate}; CPU per case ${cases.cpu}; ${loadAverage()}`);
        const letters = await campaign(deployment, sink, token, user.id as string);
        rows.push({ shape: name, phase: `campaign (${ORGANISATIONS})`, ...letters });
        log(`  campaign: ${letters.rate}; CPU per letter ${letters.cpu}; ${loadAverage()}`);
      } finally {
        await deployment.stop();
      }
      const due = await reminders(shape.workers);
      rows.push({ shape: `${shape.workers} worker`, phase: `reminders (${REMINDERS})`, ...due });
      log(`  reminders: ${due.rate} ${due.cpu}; ${loadAverage()}`);
    }
  } finally {
    await sink.close();
  }
  log(`\n| shape | phase | throughput | CPU per item |\n|---|---|---|---|`);
  for (const row of rows) log(`| ${row.shape} | ${row.phase} | ${row.rate} | ${row.cpu} |`);
  log(`${loadAverage()} at the end`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-scaleout: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
