import { Injectable } from '@nestjs/common';
import { DataSource, type FindOptionsOrder, type FindOptionsWhere } from 'typeorm';
import { RequestContext, TenantRepository } from '#docket/platform';
import { Deadline } from './deadline.entity.js';
import { DeadlineEvent } from './deadline-event.entity.js';

/** The caller's authority's deadlines (workers act for the deadline's authority, RequestContext.asAuthority). */
@Injectable()
export class DeadlineRepository extends TenantRepository<Deadline> {
  constructor(dataSource: DataSource) {
    super(dataSource, Deadline);
  }

  byId(id: string): Promise<Deadline | null> {
    return this.findOne({ id });
  }

  /** The deadline, locked until the transaction ends. */
  lockById(id: string): Promise<Deadline | null> {
    return this.repo().findOne({ where: this.scoped({ id }), lock: { mode: 'pessimistic_write' } });
  }

  /** The deadlines matching `where`, in `order`, locked until the transaction ends when `lock` is set. */
  matching(
    where: FindOptionsWhere<Deadline>,
    options: { order?: FindOptionsOrder<Deadline>; lock?: boolean },
  ): Promise<Deadline[]> {
    return this.repo().find({
      where: this.scoped(where),
      ...(options.order ? { order: options.order } : {}),
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** A new deadline (the caller's authority is stamped by the repository). */
  add(values: Omit<Partial<Deadline>, 'authorityId'>): Promise<Deadline> {
    return this.save(this.repo().create(values as Deadline));
  }

  /** New deadlines, in one statement (with their generated and default values, as `add` gives them). */
  async addAll(values: Omit<Partial<Deadline>, 'authorityId'>[]): Promise<Deadline[]> {
    const authorityId = RequestContext.authorityId();
    const created = values.map((value) => this.repo().create({ ...value, authorityId } as Deadline));
    if (created.length) await this.repo().save(created);
    return created;
  }

  async change(id: string, changes: Partial<Deadline>): Promise<void> {
    await this.repo().update(this.scoped({ id }), changes);
  }
}

/** The history of the caller's authority's deadlines. */
@Injectable()
export class DeadlineEventRepository extends TenantRepository<DeadlineEvent> {
  constructor(dataSource: DataSource) {
    super(dataSource, DeadlineEvent);
  }

  /** A deadline's history, oldest first. */
  of(deadlineId: string): Promise<DeadlineEvent[]> {
    return this.find({ where: { deadlineId }, order: { at: 'ASC' } });
  }

  /** The deadline's newest history entry. */
  async newest(deadlineId: string): Promise<DeadlineEvent | null> {
    const [last] = await this.find({ where: { deadlineId }, order: { at: 'DESC' }, take: 1 });
    return last ?? null;
  }

  async add(values: Omit<Partial<DeadlineEvent>, 'authorityId'>): Promise<void> {
    await this.addAll([values]);
  }

  /** Several history entries, in one statement. */
  async addAll(entries: Omit<Partial<DeadlineEvent>, 'authorityId'>[]): Promise<void> {
    const authorityId = RequestContext.authorityId();
    if (entries.length === 0) return;
    await this.repo().insert(entries.map((values) => ({ ...values, authorityId }) as DeadlineEvent));
  }
}
