import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deadlines with their history and reminders, closure days, outbound mail, inquiries and template versions. */
export class DeadlinesCorrespondence1764000002000 implements MigrationInterface {
  name = 'DeadlinesCorrespondence1764000002000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE "authority_closures" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "date" date NOT NULL, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_77b70961eae61bf3071dcb9236e" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX "authority_closures_day" ON "authority_closures"  ("authority_id", "date")`,
    );
    await runner.query(
      `CREATE TABLE "deadlines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "case_id" uuid NOT NULL, "inquiry_id" uuid, "kind" text NOT NULL, "label" text NOT NULL, "event_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rule" jsonb NOT NULL, "adjustments" jsonb NOT NULL DEFAULT '[]', "due_date" date NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "explanation" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'pending', "suspended_at" TIMESTAMP WITH TIME ZONE, "suspend_reason" text, "settled_at" TIMESTAMP WITH TIME ZONE, "reminder_plan" jsonb NOT NULL DEFAULT '[]', "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a9b8551c028a78298641a8e3470" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "deadlines_case" ON "deadlines"  ("case_id")`);
    await runner.query(`CREATE INDEX "deadlines_authority_due" ON "deadlines"  ("authority_id", "due_at")`);
    await runner.query(
      `CREATE INDEX "deadlines_authority_status_due" ON "deadlines"  ("authority_id", "status", "due_at")`,
    );
    await runner.query(
      `CREATE TABLE "deadline_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "deadline_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "action" text NOT NULL, "actor_label" text NOT NULL, "reason" text, "previous_due_at" TIMESTAMP WITH TIME ZONE, "due_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_454e8eb5a8da91cc48d7962bd11" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "deadline_events_deadline" ON "deadline_events"  ("deadline_id", "at")`);
    await runner.query(
      `CREATE TABLE "reminders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "deadline_id" uuid NOT NULL, "offset" text NOT NULL, "audience" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "fire_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'scheduled', "sent_at" TIMESTAMP WITH TIME ZONE, "outbound_message_id" uuid, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_38715fec7f634b72c6cf7ea4893" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "reminders_due" ON "reminders"  ("status", "fire_at")`);
    await runner.query(`CREATE INDEX "reminders_deadline" ON "reminders"  ("deadline_id")`);
    await runner.query(
      `CREATE TABLE "outbound_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "case_id" uuid, "kind" text NOT NULL, "dedupe_key" text NOT NULL, "to_addresses" text array NOT NULL, "cc_addresses" text array NOT NULL DEFAULT '{}', "reply_to" text, "subject" text NOT NULL, "html" text NOT NULL, "text" text NOT NULL, "status" text NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "message_id" text, "smtp_response" text, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_5210b42b2335951a620c677538e" UNIQUE ("dedupe_key"), CONSTRAINT "PK_0a03db3e2f04f9f33e6daa597ff" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "outbound_messages_case" ON "outbound_messages"  ("authority_id", "case_id")`);
    await runner.query(`CREATE INDEX "outbound_messages_status" ON "outbound_messages"  ("status", "created_at")`);
    await runner.query(
      `CREATE TABLE "inquiries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "case_id" uuid NOT NULL, "template_key" text NOT NULL, "template_version" integer NOT NULL, "locale" text NOT NULL, "to_addresses" text array NOT NULL, "cc_addresses" text array NOT NULL, "questions" jsonb NOT NULL, "subject" text NOT NULL, "html" text NOT NULL, "text" text NOT NULL, "reply_token" text NOT NULL, "reply_to" text NOT NULL, "status" text NOT NULL DEFAULT 'queued', "sent_at" TIMESTAMP WITH TIME ZONE, "message_id" text, "smtp_response" text, "last_error" text, "deadline_id" uuid, "outbound_message_id" uuid, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_e16efbeb1f29833ee81b3d98ca7" UNIQUE ("reply_token"), CONSTRAINT "PK_ceacaa439988b25eb9459e694d9" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "inquiries_case" ON "inquiries"  ("authority_id", "case_id", "created_at")`);
    await runner.query(
      `CREATE TABLE "template_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "key" text NOT NULL, "version" integer NOT NULL, "kind" text NOT NULL, "description" text NOT NULL, "sources" jsonb NOT NULL, "default_question_ids" text array NOT NULL, "default_reminders" jsonb NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cfc439255ca2725f4102c554d41" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX "template_versions_key_version" ON "template_versions"  ("authority_id", "key", "version")`,
    );
    await runner.query(
      `ALTER TABLE "authority_closures" ADD CONSTRAINT "FK_d936f47dac19e2f36c532689e89" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "deadlines" ADD CONSTRAINT "FK_e14a72431c2b5de785e6f2ea23f" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "deadline_events" ADD CONSTRAINT "FK_a6b74684390ece1585500d9f0c1" FOREIGN KEY ("deadline_id") REFERENCES "deadlines"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "reminders" ADD CONSTRAINT "FK_f242d97761ad67b881f8355344e" FOREIGN KEY ("deadline_id") REFERENCES "deadlines"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "inquiries" ADD CONSTRAINT "FK_a18615dfb41487a97c04a5cacaa" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'template_versions',
      'inquiries',
      'outbound_messages',
      'reminders',
      'deadline_events',
      'deadlines',
      'authority_closures',
    ]) {
      await runner.query(`DROP TABLE "${table}"`);
    }
  }
}
