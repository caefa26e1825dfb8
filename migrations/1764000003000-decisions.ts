import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Responses with their assessments and attachments, outcomes and the deadlines they start; the
 * dashboard's materialised counters with the triggers that keep them; reporting indexes.
 */
export class Decisions1764000003000 implements MigrationInterface {
  name = 'Decisions1764000003000';

  async up(runner: QueryRunner): Promise<void> {
    // ---- tables, as generated from the entities (scripts/schema-diff.ts) ----
    await runner.query(
      `CREATE TABLE "responses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "case_id" uuid NOT NULL, "inquiry_id" uuid NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "channel" text NOT NULL, "summary" text NOT NULL, "deadline_id" uuid, "met_deadline" boolean NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE, "on_time" boolean NOT NULL, "late_by_days" integer NOT NULL, "days_to_respond" integer NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "responses_late_consistent" CHECK ("late_by_days" >= 0 AND "days_to_respond" >= 0 AND ("on_time" OR "due_at" IS NOT NULL)), CONSTRAINT "responses_summary_length" CHECK (char_length("summary") BETWEEN 1 AND 20000), CONSTRAINT "responses_channel_known" CHECK ("channel" IN ('email', 'portal', 'post')), CONSTRAINT "PK_be3bdac59bd243dff421ad7bf70" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "responses_inquiry" ON "responses"  ("inquiry_id") `);
    await runner.query(`CREATE INDEX "responses_case" ON "responses"  ("authority_id", "case_id", "received_at") `);
    await runner.query(
      `CREATE TABLE "attachments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "case_id" uuid NOT NULL, "response_id" uuid NOT NULL, "filename" text NOT NULL, "content_type" text NOT NULL, "size" bigint NOT NULL, "sha256" character(64) NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "attachments_sha256_hex" CHECK ("sha256" ~ '^[0-9a-f]{64}$'), CONSTRAINT "attachments_size_positive" CHECK ("size" > 0), CONSTRAINT "PK_5e1f050bcff31e3084a1d662412" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "attachments_response" ON "attachments"  ("response_id", "created_at") `);
    await runner.query(
      `CREATE TABLE "outcomes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "case_id" uuid NOT NULL, "type" text NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, "summary" text NOT NULL, "legal_basis" text, "published" boolean NOT NULL DEFAULT false, "fine_amount" numeric, "fine_currency" character(3), "referral_to" text, "notice_to" text, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "outcomes_summary_length" CHECK (char_length("summary") BETWEEN 1 AND 20000), CONSTRAINT "outcomes_fine_consistent" CHECK (("type" = 'fine') = ("fine_amount" IS NOT NULL AND "fine_currency" IS NOT NULL) AND ("fine_amount" IS NULL OR "fine_amount" > 0)), CONSTRAINT "outcomes_type_known" CHECK ("type" IN ('no_action', 'recommendation', 'corrective_order', 'processing_limitation', 'suspension', 'fine', 'referral', 'third_party_notice', 'commitments')), CONSTRAINT "PK_f5b8391e8300f8962eb1842dfca" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "outcomes_case" ON "outcomes"  ("case_id", "decided_at") `);
    await runner.query(
      `CREATE TABLE "outcome_deadlines" ("deadline_id" uuid NOT NULL, "outcome_id" uuid NOT NULL, "authority_id" uuid NOT NULL, "role" text NOT NULL, "position" smallint NOT NULL, CONSTRAINT "outcome_deadlines_role_known" CHECK ("role" IN ('compliance', 'follow_up_check')), CONSTRAINT "PK_e2bd277757075882fb4797db8fe" PRIMARY KEY ("deadline_id"))`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX "outcome_deadlines_outcome" ON "outcome_deadlines"  ("outcome_id", "position") `,
    );
    await runner.query(
      `CREATE TABLE "response_answers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "response_id" uuid NOT NULL, "question_id" text NOT NULL, "question_number" integer NOT NULL, "topic" text NOT NULL, "assessment" text NOT NULL, "note" text, CONSTRAINT "response_answers_note_length" CHECK ("note" IS NULL OR char_length("note") <= 5000), CONSTRAINT "response_answers_assessment_known" CHECK ("assessment" IN ('answered', 'partial', 'insufficient', 'refused', 'not_answered')), CONSTRAINT "PK_4a207e2b41f9bcf8ead459d4b20" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX "response_answers_question" ON "response_answers"  ("response_id", "question_id") `,
    );
    await runner.query(
      `CREATE TABLE "dashboard_counters" ("id" BIGSERIAL NOT NULL, "authority_id" uuid NOT NULL, "metric" text NOT NULL, "key" text NOT NULL, "delta" bigint NOT NULL, CONSTRAINT "PK_e75b55e60cdcf6736c76f6973d1" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `CREATE INDEX "dashboard_counters_authority" ON "dashboard_counters"  ("authority_id", "metric", "key") `,
    );
    await runner.query(
      `ALTER TABLE "responses" ADD CONSTRAINT "FK_eef32ca07f0159c887b9cdcdd0d" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "responses" ADD CONSTRAINT "FK_b1fc4f1361362713f936e6adf43" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "responses" ADD CONSTRAINT "FK_45c133e41d2d954e5764e146738" FOREIGN KEY ("inquiry_id") REFERENCES "inquiries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "responses" ADD CONSTRAINT "FK_05bc6047afae41a012659747e58" FOREIGN KEY ("deadline_id") REFERENCES "deadlines"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "attachments" ADD CONSTRAINT "FK_2ecf0bc117c5bfeac567475c871" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "attachments" ADD CONSTRAINT "FK_03dbecc81b42bf1d8a523f083e6" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "outcomes" ADD CONSTRAINT "FK_bb6aa7363e7520ab4e9f71bfd32" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "outcomes" ADD CONSTRAINT "FK_d681a813c54c39f1d425cd0da41" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "outcome_deadlines" ADD CONSTRAINT "FK_e2bd277757075882fb4797db8fe" FOREIGN KEY ("deadline_id") REFERENCES "deadlines"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "outcome_deadlines" ADD CONSTRAINT "FK_ec26a91caf03e5bae66e912cd26" FOREIGN KEY ("outcome_id") REFERENCES "outcomes"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "response_answers" ADD CONSTRAINT "FK_9556dcba71bb5a3bccd76570230" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    // ---- reporting indexes (declared with synchronize: false on the Case entity) ----
    // The dashboard's oldest open cases: most of an authority's history is closed, so this skips it.
    await runner.query(
      `CREATE INDEX "cases_open_created" ON "cases" ("authority_id", "created_at", "id") WHERE "status" <> 'closed'`,
    );
    // The coordination view: the few shared cases of an organisation.
    await runner.query(
      `CREATE INDEX "cases_shared_organisation" ON "cases" ("organisation_id") WHERE "shared_for_coordination"`,
    );
    // The dashboard's clock-dependent counts (past due, due in 7 and 30 days): pending deadlines only, a few
    // percent of them all, read index-only.
    await runner.query(
      `CREATE INDEX "deadlines_pending_due" ON "deadlines" ("authority_id", "due_at") INCLUDE ("case_id") WHERE "status" = 'pending'`,
    );

    // ---- dashboard counters ----
    // What one row contributes to the counters. The triggers and the recount (CountersService) use the
    // same functions, so they cannot disagree on a definition.
    await runner.query(`CREATE FUNCTION docket_case_counts(status text, assignee uuid, organisation uuid) RETURNS TABLE (metric text, key text)
      LANGUAGE sql IMMUTABLE AS $$
        SELECT 'cases', $1
        UNION ALL SELECT 'open_cases.assignee', coalesce($2::text, '') WHERE $1 <> 'closed'
        UNION ALL SELECT 'open_cases.organisation', $3::text WHERE $1 <> 'closed'
      $$`);
    await runner.query(`CREATE FUNCTION docket_deadline_counts(status text, assignee uuid, organisation uuid) RETURNS TABLE (metric text, key text)
      LANGUAGE sql IMMUTABLE AS $$
        SELECT 'missed.assignee', coalesce($2::text, '') WHERE $1 = 'missed'
        UNION ALL SELECT 'missed.organisation', $3::text WHERE $1 = 'missed'
      $$`);
    await runner.query(`CREATE FUNCTION docket_response_counts(met boolean, on_time boolean, days integer) RETURNS TABLE (metric text, key text)
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN $2 THEN 'responses.on_time' ELSE 'responses.late' END, $3::text WHERE $1
      $$`);

    // Statement-level triggers with transition tables: one aggregated insert per statement, so a bulk
    // load of a million rows costs one pass, and a single-row change a few index probes.
    await runner.query(`CREATE FUNCTION docket_count_cases_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n CROSS JOIN LATERAL docket_case_counts(n.status, n.assignee_id, n.organisation_id) k GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE FUNCTION docket_count_cases_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o CROSS JOIN LATERAL docket_case_counts(o.status, o.assignee_id, o.organisation_id) k GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    // A case that changes assignee or organisation takes its missed deadlines' counts along. Its deadlines
    // are locked first: a concurrent change of their status has then either committed (and the recount
    // below, a new statement with a fresh snapshot, sees it) or waits for this transaction (and its own
    // trigger then reads the new assignee). The lock order case → deadline is the one every service uses.
    await runner.query(`CREATE FUNCTION docket_count_cases_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM deadlines d JOIN new_rows n ON n.id = d.case_id JOIN old_rows o ON o.id = n.id
          WHERE n.assignee_id IS DISTINCT FROM o.assignee_id OR n.organisation_id <> o.organisation_id
          FOR NO KEY UPDATE OF d;
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT authority_id, metric, key, sum(delta) FROM (
          SELECT n.authority_id, k.metric, k.key, 1 AS delta FROM new_rows n CROSS JOIN LATERAL docket_case_counts(n.status, n.assignee_id, n.organisation_id) k
          UNION ALL
          SELECT o.authority_id, k.metric, k.key, -1 FROM old_rows o CROSS JOIN LATERAL docket_case_counts(o.status, o.assignee_id, o.organisation_id) k
          UNION ALL
          SELECT n.authority_id, k.metric, k.key, 1 FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN deadlines d ON d.case_id = n.id AND d.status = 'missed'
            CROSS JOIN LATERAL docket_deadline_counts(d.status, n.assignee_id, n.organisation_id) k
            WHERE n.assignee_id IS DISTINCT FROM o.assignee_id OR n.organisation_id <> o.organisation_id
          UNION ALL
          SELECT o.authority_id, k.metric, k.key, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN deadlines d ON d.case_id = n.id AND d.status = 'missed'
            CROSS JOIN LATERAL docket_deadline_counts(d.status, o.assignee_id, o.organisation_id) k
            WHERE n.assignee_id IS DISTINCT FROM o.assignee_id OR n.organisation_id <> o.organisation_id
        ) changes GROUP BY 1, 2, 3 HAVING sum(delta) <> 0;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE FUNCTION docket_count_deadlines_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n JOIN cases c ON c.id = n.case_id
          CROSS JOIN LATERAL docket_deadline_counts(n.status, c.assignee_id, c.organisation_id) k WHERE n.status = 'missed' GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE FUNCTION docket_count_deadlines_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o JOIN cases c ON c.id = o.case_id
          CROSS JOIN LATERAL docket_deadline_counts(o.status, c.assignee_id, c.organisation_id) k WHERE o.status = 'missed' GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE FUNCTION docket_count_deadlines_updated() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await runner.query(`CREATE FUNCTION docket_count_responses_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT n.authority_id, k.metric, k.key, count(*) FROM new_rows n CROSS JOIN LATERAL docket_response_counts(n.met_deadline, n.on_time, n.days_to_respond) k GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE FUNCTION docket_count_responses_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT o.authority_id, k.metric, k.key, -count(*) FROM old_rows o CROSS JOIN LATERAL docket_response_counts(o.met_deadline, o.on_time, o.days_to_respond) k GROUP BY 1, 2, 3;
        RETURN NULL;
      END $$`);
    await runner.query(`CREATE FUNCTION docket_count_responses_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_counters (authority_id, metric, key, delta)
        SELECT authority_id, metric, key, sum(delta) FROM (
          SELECT n.authority_id, k.metric, k.key, 1 AS delta FROM new_rows n CROSS JOIN LATERAL docket_response_counts(n.met_deadline, n.on_time, n.days_to_respond) k
          UNION ALL
          SELECT o.authority_id, k.metric, k.key, -1 FROM old_rows o CROSS JOIN LATERAL docket_response_counts(o.met_deadline, o.on_time, o.days_to_respond) k
        ) changes GROUP BY 1, 2, 3 HAVING sum(delta) <> 0;
        RETURN NULL;
      END $$`);
    for (const table of ['cases', 'deadlines', 'responses']) {
      await runner.query(
        `CREATE TRIGGER "dashboard_${table}_inserted" AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION docket_count_${table}_inserted()`,
      );
      await runner.query(
        `CREATE TRIGGER "dashboard_${table}_updated" AFTER UPDATE ON "${table}" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION docket_count_${table}_updated()`,
      );
      await runner.query(
        `CREATE TRIGGER "dashboard_${table}_deleted" AFTER DELETE ON "${table}" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION docket_count_${table}_deleted()`,
      );
    }

    // Counters of the data that exists already (responses are new, so have none).
    await runner.query(`INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT c.authority_id, k.metric, k.key, count(*) FROM cases c CROSS JOIN LATERAL docket_case_counts(c.status, c.assignee_id, c.organisation_id) k GROUP BY 1, 2, 3`);
    await runner.query(`INSERT INTO dashboard_counters (authority_id, metric, key, delta)
      SELECT d.authority_id, k.metric, k.key, count(*) FROM deadlines d JOIN cases c ON c.id = d.case_id
        CROSS JOIN LATERAL docket_deadline_counts(d.status, c.assignee_id, c.organisation_id) k WHERE d.status = 'missed' GROUP BY 1, 2, 3`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['cases', 'deadlines', 'responses']) {
      for (const op of ['inserted', 'updated', 'deleted']) {
        await runner.query(`DROP TRIGGER IF EXISTS "dashboard_${table}_${op}" ON "${table}"`);
        await runner.query(`DROP FUNCTION IF EXISTS docket_count_${table}_${op}()`);
      }
    }
    await runner.query(`DROP FUNCTION docket_case_counts(text, uuid, uuid)`);
    await runner.query(`DROP FUNCTION docket_deadline_counts(text, uuid, uuid)`);
    await runner.query(`DROP FUNCTION docket_response_counts(boolean, boolean, integer)`);
    await runner.query(`DROP INDEX "deadlines_pending_due"`);
    await runner.query(`DROP INDEX "cases_shared_organisation"`);
    await runner.query(`DROP INDEX "cases_open_created"`);
    for (const table of [
      'dashboard_counters',
      'response_answers',
      'outcome_deadlines',
      'outcomes',
      'attachments',
      'responses',
    ]) {
      await runner.query(`DROP TABLE "${table}"`);
    }
  }
}
