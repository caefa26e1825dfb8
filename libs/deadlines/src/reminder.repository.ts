import { Injectable } from '@nestjs/common';
import { DataSource, In, MoreThanOrEqual, Not, type FindOptionsWhere } from 'typeorm';
import { RequestContext, TenantRepository } from '#docket/platform';
import { Reminder } from './reminder.entity.js';

/** The reminders of the caller's authority's deadlines (workers act for the deadline's authority). */
@Injectable()
export class ReminderRepository extends TenantRepository<Reminder> {
  constructor(dataSource: DataSource) {
    super(dataSource, Reminder);
  }

  /** A deadline's reminders still to go out (scheduled or held). */
  live(deadlineId: string): Promise<Reminder[]> {
    return this.find({ where: { deadlineId, status: In(['scheduled', 'held']) } });
  }

  /** A deadline's reminders planned for this due instant, but those cancelled. */
  ofDueInstant(deadlineId: string, dueAt: Date): Promise<Reminder[]> {
    return this.find({ where: { deadlineId, dueAt, status: Not('cancelled') } });
  }

  /** The reminders of these deadlines, by fire time. */
  ofDeadlines(deadlineIds: string[]): Promise<Reminder[]> {
    return this.find({ where: { deadlineId: In(deadlineIds) }, order: { fireAt: 'ASC' } });
  }

  /** A deadline's reminders sent since an instant, in the order they went out. */
  sentSince(deadlineId: string, since: Date): Promise<Reminder[]> {
    return this.find({
      where: { deadlineId, status: 'sent', sentAt: MoreThanOrEqual(since) },
      order: { sentAt: 'ASC' },
    });
  }

  /** Changes the reminders matching `where` (of the caller's authority). */
  async change(where: FindOptionsWhere<Reminder>, changes: Partial<Reminder>): Promise<void> {
    await this.repo().update(this.scoped(where), changes);
  }

  /** New reminders (the caller's authority is stamped on each). */
  async add(reminders: Omit<Partial<Reminder>, 'authorityId'>[]): Promise<Reminder[]> {
    const authorityId = RequestContext.authorityId();
    const created = reminders.map((values) => this.repo().create({ ...values, authorityId } as Reminder));
    if (created.length) await this.repo().save(created);
    return created;
  }
}
