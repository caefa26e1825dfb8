import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  keysetSql,
  RequestContext,
  TenantRepository,
  type ListOrder,
  type PageRequest,
  type SortValueType,
} from '#docket/platform';
import { referencePrefix, referenceSql } from './case-reference.js';
import type { CaseStatus } from './case-status.js';
import type { CaseSortKey } from './dto.js';
import { CaseNote } from './case-note.entity.js';
import { Case } from './case.entity.js';

/** A case to insert under the next number of its authority's counter for `year`. */
export interface NumberedCase {
  draft: Omit<Case, 'authorityId' | 'reference'>;
  authorityId: string;
  authorityCode: string;
  year: number;
}

/** SQL selecting case ids, with its named parameters (`:name`), to be used as `… IN (sql)` in another query. */
export interface CaseIdsSubquery {
  sql: string;
  parameters: Record<string, unknown>;
}

export interface CaseFilter {
  statuses?: CaseStatus[];
  organisationId?: string;
  assigneeId?: string;
  q?: string;
  priorities?: string[];
  types?: string[];
  tag?: string;
  riskFlag?: string;
  /** Local dates of the authority, both ends included. */
  openedFrom?: string;
  openedTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
  /** The caller's authority's IANA time zone, which the local dates above are days of (needed with any of them). */
  timeZone?: string;
  page: PageRequest<CaseSortKey>;
}

/** The SQL of each sort key; every value is comparable as written (no NULLs: cases without a due date sort last). */
export const CASE_SORT_SQL: Record<CaseSortKey, { sql: string; cast: SortValueType }> = {
  createdAt: { sql: 'c.created_at', cast: 'timestamptz' },
  updatedAt: { sql: 'c.updated_at', cast: 'timestamptz' },
  reference: { sql: 'c.reference', cast: 'text' },
  title: { sql: 'c.title', cast: 'text' },
  priority: {
    sql: "(CASE c.priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 3 END)",
    cast: 'integer',
  },
  // The earliest pending deadline, kept on the case by the deadlines' triggers ('infinity' without one).
  nextDueAt: { sql: 'c.next_due_at', cast: 'timestamptz' },
};

