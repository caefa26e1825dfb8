import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's clock-dependent counts (pending deadlines due within 7 and 30 days) from the counters too:
 * pending deadlines counted per UTC day of their due instant (metric `pending.due_day`, key `YYYY-MM-DD`), so
 * that a window is a sum of whole days plus two partial days read from the partial index. Counting the whole
 * window from deadlines made PostgreSQL plan a parallel scan over an estimate four times too high at a
 * million cases. The deadline triggers of 1764000003000 are replaced by ones that also write these deltas.
 */
export class PendingDueCounters1764000020800 implements MigrationInterface {
  name = 'PendingDueCounters1764000020800';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE FUNCTION docket_pending_due_counts(status text, due_at timestamptz) RETURNS TABLE (metric text, key text)
      LANGUAGE sql STABLE AS $$
        SELECT 'pending.due_day', to_char($2 AT TIME ZONE 'UTC', 'YYYY-MM-DD') WHERE $1 = 'pending'
      $$`);
    await runner.query(`CREATE OR REPLACE FUNCTION docket_count_deadlines_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n JOIN cases c ON c.id = n.case_id
          CROSS JOIN LATERAL docket_deadline_counts(n.status, c.assignee_id, c.organisation_id) k WHERE n.status = 'missed' GROUP BY 1, 2, 3
        UNION ALL
        SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n
          CROSS JOIN LATERAL docket_pending_due_counts(n.status, n.due_at) k WHERE n.status = 'pending' GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE OR REPLACE FUNCTION docket_count_deadlines_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o JOIN cases c ON c.id = o.case_id
          CROSS JOIN LATERAL docket_deadline_counts(o.status, c.assignee_id, c.organisation_id) k WHERE o.status = 'missed' GROUP BY 1, 2, 3
        UNION ALL
        SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o
          CROSS JOIN LATERAL docket_pending_due_counts(o.status, o.due_at) k WHERE o.status = 'pending' GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE OR REPLACE FUNCTION docket_count_deadlines_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT authority_id, metric, key, sum(delta) FROM (
          SELECT n.authority_id, k.metric, k.key, 1 AS delta FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN cases c ON c.id = n.case_id
            CROSS JOIN LATERAL docket_deadline_counts(n.status, c.assignee_id, c.organisation_id) k
            WHERE n.status = 'missed' AND (o.status <> 'missed' OR o.case_id <> n.case_id)
          UNION ALL
          SELECT o.authority_id, k.metric, k.key, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN cases c ON c.id = o.case_id
            CROSS JOIN LATERAL docket_deadline_counts(o.status, c.assignee_id, c.organisation_id) k
            WHERE o.status = 'missed' AND (n.status <> 'missed' OR o.case_id <> n.case_id)
          UNION ALL
          SELECT n.authority_id, k.metric, k.key, 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
            CROSS JOIN LATERAL docket_pending_due_counts(n.status, n.due_at) k
            WHERE n.status = 'pending' AND (o.status <> 'pending' OR o.due_at <> n.due_at OR o.authority_id <> n.authority_id)
          UNION ALL
          SELECT o.authority_id, k.metric, k.key, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id
            CROSS JOIN LATERAL docket_pending_due_counts(o.status, o.due_at) k
            WHERE o.status = 'pending' AND (n.status <> 'pending' OR o.due_at <> n.due_at OR o.authority_id <> n.authority_id)
        ) changes GROUP BY 1, 2, 3 HAVING sum(delta) <> 0;
        RETURN NULL;
      END $$`);
    // The counts of the deadlines that exist already.
    await runner.query(`INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT d.authority_id, k.metric, k.key, count(*) FROM deadlines d
        CROSS JOIN LATERAL docket_pending_due_counts(d.status, d.due_at) k WHERE d.status = 'pending' GROUP BY 1, 2, 3`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM dashboard_counters WHERE metric = 'pending.due_day'`);
    await runner.query(`CREATE OR REPLACE FUNCTION docket_count_deadlines_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n JOIN cases c ON c.id = n.case_id
          CROSS JOIN LATERAL docket_deadline_counts(n.status, c.assignee_id, c.organisation_id) k WHERE n.status = 'missed' GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE OR REPLACE FUNCTION docket_count_deadlines_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o JOIN cases c ON c.id = o.case_id
          CROSS JOIN LATERAL docket_deadline_counts(o.status, c.assignee_id, c.organisation_id) k WHERE o.status = 'missed' GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE OR REPLACE FUNCTION docket_count_deadlines_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT authority_id, metric, key, sum(delta) FROM (
          SELECT n.authority_id, k.metric, k.key, 1 AS delta FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN cases c ON c.id = n.case_id
            CROSS JOIN LATERAL docket_deadline_counts(n.status, c.assignee_id, c.organisation_id) k
            WHERE n.status = 'missed' AND (o.status <> 'missed' OR o.case_id <> n.case_id)
          UNION ALL
          SELECT o.authority_id, k.metric, k.key, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN cases c ON c.id = o.case_id
            CROSS JOIN LATERAL docket_deadline_counts(o.status, c.assignee_id, c.organisation_id) k
            WHERE o.status = 'missed' AND (n.status <> 'missed' OR o.case_id <> n.case_id)
        ) changes GROUP BY 1, 2, 3 HAVING sum(delta) <> 0;
        RETURN NULL;
      END $$`);
    await runner.query(`DROP FUNCTION docket_pending_due_counts(text, timestamptz)`);
  }
}
