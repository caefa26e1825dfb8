import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Single sign-on per authority: claim-to-role mapping, users created at first sign-in, SSO-only authorities. */
export class SsoRolesProvisioning1764000020700 implements MigrationInterface {
  name = 'SsoRolesProvisioning1764000020700';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE "authority_oidc_settings" ADD "role_claim" text, ADD "role_map" jsonb NOT NULL DEFAULT '{}', ADD "default_role" text, ADD "provisioning" text NOT NULL DEFAULT 'existing', ADD "sso_only" boolean NOT NULL DEFAULT false`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE "authority_oidc_settings" DROP COLUMN "sso_only", DROP COLUMN "provisioning", DROP COLUMN "default_role", DROP COLUMN "role_map", DROP COLUMN "role_claim"`,
    );
  }
}
