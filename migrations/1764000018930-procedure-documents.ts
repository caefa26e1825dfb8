import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Documents an authority shares into a cooperation procedure (libs/cooperation). */
export class ProcedureDocuments1764000018930 implements MigrationInterface {
  name = 'ProcedureDocuments1764000018930';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts) ----
    await runner.query(
      `CREATE TABLE "procedure_documents" ("procedure_id" uuid NOT NULL, "document_id" uuid NOT NULL, "authority_id" uuid NOT NULL, "shared_by" text NOT NULL, "shared_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_338fc9861538701a65bde3ccfd5" PRIMARY KEY ("procedure_id", "document_id"))`,
    );
    await runner.query(
      `ALTER TABLE "procedure_documents" ADD CONSTRAINT "FK_be73b597acf0f9d8ff0cadcf82a" FOREIGN KEY ("procedure_id") REFERENCES "procedures"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "procedure_documents" ADD CONSTRAINT "FK_23007b0efe8f64582b4e9bdcdc6" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "procedure_documents"`);
  }
}
