import { Injectable } from '@nestjs/common';
import { DeadlineQueries, type Deadline, type DeadlineListFilter, type DeadlineListQuery } from '#docket/deadlines';
import type { KeysetPage } from '#docket/platform';
import { ReportingRepository, type CaseLine, type UnsentCase } from './reporting.repository.js';

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
    private readonly reporting: ReportingRepository,
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
    return new Map((await this.reporting.caseLines(ids)).map((row) => [row.id, row]));
  }

  /** The assignee's cases opened with no inquiry sent yet (status open), oldest first, and how many there are. */
  casesWithoutLetter(assigneeId: string, limit: number): Promise<{ total: number; items: UnsentCase[] }> {
    return this.reporting.casesWithoutLetter(assigneeId, limit);
  }
}
