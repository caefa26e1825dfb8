// Benchmark: the managers' dashboard and the overdue deadline list (100 rows) over HTTP against a spawned
// server, next to the very same SQL run bare through `pg` in the same run. A script, not a test.
//
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch> npm run bench:dashboard -- [--authority BENCH]
// [--generate 1000000] [--iterations 300] [--clients 8]
//   --clients N   then also N clients at once, each on its own keep-alive connection, over HTTP and bare
//   --generate N  first fills the scratch database with N cases (apps/cli generate-data, 3 deadlines per case)
// The SQL of the overdue list is captured from DeadlineQueries itself and the dashboard's is DASHBOARD_STATEMENT
// (prepared, as the server prepares it), so "bare" is exactly what the server sends; "bare + auth" adds the
// bearer-token lookup every API request makes (captured from AuthService). BENCH_NODE_ARGS passes flags to the
// server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". With --clients N it prints the CPU per dashboard too.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DataSource, type Logger } from 'typeorm';
import { generateData } from '../apps/cli/src/generate-data.js';
import type { CasesService } from '#docket/cases';
import { DeadlineQueries, DeadlineRepository } from '#docket/deadlines';
import { AuthService, hashPassword, type LoginThrottle, type SecondFactorService } from '#docket/identity';
import { dataSourceOptions, RequestContext, SystemClock, type Runtime } from '#docket/platform';
import { loadDashboard } from '#docket/reporting';
import { docketSchema } from '#docket/schema';
import {
  client,
  cpuSeconds,
  freePort,
  percentile,
  postgresCpuByProcess,
  postgresCpuSince,
  timed,
} from './bench-support.js';

const arg = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
};
const AUTHORITY = arg('--authority') ?? 'BENCH';
const GENERATE = arg('--generate') ? Number(arg('--generate')) : 0;
const ITERATIONS = Number(arg('--iterations') ?? 300);
const WARM_UP = 30;
const CLIENTS = Number(arg('--clients') ?? 1);
const MANAGER = { email: `bench-manager@${AUTHORITY.toLowerCase()}.bench`, password: 'bench-manager-password-1' };
const LIST_PATH = '/api/v1/deadlines?status=missed&limit=100';

interface Captured {
  sql: string;
  parameters: unknown[];
}

