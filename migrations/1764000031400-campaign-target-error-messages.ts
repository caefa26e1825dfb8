import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A campaign target's failure as a catalogue message beside its English text: `error_code` (the catalogue key) and
 * `error_params`, so the campaign page shows it in the reader's language. Rows failed before keep their text only.
 */
export class CampaignTargetErrorMessages1764000031400 implements MigrationInterface {
  name = 'CampaignTargetErrorMessages1764000031400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "campaign_targets" ADD "error_code" text`);
    await runner.query(`ALTER TABLE "campaign_targets" ADD "error_params" jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "campaign_targets" DROP COLUMN "error_params"`);
    await runner.query(`ALTER TABLE "campaign_targets" DROP COLUMN "error_code"`);
  }
}
