import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  queryPrepared,
  RequestContext,
  RUNTIME,
  TenantRepository,
  type PreparedStatement,
  type Runtime,
} from '#docket/platform';
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

/**
 * Moves an authority's deltas from the log into its totals. One statement, so every reader sees a delta in exactly one
 * of the two; a delta appended later stays in the log for the next fold.
 */
export const FOLD_SQL = `
  WITH gone AS (DELETE FROM dashboard_counters WHERE authority_id = $1 RETURNING metric, key, delta)
  INSERT INTO dashboard_totals (authority_id, metric, key, value)
  SELECT $1, metric, key, sum(delta) FROM gone GROUP BY metric, key HAVING sum(delta) <> 0
  ON CONFLICT (authority_id, metric, key) DO UPDATE SET value = dashboard_totals.value + EXCLUDED.value`;

/** Totals that came to zero count for nothing; a concurrent fold that changes one first keeps it. */
export const DROP_ZERO_TOTALS_SQL = `DELETE FROM dashboard_totals WHERE authority_id = $1 AND value = 0`;

/** Every counter of an authority: its total plus the deltas not folded yet. */
export const COUNTER_VALUES_SQL = `
  SELECT metric, key, sum(value)::bigint AS value FROM (
    SELECT metric, key, value FROM dashboard_totals WHERE authority_id = $1
    UNION ALL
    SELECT metric, key, delta FROM dashboard_counters WHERE authority_id = $1
  ) counted GROUP BY metric, key HAVING sum(value) <> 0`;

/**
 * Replaces an authority's counters by a recount: the log emptied and the totals set to the recount (zeros for the
 * counters it no longer finds). One statement, so the deltas it deletes and the rows it counts come from the same
 * snapshot: a change committed later keeps its own delta.
 */
export const REBUILD_SQL = `
  WITH gone AS (DELETE FROM dashboard_counters WHERE authority_id = $1),
    recount AS MATERIALIZED (${RECOUNT_SQL}),
    stale AS (UPDATE dashboard_totals t SET value = 0 WHERE t.authority_id = $1 AND t.value <> 0
               AND NOT EXISTS (SELECT FROM recount r WHERE r.metric = t.metric AND r.key = t.key))
  INSERT INTO dashboard_totals (authority_id, metric, key, value)
  SELECT $1, metric, key, value FROM recount
  ON CONFLICT (authority_id, metric, key) DO UPDATE SET value = EXCLUDED.value`;

export const ORGANISATION_LIMIT = 20;
export const OLDEST_LIMIT = 10;
const OPEN_BY_ORGANISATION = 'open_cases.organisation';
const MISSED_BY_ORGANISATION = 'missed.organisation';
/** The counters the dashboard reads with every key: cases by status, the assignees', the responses' histograms. */
const WHOLE_METRICS = ['cases', 'open_cases.assignee', 'missed.assignee', 'responses.on_time', 'responses.late'];

/** Pending deadlines due on the UTC days [from, until) (keys of PENDING_DUE_DAY): their totals plus their tail. */
const pendingDueDays = (from: string, until: string) => `(SELECT coalesce(sum(value), 0) FROM (
      SELECT value FROM dashboard_totals WHERE authority_id = $1 AND metric = '${PENDING_DUE_DAY}' AND key >= ${from} AND key < ${until}
      UNION ALL
      SELECT delta FROM dashboard_counters WHERE authority_id = $1 AND metric = '${PENDING_DUE_DAY}' AND key >= ${from} AND key < ${until}) days)`;

/**
 * The dashboard in one statement (one round trip, one snapshot), its parts as JSON. Parameters: $1 the authority,
 * $2 now, $3 ORGANISATION_LIMIT, $4 OLDEST_LIMIT, $5–$12 the windows' bounds (dashboardParameters).
 *
 * Counts that cover the whole history (cases by status and by assignee or organisation, missed deadlines, responses)
 * come from the counters: each is its total (dashboard_totals) plus the deltas not folded yet (the tail, in
 * dashboard_counters), read in this one statement, so a fold, which moves deltas from one to the other atomically,
 * never shows half done. The counters read whole (cases by status, by assignee, the responses' histograms) are a
 * few dozen rows. Of the organisations, only those that can make the list, which ranks by open cases first: in the
 * order of their folded open cases (dashboard_totals_ranking), those at least as high as the ($3 + t)-th, t being the
 * organisations whose open cases the tail changes, and every organisation the tail names. At least $3 of the former
 * are untouched by the tail, so the list's last place has at least that many open cases, and an untouched
 * organisation below it cannot make the list; ties at the cut all come, for the rest of the ranking. With fewer than
 * $3 + t organisations with open cases folded, all come. Summing every organisation's counters (4,000 rows with
 * 2,000 organisations) had cost more than the rest of the dashboard together.
 *
 * The counts that depend on the clock read the pending deadlines through the partial index of pending deadlines
 * (deadlines_pending_due): the 7- and 30-day windows (see dueWindowPlan) count the partial days there, each range
 * less than a day (so estimated small, never a parallel plan), and take the whole days from the per-day counters.
 * Pending past due are a handful (the sweep marks them missed within 30 s), their cases looked up by id: as one join
 * the planner, which estimates status and due_at apart, expected 150,000 rows at a million cases and hash-joined
 * every case (with JIT on top), half a second instead of a millisecond.
 *
 * Exported so the benchmark runs it bare.
 */
