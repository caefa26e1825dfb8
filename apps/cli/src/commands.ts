import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { AuditService, type AuditVerification, type FoundCheckpoint } from '#docket/audit';
import { dataSourceOptions, loadConfig, prepareRuntime, SystemClock, UnitOfWork, type Runtime } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { generateData, GENERATE_USAGE } from './generate-data.js';

export interface ChainReport extends AuditVerification {
  authority: string;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

async function authoritiesFor(dataSource: DataSource, code?: string): Promise<{ id: string; code: string }[]> {
  const authorities = (await dataSource.query(
    `SELECT id, code FROM authorities ${code ? 'WHERE code = $1' : ''} ORDER BY code`,
    code ? [code] : [],
  )) as { id: string; code: string }[];
  if (code && authorities.length === 0) throw new CliError(`There is no authority with code ${code}.`);
  return authorities;
}

/**
 * Re-checks the audit chain of every authority (or of the one with `code`) with the audit key, against its
 * head and its checkpoints (the data directory's, AUDIT_CHECKPOINT_DIR's, and the file `checkpointFile`:
 * a checkpoint or an audit export). A chain begun before the audit key is first sealed (see sealLegacyChains).
 */
export async function verifyAuditChains(
  dataSource: DataSource,
  runtime: Pick<Runtime, 'auditKey' | 'config'>,
  code?: string,
  checkpointFile?: string,
): Promise<ChainReport[]> {
  const authorities = await authoritiesFor(dataSource, code);
  const audit = new AuditService(dataSource, new UnitOfWork(dataSource), new SystemClock(), runtime);
  await audit.sealLegacyChains();
  let given: unknown;
  if (checkpointFile) {
    try {
      given = JSON.parse(readFileSync(checkpointFile, 'utf8'));
    } catch (error) {
      throw new CliError(
        `cannot read ${checkpointFile} as JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  const reports: ChainReport[] = [];
  for (const authority of authorities) {
    const extra: FoundCheckpoint[] = [];
    if (checkpointFile) {
      const found = audit.examine(given, `the file ${checkpointFile}`);
      // A checkpoint names its authority: it is compared with that chain only.
      if (found.problem || found.checkpoint?.authorityId === authority.id) extra.push(found);
    }
    reports.push({ authority: authority.code, ...(await audit.verify(authority.id, extra)) });
  }
  await audit.flushCheckpoints();
  return reports;
}

/** Writes each authority's signed checkpoint to AUDIT_CHECKPOINT_DIR; refuses a chain that does not verify. */
export async function checkpointAuditChains(
  dataSource: DataSource,
  runtime: Pick<Runtime, 'auditKey' | 'config'>,
  code?: string,
): Promise<{ authority: string; seq?: string; path?: string; problem?: string }[]> {
  if (!runtime.config.AUDIT_CHECKPOINT_DIR)
    throw new CliError(
      'AUDIT_CHECKPOINT_DIR is not set: name a folder outside the database (another disk or a mounted share) to write checkpoints to',
    );
  const audit = new AuditService(dataSource, new UnitOfWork(dataSource), new SystemClock(), runtime);
  await audit.sealLegacyChains();
  const results = [];
  for (const authority of await authoritiesFor(dataSource, code)) {
    try {
      const { checkpoint, path } = await audit.writeExternalCheckpoint(authority.id);
      results.push({ authority: authority.code, seq: checkpoint.seq, path });
    } catch (error) {
      results.push({ authority: authority.code, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

const USAGE = `usage: docket <command>
  migrate                         apply pending migrations (under the migration advisory lock)
  verify-audit [--authority CODE] [--checkpoint FILE]
                                  re-check the audit chains with the audit key, their heads and checkpoints (also FILE:
                                  a checkpoint or an audit export); exits 1 when one is broken
  checkpoint-audit [--authority CODE]
                                  write each chain's signed checkpoint to AUDIT_CHECKPOINT_DIR; exits 1 when one is refused
  reindex-search                  rebuild the search index from the tables (the reconciliation step of libs/search)
  seed-demo                       load the demo (seven authorities, the 2025 story, current cases); a second run changes nothing
${GENERATE_USAGE}`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (!value || value.startsWith('--')) throw new CliError(`${name} needs a value\n${USAGE}`);
  return value;
}

/** Runs one operator command; returns the process exit code. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const [command, ...rest] = args;
  if (
    command !== 'migrate' &&
    command !== 'verify-audit' &&
    command !== 'checkpoint-audit' &&
    command !== 'generate-data' &&
    command !== 'reindex-search' &&
    command !== 'seed-demo'
  ) {
    out(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  const config = loadConfig(env);
  const runtime = await prepareRuntime(config, docketSchema, {
    migrate: command === 'migrate' || command === 'generate-data' || command === 'seed-demo',
    log: out,
  });
  try {
    if (command === 'migrate') {
      out('migrations are up to date');
      return 0;
    }
    if (command === 'seed-demo') {
      // Loaded on demand: the other commands need none of the server's modules.
      const [{ seedDemo, DemoRefused }, { AppModule }] = await Promise.all([
        import('#docket/demo'),
        import('../../server/src/app.module.js'),
      ]);
      try {
        await seedDemo(runtime, (demoRuntime) => AppModule.forRuntime(demoRuntime), out);
      } catch (error) {
        if (error instanceof DemoRefused) throw new CliError(error.message);
        throw error;
      }
      return 0;
    }
    const authority = option(rest, '--authority');
    const dataSource = new DataSource(dataSourceOptions(runtime.databaseUrl, docketSchema, 2));
    await dataSource.initialize();
    try {
      if (command === 'generate-data') {
        const count = (name: string, fallback?: number) => {
          const value = option(rest, name) ?? fallback;
          if (value === undefined || !Number.isInteger(Number(value)) || Number(value) < 1)
            throw new CliError(`${name} needs a whole number of at least 1\n${USAGE}`);
          return Number(value);
        };
        if (!authority || !/^[A-Z][A-Z0-9]{1,9}$/.test(authority))
          throw new CliError(`--authority needs an authority code such as BENCH\n${USAGE}`);
        await generateData(
          dataSource,
          {
            authority,
            cases: count('--cases'),
            deadlinesPerCase: count('--deadlines-per-case', 3),
            organisations: count('--organisations', 2000),
            officers: count('--officers', 25),
            notesPerCase: option(rest, '--notes-per-case') === undefined ? 0 : count('--notes-per-case'),
            textsPerCase: option(rest, '--texts-per-case') === undefined ? 0 : count('--texts-per-case'),
          },
          out,
        );
        return 0;
      }
      if (command === 'reindex-search') {
        const started = Date.now();
        const [row] = (await dataSource.query(`SELECT search_reindex_all() AS n`)) as { n: string }[];
        out(`search index rebuilt: ${row.n} documents in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return 0;
      }
      if (command === 'checkpoint-audit') {
        const results = await checkpointAuditChains(dataSource, runtime, authority);
        if (results.length === 0) out('no authorities yet: nothing to checkpoint');
        for (const result of results) out(JSON.stringify(result));
        return results.every((result) => !result.problem) ? 0 : 1;
      }
      const reports = await verifyAuditChains(dataSource, runtime, authority, option(rest, '--checkpoint'));
      if (reports.length === 0) out('no authorities yet: nothing to verify');
      for (const report of reports) {
        out(
          JSON.stringify({
            authority: report.authority,
            valid: report.valid,
            entries: report.entries,
            head: report.head,
            firstBad: report.firstBad ?? null,
            legacyEntries: report.legacyEntries,
            checkpoints: report.checkpoints,
          }),
        );
      }
      return reports.every((report) => report.valid) ? 0 : 1;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    runtime.mail.close();
    await runtime.embedded?.stop();
  }
}
