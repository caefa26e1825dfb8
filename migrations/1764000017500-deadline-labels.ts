import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Response deadlines were labelled with the template's key ("Response to the ai-inquiry letter"); they are
 * now named by the inquiry's local date (libs/deadlines responseDeadlineLabel). Relabels those already set.
 */
export class DeadlineLabels1764000017500 implements MigrationInterface {
  name = 'DeadlineLabels1764000017500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `UPDATE "deadlines" d SET "label" = 'Response to the inquiry of ' || to_char(d."event_at" AT TIME ZONE a."timezone", 'YYYY-MM-DD')
       FROM "authorities" a
       WHERE a."id" = d."authority_id" AND d."kind" = 'response' AND d."label" ~ '^Response to the .+ letter$'`,
    );
  }

  async down(): Promise<void> {
    // The template keys are not kept: the labels stay as they are.
  }
}
