import pg from 'pg';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueName } from '#docket/platform';
import { startTestApp } from './support/app.js';
import { createTestDatabase, databaseUrl, dropDatabase } from './support/database.js';

interface Session {
  application_name: string;
  state: string | null;
  query: string;
}

async function sessionsOn(database: string): Promise<Session[]> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    const result = await client.query<Session>(
      'SELECT application_name, state, query FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The sessions still open on the database once the app has closed. A connection that is being torn
 * down may linger in pg_stat_activity for a moment, so a few looks are allowed; the first wait gives a
 * connection opened late (after close, by something still starting) the time to show up.
 */
async function sessionsAfterClose(database: string): Promise<Session[]> {
  await sleep(1500);
  let sessions = await sessionsOn(database);
  for (let i = 0; i < 20 && sessions.length > 0; i++) {
    await sleep(100);
    sessions = await sessionsOn(database);
  }
  return sessions;
}

describe('queue workers and the roles of a process', () => {
  // One database for the file: each test leaves it without a session (what it checks), so the next one starts clean.
  let database: { name: string; url: string };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    if (database) await dropDatabase(database.name);
  });

  it.each([['api'], ['worker'], ['api,worker']])(
    'a process with DOCKET_ROLES=%s leaves no PostgreSQL connection open once it has closed',
    async (roles) => {
      expect(await sessionsOn(database.name)).toEqual([]);
      const test = await startTestApp({ roles, database });
      await test.close();
      expect(await sessionsAfterClose(database.name)).toEqual([]);
    },
  );

  it('an api-only process opens no worker connection and consumes no job', async () => {
    expect(await sessionsOn(database.name)).toEqual([]);
    const test = await startTestApp({ roles: 'api', database });
    try {
      const queue = test.app.get<Queue>(getQueueToken(QueueName.Reporting), { strict: false });
      await queue.add('no-such-job', {}, { jobId: 'left-waiting' });
      await sleep(1500);
      expect(await queue.getJobState('left-waiting')).toBe('waiting');
      // A worker names its LISTEN connection after its queue (pg_stat_activity.application_name).
      const queues: string[] = Object.values(QueueName);
      const names = (await sessionsOn(database.name)).map((session) => session.application_name);
      expect(names.filter((name) => queues.includes(name))).toEqual([]);
    } finally {
      await test.close();
    }
    expect(await sessionsAfterClose(database.name)).toEqual([]);
  });
});
