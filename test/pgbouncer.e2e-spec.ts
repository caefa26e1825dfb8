import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { bearer, createTenant, startTestApp, type TestApp } from './support/app.js';
import { createEmptyDatabase, databaseUrl, dropDatabase } from './support/database.js';
import { createCase, createProvider } from './support/fixtures.js';

const SERVER_CONNECTIONS = 2;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Debian's pgbouncer in transaction pooling in front of the test database, two server connections. */
async function startPgBouncer(database: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'docket-pgbouncer-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const target = new URL(databaseUrl(database));
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `${database} = host=${target.hostname} port=${target.port || 5432} dbname=${database} user=${decodeURIComponent(target.username) || 'postgres'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      `default_pool_size = ${SERVER_CONNECTIONS}`,
      'max_client_conn = 200',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      'ignore_startup_parameters = extra_float_digits',
    ].join('\n'),
  );
  // pgbouncer refuses to run as root: -u drops to postgres when the tests run as root.
  const args = process.getuid?.() === 0 ? ['-u', 'postgres', join(dir, 'pgbouncer.ini')] : [join(dir, 'pgbouncer.ini')];
  const child: ChildProcess = spawn('/usr/sbin/pgbouncer', args, { stdio: 'ignore' });
  const url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt > 100 || child.exitCode !== null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('behind PgBouncer in transaction pooling (DB_PGBOUNCER=true)', () => {
  let database: { name: string; url: string };
  let bouncer: { url: string; stop: () => Promise<void> };
  let test: TestApp;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    bouncer = await startPgBouncer(database.name);
    // The migrations themselves go through PgBouncer: a transaction-scoped lock, one transaction.
    const migrator = new DataSource(dataSourceOptions(bouncer.url, docketSchema, 2));
    await migrator.initialize();
    try {
      expect((await runMigrations(migrator, { transactionPooling: true })).length).toBeGreaterThan(10);
      expect(await runMigrations(migrator, { transactionPooling: true })).toEqual([]);
    } finally {
      await migrator.destroy();
    }
    test = await startTestApp({
      queue: 'redis',
      database: { name: database.name, url: bouncer.url },
      env: { DB_PGBOUNCER: 'true', DB_POOL_SIZE: '10' },
    });
  });

  afterAll(async () => {
    await test?.close();
    await bouncer?.stop();
    if (database) await dropDatabase(database.name);
  });

  it('opens cases from eight clients at once over two server connections: gap-free references, a valid audit chain', async () => {
    const tenant = await createTenant(test, 'BNCR');
    const organisation = await createProvider(test, tenant.tokens.officer);
    const cases = await Promise.all(Array.from({ length: 16 }, () => createCase(test, tenant, organisation)));
    const numbers = cases.map((kase) => Number(String(kase.reference).split('-').pop())).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 16 }, (_, i) => numbers[0] + i));
    const verify = await test.http().get('/api/v1/audit/verify').set(bearer(tenant.tokens.viewer)).expect(200);
    expect(verify.body).toMatchObject({ valid: true });
    const direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    try {
      const { rows } = await direct.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [database.name],
      );
      expect(rows[0].n).toBeLessThanOrEqual(SERVER_CONNECTIONS);
    } finally {
      await direct.end();
    }
  });

  it('refuses the mode without Redis for the queues', async () => {
    const { loadConfig, ConfigError } = await import('#docket/platform');
    expect(() => loadConfig({ DATABASE_URL: bouncer.url, DB_PGBOUNCER: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: bouncer.url, DB_PGBOUNCER: 'true' })).toThrow(/DB_PGBOUNCER/);
  });
});
