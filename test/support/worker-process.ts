import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  exited: Promise<number | null>;
  /** Kills this process (by its pid) and waits for it to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the built server (`npm run build`) as a separate process with DOCKET_ROLES=worker and waits
 * until it has started its queue workers.
 */
export function startWorkerProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<WorkerProcess> {
  return startServerProcess({ ...env, DOCKET_ROLES: 'worker' }, 'Docket worker ', timeoutMs);
}

/** The CPU time (ms) a process has used, from Linux's /proc; null where it cannot be read. */
function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // utime and stime, in clock ticks of 10 ms, are the 14th and 15th fields; the name before them may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** A process that has used no CPU for this long while not ready is stuck (waiting for something that never comes). */
const STALL_MS = 30_000;

/**
 * Starts the built server (`node dist/apps/server/src/main.js`, what `npm start` runs) and waits until it prints
 * `readyLine`. `timeoutMs` is counted in the process's own CPU time where Linux tells it: a loaded machine slows a
 * start down many times over in wall time, not in work. A process that stops using CPU for STALL_MS is given up on.
 */
export async function startServerProcess(
  env: Record<string, string>,
  readyLine: string,
  timeoutMs = 90_000,
  cwd = process.cwd(),
): Promise<WorkerProcess> {
  const entry = resolve(cwd, 'dist/apps/server/src/main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first (npm test does)`);
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const worker: WorkerProcess = {
    child,
    pid: child.pid as number,
    output: () => output,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid as number, signal);
      await exited;
    },
  };
  const started = Date.now();
  let lastCpuMs = -1;
  let busyAt = started;
  while (!output.includes(readyLine)) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `the server process exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`,
      );
    const cpu = cpuMs(worker.pid);
    if (cpu !== null && cpu > lastCpuMs) [lastCpuMs, busyAt] = [cpu, Date.now()];
    const late =
      cpu === null
        ? Date.now() - started > timeoutMs && `within ${timeoutMs} ms`
        : (cpu > timeoutMs && `within ${timeoutMs} ms of CPU time`) ||
          (Date.now() - busyAt > STALL_MS && `and used no CPU for ${STALL_MS} ms (after ${cpu} ms of CPU time)`);
    if (late) {
      await worker.kill();
      throw new Error(`the server process was not ready ${late}:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return worker;
}
