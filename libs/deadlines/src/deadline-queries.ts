import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext, ValidationProblem } from '#docket/platform';
import { Deadline } from './deadline.entity.js';
import type { DeadlineListQuery } from './dto.js';

export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, size: number): string[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === size && parts.every((part) => typeof part === 'string')) return parts as string[];
  } catch {
    // fall through to the problem below
  }
  throw new ValidationProblem([{ field: 'cursor', message: 'cursor is not one this server gave out' }]);
}

/** The deadline list of the caller's authority, ordered by due instant, with keyset paging. */
@Injectable()
export class DeadlineQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: DeadlineListQuery, maxLimit = 500): Promise<{ items: Deadline[]; nextCursor: string | null }> {
    const limit = Math.min(filter.limit ?? 50, maxLimit);
    const query = this.dataSource
      .getRepository(Deadline)
      .createQueryBuilder('deadline')
      .where('deadline.authorityId = :authorityId', { authorityId: RequestContext.authorityId() })
      .orderBy('deadline.dueAt', 'ASC')
      .addOrderBy('deadline.id', 'ASC')
      .take(limit + 1);
    if (filter.status) query.andWhere('deadline.status = :status', { status: filter.status });
    if (filter.dueBefore) query.andWhere('deadline.dueAt < :dueBefore', { dueBefore: new Date(filter.dueBefore) });
    if (filter.dueAfter) query.andWhere('deadline.dueAt >= :dueAfter', { dueAfter: new Date(filter.dueAfter) });
    if (filter.caseId) query.andWhere('deadline.caseId = :caseId', { caseId: filter.caseId });
    if (filter.assigneeId) query.andWhere('deadline.caseId IN (SELECT c.id FROM cases c WHERE c.authority_id = :authorityId AND c.assignee_id = :assigneeId)', { assigneeId: filter.assigneeId });
    if (filter.organisationId) query.andWhere('deadline.caseId IN (SELECT c.id FROM cases c WHERE c.authority_id = :authorityId AND c.organisation_id = :organisationId)', { organisationId: filter.organisationId });
    if (filter.cursor) {
      const [dueAt, id] = decodeCursor(filter.cursor, 2);
      query.andWhere('(deadline.dueAt, deadline.id) > (:cursorDueAt, :cursorId)', { cursorDueAt: new Date(dueAt), cursorId: id });
    }
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.dueAt.toISOString(), last.id]) : null };
  }
}
