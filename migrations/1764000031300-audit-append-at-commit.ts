import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit entries are chained when their transaction commits, in one message with the COMMIT when the process knows
 * where the authority's head is (libs/audit, AuditService.appendAndCommit). The statement moves a head only from the
 * position its entries were linked from; anywhere else it calls this function, which fails the statement (SQLSTATE
 * DK001) so that the append is done again from the head read under its lock. Nothing is written by it.
 */
export class AuditAppendAtCommit1764000031300 implements MigrationInterface {
  name = 'AuditAppendAtCommit1764000031300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE FUNCTION audit_chain_moved(authority uuid) RETURNS bigint LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit chain of authority % is not where this append expected its head', authority
          USING ERRCODE = 'DK001';
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP FUNCTION audit_chain_moved(uuid)`);
  }
}
