import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Campaigns: one inquiry sent to many organisations, and the progress of each (libs/campaigns). */
export class Campaigns1764000006000 implements MigrationInterface {
  name = 'Campaigns1764000006000';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts) ----
    await runner.query(
      `CREATE TABLE "campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "title" text NOT NULL, "template_key" text NOT NULL, "template_version" integer NOT NULL, "locale" text, "question_ids" text array NOT NULL, "deadline" jsonb NOT NULL, "reminders" jsonb NOT NULL, "case_defaults" jsonb NOT NULL, "created_by_id" uuid, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_831e3fcd4fc45b4e4c3f57a9ee4" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "campaigns_authority_created" ON "campaigns"  ("authority_id", "created_at") `);
    await runner.query(
      `CREATE TABLE "campaign_targets" ("campaign_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "authority_id" uuid NOT NULL, "position" integer NOT NULL, "case_id" uuid, "attached_to_existing" boolean NOT NULL DEFAULT false, "inquiry_id" uuid, "status" text NOT NULL DEFAULT 'pending', "error" text, "attempt" integer NOT NULL DEFAULT '1', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "campaign_targets_status_known" CHECK ("status" IN ('pending', 'queued', 'sent', 'failed', 'answered')), CONSTRAINT "PK_f82495f45eb0b9034361be5de98" PRIMARY KEY ("campaign_id", "organisation_id"))`,
    );
    await runner.query(`CREATE INDEX "campaign_targets_inquiry" ON "campaign_targets"  ("inquiry_id") `);
    await runner.query(
      `ALTER TABLE "campaign_targets" ADD CONSTRAINT "FK_9b5f8e7c0e911318a171edddb86" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "campaign_targets"`);
    await runner.query(`DROP TABLE "campaigns"`);
  }
}
