import pg from 'pg';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TEMPLATE_LOCK = 0x74706c;
/** PostgreSQL's object_in_use: the database still has sessions. */
const OBJECT_IN_USE = '55006';
let counter = 0;

function run(): string {
  const id = process.env.DOCKET_TEST_RUN;
  if (!id) throw new Error('DOCKET_TEST_RUN is not set: run the tests through jest (npm test)');
  return id;
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The run's template database, migrated once (the first test file to ask does it, under a lock). */
async function templateName(): Promise<string> {
  const name = `docket_t_${run()}_template`;
  await withAdmin(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) return;
      await client.query(`CREATE DATABASE "${name}"`);
      // Loaded only by the file that migrates the template: the others (the browser specs) need none of the libs.
      // One after the other: jest's module loader fails on concurrent imports of a shared module.
      const { DataSource } = await import('typeorm');
      const { dataSourceOptions, runMigrations } = await import('#docket/platform');
      const { docketSchema } = await import('#docket/schema');
      const dataSource = new DataSource(dataSourceOptions(databaseUrl(name), docketSchema, 2));
      await dataSource.initialize();
      await runMigrations(dataSource);
      await dataSource.destroy();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return name;
}

/** A fresh, migrated database of its own for one test file (or one app in it). */
export async function createTestDatabase(): Promise<{ name: string; url: string }> {
  const template = await templateName();
  const name = `docket_t_${run()}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 7)}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return { name, url: databaseUrl(name) };
}

/** An empty database (no migrations) for tests of the migrations themselves. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string }> {
  const name = `docket_t_${run()}_${process.pid}_empty_${++counter}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  return { name, url: databaseUrl(name) };
}

/**
 * Drops a test file's database once its app has closed. Not WITH (FORCE): a connection of this process still open
 * (BullMQ's PostgreSQL backend can open its LISTEN connection again after the app closed it) would be ended with an
 * 'error' that nobody listens to any more, and the test file would fail after its tests passed. Such a database is
 * left, with its sessions named, to the run's global teardown.
 */
export async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (client) => {
    const until = Date.now() + 5000;
    for (;;) {
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== OBJECT_IN_USE) throw error;
        if (Date.now() > until) {
          const { rows } = await client.query(
            `SELECT application_name, state, left(query, 80) AS query FROM pg_stat_activity WHERE datname = $1`,
            [name],
          );
          console.warn(`database ${name} still has sessions; the run's teardown drops it: ${JSON.stringify(rows)}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
}
