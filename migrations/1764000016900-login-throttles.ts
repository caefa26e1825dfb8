import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Wrong passwords per account, shared by every API process (libs/identity LoginThrottle). */
export class LoginThrottles1764000016900 implements MigrationInterface {
  name = 'LoginThrottles1764000016900';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts) ----
    await runner.query(
      `CREATE TABLE "login_throttles" ("email" text NOT NULL, "failures" integer NOT NULL, "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, "notified_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f68410cc6124d967bf665a1b81d" PRIMARY KEY ("email"))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "login_throttles"`);
  }
}
