import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Saved views of the case and deadline lists (a user's, or shared with the authority) and the import keys of cases
 * brought in from an authority's CSV, so that an import run again finds its cases instead of opening them twice.
 */
export class Casework1764000020600 implements MigrationInterface {
  name = 'Casework1764000020600';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE "saved_views" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "owner_id" uuid NOT NULL, "name" text NOT NULL, "list" text NOT NULL, "query" jsonb NOT NULL, "shared" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "saved_views_list_known" CHECK ("list" IN ('cases', 'deadlines')), CONSTRAINT "saved_views_pkey" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "saved_views_authority_owner" ON "saved_views" ("authority_id", "owner_id")`);
    await runner.query(
      `CREATE TABLE "case_imports" ("authority_id" uuid NOT NULL, "import_key" text NOT NULL, "case_id" uuid NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "case_imports_pkey" PRIMARY KEY ("authority_id", "import_key"))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "case_imports"`);
    await runner.query(`DROP TABLE "saved_views"`);
  }
}
