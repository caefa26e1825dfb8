import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments on outgoing letters (libs/documents): staff add files to a case's documents (kind `case_file`, not
 * issued, scanned on entry: the verdict is kept on the row) and enclose case documents with an inquiry or a decision
 * letter; the inquiry and the outcome keep the list of what travelled with the letter, as sent.
 */
export class OutgoingAttachments1764000030400 implements MigrationInterface {
  name = 'OutgoingAttachments1764000030400';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts) ----
    // Adding columns fires no row trigger: issued documents stay untouched (their scan reads not_applicable).
    await runner.query(`ALTER TABLE "documents" ADD "scan_status" text NOT NULL DEFAULT 'not_applicable'`);
    await runner.query(`ALTER TABLE "documents" ADD "scan_detail" text`);
    await runner.query(`ALTER TABLE "documents" ADD "scanned_at" TIMESTAMP WITH TIME ZONE`);
    await runner.query(`ALTER TABLE "inquiries" ADD "attachments" jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(`ALTER TABLE "outcomes" ADD "attachments" jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(
      `ALTER TABLE "documents" ADD CONSTRAINT "documents_scan_status_known" CHECK ("scan_status" IN ('not_applicable', 'clean', 'infected', 'not_scanned'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "documents" DROP CONSTRAINT "documents_scan_status_known"`);
    await runner.query(`ALTER TABLE "outcomes" DROP COLUMN "attachments"`);
    await runner.query(`ALTER TABLE "inquiries" DROP COLUMN "attachments"`);
    await runner.query(`ALTER TABLE "documents" DROP COLUMN "scanned_at"`);
    await runner.query(`ALTER TABLE "documents" DROP COLUMN "scan_detail"`);
    await runner.query(`ALTER TABLE "documents" DROP COLUMN "scan_status"`);
  }
}
