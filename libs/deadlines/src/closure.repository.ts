import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { AuthorityClosure } from './closure.entity.js';

/** The closure days of the caller's authority (a sysadmin acts for one authority, RequestContext.actingFor). */
@Injectable()
export class ClosureRepository extends TenantRepository<AuthorityClosure> {
  constructor(dataSource: DataSource) {
    super(dataSource, AuthorityClosure);
  }

  /** Every closure day, by date. */
  all(): Promise<AuthorityClosure[]> {
    return this.find({ order: { date: 'ASC' } });
  }

  /** The closure day on a date, locked until the transaction ends when `lock` is set. */
  onDate(date: string, lock = false): Promise<AuthorityClosure | null> {
    return this.repo().findOne({
      where: this.scoped({ date }),
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  add(date: string, reason: string): Promise<AuthorityClosure> {
    return this.save(this.repo().create({ date, reason } as AuthorityClosure));
  }

  async remove(id: string): Promise<void> {
    await this.repo().delete(this.scoped({ id }));
  }
}
