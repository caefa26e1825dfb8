import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How each token or web session was obtained: by a password (and second factor) or through the authority's single
 * sign-on. Switching an authority to single sign-on only ends its users' password-based sessions and tokens at once.
 * Tokens issued before this migration cannot be told apart and count as password-based: at such a switch their users
 * sign in again through the provider, which is the safe side.
 */
export class TokenSignIn1764000030500 implements MigrationInterface {
  name = 'TokenSignIn1764000030500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE "access_tokens" ADD "signed_in_by" text NOT NULL DEFAULT 'password' CONSTRAINT "access_tokens_signed_in_by" CHECK ("signed_in_by" IN ('password', 'sso'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "access_tokens" DROP COLUMN "signed_in_by"`);
  }
}