export const DASHBOARD_SQL = `
  WITH tail AS MATERIALIZED (
      SELECT metric, key, sum(delta)::bigint AS value FROM dashboard_counters WHERE authority_id = $1 AND metric <> '${PENDING_DUE_DAY}'
       GROUP BY metric, key),
    cut AS MATERIALIZED (
      SELECT value FROM dashboard_totals WHERE authority_id = $1 AND metric = '${OPEN_BY_ORGANISATION}'
       ORDER BY value DESC OFFSET $3 - 1 + (SELECT count(*) FROM tail WHERE metric = '${OPEN_BY_ORGANISATION}') LIMIT 1),
    listed AS (
      SELECT key FROM dashboard_totals WHERE authority_id = $1 AND metric = '${OPEN_BY_ORGANISATION}' AND value >= (SELECT value FROM cut)
      UNION SELECT key FROM tail WHERE metric IN ('${OPEN_BY_ORGANISATION}', '${MISSED_BY_ORGANISATION}')),
    counters AS MATERIALIZED (
      SELECT metric, key, sum(value)::bigint AS value FROM (
        SELECT metric, key, value FROM tail
        UNION ALL
        SELECT metric, key, value FROM dashboard_totals WHERE authority_id = $1 AND metric = ANY('{${WHOLE_METRICS.join(',')}}'::text[])
        UNION ALL
        SELECT metric, key, value FROM dashboard_totals
         WHERE authority_id = $1 AND metric IN ('${OPEN_BY_ORGANISATION}', '${MISSED_BY_ORGANISATION}') AND EXISTS (SELECT FROM cut)
           AND key = ANY(ARRAY(SELECT key FROM listed))
        UNION ALL
        SELECT metric, key, value FROM dashboard_totals
         WHERE authority_id = $1 AND metric IN ('${OPEN_BY_ORGANISATION}', '${MISSED_BY_ORGANISATION}') AND NOT EXISTS (SELECT FROM cut)
      ) counted GROUP BY metric, key HAVING sum(value) <> 0),
    past_due AS MATERIALIZED (
      SELECT case_id FROM deadlines WHERE authority_id = $1 AND ${pastDueSql({ status: 'status', dueAt: 'due_at' }, '$2')}),
    past_due_cases AS MATERIALIZED (
      SELECT id, assignee_id, organisation_id FROM cases WHERE authority_id = $1 AND id = ANY(ARRAY(SELECT case_id FROM past_due)))
  SELECT
    (SELECT coalesce(json_agg(json_build_array(metric, key, value)), '[]') FROM counters) AS counters,
    (SELECT count(*) FROM deadlines WHERE authority_id = $1 AND status = 'pending' AND due_at > $2 AND due_at < $5)::int AS head,
    (SELECT count(*) FROM deadlines WHERE authority_id = $1 AND status = 'pending' AND due_at >= $6 AND due_at <= $7)::int AS tail7,
    (SELECT count(*) FROM deadlines WHERE authority_id = $1 AND status = 'pending' AND due_at >= $8 AND due_at <= $9)::int AS tail30,
    ${pendingDueDays('$10', '$11')}::int AS days7,
    ${pendingDueDays('$10', '$12')}::int AS days30,
    (SELECT coalesce(json_agg(json_build_array(c.assignee_id, c.organisation_id)), '[]')
       FROM past_due p JOIN past_due_cases c ON c.id = p.case_id) AS past_due,
    (SELECT coalesce(json_agg(json_build_array(id, reference, title, status, created_ms, assignee_id, assignee_name, organisation_id, organisation_name)), '[]') FROM (
       SELECT c.id, c.reference, c.title, c.status, floor(extract(epoch FROM c.created_at) * 1000)::bigint AS created_ms, c.assignee_id,
              u.name AS assignee_name, c.organisation_id, o.legal_name AS organisation_name
         FROM cases c JOIN organisations o ON o.id = c.organisation_id LEFT JOIN users u ON u.id = c.assignee_id
        WHERE c.authority_id = $1 AND c.status <> 'closed' ORDER BY c.created_at, c.id LIMIT $4) oldest) AS oldest,
    (SELECT coalesce(json_agg(json_build_array(id, name)), '[]') FROM users WHERE authority_id = $1) AS users,
    (SELECT coalesce(json_agg(json_build_array(id, legal_name)), '[]') FROM organisations
      WHERE id = ANY(ARRAY(SELECT key::uuid FROM counters WHERE metric IN ('${OPEN_BY_ORGANISATION}', '${MISSED_BY_ORGANISATION}')
                           UNION SELECT organisation_id FROM past_due_cases))) AS organisations`;

