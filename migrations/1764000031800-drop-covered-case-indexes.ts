import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops cases_authority_status and cases_authority_assignee: since migration 1764000031100 the indexes on (authority,
 * status, next due, id) and (authority, assignee, next due, id) begin with the same columns, and EXPLAIN of the case
 * lists (every filter and order), My work and the dashboard at 200,000 cases chose them or another index before and
 * after the drop. Each case written no longer updates two indexes that no read needs.
 */
export class DropCoveredCaseIndexes1764000031800 implements MigrationInterface {
  name = 'DropCoveredCaseIndexes1764000031800';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "cases_authority_status"`);
    await runner.query(`DROP INDEX "cases_authority_assignee"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX "cases_authority_assignee" ON "cases" ("authority_id", "assignee_id")`);
    await runner.query(`CREATE INDEX "cases_authority_status" ON "cases" ("authority_id", "status")`);
  }
}
