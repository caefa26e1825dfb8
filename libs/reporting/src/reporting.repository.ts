import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext, TenantRepository } from '#docket/platform';
import { pastDueSql } from '#docket/deadlines';
import { DashboardCounter } from './dashboard-counter.entity.js';
import {
  assembleDashboard,
  dueWindowPlan,
  PENDING_DUE_DAY,
  type CounterValue,
  type Dashboard,
  type OldestCaseRow,
} from './dashboard-stats.js';

/** Every counter of one authority computed from scratch, with the same functions the triggers use. */
export const RECOUNT_SQL = `
  SELECT metric, key, sum(n)::bigint AS value FROM (
    SELECT k.metric, k.key, count(*) AS n FROM cases c CROSS JOIN LATERAL reporting_case_counts(c.status, c.assignee_id, c.organisation_id) k
      WHERE c.authority_id = $1 GROUP BY 1, 2
    UNION ALL
    SELECT k.metric, k.key, count(*) FROM deadlines d JOIN cases c ON c.id = d.case_id CROSS JOIN LATERAL reporting_deadline_counts(d.status, c.assignee_id, c.organisation_id) k
      WHERE d.authority_id = $1 AND d.status = 'missed' GROUP BY 1, 2
    UNION ALL
    SELECT k.metric, k.key, count(*) FROM deadlines d CROSS JOIN LATERAL reporting_pending_due_counts(d.status, d.due_at) k
      WHERE d.authority_id = $1 AND d.status = 'pending' GROUP BY 1, 2
    UNION ALL
    SELECT k.metric, k.key, count(*) FROM responses r CROSS JOIN LATERAL reporting_response_counts(r.met_deadline, r.on_time, r.days_to_respond) k
      WHERE r.authority_id = $1 GROUP BY 1, 2
  ) counted GROUP BY metric, key HAVING sum(n) <> 0`;

/** Folds an authority's deltas into one row per counter; sums are unchanged for every reader and writer. */
const COMPACT_SQL = `
  WITH gone AS (DELETE FROM dashboard_counters WHERE authority_id = $1 RETURNING metric, key, delta)
  INSERT INTO dashboard_counters (authority_id, metric, key, delta)
  SELECT $1, metric, key, sum(delta) FROM gone GROUP BY metric, key HAVING sum(delta) <> 0`;

/**
 * Replaces an authority's counters by a recount. One statement, so the deltas it deletes and the rows
 * it counts come from the same snapshot: a change committed later keeps its own delta.
 */
export const REBUILD_SQL = `
  WITH gone AS (DELETE FROM dashboard_counters WHERE authority_id = $1)
  INSERT INTO dashboard_counters (authority_id, metric, key, delta)
  SELECT $1, metric, key, value FROM (${RECOUNT_SQL}) recount`;

export const ORGANISATION_LIMIT = 20;
export const OLDEST_LIMIT = 10;
const OPEN_BY_ORGANISATION = 'open_cases.organisation';
const MISSED_BY_ORGANISATION = 'missed.organisation';

/**
 * The dashboard's statements. Counts that cover the whole history (cases by status and by assignee or
 * organisation, missed deadlines, responses) come from the materialised counters; the counts that
 * depend on the clock (past due, due within 7 and 30 days) read the pending deadlines in that window
 * only, through the partial index of pending deadlines (deadlines_pending_due). Exported so the benchmark runs them
 * bare.
 */
