import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Identity (authorities, users, tokens) and the append-only audit chain. */
export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE "audit_events" ("id" BIGSERIAL NOT NULL, "authority_id" uuid NOT NULL, "seq" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" uuid, "actor_label" text NOT NULL, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" text NOT NULL, "case_id" uuid, "before" jsonb, "after" jsonb, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "audit_events_case" ON "audit_events"  ("case_id", "seq")`);
    await runner.query(`CREATE UNIQUE INDEX "audit_events_authority_seq" ON "audit_events"  ("authority_id", "seq")`);
    await runner.query(
      `CREATE TABLE "audit_heads" ("authority_id" uuid NOT NULL, "seq" bigint NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_0ba42657afc8b3d70f937d78af6" PRIMARY KEY ("authority_id"))`,
    );
    await runner.query(
      `CREATE TABLE "authorities" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "country" character(2) NOT NULL, "timezone" text NOT NULL, "locale" text NOT NULL, "holiday_region" text NOT NULL, "weekend_days" smallint array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_e8a96dffe7b1ab4e69862ccfc2a" UNIQUE ("code"), CONSTRAINT "PK_10bd95b9548629cdf02016dab65" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid, "email" text NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "password_hash" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "users_authority_role" ON "users"  ("authority_id", "role")`);
    await runner.query(
      `CREATE TABLE "access_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "kind" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_9bbf8c3c1a897742f78d50e729b" UNIQUE ("token_hash"), CONSTRAINT "PK_65140f59763ff994a0252488166" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "access_tokens_user" ON "access_tokens"  ("user_id")`);
    await runner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_45da59cb386f4cbc4aa8c1806f2" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "access_tokens" ADD CONSTRAINT "FK_09ee750a035b06e0c7f0704687e" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The audit trail is append-only: no role, the application's included, may change or remove an entry.
    // (A superuser can still disable triggers; the hash chain is what detects that.)
    await runner.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP; END $$`);
    await runner.query(
      `CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
    );
    await runner.query(
      `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "audit_heads"`);
    await runner.query(`DROP TABLE "audit_events"`);
    await runner.query(`DROP FUNCTION audit_events_append_only()`);
    await runner.query(`DROP TABLE "access_tokens"`);
    await runner.query(`DROP TABLE "users"`);
    await runner.query(`DROP TABLE "authorities"`);
  }
}
