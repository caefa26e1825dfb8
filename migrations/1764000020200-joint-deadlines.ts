import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Joint due instants stored on a cooperation procedure, re-aligned when a participant's closure days move them. */
export class JointDeadlines1764000020200 implements MigrationInterface {
  name = 'JointDeadlines1764000020200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE "joint_deadlines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "procedure_id" uuid NOT NULL, "label" text NOT NULL, "start" text NOT NULL, "count" integer NOT NULL, "unit" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "per_authority" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'aligned', "proposed_due_at" TIMESTAMP WITH TIME ZONE, "changes" jsonb NOT NULL DEFAULT '[]', "moves" jsonb NOT NULL DEFAULT '[]', "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "joint_deadlines_status_known" CHECK ("status" IN ('aligned', 'affected')), CONSTRAINT "PK_joint_deadlines" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "joint_deadlines_procedure" ON "joint_deadlines" ("procedure_id") `);
    await runner.query(
      `ALTER TABLE "joint_deadlines" ADD CONSTRAINT "FK_d097f7b42a2f464d398bbd886c5" FOREIGN KEY ("procedure_id") REFERENCES "procedures"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "joint_deadlines"`);
  }
}
