import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type AfterCommit = (task: () => Promise<unknown>) => void;

/**
 * Runs work in one transaction and, only once it has committed, the tasks it asked for
 * (enqueueing jobs): a job never points at rows that were rolled back.
 * A task that fails after commit is logged; reconciliation re-enqueues from the database.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
    const tasks: (() => Promise<unknown>)[] = [];
    const result = await this.dataSource.transaction((manager) => work(manager, (task) => tasks.push(task)));
    for (const task of tasks) {
      try {
        await task();
      } catch (error) {
        this.logger.error(
          `after-commit task failed (reconciliation will retry): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return result;
  }
}
