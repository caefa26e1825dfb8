import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outgoing mail that the server does not take for now waits (`waiting`, `next_attempt_at`) instead of failing;
 * recipients refused while others took a message are split off (`parent_id`, `envelope_to`); `accepted` and
 * `refused` record who got it; `handed_at` and `resends` count messages handed over again after an unknown outcome.
 */
export class MailRetries1764000018800 implements MigrationInterface {
  name = 'MailRetries1764000018800';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE "outbound_messages"
         ADD COLUMN "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         ADD COLUMN "waiting_since" TIMESTAMP WITH TIME ZONE,
         ADD COLUMN "parent_id" uuid,
         ADD COLUMN "envelope_to" text array,
         ADD COLUMN "accepted" text array NOT NULL DEFAULT '{}',
         ADD COLUMN "refused" text array NOT NULL DEFAULT '{}',
         ADD COLUMN "handed_at" TIMESTAMP WITH TIME ZONE,
         ADD COLUMN "resends" integer NOT NULL DEFAULT 0`,
    );
    await runner.query(`UPDATE "outbound_messages" SET "next_attempt_at" = "created_at" WHERE "status" = 'queued'`);
    await runner.query(
      `CREATE INDEX "outbound_messages_pending" ON "outbound_messages" ("next_attempt_at") WHERE "status" IN ('queued', 'waiting')`,
    );
    await runner.query(
      `CREATE INDEX "outbound_messages_resent" ON "outbound_messages" ("resends") WHERE "resends" > 0`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "outbound_messages_resent"`);
    await runner.query(`DROP INDEX "outbound_messages_pending"`);
    await runner.query(`UPDATE "outbound_messages" SET "status" = 'queued' WHERE "status" = 'waiting'`);
    await runner.query(
      `ALTER TABLE "outbound_messages" DROP COLUMN "next_attempt_at", DROP COLUMN "waiting_since", DROP COLUMN "parent_id",
         DROP COLUMN "envelope_to", DROP COLUMN "accepted", DROP COLUMN "refused", DROP COLUMN "handed_at", DROP COLUMN "resends"`,
    );
  }
}
