import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cooperation procedures between authorities (libs/cooperation): procedures with one reference across their steps,
 * participants, steps, messages and statutory clocks; the per-case choice to share the provider's answers into the
 * comparison, and staff's marks of inconsistent answers.
 */
export class Cooperation1764000018900 implements MigrationInterface {
  name = 'Cooperation1764000018900';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts) ----
    await runner.query(
      `CREATE TABLE "procedures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "reference" text NOT NULL, "type" text NOT NULL, "rule_set" text NOT NULL, "organisation_id" uuid NOT NULL, "initiating_authority_id" uuid NOT NULL, "subject" text NOT NULL, "status" text NOT NULL DEFAULT 'open', "outcome" text, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_e80538dbfdc47e1a4b72db7ac4f" UNIQUE ("reference"), CONSTRAINT "procedures_subject_length" CHECK (char_length("subject") BETWEEN 1 AND 300), CONSTRAINT "procedures_status_known" CHECK ("status" IN ('open', 'closed')), CONSTRAINT "procedures_type_known" CHECK ("type" IN ('mutual_assistance', 'joint_operation', 'lead_authority', 'urgency', 'complaint_transmission', 'investigation', 'simple_cooperation')), CONSTRAINT "PK_e7775bab78f27b4c47580b6cb4b" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `CREATE TABLE "procedure_reference_counters" ("year" integer NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "PK_ae2277f454d6fc30947c227db25" PRIMARY KEY ("year"))`,
    );
    await runner.query(
      `CREATE TABLE "procedure_participants" ("procedure_id" uuid NOT NULL, "authority_id" uuid NOT NULL, "role" text NOT NULL, "case_id" uuid, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2663a63fe6d76d83c19dd3f3b51" PRIMARY KEY ("procedure_id", "authority_id"))`,
    );
    await runner.query(
      `CREATE INDEX "procedure_participants_authority" ON "procedure_participants"  ("authority_id") `,
    );
    await runner.query(
      `CREATE TABLE "procedure_steps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "procedure_id" uuid NOT NULL, "seq" integer NOT NULL, "kind" text NOT NULL, "authority_id" uuid NOT NULL, "actor_label" text NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "procedure_steps_body_length" CHECK (char_length("body") BETWEEN 1 AND 20000), CONSTRAINT "procedure_steps_kind_known" CHECK ("kind" IN ('reply', 'draft_decision', 'revised_draft_decision', 'objection', 'decision', 'transmission', 'extension')), CONSTRAINT "PK_78ec04e53a1e71dd42b2cd452fd" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE UNIQUE INDEX "procedure_steps_order" ON "procedure_steps"  ("procedure_id", "seq") `);
    await runner.query(
      `CREATE TABLE "procedure_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "procedure_id" uuid NOT NULL, "authority_id" uuid NOT NULL, "actor_label" text NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "procedure_messages_body_length" CHECK (char_length("body") BETWEEN 1 AND 20000), CONSTRAINT "PK_c2547814b65524be6f53d81d0ff" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `CREATE INDEX "procedure_messages_order" ON "procedure_messages"  ("procedure_id", "created_at") `,
    );
    await runner.query(
      `CREATE TABLE "procedure_deadlines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "procedure_id" uuid NOT NULL, "step_id" uuid, "authority_id" uuid NOT NULL, "kind" text NOT NULL, "label" text NOT NULL, "legal_basis" text NOT NULL, "met_by" text, "on_expiry" text NOT NULL, "event_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_date" date NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "explanation" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'pending', "settled_at" TIMESTAMP WITH TIME ZONE, "reminded_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "procedure_deadlines_status_known" CHECK ("status" IN ('pending', 'met', 'missed', 'lapsed', 'superseded')), CONSTRAINT "PK_a2ab9fc8d26aa5ad9e5061cc48d" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "procedure_deadlines_procedure" ON "procedure_deadlines"  ("procedure_id") `);
    await runner.query(`CREATE INDEX "procedure_deadlines_open" ON "procedure_deadlines"  ("status", "due_at") `);
    await runner.query(
      `CREATE TABLE "case_answer_sharing" ("case_id" uuid NOT NULL, "authority_id" uuid NOT NULL, "shared" boolean NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "changed_by" text NOT NULL, CONSTRAINT "PK_588ede390561d41027c62aef1b9" PRIMARY KEY ("case_id"))`,
    );
    await runner.query(
      `CREATE TABLE "answer_inconsistencies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "authority_id" uuid NOT NULL, "topic" text NOT NULL, "other_authority_id" uuid NOT NULL, "note" text NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "answer_inconsistencies_note_length" CHECK (char_length("note") BETWEEN 1 AND 2000), CONSTRAINT "PK_de847ffd220e867b66f59440839" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `CREATE INDEX "answer_inconsistencies_organisation" ON "answer_inconsistencies"  ("organisation_id", "topic") `,
    );
    await runner.query(
      `ALTER TABLE "procedures" ADD CONSTRAINT "FK_e5de1ed922ff7359c987a0479cb" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "procedures" ADD CONSTRAINT "FK_e6cddb38a748dcecd3f0c2d469a" FOREIGN KEY ("initiating_authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "procedure_participants" ADD CONSTRAINT "FK_c48698b74dfaf9e2b141933973a" FOREIGN KEY ("procedure_id") REFERENCES "procedures"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "procedure_participants" ADD CONSTRAINT "FK_3144dac1bae4fc095cc0a95ab1b" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "procedure_participants" ADD CONSTRAINT "FK_7e306744f263a2c932cb9e0d73d" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "procedure_steps" ADD CONSTRAINT "FK_bd927e7767348c08a2f9ad62580" FOREIGN KEY ("procedure_id") REFERENCES "procedures"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "procedure_messages" ADD CONSTRAINT "FK_bc55ecd85c6896965d897e2632e" FOREIGN KEY ("procedure_id") REFERENCES "procedures"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "procedure_deadlines" ADD CONSTRAINT "FK_03cf8fadd67e3c12c33cef655ca" FOREIGN KEY ("procedure_id") REFERENCES "procedures"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "case_answer_sharing" ADD CONSTRAINT "FK_588ede390561d41027c62aef1b9" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "answer_inconsistencies"`);
    await runner.query(`DROP TABLE "case_answer_sharing"`);
    await runner.query(`DROP TABLE "procedure_deadlines"`);
    await runner.query(`DROP TABLE "procedure_messages"`);
    await runner.query(`DROP TABLE "procedure_steps"`);
    await runner.query(`DROP TABLE "procedure_participants"`);
    await runner.query(`DROP TABLE "procedure_reference_counters"`);
    await runner.query(`DROP TABLE "procedures"`);
  }
}
