import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Messages received by e-mail (libs/inbound), and the delivery notes (bounces, auto-replies) of inquiries. */
export class Inbound1764000005000 implements MigrationInterface {
  name = 'Inbound1764000005000';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts) ----
    await runner.query(
      `CREATE TABLE "inbound_messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid, "case_id" uuid, "inquiry_id" uuid, "status" text NOT NULL, "matched_by" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "envelope_from" text NOT NULL, "envelope_to" text array NOT NULL, "from_address" text NOT NULL, "subject" text NOT NULL, "message_id" text, "text_body" text NOT NULL, "html_body" text, "attachments" jsonb NOT NULL, "raw_sha256" text NOT NULL, "raw_size" integer NOT NULL, "response_id" uuid, "handled_by" text, "handled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_ded2b1f874c7e733813d4aa26bd" UNIQUE ("raw_sha256"), CONSTRAINT "PK_4f21d40ad47ab9702cb1ee64590" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "inbound_messages_case" ON "inbound_messages"  ("case_id") `);
    await runner.query(
      `CREATE INDEX "inbound_messages_authority_status" ON "inbound_messages"  ("authority_id", "status", "received_at") `,
    );
    await runner.query(`ALTER TABLE "inquiries" ADD "delivery_notes" jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "inquiries" DROP COLUMN "delivery_notes"`);
    await runner.query(`DROP TABLE "inbound_messages"`);
  }
}
