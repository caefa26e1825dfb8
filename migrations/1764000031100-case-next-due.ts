import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The cases list sorted by due date (`sort=nextDueAt`) read each case's earliest pending deadline in a subquery,
 * so a page had to compute it for every case passing the filters (241/580 ms p50/p95 for one assignee's cases in
 * two statuses at a million cases). `cases.next_due_at` now holds it ('infinity' without a pending deadline, so
 * those cases sort last, as before), kept by statement triggers on `deadlines` in the writer's own transaction,
 * and indexed with the list's usual filters so a page is an ordered index range.
 *
 * The trigger locks the cases it recomputes before reading their deadlines: a transaction that waited for another
 * one's lock then reads the deadlines that one committed (a plain UPDATE … SET = (subquery) would keep the
 * snapshot it started with and could write a stale minimum). The application never writes the column.
 */
export class CaseNextDue1764000031100 implements MigrationInterface {
  name = 'CaseNextDue1764000031100';

  async up(runner: QueryRunner): Promise<void> {
    // A constant default: no table rewrite.
    await runner.query(`ALTER TABLE "cases" ADD "next_due_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT 'infinity'`);
    await runner.query(`
      CREATE FUNCTION cases_next_due_refresh(case_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(cardinality(case_ids), 0) = 0 THEN RETURN; END IF;
        PERFORM 1 FROM cases WHERE id = ANY (case_ids) ORDER BY id FOR NO KEY UPDATE;
        UPDATE cases c SET next_due_at = due.at
          FROM (SELECT x.id, coalesce((SELECT min(d.due_at) FROM deadlines d WHERE d.case_id = x.id AND d.status = 'pending'),
                                      'infinity'::timestamptz) AS at
                  FROM unnest(case_ids) AS x(id)) due
         WHERE c.id = due.id AND c.next_due_at IS DISTINCT FROM due.at;
      END $$`);
    await runner.query(`
      CREATE FUNCTION cases_next_due_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM cases_next_due_refresh(ARRAY(SELECT DISTINCT case_id FROM new_rows WHERE status = 'pending'));
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE FUNCTION cases_next_due_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM cases_next_due_refresh(ARRAY(SELECT DISTINCT case_id FROM old_rows WHERE status = 'pending'));
        RETURN NULL;
      END $$`);
    // Only the changes that can move a case's earliest pending deadline (not reminders' or labels' bookkeeping).
    await runner.query(`
      CREATE FUNCTION cases_next_due_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM cases_next_due_refresh(ARRAY(
          SELECT DISTINCT ids.case_id FROM (
            SELECT n.case_id AS new_case, o.case_id AS old_case FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE (n.status = 'pending' OR o.status = 'pending')
               AND (n.status IS DISTINCT FROM o.status OR n.due_at IS DISTINCT FROM o.due_at OR n.case_id IS DISTINCT FROM o.case_id)
          ) changed CROSS JOIN LATERAL (VALUES (changed.new_case), (changed.old_case)) AS ids(case_id)));
        RETURN NULL;
      END $$`);
    await runner.query(
      `CREATE TRIGGER "cases_next_due_inserted" AFTER INSERT ON "deadlines" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_next_due_inserted()`,
    );
    await runner.query(
      `CREATE TRIGGER "cases_next_due_updated" AFTER UPDATE ON "deadlines" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_next_due_updated()`,
    );
    await runner.query(
      `CREATE TRIGGER "cases_next_due_deleted" AFTER DELETE ON "deadlines" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_next_due_deleted()`,
    );
    // The cases that have a pending deadline now (the rest keep the default).
    await runner.query(`
      UPDATE cases c SET next_due_at = due.at
        FROM (SELECT case_id, min(due_at) AS at FROM deadlines WHERE status = 'pending' GROUP BY case_id) due
       WHERE c.id = due.case_id`);
    // The list by due date: unfiltered, by status, by assignee (the rest filter an ordered range of one of these).
    await runner.query(`CREATE INDEX "cases_authority_due" ON "cases" ("authority_id", "next_due_at", "id")`);
    await runner.query(
      `CREATE INDEX "cases_authority_status_due" ON "cases" ("authority_id", "status", "next_due_at", "id")`,
    );
    await runner.query(
      `CREATE INDEX "cases_authority_assignee_due" ON "cases" ("authority_id", "assignee_id", "next_due_at", "id")`,
    );
    await runner.query(`ANALYZE "cases"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER "cases_next_due_deleted" ON "deadlines"`);
    await runner.query(`DROP TRIGGER "cases_next_due_updated" ON "deadlines"`);
    await runner.query(`DROP TRIGGER "cases_next_due_inserted" ON "deadlines"`);
    await runner.query(`DROP FUNCTION cases_next_due_updated()`);
    await runner.query(`DROP FUNCTION cases_next_due_deleted()`);
    await runner.query(`DROP FUNCTION cases_next_due_inserted()`);
    await runner.query(`DROP FUNCTION cases_next_due_refresh(uuid[])`);
    await runner.query(`DROP INDEX "cases_authority_assignee_due"`);
    await runner.query(`DROP INDEX "cases_authority_status_due"`);
    await runner.query(`DROP INDEX "cases_authority_due"`);
    await runner.query(`ALTER TABLE "cases" DROP COLUMN "next_due_at"`);
  }
}
