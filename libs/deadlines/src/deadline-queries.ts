import { Injectable } from '@nestjs/common';
import { isDateOnly } from '#docket/calendar';
import { CasesService } from '#docket/cases';
import {
  Clock,
  keysetPage,
  keysetSql,
  readPageRequest,
  type KeysetPage,
  type ListOrder,
  type SortValueType,
} from '#docket/platform';
import { overdueSql, type DeadlineColumns } from './deadline-lifecycle.js';
import type { Deadline } from './deadline.entity.js';
import { DeadlineRepository } from './deadline.repository.js';
import type { DeadlineListQuery, DeadlineSortKey } from './dto.js';

const DAY_MS = 24 * 3600_000;

/** The SQL of each sort key of the deadline list (every column is NOT NULL). */
const DEADLINE_SORT_SQL: Record<DeadlineSortKey, { value: string; type: SortValueType }> = {
  dueAt: { value: 'deadline.due_at', type: 'timestamptz' },
  eventAt: { value: 'deadline.event_at', type: 'timestamptz' },
  createdAt: { value: 'deadline.created_at', type: 'timestamptz' },
  kind: { value: 'deadline.kind', type: 'text' },
  status: { value: 'deadline.status', type: 'text' },
  label: { value: 'deadline.label', type: 'text' },
};

/** Soonest due first; cursors of two parts (due instant, id) date from before the other keys. */
const DEADLINE_ORDER: ListOrder<DeadlineSortKey> = {
  keys: Object.fromEntries(Object.entries(DEADLINE_SORT_SQL).map(([key, { type }]) => [key, type])) as Record<
    DeadlineSortKey,
    SortValueType
  >,
  fallback: 'dueAt',
  legacy: ['dueAt', '-dueAt'],
};
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
    private readonly deadlines: DeadlineRepository,
    private readonly cases: CasesService,
    private readonly clock: Clock,
  ) {}

  async list(filter: DeadlineListQuery, maxLimit = 500): Promise<KeysetPage<Deadline>> {
    const request = readPageRequest({ ...filter, limit: Math.min(filter.limit ?? 50, maxLimit) }, DEADLINE_ORDER, 50);
    const column = DEADLINE_SORT_SQL[request.sort.key];
    const keyset = keysetSql(request, { ...column, id: 'deadline.id' }, ':afterValue', ':afterId');
    const query = this.filtered(filter)
      .addSelect(`(${column.value})::text`, 'sort_value')
      .orderBy(column.value, keyset.direction)
      .addOrderBy('deadline.id', keyset.direction)
      .limit(request.limit + 1);
    if (keyset.where) query.andWhere(keyset.where, { afterValue: request.after?.value, afterId: request.after?.id });
    const { entities, raw } = await query.getRawAndEntities<{ deadline_id: string; sort_value: string }>();
    const values = new Map(raw.map((row) => [row.deadline_id, row.sort_value]));
    return keysetPage(entities, request, (deadline) => ({ value: values.get(deadline.id) ?? '', id: deadline.id }));
  }

  /** How many deadlines match the filter (every page). */
  count(filter: DeadlineListFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  private filtered(filter: DeadlineListFilter) {
    const query = this.deadlines.query('deadline');
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
    for (const column of ['assigneeId', 'organisationId'] as const) {
      const value = filter[column];
      if (!value) continue;
      const cases = this.cases.idsWith(column, value);
      query.andWhere(`deadline.caseId IN (${cases.sql})`, cases.parameters);
    }
    return query;
  }
}
