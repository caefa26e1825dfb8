import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

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

/** The manager of the transaction the calling code runs in (through UnitOfWork.run), if any. */
export function activeTransaction(): EntityManager | undefined {
  const transaction = transactions.getStore();
  return transaction?.open ? transaction.manager : undefined;
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
    const result = await this.dataSource.transaction((manager) => this.asOpen(manager, tasks, work, atomic));
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
