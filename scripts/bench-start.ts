// Measures `npm start`-to-ready on the embedded default (first start includes initdb) and the idle RSS.
// Usage: npm run bench:start   (builds first; uses a throwaway data dir and port)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.BENCH_PORT ?? 3817);
const pgPort = Number(process.env.BENCH_PG_PORT ?? 54391);

function rssKb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Sum of RSS of the postgres processes listening for this data dir (a rough upper bound: shared pages count once per
 * process).
 */
function postgresRssKb(dataDir: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('postgres') && (cmd.includes(dataDir) || cmd.includes(`${pgPort}`)))
        total += rssKb(Number(entry));
    } catch {
      // process went away
    }
  }
  return total;
}

async function waitReady(deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function run(label: string, dataDir: string): Promise<void> {
  const started = Date.now();
  const child = spawn(process.execPath, ['dist/apps/server/src/main.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      DOCKET_DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      SMTP_URL: '',
      LOG_LEVEL: 'warn',
      DOCKET_ADMIN_PASSWORD: 'bench-password-123',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const ready = await waitReady(started + 120_000);
  const readyMs = Date.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const nodeRss = rssKb(child.pid as number);
  const pgRss = postgresRssKb(dataDir);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  console.log(
    `${label}: ready=${ready} in ${readyMs} ms; idle RSS node ${(nodeRss / 1024).toFixed(0)} MiB, postgres processes ${(pgRss / 1024).toFixed(0)} MiB`,
  );
}

const dataDir = mkdtempSync(join(tmpdir(), 'docket-bench-'));
try {
  await run('first start (initdb + migrations)', dataDir);
  await run('second start', dataDir);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