export const DASHBOARD_SQL = {
  // Of the organisations' counters ($2 = ORGANISATION_LIMIT), only those of the organisations that can make the list:
  // it ranks by open cases first, so an organisation with fewer open cases than the $2-th most has $2 above it
  // whatever its overdue deadlines; ties at that count all come, for the rest of the ranking. With fewer than $2
  // organisations with open cases, all come. Reading every organisation's counters (thousands of rows at a million
  // cases) cost more than the rest of the dashboard together.
  counters: `WITH counters AS MATERIALIZED (
      SELECT metric, key, sum(delta)::bigint AS value FROM dashboard_counters WHERE authority_id = $1 AND metric <> '${PENDING_DUE_DAY}'
       GROUP BY metric, key HAVING sum(delta) <> 0),
    least_listed AS (SELECT value FROM counters WHERE metric = '${OPEN_BY_ORGANISATION}' ORDER BY value DESC OFFSET $2 - 1 LIMIT 1)
    SELECT metric, key, value FROM counters
     WHERE metric NOT IN ('${OPEN_BY_ORGANISATION}', '${MISSED_BY_ORGANISATION}')
        OR NOT EXISTS (SELECT FROM least_listed)
        OR key IN (SELECT key FROM counters WHERE metric = '${OPEN_BY_ORGANISATION}' AND value >= (SELECT value FROM least_listed))`,
  // The 7- and 30-day windows (see dueWindowPlan): the partial days from the partial index of pending
  // deadlines, each range less than a day (so estimated small, never a parallel plan), the whole days from
  // the per-day counters.
  windows: `SELECT
      (SELECT count(*) FROM deadlines WHERE authority_id = $1 AND status = 'pending' AND due_at > $2 AND due_at < $3)::int AS head,
      (SELECT count(*) FROM deadlines WHERE authority_id = $1 AND status = 'pending' AND due_at >= $4 AND due_at <= $5)::int AS tail7,
      (SELECT count(*) FROM deadlines WHERE authority_id = $1 AND status = 'pending' AND due_at >= $6 AND due_at <= $7)::int AS tail30,
      (SELECT coalesce(sum(delta), 0) FROM dashboard_counters WHERE authority_id = $1 AND metric = '${PENDING_DUE_DAY}' AND key >= $8 AND key < $9)::int AS days7,
      (SELECT coalesce(sum(delta), 0) FROM dashboard_counters WHERE authority_id = $1 AND metric = '${PENDING_DUE_DAY}' AND key >= $8 AND key < $10)::int AS days30`,
  // Pending past due: a handful (the sweep marks them missed within 30 s), looked up in two steps. As one
  // join the planner, which estimates status and due_at apart, expects 150,000 rows at a million cases
  // and hash-joins every case (with JIT on top): half a second instead of a millisecond.
  pastDue: `SELECT case_id FROM deadlines WHERE authority_id = $1 AND ${pastDueSql({ status: 'status', dueAt: 'due_at' }, '$2')}`,
  casesOf: `SELECT id, assignee_id, organisation_id FROM cases WHERE authority_id = $1 AND id = ANY($2::uuid[])`,
  oldest: `SELECT c.id, c.reference, c.title, c.status, c.created_at, c.assignee_id, u.name AS assignee_name, c.organisation_id, o.legal_name AS organisation_name
    FROM cases c JOIN organisations o ON o.id = c.organisation_id LEFT JOIN users u ON u.id = c.assignee_id
    WHERE c.authority_id = $1 AND c.status <> 'closed' ORDER BY c.created_at, c.id LIMIT $2`,
  users: `SELECT id, name FROM users WHERE authority_id = $1`,
  organisations: `SELECT id, legal_name FROM organisations WHERE id = ANY($1::uuid[])`,
} as const;

/** The statements of one dashboard, with their parameters, in the two rounds the service runs them. */
export function dashboardStatements(authorityId: string, now: Date) {
  const week = dueWindowPlan(now, 7);
  const month = dueWindowPlan(now, 30);
  return {
    counters: [DASHBOARD_SQL.counters, [authorityId, ORGANISATION_LIMIT]],
    windows: [
      DASHBOARD_SQL.windows,
      [
        authorityId,
        week.head.after,
        week.head.before,
        week.tail.from,
        week.tail.to,
        month.tail.from,
        month.tail.to,
        week.days.firstDay,
        week.days.untilDay,
        month.days.untilDay,
      ],
    ],
    pastDue: [DASHBOARD_SQL.pastDue, [authorityId, now]],
    oldest: [DASHBOARD_SQL.oldest, [authorityId, OLDEST_LIMIT]],
    users: [DASHBOARD_SQL.users, [authorityId]],
  } satisfies Record<string, [string, unknown[]]>;
}

type Query = (sql: string, parameters: unknown[]) => Promise<Record<string, unknown>[]>;

