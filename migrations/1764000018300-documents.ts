import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Formal documents (libs/documents): issued PDFs by SHA-256, immutable once issued (a trigger refuses UPDATE,
 * DELETE and TRUNCATE, as for the audit trail); authority letterheads, one row per version; outgoing mail's
 * attachments; an inquiry's document.
 */
export class Documents1764000018300 implements MigrationInterface {
  name = 'Documents1764000018300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE "documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "case_id" uuid, "kind" text NOT NULL, "title" text NOT NULL, "locale" text NOT NULL, "sha256" character(64) NOT NULL, "size" integer NOT NULL, "media_type" text NOT NULL DEFAULT 'application/pdf', "filename" text NOT NULL, "reference" text NOT NULL, "issue_key" text NOT NULL, "issued" boolean NOT NULL DEFAULT true, "signed" boolean NOT NULL DEFAULT false, "letterhead_version" integer, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_dc1c55f395185a67aeb9a2cee5e" UNIQUE ("issue_key"), CONSTRAINT "documents_size_positive" CHECK ("size" > 0), CONSTRAINT "documents_sha256_hex" CHECK ("sha256" ~ '^[0-9a-f]{64}$'), CONSTRAINT "PK_ac51aa5181ee2036f5ca482857c" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "documents_sha256" ON "documents"  ("sha256") `);
    await runner.query(`CREATE INDEX "documents_case" ON "documents"  ("authority_id", "case_id", "created_at") `);
    await runner.query(
      `CREATE TABLE "letterheads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "version" integer NOT NULL, "name" text NOT NULL, "address" text, "reference_label" text, "signatory_name" text, "signatory_title" text, "logo" bytea, "logo_type" text, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "letterheads_version" UNIQUE ("authority_id", "version"), CONSTRAINT "PK_5c311a586c089dc4f93c852cdc1" PRIMARY KEY ("id"))`,
    );
    await runner.query(`ALTER TABLE "outbound_messages" ADD "attachments" jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(`ALTER TABLE "inquiries" ADD "document_id" uuid`);
    await runner.query(
      `ALTER TABLE "documents" ADD CONSTRAINT "FK_c0d8cf6556f04f8b25857192c0f" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "documents" ADD CONSTRAINT "FK_a415239138695edf2df57a37737" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "letterheads" ADD CONSTRAINT "FK_5b0c5673bc294cad42e8c452f71" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // An issued document is evidence: what was sent stays as it was sent.
    await runner.query(`CREATE FUNCTION documents_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN RAISE EXCEPTION 'documents: issued documents cannot be changed (TRUNCATE refused)'; END IF;
        IF OLD."issued" THEN
          RAISE EXCEPTION 'document % was issued and cannot be changed (% refused)', OLD."id", TG_OP;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`);
    await runner.query(
      `CREATE TRIGGER documents_issued_no_change BEFORE UPDATE OR DELETE ON "documents" FOR EACH ROW EXECUTE FUNCTION documents_issued_immutable()`,
    );
    await runner.query(
      `CREATE TRIGGER documents_no_truncate BEFORE TRUNCATE ON "documents" FOR EACH STATEMENT EXECUTE FUNCTION documents_issued_immutable()`,
    );
    // Letterhead versions are history, as template versions are.
    await runner.query(`CREATE FUNCTION letterheads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'letterheads: a saved version cannot be changed (% refused)', TG_OP; END $$`);
    await runner.query(
      `CREATE TRIGGER letterheads_no_change BEFORE UPDATE OR DELETE ON "letterheads" FOR EACH ROW EXECUTE FUNCTION letterheads_append_only()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER letterheads_no_change ON "letterheads"`);
    await runner.query(`DROP FUNCTION letterheads_append_only()`);
    await runner.query(`DROP TRIGGER documents_no_truncate ON "documents"`);
    await runner.query(`DROP TRIGGER documents_issued_no_change ON "documents"`);
    await runner.query(`DROP FUNCTION documents_issued_immutable()`);
    await runner.query(`ALTER TABLE "inquiries" DROP COLUMN "document_id"`);
    await runner.query(`ALTER TABLE "outbound_messages" DROP COLUMN "attachments"`);
    await runner.query(`DROP TABLE "letterheads"`);
    await runner.query(`DROP TABLE "documents"`);
  }
}
