import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The malware scan's verdict on each response attachment (libs/scanning). Files kept before scanning existed read
 * "not scanned", with the reason, rather than pretending to be clean.
 */
export class AttachmentScans1764000018920 implements MigrationInterface {
  name = 'AttachmentScans1764000018920';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts) ----
    await runner.query(`ALTER TABLE "attachments" ADD "scan_status" text NOT NULL DEFAULT 'not_scanned'`);
    await runner.query(`ALTER TABLE "attachments" ADD "scan_detail" text`);
    await runner.query(`ALTER TABLE "attachments" ADD "scanned_at" TIMESTAMP WITH TIME ZONE`);
    await runner.query(
      `ALTER TABLE "attachments" ADD CONSTRAINT "attachments_scan_status_known" CHECK ("scan_status" IN ('clean', 'infected', 'not_scanned'))`,
    );
    // ---- by hand ----
    await runner.query(
      `UPDATE "attachments" SET "scan_detail" = 'kept before malware scanning was in place' WHERE "scan_status" = 'not_scanned'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "attachments" DROP CONSTRAINT "attachments_scan_status_known"`);
    await runner.query(`ALTER TABLE "attachments" DROP COLUMN "scanned_at"`);
    await runner.query(`ALTER TABLE "attachments" DROP COLUMN "scan_detail"`);
    await runner.query(`ALTER TABLE "attachments" DROP COLUMN "scan_status"`);
  }
}