/** The cases list's order: newest first by default; cursors of two parts date from before `sort`. */
export const CASE_ORDER: ListOrder<CaseSortKey> = {
  keys: Object.fromEntries(Object.entries(CASE_SORT_SQL).map(([key, { cast }]) => [key, cast])) as Record<
    CaseSortKey,
    SortValueType
  >,
  fallback: '-createdAt',
  legacy: ['-createdAt'],
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

@Injectable()
export class CaseRepository extends TenantRepository<Case> {
  constructor(dataSource: DataSource) {
    super(dataSource, Case);
  }

  /**
   * Inserts the cases, each under the next number of its authority's counter for its year, in the order given, and
   * returns their references by id. The counter rows stay locked until the caller's transaction ends: that orders
   * concurrent creations, and a rolled-back creation gives its numbers back, so references have no gaps. One
   * statement for all (one counter update per authority and year taking as many numbers as it has cases, counters
   * locked in authority order), because every round trip from here to the commit holds up the authority's other
   * creations. Each case names its authority (the one of the request that asked for it).
   */
  async insertNumbered(cases: NumberedCase[]): Promise<Map<string, string>> {
    const groups = new Map<string, number>();
    const rows = cases.map(({ draft, authorityId, authorityCode, year }) => {
      const group = `${authorityId}:${year}`;
      const seq = (groups.get(group) ?? 0) + 1;
      groups.set(group, seq);
      return { ...draft, authorityId, year, prefix: referencePrefix(authorityCode, year), seq };
    });
    const sized = rows.map((row) => ({ ...row, size: groups.get(`${row.authorityId}:${row.year}`) }));
    const inserted = (await this.repo().manager.query(
      `WITH batch AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r (
           "id" uuid, "authorityId" uuid, "year" integer, "prefix" text, "seq" integer, "size" integer, "title" text,
           "organisationId" uuid, "products" text[], "type" text, "legalBasis" text, "priority" text, "assigneeId" uuid,
           "tags" text[], "riskFlags" text[], "status" text, "version" integer, "sharedForCoordination" boolean,
           "createdAt" timestamptz, "updatedAt" timestamptz, "closedAt" timestamptz, "closeReason" text)
       ), counter AS (
         INSERT INTO case_reference_counters (authority_id, year, last_number)
         SELECT "authorityId", "year", max("size") FROM batch GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (authority_id, year) DO UPDATE SET last_number = case_reference_counters.last_number + EXCLUDED.last_number
         RETURNING authority_id, year, last_number)
       INSERT INTO cases (id, authority_id, reference, title, organisation_id, products, type, legal_basis, priority, assignee_id, tags, risk_flags,
                          status, version, shared_for_coordination, created_at, updated_at, closed_at, close_reason)
       SELECT b."id", b."authorityId", ${referenceSql('b."prefix"', '(counter.last_number - b."size" + b."seq")')}, b."title", b."organisationId",
              b."products", b."type", b."legalBasis", b."priority", b."assigneeId", b."tags", b."riskFlags", b."status", b."version",
              b."sharedForCoordination", b."createdAt", b."updatedAt", b."closedAt", b."closeReason"
       FROM batch b JOIN counter ON counter.authority_id = b."authorityId" AND counter.year = b."year"
       ORDER BY b."authorityId", b."year", b."seq"
       RETURNING id, reference`,
      [JSON.stringify(sized)],
    )) as { id: string; reference: string }[];
    return new Map(inserted.map((row) => [row.id, row.reference]));
  }

  async update(id: string, changes: Partial<Case>): Promise<void> {
    await this.repo().update({ id, authorityId: RequestContext.authorityId() }, changes);
  }

  /** A subquery of the ids of the caller's cases with this assignee or organisation, for another context's query. */
  idsWith(column: 'assigneeId' | 'organisationId', value: string): CaseIdsSubquery {
    const parameter = column === 'assigneeId' ? 'casesOfAssigneeId' : 'casesOfOrganisationId';
    const query = this.query('c')
      .select('c.id')
      .andWhere(`c.${column} = :${parameter}`, { [parameter]: value });
    return { sql: query.getQuery(), parameters: query.getParameters() };
  }

  /** The case row, locked until the transaction ends; null when it is not the caller's authority's. */
  lockById(id: string): Promise<Case | null> {
    return this.query('c').andWhere('c.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /**
   * One page in the order asked for (newest first by default), keyset-paged on (sort value, id); takes one more
   * than the limit to tell whether a next page exists. Returns each case and its sort value as text.
   */
  async page(filter: CaseFilter): Promise<{ kase: Case; sortValue: string }[]> {
    const { sql, cast } = CASE_SORT_SQL[filter.page.sort.key];
    const keyset = keysetSql(filter.page, { value: sql, type: cast, id: 'c.id' }, ':afterValue', ':afterId');
    const query = this.query('c')
      .addSelect(`(${sql})::text`, 'sort_value')
      .orderBy(sql, keyset.direction)
      .addOrderBy('c.id', keyset.direction)
      .limit(filter.page.limit + 1);
    if (filter.statuses?.length) query.andWhere('c.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.organisationId)
      query.andWhere('c.organisationId = :organisationId', { organisationId: filter.organisationId });
    if (filter.assigneeId) query.andWhere('c.assigneeId = :assigneeId', { assigneeId: filter.assigneeId });
    if (filter.q)
      query.andWhere('(c.title ILIKE :pattern OR c.reference ILIKE :pattern)', {
        pattern: likePattern(filter.q.trim()),
      });
    if (filter.priorities?.length) query.andWhere('c.priority IN (:...priorities)', { priorities: filter.priorities });
    if (filter.types?.length) query.andWhere('c.type IN (:...types)', { types: filter.types });
    if (filter.tag) query.andWhere(':tag = ANY(c.tags)', { tag: filter.tag });
    if (filter.riskFlag) query.andWhere(':riskFlag = ANY(c.risk_flags)', { riskFlag: filter.riskFlag });
    // Local dates of the authority: from its midnight to the next one. The date becomes a local timestamp first: a
    // bare date would be read as midnight in the session's zone and then shifted by the authority's offset.
    const local = (column: string, bound: string, op: string, days: number) =>
      `${column} ${op} ((:${bound}::date + ${days})::timestamp AT TIME ZONE :timeZone)`;
    if (filter.openedFrom || filter.openedTo || filter.updatedFrom || filter.updatedTo) {
      if (!filter.timeZone) throw new Error('a case list by local dates needs the time zone they are days of');
      query.setParameter('timeZone', filter.timeZone);
    }
    if (filter.openedFrom)
      query.andWhere(local('c.created_at', 'openedFrom', '>=', 0), { openedFrom: filter.openedFrom });
    if (filter.openedTo) query.andWhere(local('c.created_at', 'openedTo', '<', 1), { openedTo: filter.openedTo });
    if (filter.updatedFrom)
      query.andWhere(local('c.updated_at', 'updatedFrom', '>=', 0), { updatedFrom: filter.updatedFrom });
    if (filter.updatedTo) query.andWhere(local('c.updated_at', 'updatedTo', '<', 1), { updatedTo: filter.updatedTo });
    if (keyset.where)
      query.andWhere(keyset.where, { afterValue: filter.page.after?.value, afterId: filter.page.after?.id });
    const { entities, raw } = await query.getRawAndEntities<{ c_id: string; sort_value: string }>();
    const values = new Map(raw.map((row) => [row.c_id, row.sort_value]));
    return entities.map((kase) => ({ kase, sortValue: values.get(kase.id) ?? '' }));
  }
}

@Injectable()
export class CaseNoteRepository extends TenantRepository<CaseNote> {
  constructor(dataSource: DataSource) {
    super(dataSource, CaseNote);
  }

  async insert(note: CaseNote): Promise<void> {
    note.authorityId = RequestContext.authorityId();
    await this.repo().insert(note);
  }

  forCase(caseId: string): Promise<CaseNote[]> {
    return this.find({ where: { caseId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
