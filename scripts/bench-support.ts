// What the HTTP benchmarks share: a free port, a keep-alive client, percentiles and a timer. Scripts, not tests.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type pg from 'pg';
import { createServer } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** CPU seconds used so far by a process (user + system), 0 once it is gone. */
export const cpuSeconds = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};

/**
 * CPU seconds used so far by the PostgreSQL backends serving `database` on this machine, or by all its postgres
 * processes without one (0 when PostgreSQL runs elsewhere).
 */
export const postgresCpuSeconds = (database?: string): number =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .reduce((sum, pid) => {
      try {
        const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const counted = database
          ? title.startsWith('postgres:') && title.includes(` ${database} `)
          : readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
        return counted ? sum + cpuSeconds(Number(pid)) : sum;
      } catch {
        return sum;
      }
    }, 0);

/**
 * CPU seconds used by the PostgreSQL backends serving `database` between `before` (postgresCpuByProcess) and now:
 * a backend that closed meanwhile is left out (its last seconds with it), one that opened counts whole.
 */
export const postgresCpuSince = (database: string, before: Map<number, number>): number =>
  [...postgresCpuByProcess(database)].reduce((sum, [pid, seconds]) => sum + seconds - (before.get(pid) ?? 0), 0);

/** CPU seconds used so far by each PostgreSQL backend serving `database` on this machine, by process id. */
export const postgresCpuByProcess = (database: string): Map<number, number> =>
  new Map(
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .flatMap((pid): [number, number][] => {
        try {
          const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          return title.startsWith('postgres:') && title.includes(` ${database} `)
            ? [[Number(pid), cpuSeconds(Number(pid))]]
            : [];
        } catch {
          return [];
        }
      }),
  );

/** The machine's load average (1, 5, 15 minutes) and its cores, to print with every figure. */
export const loadAverage = (): string =>
  `load average ${os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')} on ${os.cpus().length} cores`;

export const WAIT_SAMPLE_MS = 100;

/**
 * Samples a benchmark's database connections while it runs: how many are in a transaction, and how many of those wait
 * for a lock, on what (told by the statement waiting): what serialises the work whatever the machine's load.
 */
export function sampleLockWaits(client: pg.Client, name: string) {
  const counts = { samples: 0, inTransaction: 0, waiting: 0, on: {} as Record<string, number> };
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await client.query<{ waiting: boolean; query: string }>(
        `SELECT wait_event_type = 'Lock' AS waiting, query FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid() AND (state = 'idle in transaction' OR (state = 'active' AND xact_start IS NOT NULL))`,
        [name],
      );
      counts.samples += 1;
      counts.inTransaction += rows.length;
      for (const row of rows.filter((candidate) => candidate.waiting)) {
        counts.waiting += 1;
        const what = /audit_heads/.test(row.query)
          ? 'audit chain heads'
          : /case_reference_counters/.test(row.query)
            ? 'case reference counters'
            : 'other rows';
        counts.on[what] = (counts.on[what] ?? 0) + 1;
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_SAMPLE_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return counts;
    },
  };
}

/** One line for what sampleLockWaits counted. */
export function describeLockWaits(sampled: Awaited<ReturnType<ReturnType<typeof sampleLockWaits>['stop']>>): string {
  const perSample = (n: number) => (n / Math.max(1, sampled.samples)).toFixed(2);
  const on = Object.entries(sampled.on)
    .map(([what, n]) => `${what} ${perSample(n)}`)
    .join(', ');
  return `transactions (sampled every ${WAIT_SAMPLE_MS} ms): ${perSample(sampled.inTransaction)} open on average, ${perSample(sampled.waiting)} of them waiting for a lock${on ? ` (${on})` : ''}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export function client(port: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            'content-type': 'application/json',
            ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
