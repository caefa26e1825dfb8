import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's counters folded apart from the log of deltas the triggers append (`dashboard_counters`): one row per
 * counter in `dashboard_totals`, so that the dashboard reads the counters it shows (a few dozen rows, the organisations
 * through their ranking) instead of summing every counter of the authority (4,000 rows with 2,000 organisations). The
 * log as it stands is folded in: one statement, so a delta appended meanwhile stays in the log, counted once.
 */
export class DashboardTotals1764000031750 implements MigrationInterface {
  name = 'DashboardTotals1764000031750';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "dashboard_totals" (
      "authority_id" uuid NOT NULL,
      "metric" text NOT NULL,
      "key" text NOT NULL,
      "value" bigint NOT NULL,
      CONSTRAINT "dashboard_totals_pkey" PRIMARY KEY ("authority_id", "metric", "key"))`);
    await runner.query(
      `CREATE INDEX "dashboard_totals_ranking" ON "dashboard_totals" ("authority_id", "metric", "value")`,
    );
    await runner.query(`
      WITH gone AS (DELETE FROM dashboard_counters RETURNING authority_id, metric, key, delta)
      INSERT INTO dashboard_totals (authority_id, metric, key, value)
      SELECT authority_id, metric, key, sum(delta) FROM gone GROUP BY 1, 2, 3 HAVING sum(delta) <> 0`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `INSERT INTO dashboard_counters (authority_id, metric, key, delta) SELECT authority_id, metric, key, value FROM dashboard_totals`,
    );
    await runner.query(`DROP TABLE "dashboard_totals"`);
  }
}
