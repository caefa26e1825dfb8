import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeadlineQueries, type Deadline, type DeadlineListFilter, type DeadlineListQuery } from '#docket/deadlines';
import { RequestContext, type KeysetPage } from '#docket/platform';

/** What a list of deadlines shows of each one's case. */
export interface CaseLine {
  id: string;
  reference: string;
  title: string;
  status: string;
  priority: string;
  organisationId: string;
  organisation: string;
  assigneeId: string | null;
  assignee: string | null;
}

/** A case still waiting for its first letter. */
export interface UnsentCase {
  id: string;
  reference: string;
  title: string;
  priority: string;
  organisation: string;
  createdAt: Date;
}

export interface WorkItem {
  deadline: Deadline;
  /** Absent only if the case is out of the caller's authority, which the deadline's own scope rules out. */
  case: CaseLine | undefined;
}

/**
 * Deadlines with the case each belongs to (reference, title, organisation, assignee, priority), for lists and exports.
 */
@Injectable()
export class WorklistService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deadlines: DeadlineQueries,
  ) {}

  /** One page of the caller's authority's deadline list (the filters, order and cursor of GET /api/v1/deadlines). */
  async page(query: DeadlineListQuery, maxLimit?: number): Promise<KeysetPage<WorkItem>> {
    const page = await this.deadlines.list(query, maxLimit);
    const cases = await this.caseLines([...new Set(page.items.map((deadline) => deadline.caseId))]);
    return { ...page, items: page.items.map((deadline) => ({ deadline, case: cases.get(deadline.caseId) })) };
  }

  /** How many deadlines match (every page). */
  count(filter: DeadlineListFilter): Promise<number> {
    return this.deadlines.count(filter);
  }

  /** The cases of these ids in the caller's authority. */
  async caseLines(ids: string[]): Promise<Map<string, CaseLine>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.reference, c.title, c.status, c.priority, c.organisation_id AS "organisationId", o.legal_name AS organisation,
              c.assignee_id AS "assigneeId", u.name AS assignee
       FROM cases c JOIN organisations o ON o.id = c.organisation_id LEFT JOIN users u ON u.id = c.assignee_id
       WHERE c.authority_id = $1 AND c.id = ANY($2::uuid[])`,
      [RequestContext.authorityId(), ids],
    )) as CaseLine[];
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The assignee's cases opened with no inquiry sent yet (status open), oldest first, and how many there are. */
  async casesWithoutLetter(assigneeId: string, limit: number): Promise<{ total: number; items: UnsentCase[] }> {
    const authorityId = RequestContext.authorityId();
    const [items, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT c.id, c.reference, c.title, c.priority, o.legal_name AS organisation, c.created_at AS "createdAt"
         FROM cases c JOIN organisations o ON o.id = c.organisation_id
         WHERE c.authority_id = $1 AND c.assignee_id = $2 AND c.status = 'open' ORDER BY c.created_at, c.id LIMIT $3`,
        [authorityId, assigneeId, limit],
      ) as Promise<UnsentCase[]>,
      this.dataSource.query(
        `SELECT count(*)::int AS total FROM cases WHERE authority_id = $1 AND assignee_id = $2 AND status = 'open'`,
        [authorityId, assigneeId],
      ) as Promise<{ total: number }[]>,
    ]);
    return { total, items };
  }
}
