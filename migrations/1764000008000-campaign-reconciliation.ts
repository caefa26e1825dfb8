import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The targets the campaign reconciliation looks at every pass: those still pending, oldest first (libs/campaigns). */
export class CampaignReconciliation1764000008000 implements MigrationInterface {
  name = 'CampaignReconciliation1764000008000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX "campaign_targets_pending" ON "campaign_targets" ("updated_at") WHERE "status" = 'pending'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "campaign_targets_pending"`);
  }
}
