import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

export type AfterCommit = (task: () => Promise<unknown>) => void;

interface Transaction {
  manager: EntityManager;
  afterCommit: AfterCommit;
  /** False once the transaction has ended: work it started and left running then reads outside it. */
  open: boolean;
  /** Units joined inside share it without a savepoint (UnitOfWork.atomic). */
  atomic: boolean;
  /** The first failure of a unit joined inside an atomic one: the transaction cannot commit after it. */
  failure?: { error: unknown };
}

const transactions = new AsyncLocalStorage<Transaction>();

/** The connections of the transactions UnitOfWork began and commits itself (see commit). */
const ownTransactions = new WeakSet<QueryRunner>();
/** Those whose COMMIT went with the last statement of a beforeTransactionCommit subscriber. */
const committedEarly = new WeakSet<QueryRunner>();

/** The nesting of a query runner's transaction: 1 for the transaction itself, more inside savepoints. */
const depthOf = (runner: QueryRunner): number => (runner as unknown as { transactionDepth: number }).transactionDepth;

/**
 * For the beforeTransactionCommit subscriber that sends a transaction's last statement (the audit's append): whether
 * it may end that statement's message with a plain COMMIT, sparing the commit its own round trip. True for the
 * transaction itself (not a savepoint) of a unit of work, which then sends no COMMIT once told by
 * `noteCommittedEarly`. The subscriber must be the only one sending statements as the transaction commits.
 */
export function mayCommitEarly(runner: QueryRunner): boolean {
  return ownTransactions.has(runner) && depthOf(runner) === 1;
}

/** Says that the transaction of `runner` committed with a subscriber's last statement (see mayCommitEarly). */
export function noteCommittedEarly(runner: QueryRunner): void {
  committedEarly.add(runner);
}

/** The manager of the transaction the calling code runs in (through UnitOfWork.run), if any. */
export function activeTransaction(): EntityManager | undefined {
  const transaction = transactions.getStore();
  return transaction?.open ? transaction.manager : undefined;
}

/**
 * Makes the transaction's connection take its queries one at a time, in the order sent. A transaction has one
 * connection: work inside it that reads at once (Promise.all) would have node-postgres queue a query sent while
 * another runs, which it deprecates and pg 9 refuses; here the query waits its turn instead.
 */
function oneQueryAtATime(runner: QueryRunner): void {
  const send = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let previous: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: unknown[]) => {
    const next = previous.then(() => send(...args));
    previous = next.catch(() => undefined);
    return next;
  }) as QueryRunner['query'];
}

/**
 * Runs work in one transaction and, only once it has committed, the tasks it asked for (enqueueing jobs): a job
 * never points at rows that were rolled back. A task that fails after commit is logged; reconciliation re-enqueues
 * from the database.
 *
 * The transaction travels with the request or job (AsyncLocalStorage): `run` called while one is open joins it in a
 * savepoint (its failure undoes its own writes only, and its after-commit tasks wait for the outer commit and are
 * dropped with the savepoint), and `manager()` is the open transaction's, so a service never has to be handed one.
 * Inside work run by `atomic`, units joined take no savepoint: a failure of one fails the whole.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(private readonly dataSource: DataSource) {}

  /** The open transaction's manager, or the data source's (each statement on its own) outside one. */
  manager(): EntityManager {
    return activeTransaction() ?? this.dataSource.manager;
  }

  run<T>(work: (manager: EntityManager, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
    return this.begin(work, false);
  }

  /** Runs `task` once the caller's transaction has committed (dropped if it rolls back); at once outside one. */
  afterCommit(task: () => Promise<unknown>): void {
    const transaction = transactions.getStore();
    if (transaction?.open) transaction.afterCommit(task);
    else void task();
  }

  /**
   * `run` for work that succeeds whole or not at all: units of work joined inside it run in its transaction without
   * a savepoint each (two round trips fewer per unit), and the failure of one fails the whole transaction with its
   * error, even when the work catches it. For work that never carries on after a part of it failed.
   */
  atomic<T>(work: (manager: EntityManager, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
    return this.begin(work, true);
  }

  private async begin<T>(
    work: (manager: EntityManager, afterCommit: AfterCommit) => Promise<T>,
    atomic: boolean,
  ): Promise<T> {
    const outer = transactions.getStore();
    const tasks: (() => Promise<unknown>)[] = [];
    if (outer?.open) {
      if (outer.atomic) return this.joinAtomic(outer, work);
      // TypeORM turns a transaction inside one into a savepoint on the same connection.
      const result = await outer.manager.transaction((manager) => this.asOpen(manager, tasks, work, atomic));
      for (const task of tasks) outer.afterCommit(task);
      return result;
    }
    const runner = this.dataSource.createQueryRunner();
    oneQueryAtATime(runner);
    ownTransactions.add(runner);
    let result: T;
    try {
      await runner.startTransaction();
      result = await this.asOpen(runner.manager, tasks, work, atomic);
      await commit(runner);
    } catch (error) {
      // The error is the work's (or the commit's), not the rollback's.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    await this.runTasks(tasks);
    return result;
  }

  /** Runs `work` as the open transaction until it ends: work it leaves running then reads outside it. */
  private async asOpen<T>(
    manager: EntityManager,
    tasks: (() => Promise<unknown>)[],
    work: (manager: EntityManager, afterCommit: AfterCommit) => Promise<T>,
    atomic: boolean,
  ): Promise<T> {
    const transaction: Transaction = { manager, afterCommit: (task) => tasks.push(task), open: true, atomic };
    try {
      const result = await transactions.run(transaction, () => work(manager, transaction.afterCommit));
      // A joined unit failed and the work carried on: its writes are not undone on their own, so nothing commits.
      if (transaction.failure) throw transaction.failure.error;
      return result;
    } finally {
      transaction.open = false;
    }
  }

  /** A unit joined inside an atomic one: its work in the same transaction, its failure the whole one's. */
  private async joinAtomic<T>(
    outer: Transaction,
    work: (manager: EntityManager, afterCommit: AfterCommit) => Promise<T>,
  ): Promise<T> {
    try {
      return await work(outer.manager, outer.afterCommit);
    } catch (error) {
      outer.failure ??= { error };
      throw error;
    }
  }

  private async runTasks(tasks: (() => Promise<unknown>)[]): Promise<void> {
    // Outside the finished transaction: a task that runs a unit of work opens a new one.
    await transactions.exit(async () => {
      for (const task of tasks) {
        try {
          await task();
        } catch (error) {
          this.logger.error(
            `after-commit task failed (reconciliation will retry): ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    });
  }
}

/**
 * TypeORM's commitTransaction (the subscribers told before and after, in the same order), except that it sends no
 * COMMIT when the last statement sent before it carried one (see mayCommitEarly): an audited transaction then costs
 * one round trip fewer.
 */
async function commit(runner: QueryRunner): Promise<void> {
  await runner.broadcaster.broadcast('BeforeTransactionCommit');
  if (!committedEarly.delete(runner)) await runner.query('COMMIT');
  Object.assign(runner, { isTransactionActive: false, transactionDepth: depthOf(runner) - 1 });
  await runner.broadcaster.broadcast('AfterTransactionCommit');
}
