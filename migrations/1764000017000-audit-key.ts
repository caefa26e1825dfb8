import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain is keyed (HMAC-SHA256 with a key kept out of the database). Entries written before
 * are marked unkeyed legacy: they keep verifying with plain SHA-256, and the application seals each such
 * chain at its next start with a keyed entry (audit.key_introduced) that covers their last hash. Adding
 * the column with a default rewrites no row, so the append-only trigger does not fire; the default is
 * then dropped so that every later entry says what it is (an older process still appending fails).
 */
export class AuditKey1764000017000 implements MigrationInterface {
  name = 'AuditKey1764000017000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "audit_events" ADD COLUMN "keyed" boolean NOT NULL DEFAULT false`);
    await runner.query(`ALTER TABLE "audit_events" ALTER COLUMN "keyed" DROP DEFAULT`);
    await runner.query(`ALTER TABLE "audit_heads" ADD COLUMN "key_id" text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "audit_heads" DROP COLUMN "key_id"`);
    await runner.query(`ALTER TABLE "audit_events" DROP COLUMN "keyed"`);
  }
}