/** DASHBOARD_SQL's parameters for the dashboard of `authorityId` at `now`. */
export function dashboardParameters(authorityId: string, now: Date): unknown[] {
  const week = dueWindowPlan(now, 7);
  const month = dueWindowPlan(now, 30);
  return [
    authorityId,
    now,
    ORGANISATION_LIMIT,
    OLDEST_LIMIT,
    week.head.before,
    week.tail.from,
    week.tail.to,
    month.tail.from,
    month.tail.to,
    week.days.firstDay,
    week.days.untilDay,
    month.days.untilDay,
  ];
}

/** The dashboard's statement, prepared once per connection: planning it cost more than running it. */
export const DASHBOARD_STATEMENT: PreparedStatement = { name: 'reporting_dashboard', text: DASHBOARD_SQL };

type Query = (statement: PreparedStatement, parameters: unknown[]) => Promise<Record<string, unknown>[]>;
type Nullable = string | null;

/** Runs the dashboard's statement through `query` (the server's pool in the server, bare pg in the benchmark). */
export async function loadDashboard(query: Query, authorityId: string, now: Date): Promise<Dashboard> {
  const [row] = await query(DASHBOARD_STATEMENT, dashboardParameters(authorityId, now));
  const counters = (row.counters as [string, string, number][]).map(([metric, key, value]): CounterValue => ({
    metric,
    key,
    value,
  }));
  const pastDue = row.past_due as [Nullable, string][];
  const oldest = row.oldest as [string, string, string, string, number, Nullable, Nullable, string, string][];
  const dashboard = assembleDashboard({
    now,
    counters,
    windows: {
      // The same rows as pastDue's: pending and due at or before now.
      pendingPastDue: pastDue.length,
      dueIn7Days: Number(row.head) + Number(row.days7) + Number(row.tail7),
      dueIn30Days: Number(row.head) + Number(row.days30) + Number(row.tail30),
    },
    pastDue: pastDue.map(([assigneeId, organisationId]) => ({ assigneeId, organisationId, count: 1 })),
    oldest: oldest.map(
      ([id, reference, title, status, createdMs, assigneeId, assigneeName, organisationId, organisationName]) => ({
        id,
        reference,
        title,
        status: status as OldestCaseRow['status'],
        createdAt: new Date(createdMs),
        assigneeId,
        assigneeName,
        organisationId,
        organisationName,
      }),
    ),
    userNames: new Map(row.users as [string, string][]),
    organisationNames: new Map(row.organisations as [string, string][]),
    organisationLimit: ORGANISATION_LIMIT,
  });
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
  constructor(
    dataSource: DataSource,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    super(dataSource, DashboardCounter);
  }

  /** The dashboard at `now`. */
  dashboard(now: Date): Promise<Dashboard> {
    return loadDashboard(
      (statement, parameters) =>
        queryPrepared(this.dataSource, statement, parameters, { transactionPooling: this.runtime.config.DB_PGBOUNCER }),
      RequestContext.authorityId(),
      now,
    );
  }

  /** The materialised counters (metric|key → value). */
  async counterValues(): Promise<Map<string, number>> {
    return byCounter((await this.dataSource.query(COUNTER_VALUES_SQL, [RequestContext.authorityId()])) as CounterRow[]);
  }

  /** Every counter computed from scratch (metric|key → value). */
  async recount(): Promise<Map<string, number>> {
    return byCounter((await this.dataSource.query(RECOUNT_SQL, [RequestContext.authorityId()])) as CounterRow[]);
  }

  async rebuild(): Promise<void> {
    await this.dataSource.query(REBUILD_SQL, [RequestContext.authorityId()]);
    await this.dataSource.query(DROP_ZERO_TOTALS_SQL, [RequestContext.authorityId()]);
  }

  /** Folds the log into the totals. */
  async fold(): Promise<void> {
    await this.dataSource.query(FOLD_SQL, [RequestContext.authorityId()]);
    await this.dataSource.query(DROP_ZERO_TOTALS_SQL, [RequestContext.authorityId()]);
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
