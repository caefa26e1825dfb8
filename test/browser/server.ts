import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { REDIS_URL, SYSADMIN, type HttpTarget, type QueueKind } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/database.js';
import { startServerProcess, type WorkerProcess } from '../support/worker-process.js';

/** The built server (`dist/`, what `npm start` runs) in a process of its own, on a fresh database. */
export interface BuiltServer extends HttpTarget {
  baseURL: string;
  port: number;
  database: { name: string; url: string };
  /** Ports picked for the options asked for (e.g. the inbound SMTP listener). */
  ports: Record<string, number>;
  /** Moves the server's clock (only when started with `clock`). */
  setClock(instant: Date): void;
  /** A query on the server's database, for what no API shows (counts before and after, job states). */
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  process: WorkerProcess;
  close(): Promise<void>;
}

export interface BuiltServerOptions {
  /** The instant the server's clock reads until `setClock` moves it; the real time when absent. */
  clock?: Date;
  queue?: QueueKind;
  env?: Record<string, string>;
  /** Names of environment variables to set to a free port each (e.g. `INBOUND_SMTP_PORT`). */
  freePorts?: string[];
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

export async function startBuiltServer(options: BuiltServerOptions = {}): Promise<BuiltServer> {
  const database = await createTestDatabase();
  const dataDir = resolve('var/test', database.name);
  mkdirSync(dataDir, { recursive: true });
  const clockFile = resolve(dataDir, 'clock');
  const setClock = (instant: Date) => writeFileSync(clockFile, instant.toISOString());
  if (options.clock) setClock(options.clock);
  const port = await freePort();
  const ports: Record<string, number> = {};
  for (const name of options.freePorts ?? []) ports[name] = await freePort();
  const child = await startServerProcess(
    {
      PORT: String(port),
      DATABASE_URL: database.url,
      DOCKET_ADMIN_EMAIL: SYSADMIN.email,
      DOCKET_ADMIN_PASSWORD: SYSADMIN.password,
      DOCKET_DATA_DIR: dataDir,
      QUEUE_PREFIX: database.name,
      LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      ...(options.clock ? { DOCKET_TEST_CLOCK_FILE: clockFile } : {}),
      ...(options.queue === 'redis' ? { REDIS_URL } : {}),
      ...Object.fromEntries(Object.entries(ports).map(([name, value]) => [name, String(value)])),
      ...options.env,
    },
    'Docket listening on ',
    60_000,
  );
  const baseURL = `http://127.0.0.1:${port}`;
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    baseURL,
    port,
    database,
    ports,
    process: child,
    http: () => request(baseURL),
    setClock(instant: Date) {
      if (!options.clock) throw new Error('this server runs on the real clock: start it with { clock }');
      setClock(instant);
    },
    async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      return (await pool.query<T>(sql, params)).rows;
    },
    async close() {
      await pool.end();
      const stopped = child.kill('SIGTERM');
      const timer = setTimeout(() => void child.kill('SIGKILL'), 15_000);
      await stopped;
      clearTimeout(timer);
      // The server's own log (errors behind a 500 page), for whoever reads a failed run.
      mkdirSync(resolve('test-output/servers'), { recursive: true });
      writeFileSync(resolve('test-output/servers', `${database.name}.log`), child.output());
      await dropDatabase(database.name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
