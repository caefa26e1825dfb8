import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyset pages of the outbox (issue 19): the authority's messages newest first, read from the index in order rather
 * than sorted out of every message the authority ever sent.
 */
export class ListIndexes1764000020500 implements MigrationInterface {
  name = 'ListIndexes1764000020500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX "outbound_messages_authority_created" ON "outbound_messages" ("authority_id", "created_at", "id")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "outbound_messages_authority_created"`);
  }
}
