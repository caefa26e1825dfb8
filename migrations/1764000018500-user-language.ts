import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each user reads the pages in a language of their own (issue 20): en, it, ko, ja, fr, de or nl. Existing users
 * get their authority's language (its letters' locale, `it-IT` → `it`), English where Docket has no catalogue for
 * it and for the sysadmin.
 */
export class UserLanguage1764000018500 implements MigrationInterface {
  name = 'UserLanguage1764000018500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "users" ADD COLUMN "language" text`);
    await runner.query(
      `UPDATE "users" u SET "language" = lower(split_part(a."locale", '-', 1))
       FROM "authorities" a
       WHERE a."id" = u."authority_id" AND lower(split_part(a."locale", '-', 1)) IN ('en', 'it', 'ko', 'ja', 'fr', 'de', 'nl')`,
    );
    await runner.query(`UPDATE "users" SET "language" = 'en' WHERE "language" IS NULL`);
    await runner.query(
      `ALTER TABLE "users" ALTER COLUMN "language" SET DEFAULT 'en', ALTER COLUMN "language" SET NOT NULL,
       ADD CONSTRAINT "users_language" CHECK ("language" IN ('en', 'it', 'ko', 'ja', 'fr', 'de', 'nl'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "users" DROP COLUMN "language"`);
  }
}
