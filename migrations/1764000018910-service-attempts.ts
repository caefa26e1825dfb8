import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Attempts to serve an organisation without a representative where the authority sits (libs/cooperation). */
export class ServiceAttempts1764000018910 implements MigrationInterface {
  name = 'ServiceAttempts1764000018910';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts) ----
    await runner.query(
      `CREATE TABLE "service_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "case_id" uuid NOT NULL, "route" text NOT NULL, "recipient" text NOT NULL, "detail" text, "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "served_from" date NOT NULL, "recorded_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "service_attempts_recipient_length" CHECK (char_length("recipient") BETWEEN 1 AND 300), CONSTRAINT "service_attempts_route_known" CHECK ("route" IN ('representative', 'parent_company', 'other_representative', 'app_store', 'hosting_provider', 'publication', 'other')), CONSTRAINT "PK_df3e95bfb8d613658c45e7f20a5" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "service_attempts_case" ON "service_attempts"  ("case_id", "attempted_at") `);
    await runner.query(
      `ALTER TABLE "service_attempts" ADD CONSTRAINT "FK_4b01f4f57756e921e059d1a99cc" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "service_attempts"`);
  }
}
