import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isDateOnly } from '#docket/calendar';
import { Clock, RequestContext, ValidationProblem } from '#docket/platform';
import { overdueSql, type DeadlineColumns } from './deadline-lifecycle.js';
import { Deadline } from './deadline.entity.js';
import type { DeadlineListQuery } from './dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, size: number): string[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === size && parts.every((part) => typeof part === 'string'))
      return parts as string[];
  } catch {
    // fall through to the problem below
  }
  throw new ValidationProblem([{ field: 'cursor', message: 'cursor is not one this server gave out' }]);
}

const DAY_MS = 24 * 3600_000;
const COLUMNS: DeadlineColumns = { status: 'deadline.status', dueAt: 'deadline.dueAt' };

/** The filters of the deadline list, without paging. */
export type DeadlineListFilter = Omit<DeadlineListQuery, 'limit' | 'cursor' | 'sort'>;

/**
 * The deadline list of the caller's authority, ordered by due instant (soonest first unless `sort` is
 * `-dueAt`), with keyset paging, and its count. The `due` windows are those of the dashboard, as of the clock.
 */
@Injectable()
export class DeadlineQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async list(filter: DeadlineListQuery, maxLimit = 500): Promise<{ items: Deadline[]; nextCursor: string | null }> {
    const limit = Math.min(filter.limit ?? 50, maxLimit);
    const direction = filter.sort === '-dueAt' ? 'DESC' : 'ASC';
    const query = this.filtered(filter)
      .orderBy('deadline.dueAt', direction)
      .addOrderBy('deadline.id', direction)
      .take(limit + 1);
    if (filter.cursor) {
      const [dueAt, id] = decodeCursor(filter.cursor, 2);
      const cursorDueAt = new Date(dueAt);
      if (Number.isNaN(cursorDueAt.getTime()) || !UUID.test(id))
        throw new ValidationProblem([{ field: 'cursor', message: 'cursor is not one this server gave out' }]);
      query.andWhere(`(deadline.dueAt, deadline.id) ${direction === 'ASC' ? '>' : '<'} (:cursorDueAt, :cursorId)`, {
        cursorDueAt,
        cursorId: id,
      });
    }
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor([last.dueAt.toISOString(), last.id]) : null,
    };
  }

  /** How many deadlines match the filter (every page). */
  count(filter: DeadlineListFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  private filtered(filter: DeadlineListFilter) {
    const query = this.dataSource
      .getRepository(Deadline)
      .createQueryBuilder('deadline')
      .where('deadline.authorityId = :authorityId', { authorityId: RequestContext.authorityId() });
    if (filter.status) query.andWhere('deadline.status = :status', { status: filter.status });
    if (filter.kind) query.andWhere('deadline.kind = :kind', { kind: filter.kind });
    // A date is the authority's local date: compared with due_date, which is the due day in the authority's zone.
    if (filter.dueBefore)
      if (isDateOnly(filter.dueBefore))
        query.andWhere('deadline.dueDate < :dueBeforeDate', { dueBeforeDate: filter.dueBefore });
      else query.andWhere('deadline.dueAt < :dueBefore', { dueBefore: new Date(filter.dueBefore) });
    if (filter.dueAfter)
      if (isDateOnly(filter.dueAfter))
        query.andWhere('deadline.dueDate >= :dueAfterDate', { dueAfterDate: filter.dueAfter });
      else query.andWhere('deadline.dueAt >= :dueAfter', { dueAfter: new Date(filter.dueAfter) });
    if (filter.due) {
      const now = this.clock.now();
      if (filter.due === 'overdue') {
        query.andWhere(overdueSql(COLUMNS, ':now'), { now });
      } else {
        const until = new Date(now.getTime() + (filter.due === 'next7days' ? 7 : 30) * DAY_MS);
        query.andWhere("deadline.status = 'pending' AND deadline.dueAt > :now AND deadline.dueAt <= :until", {
          now,
          until,
        });
      }
    }
    if (filter.caseId) query.andWhere('deadline.caseId = :caseId', { caseId: filter.caseId });
    if (filter.assigneeId)
      query.andWhere(
        'deadline.caseId IN (SELECT c.id FROM cases c WHERE c.authority_id = :authorityId AND c.assignee_id = :assigneeId)',
        { assigneeId: filter.assigneeId },
      );
    if (filter.organisationId)
      query.andWhere(
        'deadline.caseId IN (SELECT c.id FROM cases c WHERE c.authority_id = :authorityId AND c.organisation_id = :organisationId)',
        { organisationId: filter.organisationId },
      );
    return query;
  }
}
