import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Password-reset links (libs/identity): single use, expiring, only the token's SHA-256 is stored. */
export class UserLifecycle1764000016100 implements MigrationInterface {
  name = 'UserLifecycle1764000016100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "password_resets" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "token_hash" character(64) NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "withdrawn_at" TIMESTAMP WITH TIME ZONE,
        "requested_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_password_resets" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_password_resets_token_hash" UNIQUE ("token_hash"),
        CONSTRAINT "FK_f7a4c3bc48f24df007936d217be" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await runner.query(`CREATE INDEX "password_resets_user" ON "password_resets" ("user_id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "password_resets"`);
  }
}
