import { DataSource, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';
import { activeTransaction, mayCommitEarly, noteCommittedEarly, UnitOfWork } from '#docket/platform';
import { createEmptyDatabase, dropDatabase } from './support/database.js';

interface PgClient {
  query: (...args: unknown[]) => unknown;
  _activeQuery: unknown;
  _queryQueue: unknown[];
}

describe('a unit of work that travels with the request (PostgreSQL)', () => {
  let database: { name: string; url: string };
  let dataSource: DataSource;
  let unitOfWork: UnitOfWork;

  const rows = async () =>
    ((await dataSource.query('SELECT label FROM probe ORDER BY label')) as { label: string }[]).map((row) => row.label);
  const insert = (label: string) => unitOfWork.manager().query('INSERT INTO probe (label) VALUES ($1)', [label]);

  beforeAll(async () => {
    database = await createEmptyDatabase();
    dataSource = new DataSource({ type: 'postgres', url: database.url });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE probe (label text PRIMARY KEY)');
    unitOfWork = new UnitOfWork(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(database.name);
  });
  beforeEach(async () => {
    await dataSource.query('TRUNCATE probe');
  });

  it('gives a service called inside it the open transaction, and the data source outside one', async () => {
    expect(unitOfWork.manager()).toBe(dataSource.manager);
    expect(activeTransaction()).toBeUndefined();
    await unitOfWork.run(async (manager) => {
      expect(unitOfWork.manager()).toBe(manager);
      await insert('inside');
      // Not committed yet: another connection does not see it, the transaction does.
      expect(await rows()).toEqual([]);
      expect(await manager.query('SELECT label FROM probe')).toEqual([{ label: 'inside' }]);
    });
    expect(await rows()).toEqual(['inside']);
  });

  it('sends a transaction its queries one at a time, however many its work sends at once', async () => {
    const busyWhenSent: boolean[] = [];
    const labels = ['a', 'b', 'c', 'd'];
    const read = (label: string) =>
      unitOfWork.manager().query('SELECT $1::text AS value', [label]) as Promise<[{ value: string }]>;
    const values = await unitOfWork.run(async (manager) => {
      await manager.query('SELECT 1');
      // node-postgres's own fields (a test may look): a query sent while another runs or waits is queued by the client.
      const client = (manager.queryRunner as unknown as { databaseConnection: PgClient }).databaseConnection;
      const query = client.query.bind(client);
      client.query = ((...args: unknown[]) => {
        busyWhenSent.push(client._activeQuery !== null || client._queryQueue.length > 0);
        return query(...args);
      }) as PgClient['query'];
      try {
        return await Promise.all(labels.map(read));
      } finally {
        client.query = query;
      }
    });
    expect(values.map(([{ value }]) => value)).toEqual(labels);
    expect(busyWhenSent).toEqual([false, false, false, false]);
  });

  it('reads at once outside a transaction, each read on a connection of the pool', async () => {
    const pids = await Promise.all(
      [1, 2, 3].map(
        () =>
          unitOfWork.manager().query('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)') as Promise<[{ pid: number }]>,
      ),
    );
    expect(new Set(pids.map(([{ pid }]) => pid)).size).toBe(3);
  });

  it('joins a unit of work begun inside another: one commit, after-commit tasks only after it', async () => {
    const order: string[] = [];
    await unitOfWork.run(async (outer, outerAfterCommit) => {
      await insert('outer');
      await unitOfWork.run(async (inner, afterCommit) => {
        expect(inner.queryRunner).toBe(outer.queryRunner);
        await insert('inner');
        afterCommit(async () => {
          order.push(`inner task sees ${(await rows()).join(',')}`);
        });
      });
      outerAfterCommit(async () => {
        order.push('outer task');
      });
      order.push(`before commit others see ${(await rows()).length}`);
    });
    expect(order).toEqual(['before commit others see 0', 'inner task sees inner,outer', 'outer task']);
  });

  it('undoes only the joined work that failed, and drops its after-commit tasks', async () => {
    const tasks: string[] = [];
    await unitOfWork.run(async () => {
      await insert('kept');
      await expect(
        unitOfWork.run(async (_manager, afterCommit) => {
          await insert('undone');
          afterCommit(async () => {
            tasks.push('undone');
          });
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      await insert('after');
    });
    expect(await rows()).toEqual(['after', 'kept']);
    expect(tasks).toEqual([]);
  });

  it('rolls the joined work back with the transaction it joined', async () => {
    const tasks: string[] = [];
    await expect(
      unitOfWork.run(async () => {
        await unitOfWork.run(async (_manager, afterCommit) => {
          await insert('joined');
          afterCommit(async () => {
            tasks.push('joined');
          });
        });
        throw new Error('outer refused');
      }),
    ).rejects.toThrow('outer refused');
    expect(await rows()).toEqual([]);
    expect(tasks).toEqual([]);
  });

  it('joins units inside atomic work without a savepoint; their tasks wait for the commit', async () => {
    const statements: string[] = [];
    const order: string[] = [];
    await unitOfWork.atomic(async (manager) => {
      const runner = manager.queryRunner!;
      const query = runner.query.bind(runner);
      runner.query = ((sql: string, ...rest: unknown[]) => {
        statements.push(sql);
        return (query as (...args: unknown[]) => unknown)(sql, ...rest);
      }) as typeof runner.query;
      await insert('outer');
      await unitOfWork.run(async (inner, afterCommit) => {
        expect(inner).toBe(manager);
        await insert('inner');
        afterCommit(async () => {
          order.push(`task sees ${(await rows()).join(',')}`);
        });
      });
      order.push(`before commit others see ${(await rows()).length}`);
    });
    expect(statements.filter((sql) => /SAVEPOINT/i.test(sql))).toEqual([]);
    expect(order).toEqual(['before commit others see 0', 'task sees inner,outer']);
  });

  it('fails atomic work whole when a unit joined inside it fails, even if the failure is caught', async () => {
    const tasks: string[] = [];
    await expect(
      unitOfWork.atomic(async () => {
        await insert('kept?');
        await unitOfWork
          .run(async (_manager, afterCommit) => {
            await insert('joined');
            afterCommit(async () => {
              tasks.push('joined');
            });
            throw new Error('joined refused');
          })
          .catch(() => undefined);
        await insert('after');
      }),
    ).rejects.toThrow('joined refused');
    expect(await rows()).toEqual([]);
    expect(tasks).toEqual([]);
  });

  it('runs an after-commit task and work left running outside the finished transaction', async () => {
    let leftRunning: Promise<unknown> | undefined;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await unitOfWork.run(async (_manager, afterCommit) => {
      await insert('first');
      leftRunning = released.then(() => {
        expect(activeTransaction()).toBeUndefined();
        return insert('late');
      });
      afterCommit(async () => {
        expect(activeTransaction()).toBeUndefined();
        // A unit of work in a task opens a transaction of its own.
        await unitOfWork.run(async () => insert('task'));
      });
    });
    release();
    await leftRunning;
    expect(await rows()).toEqual(['first', 'late', 'task']);
  });

  it('sends no COMMIT of its own when the last statement sent as it commits carried one; commit events still fire', async () => {
    const sent: string[] = [];
    const events: string[] = [];
    let failAtCommit = false;
    // What the audit does: its append, sent with the COMMIT when the unit of work allows it.
    const subscriber: EntitySubscriberInterface = {
      afterQuery: (event) => void sent.push(event.query),
      beforeTransactionCommit: async ({ queryRunner }) => {
        const early = mayCommitEarly(queryRunner);
        events.push(`before commit, early: ${early}`);
        const label = failAtCommit ? 'inside' : 'at commit';
        await queryRunner.query(`INSERT INTO probe (label) VALUES ('${label}')${early ? '; COMMIT' : ''}`);
        if (early) noteCommittedEarly(queryRunner);
      },
      afterTransactionCommit: ({ queryRunner }: { queryRunner: QueryRunner }) =>
        void events.push(`after commit, active: ${queryRunner.isTransactionActive}`),
    };
    dataSource.subscribers.push(subscriber);
    try {
      await unitOfWork.run(() => insert('inside'));
      expect(sent).toEqual([
        'START TRANSACTION',
        'INSERT INTO probe (label) VALUES ($1)',
        "INSERT INTO probe (label) VALUES ('at commit'); COMMIT",
      ]);
      expect(events).toEqual(['before commit, early: true', 'after commit, active: false']);
      expect(await rows()).toEqual(['at commit', 'inside']);

      // A statement failing with the COMMIT leaves nothing written.
      await dataSource.query('TRUNCATE probe');
      failAtCommit = true;
      await expect(unitOfWork.run(() => insert('inside'))).rejects.toThrow(/duplicate key/);
      expect(await rows()).toEqual([]);
    } finally {
      dataSource.subscribers.splice(dataSource.subscribers.indexOf(subscriber), 1);
    }
  });
});
