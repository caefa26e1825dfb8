import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An outcome's decision letter (libs/documents). */
export class OutcomeDocuments1764000018310 implements MigrationInterface {
  name = 'OutcomeDocuments1764000018310';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "outcomes" ADD "document_id" uuid`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "outcomes" DROP COLUMN "document_id"`);
  }
}
