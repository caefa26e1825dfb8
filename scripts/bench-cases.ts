// Benchmark: opens cases over HTTP with concurrent clients against a freshly started server and prints
// throughput, latency percentiles, the server's memory and the CPU each case costs. A script, not a test.
// Usage: npm run bench:cases [-- --cases 2000 --clients 8 --authorities 1]
// Uses DATABASE_URL when set (it must be a scratch database), otherwise creates and drops one on
// BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres). BENCH_NODE_ARGS passes flags to
// the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  cpuSeconds,
  describeLockWaits,
  freePort,
  loadAverage,
  postgresCpuSeconds,
  sampleLockWaits,
} from './bench-support.js';

const arg = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const TOTAL = arg('--cases', 2000);
const CLIENTS = arg('--clients', 8);
const AUTHORITIES = arg('--authorities', 1);
const WARM_UP = Math.min(200, Math.ceil(TOTAL / 10));
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN = { email: 'bench-admin@docket.local', password: 'bench-admin-password-1' };

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const memory = (pid: number): { rss: number; peak: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** A lean JSON client on keep-alive connections, so the load generator takes little of the machine's CPU. */
function jsonClient(port: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 2 });
  return (method: string, path: string, token: string | null, body?: unknown): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            'content-type': 'application/json',
            ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status >= 300) reject(new Error(`${method} ${path} → ${status}: ${text}`));
            else resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}

async function main(): Promise<void> {
  let databaseUrl = process.env.DATABASE_URL;
  let scratch: string | undefined;
  if (!databaseUrl) {
    scratch = `docket_bench_${Date.now().toString(36)}`;
    await withClient(ADMIN_URL, (client) => client.query(`CREATE DATABASE "${scratch}"`));
    const url = new URL(ADMIN_URL);
    url.pathname = `/${scratch}`;
    databaseUrl = url.toString();
  }
  const dataDir = await mkdtemp(join(os.tmpdir(), 'docket-bench-'));
  const port = await freePort();
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, 'dist/apps/server/src/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DOCKET_ADMIN_EMAIL: ADMIN.email,
      DOCKET_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      DOCKET_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));

  try {
    const call = jsonClient(port);
    const started = Date.now();
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
      if (
        await call('GET', '/health/ready', null).then(
          () => true,
          () => false,
        )
      )
        break;
      if (Date.now() - started > 60_000) throw new Error('the server did not become ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const sysadmin = (await call('POST', '/api/v1/auth/token', null, ADMIN)).token as string;
    const officers: string[] = [];
    for (let i = 0; i < AUTHORITIES; i++) {
      const code = `BENCH${i}`;
      await call('POST', '/api/v1/authorities', sysadmin, {
        code,
        name: `Benchmark authority ${i}`,
        country: 'IT',
        timezone: 'Europe/Rome',
        locale: 'it-IT',
        holidayRegion: 'IT',
      });
      const email = `officer@${code.toLowerCase()}.test`;
      await call('POST', '/api/v1/users', sysadmin, {
        email,
        name: 'Bench officer',
        password: 'officer-password-123',
        role: 'officer',
        authority: code,
      });
      officers.push(
        (await call('POST', '/api/v1/auth/token', null, { email, password: 'officer-password-123' })).token as string,
      );
    }
    const organisationId = (
      await call('POST', '/api/v1/organisations', officers[0], {
        name: 'Bench AI Ltd',
        country: 'CN',
        products: ['Bench chat'],
      })
    ).id as string;

    let issued = 0;
    const latencies: number[] = [];
    const run = async (count: number, record: boolean) => {
      issued = 0;
      const client = async (index: number) => {
        const officer = officers[index % officers.length];
        while (issued < count) {
          const n = ++issued;
          const t0 = performance.now();
          await call('POST', '/api/v1/cases', officer, {
            organisationId,
            title: `Benchmark case ${n}`,
            type: 'ex_officio',
            priority: 'high',
            products: ['Bench chat'],
            tags: ['bench'],
          });
          if (record) latencies.push(performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));
    };

    await run(WARM_UP, false);
    const database = new URL(databaseUrl).pathname.slice(1);
    const before = {
      server: cpuSeconds(server.pid as number),
      postgres: postgresCpuSeconds(database),
      client: process.cpuUsage(),
    };
    const loadBefore = loadAverage();
    const watcher = new pg.Client({ connectionString: databaseUrl });
    await watcher.connect();
    const waits = sampleLockWaits(watcher, database);
    const t0 = performance.now();
    await run(TOTAL, true);
    const sampled = await waits.stop();
    await watcher.end();
    const seconds = (performance.now() - t0) / 1000;
    const clientCpu = process.cpuUsage(before.client);
    const perCase = (cpu: number) => `${((cpu / TOTAL) * 1000).toFixed(2)} ms`;
    const cpu = {
      server: cpuSeconds(server.pid as number) - before.server,
      postgres: postgresCpuSeconds(database) - before.postgres,
      client: (clientCpu.user + clientCpu.system) / 1e6,
    };
    const mem = memory(server.pid as number);

    const chains = await Promise.all(officers.map((officer) => call('GET', '/api/v1/audit/verify', officer)));
    const references = await withClient(
      databaseUrl,
      async (client) =>
        (
          await client.query(
            `SELECT count(*)::int AS cases, count(DISTINCT reference)::int AS distinct, max(reference) AS last FROM cases`,
          )
        ).rows[0] as { cases: number; distinct: number; last: string },
    );
    latencies.sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    process.stdout.write(
      [
        `cases created:  ${TOTAL} (after ${WARM_UP} warm-up) by ${CLIENTS} concurrent clients in ${AUTHORITIES} authorit${AUTHORITIES === 1 ? 'y' : 'ies'}, ${seconds.toFixed(2)} s`,
        `throughput:     ${(TOTAL / seconds).toFixed(0)} cases/s`,
        `latency:        p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies[latencies.length - 1])}`,
        `server RSS:     ${mem.rss.toFixed(0)} MiB (peak ${mem.peak.toFixed(0)} MiB)`,
        `CPU per case:   server ${perCase(cpu.server)}, postgres backends ${perCase(cpu.postgres)}, this load generator ${perCase(cpu.client)} (${os.cpus().length} cores)`,
        `locks:          ${describeLockWaits(sampled)}`,
        `machine:        ${loadBefore} before, ${loadAverage()} after`,
        `check:          ${references.distinct}/${references.cases} distinct references (last ${references.last}); audit chains valid: ${chains.every((chain) => chain.valid === true)}`,
      ].join('\n') + '\n',
    );
  } finally {
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    if (scratch)
      await withClient(ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-cases: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