/** Records every statement TypeORM sends. */
class CaptureLogger implements Logger {
  readonly queries: Captured[] = [];
  logQuery(query: string, parameters?: unknown[]) {
    this.queries.push({ sql: query, parameters: parameters ?? [] });
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error('Set DATABASE_URL to a scratch database (e.g. postgres://postgres@127.0.0.1:5432/scratch_bench)');

  const logger = new CaptureLogger();
  const dataSource = new DataSource({ ...dataSourceOptions(databaseUrl, docketSchema, 4), logging: ['query'], logger });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  if (GENERATE) {
    process.stdout.write(`generating ${GENERATE} cases for ${AUTHORITY} …\n`);
    await generateData(
      dataSource,
      { authority: AUTHORITY, cases: GENERATE, deadlinesPerCase: 3, organisations: 2000, officers: 25 },
      (line) => process.stdout.write(`${line}\n`),
    );
  }
  const [authority] = (await dataSource.query(`SELECT id FROM authorities WHERE code = $1`, [AUTHORITY])) as {
    id: string;
  }[];
  if (!authority)
    throw new Error(
      `No authority ${AUTHORITY}: run with --generate N, or npm run cli -- generate-data --authority ${AUTHORITY} --cases N`,
    );
  const [sizes] = await dataSource.query(
    `SELECT (SELECT count(*) FROM cases WHERE authority_id = $1) AS cases, (SELECT count(*) FROM deadlines WHERE authority_id = $1) AS deadlines,
            (SELECT count(*) FROM deadlines WHERE authority_id = $1 AND status = 'missed') AS missed, (SELECT count(*) FROM deadlines WHERE authority_id = $1 AND status = 'pending') AS pending`,
    [authority.id],
  );
  // A manager of the authority to sign in with.
  const passwordHash = await hashPassword(MANAGER.password);
  await dataSource.query(
    `INSERT INTO users (authority_id, email, name, role, password_hash, active) VALUES ($1, $2, 'Bench manager', 'manager', $3, true)
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, authority_id = EXCLUDED.authority_id, active = true`,
    [authority.id, MANAGER.email, passwordHash],
  );

  const dataDir = await mkdtemp(join(os.tmpdir(), 'docket-bench-'));
  const port = await freePort();
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, 'dist/apps/server/src/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DOCKET_ROLES: 'api',
      LOG_LEVEL: 'warn',
      DOCKET_DATA_DIR: dataDir,
      LOGIN_ATTEMPTS_PER_MINUTE: '1000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const bare = new pg.Pool({ connectionString: databaseUrl, max: 20, application_name: 'bench-bare' });

  try {
    const call = client(port);
    const started = Date.now();
    while ((await call('GET', '/health/ready', null).catch(() => ({ status: 0, text: '' }))).status !== 200) {
      if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
      if (Date.now() - started > 120_000) throw new Error('the server did not become ready within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const signIn = await call('POST', '/api/v1/auth/token', null, MANAGER);
    if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${signIn.text}`);
    const token = (JSON.parse(signIn.text) as { token: string }).token;

    // The statements the server sends, captured from the code that sends them.
    // authenticate() needs no throttle nor second factor
    const auth = new AuthService(
      dataSource,
      new SystemClock(),
      {} as Runtime,
      {} as LoginThrottle,
      {} as SecondFactorService,
    );
    logger.queries.length = 0;
    const authenticated = await auth.authenticate(token, 'api');
    const authSql = logger.queries.splice(0);
    logger.queries.length = 0;
    // filtered by neither assignee nor organisation, the list asks nothing of the cases context
    const listed = await RequestContext.run(
      () =>
        new DeadlineQueries(new DeadlineRepository(dataSource), {} as CasesService, new SystemClock()).list({
          status: 'missed',
          limit: 100,
        }),
      authenticated!.actor,
    );
    const listSql = logger.queries.splice(0);
    if (listSql.length !== 1 || authSql.length !== 1)
      throw new Error(`expected one statement each, captured ${listSql.length} and ${authSql.length}`);

    const query = (statement: Captured) => bare.query(statement.sql, statement.parameters as unknown[]);
    const bareDashboard = () =>
      loadDashboard(
        async (statement, parameters) => (await bare.query({ ...statement, values: parameters })).rows,
        authority.id,
        new Date(),
      );
    const httpGet = async (path: string) => {
      const response = await call('GET', path, token);
      if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${response.text.slice(0, 300)}`);
      return response.text;
    };

    const dashboardText = await httpGet('/api/v1/dashboard');
    const listText = await httpGet(LIST_PATH);
    const listCount = (JSON.parse(listText) as { items: unknown[] }).items.length;
    if (listCount !== listed.items.length)
      throw new Error(`the list over HTTP has ${listCount} rows, the captured query ${listed.items.length}`);

    const runs = {
      'dashboard over HTTP': [] as number[],
      'dashboard bare SQL': [] as number[],
      'dashboard bare SQL + auth': [] as number[],
      'overdue list over HTTP': [] as number[],
      'overdue list bare SQL': [] as number[],
      'overdue list bare SQL + auth': [] as number[],
      'floor: GET /health/live': [] as number[],
      'floor: SELECT 1': [] as number[],
    };
    for (let i = 0; i < WARM_UP + ITERATIONS; i++) {
      const record = i >= WARM_UP;
      // Interleaved, so drift of the machine hits every series alike.
      const samples: [keyof typeof runs, number][] = [
        ['dashboard over HTTP', await timed(() => httpGet('/api/v1/dashboard'))],
        ['dashboard bare SQL', await timed(bareDashboard)],
        ['dashboard bare SQL + auth', await timed(async () => (await query(authSql[0]), await bareDashboard()))],
        ['overdue list over HTTP', await timed(() => httpGet(LIST_PATH))],
        ['overdue list bare SQL', await timed(() => query(listSql[0]))],
        ['overdue list bare SQL + auth', await timed(async () => (await query(authSql[0]), await query(listSql[0])))],
        ['floor: GET /health/live', await timed(() => call('GET', '/health/live', null))],
        ['floor: SELECT 1', await timed(() => bare.query('SELECT 1'))],
      ];
      if (record) for (const [name, ms] of samples) runs[name].push(ms);
    }

    // N clients at once: each its own connection, ITERATIONS requests in all, alternating HTTP and bare rounds.
    // CPU per request, of the server and of PostgreSQL's backends serving this database (nothing else uses it
    // meanwhile): what the machine's load does not change, unlike the times.
    const concurrent = {
      http: [] as number[],
      bare: [] as number[],
      httpSeconds: 0,
      bareSeconds: 0,
      httpServerCpu: 0,
      httpPostgresCpu: 0,
      barePostgresCpu: 0,
    };
    const databaseName = new URL(databaseUrl).pathname.slice(1);
    if (CLIENTS > 1) {
      const clients = Array.from({ length: CLIENTS }, () => client(port));
      const each = Math.ceil(ITERATIONS / CLIENTS);
      const round = async (kind: 'http' | 'bare') => {
        const t0 = performance.now();
        const [server0, postgres0] = [cpuSeconds(server.pid!), postgresCpuByProcess(databaseName)];
        await Promise.all(
          clients.map(async (own) => {
            for (let i = 0; i < each; i++) {
              const ms = await timed(async () => {
                if (kind === 'bare') return bareDashboard();
                const response = await own('GET', '/api/v1/dashboard', token);
                if (response.status !== 200) throw new Error(`GET /api/v1/dashboard → ${response.status}`);
              });
              concurrent[kind].push(ms);
            }
          }),
        );
        concurrent[kind === 'http' ? 'httpSeconds' : 'bareSeconds'] += (performance.now() - t0) / 1000;
        const postgresCpu = postgresCpuSince(databaseName, postgres0);
        if (kind === 'http') {
          concurrent.httpServerCpu += cpuSeconds(server.pid!) - server0;
          concurrent.httpPostgresCpu += postgresCpu;
        } else concurrent.barePostgresCpu += postgresCpu;
      };
      for (let pass = 0; pass < 2; pass++) {
        await round('http');
        await round('bare');
      }
    }

    const perRequest = (seconds: number, samples: number[]) => ((seconds * 1000) / samples.length).toFixed(2);
    const line = (name: keyof typeof runs) =>
      `${name.padEnd(30)} p50 ${percentile(runs[name], 50).toFixed(2).padStart(7)} ms   p95 ${percentile(runs[name], 95).toFixed(2).padStart(7)} ms`;
    const ratio = (a: keyof typeof runs, b: keyof typeof runs) =>
      (percentile(runs[a], 95) / percentile(runs[b], 95)).toFixed(2);
    const dashboard = JSON.parse(dashboardText) as { cases: { open: number }; deadlines: Record<string, number> };
    process.stdout.write(
      [
        `data:   ${sizes.cases} cases, ${sizes.deadlines} deadlines (${sizes.pending} pending, ${sizes.missed} missed) of ${AUTHORITY}; ${os.cpus().length} cores`,
        `        dashboard: ${dashboard.cases.open} open cases, deadlines ${JSON.stringify(dashboard.deadlines)}; list: ${listCount} rows`,
        `runs:   ${ITERATIONS} each after ${WARM_UP} warm-up, one at a time, keep-alive`,
        line('dashboard over HTTP'),
        line('dashboard bare SQL'),
        line('dashboard bare SQL + auth'),
        line('overdue list over HTTP'),
        line('overdue list bare SQL'),
        line('overdue list bare SQL + auth'),
        line('floor: GET /health/live'),
        line('floor: SELECT 1'),
        ...(CLIENTS > 1
          ? [
              `${CLIENTS} clients at once, dashboard over HTTP: p50 ${percentile(concurrent.http, 50).toFixed(2)} ms   p95 ${percentile(concurrent.http, 95).toFixed(2)} ms   ${(concurrent.http.length / concurrent.httpSeconds).toFixed(1)} req/s`,
              `${CLIENTS} clients at once, dashboard bare SQL:  p50 ${percentile(concurrent.bare, 50).toFixed(2)} ms   p95 ${percentile(concurrent.bare, 95).toFixed(2)} ms   ${(concurrent.bare.length / concurrent.bareSeconds).toFixed(1)} req/s`,
              `CPU per dashboard at ${CLIENTS} clients: over HTTP ${perRequest(concurrent.httpServerCpu, concurrent.http)} ms server + ${perRequest(concurrent.httpPostgresCpu, concurrent.http)} ms PostgreSQL; bare ${perRequest(concurrent.barePostgresCpu, concurrent.bare)} ms PostgreSQL (clock ticks of 10 ms, summed)`,
            ]
          : []),
        `load average ${os
          .loadavg()
          .map((n) => n.toFixed(2))
          .join(' ')} (1, 5, 15 min)`,
        `p95 HTTP / bare: dashboard ${ratio('dashboard over HTTP', 'dashboard bare SQL')}× (${ratio('dashboard over HTTP', 'dashboard bare SQL + auth')}× with auth), overdue list ${ratio('overdue list over HTTP', 'overdue list bare SQL')}× (${ratio('overdue list over HTTP', 'overdue list bare SQL + auth')}× with auth)`,
      ].join('\n') + '\n',
    );
  } finally {
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
    await bare.end();
    await dataSource.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-dashboard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
