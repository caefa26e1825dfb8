import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An authority's own questions beside the shared bank (AuthorityQuestion in libs/correspondence), a row a version. */
export class AuthorityQuestions1764000018600 implements MigrationInterface {
  name = 'AuthorityQuestions1764000018600';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE "authority_questions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "question_id" text NOT NULL, "version" integer NOT NULL, "topic" text NOT NULL, "text" jsonb NOT NULL, "retired" boolean NOT NULL DEFAULT false, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "authority_questions_pkey" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX "authority_questions_id_version" ON "authority_questions" ("authority_id", "question_id", "version")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "authority_questions"`);
  }
}
