import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Every counter of one authority computed from scratch, with the same functions the triggers use. */
export const RECOUNT_SQL = `
  SELECT metric, key, sum(n)::bigint AS value FROM (
    SELECT k.metric, k.key, count(*) AS n FROM cases c CROSS JOIN LATERAL docket_case_counts(c.status, c.assignee_id, c.organisation_id) k
      WHERE c.authority_id = $1 GROUP BY 1, 2
    UNION ALL
    SELECT k.metric, k.key, count(*) FROM deadlines d JOIN cases c ON c.id = d.case_id CROSS JOIN LATERAL docket_deadline_counts(d.status, c.assignee_id, c.organisation_id) k
      WHERE d.authority_id = $1 AND d.status = 'missed' GROUP BY 1, 2
    UNION ALL
    SELECT k.metric, k.key, count(*) FROM deadlines d CROSS JOIN LATERAL docket_pending_due_counts(d.status, d.due_at) k
      WHERE d.authority_id = $1 AND d.status = 'pending' GROUP BY 1, 2
    UNION ALL
    SELECT k.metric, k.key, count(*) FROM responses r CROSS JOIN LATERAL docket_response_counts(r.met_deadline, r.on_time, r.days_to_respond) k
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
const REBUILD_SQL = `
  WITH gone AS (DELETE FROM dashboard_counters WHERE authority_id = $1)
  INSERT INTO dashboard_counters (authority_id, metric, key, delta)
  SELECT $1, metric, key, value FROM (${RECOUNT_SQL}) recount`;

/** Authorities whose counters have gathered enough deltas to be worth folding. */
const WORTH_COMPACTING_SQL = `
  SELECT authority_id FROM dashboard_counters GROUP BY authority_id HAVING count(*) > 2 * count(DISTINCT (metric, key)) + 100`;

export interface CounterDifference {
  metric: string;
  key: string;
  counted: number;
  recounted: number;
}

@Injectable()
export class CountersService {
  private readonly logger = new Logger(CountersService.name);

  constructor(private readonly dataSource: DataSource) {}

  async values(authorityId: string): Promise<Map<string, number>> {
    const rows = (await this.dataSource.query(
      `SELECT metric, key, sum(delta)::bigint AS value FROM dashboard_counters WHERE authority_id = $1 GROUP BY 1, 2 HAVING sum(delta) <> 0`,
      [authorityId],
    )) as { metric: string; key: string; value: string }[];
    return new Map(rows.map((row) => [`${row.metric}|${row.key}`, Number(row.value)]));
  }

  /** Where the materialised counters and a recount disagree (empty when they are right). */
  async check(authorityId: string): Promise<CounterDifference[]> {
    const [counted, recounted] = await Promise.all([
      this.values(authorityId),
      this.dataSource
        .query(RECOUNT_SQL, [authorityId])
        .then(
          (rows: { metric: string; key: string; value: string }[]) =>
            new Map(rows.map((row) => [`${row.metric}|${row.key}`, Number(row.value)])),
        ),
    ]);
    const keys = new Set([...counted.keys(), ...recounted.keys()]);
    return [...keys]
      .filter((key) => (counted.get(key) ?? 0) !== (recounted.get(key) ?? 0))
      .map((key) => {
        const [metric, counterKey] = key.split('|');
        return { metric, key: counterKey, counted: counted.get(key) ?? 0, recounted: recounted.get(key) ?? 0 };
      });
  }

  async rebuild(authorityId: string): Promise<void> {
    await this.dataSource.query(REBUILD_SQL, [authorityId]);
  }

  async compact(authorityId: string): Promise<void> {
    await this.dataSource.query(COMPACT_SQL, [authorityId]);
  }

  /** Compacts every authority that needs it; returns how many were. */
  async compactAll(): Promise<number> {
    const due = (await this.dataSource.query(WORTH_COMPACTING_SQL)) as { authority_id: string }[];
    for (const { authority_id: authorityId } of due) await this.compact(authorityId);
    if (due.length)
      this.logger.log(`compacted the dashboard counters of ${due.length} authorit${due.length === 1 ? 'y' : 'ies'}`);
    return due.length;
  }
}
