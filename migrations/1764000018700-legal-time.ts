import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Legal time (issue 21): every deadline names the rule set it was counted under and the holiday data it was computed
 * with (null for those computed before: the maintenance step recomputes them against the current data and records any
 * move); an authority may set a receipt cut-off (local HH:mm).
 */
export class LegalTime1764000018700 implements MigrationInterface {
  name = 'LegalTime1764000018700';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "deadlines" ADD COLUMN "rule_set" text NOT NULL DEFAULT 'national'`);
    await runner.query(`ALTER TABLE "deadlines" ADD COLUMN "holiday_data_version" text`);
    await runner.query(`ALTER TABLE "authorities" ADD COLUMN "receipt_cutoff" text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "authorities" DROP COLUMN "receipt_cutoff"`);
    await runner.query(`ALTER TABLE "deadlines" DROP COLUMN "holiday_data_version"`);
    await runner.query(`ALTER TABLE "deadlines" DROP COLUMN "rule_set"`);
  }
}
