import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Second factor (TOTP secrets sealed on users, recovery codes, sign-in challenges, an authority's requirement,
 * enrolment-only tokens) and each authority's OpenID Connect provider (libs/identity).
 */
export class SecondFactorSso1764000018100 implements MigrationInterface {
  name = 'SecondFactorSso1764000018100';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts) ----
    await runner.query(
      `CREATE TABLE "recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hash" character(64) NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0723b9e53961e799027d7f7ba32" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "recovery_codes_user" ON "recovery_codes"  ("user_id") `);
    await runner.query(
      `CREATE TABLE "sign_in_challenges" ("token_hash" character(64) NOT NULL, "user_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_0b592d23b431d52c753feec384c" PRIMARY KEY ("token_hash"))`,
    );
    await runner.query(`CREATE INDEX "sign_in_challenges_user" ON "sign_in_challenges"  ("user_id") `);
    await runner.query(
      `CREATE TABLE "authority_oidc_settings" ("authority_id" uuid NOT NULL, "issuer" text NOT NULL, "client_id" text NOT NULL, "client_secret" text, "email_claim" text NOT NULL DEFAULT 'email', "email_domains" text array NOT NULL DEFAULT '{}', "label" text NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_66de775a8889ed1ed1a68a982ef" PRIMARY KEY ("authority_id"))`,
    );
    await runner.query(`ALTER TABLE "authorities" ADD "second_factor_required" boolean NOT NULL DEFAULT false`);
    await runner.query(`ALTER TABLE "users" ADD "totp_secret" text`);
    await runner.query(`ALTER TABLE "users" ADD "totp_pending_secret" text`);
    await runner.query(`ALTER TABLE "users" ADD "totp_enabled_at" TIMESTAMP WITH TIME ZONE`);
    await runner.query(`ALTER TABLE "users" ADD "totp_last_step" bigint`);
    await runner.query(`ALTER TABLE "access_tokens" ADD "enrolment_only" boolean NOT NULL DEFAULT false`);
    await runner.query(
      `ALTER TABLE "recovery_codes" ADD CONSTRAINT "FK_fb82b2ac740ca095b617afad031" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "sign_in_challenges" ADD CONSTRAINT "FK_45e4c7c3d74ec916c3e89ba499b" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "authority_oidc_settings" ADD CONSTRAINT "FK_66de775a8889ed1ed1a68a982ef" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "authority_oidc_settings"`);
    await runner.query(`DROP TABLE "sign_in_challenges"`);
    await runner.query(`DROP TABLE "recovery_codes"`);
    await runner.query(`ALTER TABLE "access_tokens" DROP COLUMN "enrolment_only"`);
    await runner.query(
      `ALTER TABLE "users" DROP COLUMN "totp_last_step", DROP COLUMN "totp_enabled_at", DROP COLUMN "totp_pending_secret", DROP COLUMN "totp_secret"`,
    );
    await runner.query(`ALTER TABLE "authorities" DROP COLUMN "second_factor_required"`);
  }
}
