import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLAMD = '/usr/sbin/clamd';

/**
 * The EICAR anti-virus test file (harmless by definition), assembled at run time so that the repository itself holds
 * no byte sequence a scanner would flag.
 */
export const EICAR = Buffer.from(
  ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join(''),
  'latin1',
);
export const EICAR_SIGNATURE = 'Docket.Test.EICAR';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A throwaway clamd (Debian's clamav-daemon, installed by .ci/run) on loopback with a signature database written
 * here in ClamAV's hash-signature format (`.hdb`: MD5:size:name) holding the EICAR file's hash only — the official
 * database cannot be downloaded on these machines.
 */
export class Clamd {
  private child: ChildProcess | null = null;
  private dir = '';
  port = 0;

  get url(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.dir = await mkdtemp(join(tmpdir(), 'docket-clamd-'));
    this.port = await freePort();
    const md5 = createHash('md5').update(EICAR).digest('hex');
    await writeFile(join(this.dir, 'docket-test.hdb'), `${md5}:${EICAR.length}:${EICAR_SIGNATURE}\n`);
    const config = join(this.dir, 'clamd.conf');
    await writeFile(
      config,
      [
        `DatabaseDirectory ${this.dir}`,
        `TCPSocket ${this.port}`,
        'TCPAddr 127.0.0.1',
        'Foreground yes',
        `PidFile ${join(this.dir, 'clamd.pid')}`,
        // As root, clamd would switch to the clamav user, who cannot read this folder.
        `User ${process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'nobody')}`,
        'LogVerbose no',
      ].join('\n'),
    );
    await chmod(this.dir, 0o755);
    const child = spawn(CLAMD, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const started = Date.now();
    while (!(await this.answers())) {
      if (child.exitCode !== null) throw new Error(`clamd exited (${child.exitCode}): ${errors}`);
      if (Date.now() - started > 30_000) throw new Error(`clamd did not answer within 30 s: ${errors}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return this;
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: this.port });
      socket.once('connect', () => socket.end('zPING\0'));
      socket.once('data', (data) => resolve(data.toString().startsWith('PONG')));
      socket.once('error', () => resolve(false));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
