import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which public-holiday data a procedure clock and a joint deadline were counted with, so that a release with other
 * holiday data counts them again (as the deadlines engine does with its own). Rows from before stay NULL: counted
 * again at the first pass.
 */
export class CooperationHolidayData1764000030300 implements MigrationInterface {
  name = 'CooperationHolidayData1764000030300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "procedure_deadlines" ADD "holiday_data_version" text`);
    await runner.query(`ALTER TABLE "joint_deadlines" ADD "holiday_data_version" text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "joint_deadlines" DROP COLUMN "holiday_data_version"`);
    await runner.query(`ALTER TABLE "procedure_deadlines" DROP COLUMN "holiday_data_version"`);
  }
}
