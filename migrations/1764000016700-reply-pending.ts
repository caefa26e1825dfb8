import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reply by e-mail awaiting staff's assessment holds the chasers to the respondent (libs/deadlines): the deadline
 * records since when a reply awaits; its held reminders have the status `held` (no queue job until released).
 */
export class ReplyPending1764000016700 implements MigrationInterface {
  name = 'ReplyPending1764000016700';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "deadlines" ADD "reply_pending_since" TIMESTAMP WITH TIME ZONE`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`UPDATE "reminders" SET "status" = 'scheduled', "note" = NULL WHERE "status" = 'held'`);
    await runner.query(`ALTER TABLE "deadlines" DROP COLUMN "reply_pending_since"`);
  }
}
