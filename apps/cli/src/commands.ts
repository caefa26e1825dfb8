import { DataSource } from 'typeorm';
import { AuditService, type ChainCheck } from '#docket/audit';
import { dataSourceOptions, loadConfig, prepareRuntime, SystemClock } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { generateData, GENERATE_USAGE } from './generate-data.js';

export interface ChainReport extends ChainCheck {
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

/** Re-hashes the audit chain of every authority (or of the one with `code`). */
export async function verifyAuditChains(dataSource: DataSource, code?: string): Promise<ChainReport[]> {
  const authorities = (await dataSource.query(`SELECT id, code FROM authorities ${code ? 'WHERE code = $1' : ''} ORDER BY code`, code ? [code] : [])) as { id: string; code: string }[];
  if (code && authorities.length === 0) throw new CliError(`There is no authority with code ${code}.`);
  const audit = new AuditService(dataSource, new SystemClock());
  const reports: ChainReport[] = [];
  for (const authority of authorities) reports.push({ authority: authority.code, ...(await audit.verify(authority.id)) });
  return reports;
}

const USAGE = `usage: docket <command>
  migrate                         apply pending migrations (under the migration advisory lock)
  verify-audit [--authority CODE] re-hash the audit chains; exits 1 when one is broken
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
export async function runCli(args: string[], env: NodeJS.ProcessEnv = process.env, out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'migrate' && command !== 'verify-audit' && command !== 'generate-data' && command !== 'seed-demo') {
    out(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  const config = loadConfig(env);
  const runtime = await prepareRuntime(config, docketSchema, { migrate: command === 'migrate' || command === 'generate-data' || command === 'seed-demo', log: out });
  try {
    if (command === 'migrate') {
      out('migrations are up to date');
      return 0;
    }
    if (command === 'seed-demo') {
      // Loaded on demand: the other commands need none of the server's modules.
      const [{ seedDemo, DemoRefused }, { AppModule }] = await Promise.all([import('#docket/demo'), import('../../server/src/app.module.js')]);
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
          if (value === undefined || !Number.isInteger(Number(value)) || Number(value) < 1) throw new CliError(`${name} needs a whole number of at least 1\n${USAGE}`);
          return Number(value);
        };
        if (!authority || !/^[A-Z][A-Z0-9]{1,9}$/.test(authority)) throw new CliError(`--authority needs an authority code such as BENCH\n${USAGE}`);
        await generateData(dataSource, { authority, cases: count('--cases'), deadlinesPerCase: count('--deadlines-per-case', 3), organisations: count('--organisations', 2000), officers: count('--officers', 25) }, out);
        return 0;
      }
      const reports = await verifyAuditChains(dataSource, authority);
      if (reports.length === 0) out('no authorities yet: nothing to verify');
      for (const report of reports) out(JSON.stringify({ authority: report.authority, valid: report.valid, entries: report.entries, head: report.head, firstBad: report.firstBad ?? null }));
      return reports.every((report) => report.valid) ? 0 : 1;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    runtime.mail.close();
    await runtime.embedded?.stop();
  }
}
