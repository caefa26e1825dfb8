import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { AuthorityClosure } from './closure.entity.js';

/** The closure days of the caller's authority (a sysadmin acts for one authority, RequestContext.actingFor). */
@Injectable()
export class ClosureRepository extends TenantRepository<AuthorityClosure> {
  constructor(dataSource: DataSource) {
    super(dataSource, AuthorityClosure);
  }

  /** Every closure day, by date. */
  all(manager?: EntityManager): Promise<AuthorityClosure[]> {
    return this.find({ order: { date: 'ASC' } }, manager);
  }

  /** The closure day on a date, locked until the transaction ends when `lock` is set. */
  onDate(date: string, manager: EntityManager, lock = false): Promise<AuthorityClosure | null> {
    return this.repo(manager).findOne({
      where: this.scoped({ date }),
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  add(date: string, reason: string, manager: EntityManager): Promise<AuthorityClosure> {
    return this.save(this.repo(manager).create({ date, reason } as AuthorityClosure), manager);
  }

  async remove(id: string, manager: EntityManager): Promise<void> {
    await this.repo(manager).delete(this.scoped({ id }));
  }
}