/** Runs the dashboard's statements through `query` (TypeORM's pool in the server, bare pg in the benchmark). */
export async function loadDashboard(query: Query, authorityId: string, now: Date): Promise<Dashboard> {
  const statements = dashboardStatements(authorityId, now);
  const run = ([sql, parameters]: [string, unknown[]]) => query(sql, parameters);
  const pastDueByCase = async (): Promise<Record<string, unknown>[]> => {
    const deadlines = await run(statements.pastDue);
    if (deadlines.length === 0) return [];
    const cases = new Map<string, Record<string, unknown>>(
      (
        await query(DASHBOARD_SQL.casesOf, [authorityId, [...new Set(deadlines.map((row) => String(row.case_id)))]])
      ).map((row) => [String(row.id), row]),
    );
    return deadlines.flatMap((row): Record<string, unknown>[] => {
      const kase = cases.get(String(row.case_id));
      return kase ? [kase] : [];
    });
  };
  const [counters, [windows], pastDue, oldest, users] = await Promise.all([
    run(statements.counters),
    run(statements.windows),
    pastDueByCase(),
    run(statements.oldest),
    run(statements.users),
  ]);
  const values: CounterValue[] = counters.map((row) => ({
    metric: String(row.metric),
    key: String(row.key),
    value: Number(row.value),
  }));
  const input = {
    now,
    counters: values,
    windows: {
      // The same rows as pastDue's: pending and due at or before now.
      pendingPastDue: pastDue.length,
      dueIn7Days: Number(windows.head) + Number(windows.days7) + Number(windows.tail7),
      dueIn30Days: Number(windows.head) + Number(windows.days30) + Number(windows.tail30),
    },
    pastDue: pastDue.map((row) => ({
      assigneeId: (row.assignee_id as string | null) ?? null,
      organisationId: String(row.organisation_id),
      count: 1,
    })),
    oldest: oldest.map((row): OldestCaseRow => ({
      id: String(row.id),
      reference: String(row.reference),
      title: String(row.title),
      status: row.status as OldestCaseRow['status'],
      createdAt: new Date(row.created_at as string | Date),
      assigneeId: (row.assignee_id as string | null) ?? null,
      assigneeName: (row.assignee_name as string | null) ?? null,
      organisationId: String(row.organisation_id),
      organisationName: String(row.organisation_name),
    })),
    userNames: new Map(users.map((row) => [String(row.id), String(row.name)])),
    organisationNames: new Map<string, string>(),
    organisationLimit: ORGANISATION_LIMIT,
  };
  // Second round: names of the organisations that made the list.
  const dashboard = assembleDashboard(input);
  const ids = dashboard.byOrganisation.map((line) => line.organisationId);
  if (ids.length) {
    const names = new Map(
      (await query(DASHBOARD_SQL.organisations, [ids])).map((row) => [String(row.id), String(row.legal_name)]),
    );
    for (const line of dashboard.byOrganisation) line.name = names.get(line.organisationId) ?? line.name;
  }
  return dashboard;
}

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

type CounterRow = { metric: string; key: string; value: string };
const byCounter = (rows: CounterRow[]) => new Map(rows.map((row) => [`${row.metric}|${row.key}`, Number(row.value)]));

/**
 * The reporting read model of the caller's authority: its dashboard counters, and the case lines the lists and
 * exports show. Every statement takes the authority from the request context, never from its caller.
 */
@Injectable()
export class ReportingRepository extends TenantRepository<DashboardCounter> {
  constructor(dataSource: DataSource) {
    super(dataSource, DashboardCounter);
  }

  /** The dashboard at `now`. */
  dashboard(now: Date): Promise<Dashboard> {
    return loadDashboard(
      (sql, parameters) => this.dataSource.query(sql, parameters),
      RequestContext.authorityId(),
      now,
    );
  }

  /** The materialised counters (metric|key → value). */
  async counterValues(): Promise<Map<string, number>> {
    return byCounter(
      (await this.dataSource.query(
        `SELECT metric, key, sum(delta)::bigint AS value FROM dashboard_counters WHERE authority_id = $1 GROUP BY 1, 2 HAVING sum(delta) <> 0`,
        [RequestContext.authorityId()],
      )) as CounterRow[],
    );
  }

  /** Every counter computed from scratch (metric|key → value). */
  async recount(): Promise<Map<string, number>> {
    return byCounter((await this.dataSource.query(RECOUNT_SQL, [RequestContext.authorityId()])) as CounterRow[]);
  }

  async rebuild(): Promise<void> {
    await this.dataSource.query(REBUILD_SQL, [RequestContext.authorityId()]);
  }

  async compact(): Promise<void> {
    await this.dataSource.query(COMPACT_SQL, [RequestContext.authorityId()]);
  }

  /** The cases of these ids. */
  async caseLines(ids: string[]): Promise<CaseLine[]> {
    if (ids.length === 0) return [];
    return (await this.dataSource.query(
      `SELECT c.id, c.reference, c.title, c.status, c.priority, c.organisation_id AS "organisationId", o.legal_name AS organisation,
              c.assignee_id AS "assigneeId", u.name AS assignee
       FROM cases c JOIN organisations o ON o.id = c.organisation_id LEFT JOIN users u ON u.id = c.assignee_id
       WHERE c.authority_id = $1 AND c.id = ANY($2::uuid[])`,
      [RequestContext.authorityId(), ids],
    )) as CaseLine[];
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
