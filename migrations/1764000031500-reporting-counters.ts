import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's counters are the reporting context's read model of cases, deadlines and responses. Their functions
 * and triggers were written in Decisions1764000003000 and, for the deadlines, replaced in
 * PendingDueCounters1764000020800; they are declared here whole, as they stand, under reporting's names
 * (`reporting_*` instead of `docket_*` functions and `dashboard_*` triggers). Same bodies, same firing order (after
 * `cases_next_due_*`, before `search_*`); one transaction, so no change goes uncounted meanwhile.
 */
export class ReportingCounters1764000031500 implements MigrationInterface {
  name = 'ReportingCounters1764000031500';

  async up(runner: QueryRunner): Promise<void> {
    await declareCounters(runner, REPORTING);
    await dropCounters(runner, BEFORE);
  }

  async down(runner: QueryRunner): Promise<void> {
    await declareCounters(runner, BEFORE);
    await dropCounters(runner, REPORTING);
  }
}

interface Names {
  /** Prefix of the functions. */
  functions: string;
  /** Prefix of the triggers. */
  triggers: string;
}

const REPORTING: Names = { functions: 'reporting', triggers: 'reporting' };
const BEFORE: Names = { functions: 'docket', triggers: 'dashboard' };
const TABLES = ['cases', 'deadlines', 'responses'];
const OPERATIONS = ['inserted', 'updated', 'deleted'];
const ROW_FUNCTIONS = [
  'case_counts(text, uuid, uuid)',
  'deadline_counts(text, uuid, uuid)',
  'pending_due_counts(text, timestamptz)',
  'response_counts(boolean, boolean, integer)',
];

async function declareCounters(runner: QueryRunner, { functions: p, triggers: t }: Names): Promise<void> {
  // What one row contributes to the counters: the triggers and the recount (ReportingRepository) use the same
  // functions, so they cannot disagree on a definition.
  await runner.query(`CREATE FUNCTION ${p}_case_counts(status text, assignee uuid, organisation uuid) RETURNS TABLE (metric text, key text)
    LANGUAGE sql IMMUTABLE AS $$
      SELECT 'cases', $1
      UNION ALL SELECT 'open_cases.assignee', coalesce($2::text, '') WHERE $1 <> 'closed'
      UNION ALL SELECT 'open_cases.organisation', $3::text WHERE $1 <> 'closed'
    $$`);
  await runner.query(`CREATE FUNCTION ${p}_deadline_counts(status text, assignee uuid, organisation uuid) RETURNS TABLE (metric text, key text)
    LANGUAGE sql IMMUTABLE AS $$
      SELECT 'missed.assignee', coalesce($2::text, '') WHERE $1 = 'missed'
      UNION ALL SELECT 'missed.organisation', $3::text WHERE $1 = 'missed'
    $$`);
  // Pending deadlines per UTC day of their due instant: a window of the dashboard is a sum of whole days.
  await runner.query(`CREATE FUNCTION ${p}_pending_due_counts(status text, due_at timestamptz) RETURNS TABLE (metric text, key text)
    LANGUAGE sql STABLE AS $$
      SELECT 'pending.due_day', to_char($2 AT TIME ZONE 'UTC', 'YYYY-MM-DD') WHERE $1 = 'pending'
    $$`);
  await runner.query(`CREATE FUNCTION ${p}_response_counts(met boolean, on_time boolean, days integer) RETURNS TABLE (metric text, key text)
    LANGUAGE sql IMMUTABLE AS $$
      SELECT CASE WHEN $2 THEN 'responses.on_time' ELSE 'responses.late' END, $3::text WHERE $1
    $$`);

  // Statement-level triggers with transition tables: one aggregated insert per statement, so a bulk load of a
  // million rows costs one pass, and a single-row change a few index probes.
  await runner.query(`CREATE FUNCTION ${p}_count_cases_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n CROSS JOIN LATERAL ${p}_case_counts(n.status, n.assignee_id, n.organisation_id) k GROUP BY 1, 2, 3;
      RETURN NULL;
    END $$`);
  await runner.query(`CREATE FUNCTION ${p}_count_cases_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o CROSS JOIN LATERAL ${p}_case_counts(o.status, o.assignee_id, o.organisation_id) k GROUP BY 1, 2, 3;
      RETURN NULL;
    END $$`);
  // A case that changes assignee or organisation takes its missed deadlines' counts along. Its deadlines are locked
  // first: a concurrent change of their status has then either committed (and the recount below, a new statement
  // with a fresh snapshot, sees it) or waits for this transaction (and its own trigger then reads the new assignee).
  // The lock order case → deadline is the one every service uses.
  await runner.query(`CREATE FUNCTION ${p}_count_cases_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM deadlines d JOIN new_rows n ON n.id = d.case_id JOIN old_rows o ON o.id = n.id
        WHERE n.assignee_id IS DISTINCT FROM o.assignee_id OR n.organisation_id <> o.organisation_id
        FOR NO KEY UPDATE OF d;
      INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT authority_id, metric, key, sum(delta) FROM (
        SELECT n.authority_id, k.metric, k.key, 1 AS delta FROM new_rows n CROSS JOIN LATERAL ${p}_case_counts(n.status, n.assignee_id, n.organisation_id) k
        UNION ALL
        SELECT o.authority_id, k.metric, k.key, -1 FROM old_rows o CROSS JOIN LATERAL ${p}_case_counts(o.status, o.assignee_id, o.organisation_id) k
        UNION ALL
        SELECT n.authority_id, k.metric, k.key, 1 FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN deadlines d ON d.case_id = n.id AND d.status = 'missed'
          CROSS JOIN LATERAL ${p}_deadline_counts(d.status, n.assignee_id, n.organisation_id) k
          WHERE n.assignee_id IS DISTINCT FROM o.assignee_id OR n.organisation_id <> o.organisation_id
        UNION ALL
        SELECT o.authority_id, k.metric, k.key, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN deadlines d ON d.case_id = n.id AND d.status = 'missed'
          CROSS JOIN LATERAL ${p}_deadline_counts(d.status, o.assignee_id, o.organisation_id) k
          WHERE n.assignee_id IS DISTINCT FROM o.assignee_id OR n.organisation_id <> o.organisation_id
      ) changes GROUP BY 1, 2, 3 HAVING sum(delta) <> 0;
      RETURN NULL;
    END $$`);
  await runner.query(`CREATE FUNCTION ${p}_count_deadlines_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n JOIN cases c ON c.id = n.case_id
        CROSS JOIN LATERAL ${p}_deadline_counts(n.status, c.assignee_id, c.organisation_id) k WHERE n.status = 'missed' GROUP BY 1, 2, 3
      UNION ALL
      SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n
        CROSS JOIN LATERAL ${p}_pending_due_counts(n.status, n.due_at) k WHERE n.status = 'pending' GROUP BY 1, 2, 3;
      RETURN NULL;
    END $$`);
  await runner.query(`CREATE FUNCTION ${p}_count_deadlines_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o JOIN cases c ON c.id = o.case_id
        CROSS JOIN LATERAL ${p}_deadline_counts(o.status, c.assignee_id, c.organisation_id) k WHERE o.status = 'missed' GROUP BY 1, 2, 3
      UNION ALL
      SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o
        CROSS JOIN LATERAL ${p}_pending_due_counts(o.status, o.due_at) k WHERE o.status = 'pending' GROUP BY 1, 2, 3;
      RETURN NULL;
    END $$`);
  await runner.query(`CREATE FUNCTION ${p}_count_deadlines_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT authority_id, metric, key, sum(delta) FROM (
        SELECT n.authority_id, k.metric, k.key, 1 AS delta FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN cases c ON c.id = n.case_id
          CROSS JOIN LATERAL ${p}_deadline_counts(n.status, c.assignee_id, c.organisation_id) k
          WHERE n.status = 'missed' AND (o.status <> 'missed' OR o.case_id <> n.case_id)
        UNION ALL
        SELECT o.authority_id, k.metric, k.key, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN cases c ON c.id = o.case_id
          CROSS JOIN LATERAL ${p}_deadline_counts(o.status, c.assignee_id, c.organisation_id) k
          WHERE o.status = 'missed' AND (n.status <> 'missed' OR o.case_id <> n.case_id)
        UNION ALL
        SELECT n.authority_id, k.metric, k.key, 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
          CROSS JOIN LATERAL ${p}_pending_due_counts(n.status, n.due_at) k
          WHERE n.status = 'pending' AND (o.status <> 'pending' OR o.due_at <> n.due_at OR o.authority_id <> n.authority_id)
        UNION ALL
        SELECT o.authority_id, k.metric, k.key, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id
          CROSS JOIN LATERAL ${p}_pending_due_counts(o.status, o.due_at) k
          WHERE o.status = 'pending' AND (n.status <> 'pending' OR o.due_at <> n.due_at OR o.authority_id <> n.authority_id)
      ) changes GROUP BY 1, 2, 3 HAVING sum(delta) <> 0;
      RETURN NULL;
    END $$`);
  await runner.query(`CREATE FUNCTION ${p}_count_responses_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n CROSS JOIN LATERAL ${p}_response_counts(n.met_deadline, n.on_time, n.days_to_respond) k GROUP BY 1, 2, 3;
      RETURN NULL;
    END $$`);
  await runner.query(`CREATE FUNCTION ${p}_count_responses_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o CROSS JOIN LATERAL ${p}_response_counts(o.met_deadline, o.on_time, o.days_to_respond) k GROUP BY 1, 2, 3;
      RETURN NULL;
    END $$`);
  await runner.query(`CREATE FUNCTION ${p}_count_responses_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT authority_id, metric, key, sum(delta) FROM (
        SELECT n.authority_id, k.metric, k.key, 1 AS delta FROM new_rows n CROSS JOIN LATERAL ${p}_response_counts(n.met_deadline, n.on_time, n.days_to_respond) k
        UNION ALL
        SELECT o.authority_id, k.metric, k.key, -1 FROM old_rows o CROSS JOIN LATERAL ${p}_response_counts(o.met_deadline, o.on_time, o.days_to_respond) k
      ) changes GROUP BY 1, 2, 3 HAVING sum(delta) <> 0;
      RETURN NULL;
    END $$`);
  for (const table of TABLES) {
    await runner.query(
      `CREATE TRIGGER "${t}_${table}_inserted" AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${p}_count_${table}_inserted()`,
    );
    await runner.query(
      `CREATE TRIGGER "${t}_${table}_updated" AFTER UPDATE ON "${table}" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${p}_count_${table}_updated()`,
    );
    await runner.query(
      `CREATE TRIGGER "${t}_${table}_deleted" AFTER DELETE ON "${table}" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${p}_count_${table}_deleted()`,
    );
  }
}

async function dropCounters(runner: QueryRunner, { functions: p, triggers: t }: Names): Promise<void> {
  for (const table of TABLES)
    for (const operation of OPERATIONS) {
      await runner.query(`DROP TRIGGER "${t}_${table}_${operation}" ON "${table}"`);
      await runner.query(`DROP FUNCTION ${p}_count_${table}_${operation}()`);
    }
  for (const signature of ROW_FUNCTIONS) await runner.query(`DROP FUNCTION ${p}_${signature}`);
}
