import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisation registry, cases with their notes and gap-free reference counters. */
export class Cases1764000001000 implements MigrationInterface {
  name = 'Cases1764000001000';

  async up(runner: QueryRunner): Promise<void> {
    // Trigram indexes serve the "name contains" searches. pg_trgm is a trusted extension (PostgreSQL 13+),
    // so a database owner without superuser rights may create it.
    await runner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await runner.query(
      `CREATE TABLE "organisations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "legal_name" text NOT NULL, "trading_names" text array NOT NULL, "country" character(2) NOT NULL, "website" text, "legal_entities" jsonb NOT NULL, "contacts" jsonb NOT NULL, "representatives" jsonb NOT NULL, "products" jsonb NOT NULL, "search_text" text NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "organisations_legal_name_length" CHECK (char_length("legal_name") BETWEEN 1 AND 300), CONSTRAINT "PK_7bf54cba378d5b2f1d4c10ef4df" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "organisations_order" ON "organisations"  ("legal_name", "id") `);
    await runner.query(
      `CREATE INDEX "organisations_search_trgm" ON "organisations" USING gin ("search_text" gin_trgm_ops)`,
    );
    // One registry entry per legal name and country, whatever the capitalisation.
    await runner.query(
      `CREATE UNIQUE INDEX "organisations_legal_name_country" ON "organisations" (lower("legal_name"), "country")`,
    );

    await runner.query(
      `CREATE TABLE "cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "reference" text NOT NULL, "title" text NOT NULL, "organisation_id" uuid NOT NULL, "products" text array NOT NULL, "type" text NOT NULL, "legal_basis" text, "priority" text NOT NULL, "assignee_id" uuid, "tags" text array NOT NULL, "risk_flags" text array NOT NULL, "status" text NOT NULL, "version" integer NOT NULL, "shared_for_coordination" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "close_reason" text, CONSTRAINT "cases_closed_consistent" CHECK (("status" = 'closed') = ("closed_at" IS NOT NULL AND "close_reason" IS NOT NULL)), CONSTRAINT "cases_risk_flags_known" CHECK ("risk_flags" <@ ARRAY['children', 'cross_border_transfer', 'sensitive_data']::text[]), CONSTRAINT "cases_priority_known" CHECK ("priority" IN ('low', 'normal', 'high', 'urgent')), CONSTRAINT "cases_type_known" CHECK ("type" IN ('ex_officio', 'complaint', 'cooperation', 'breach')), CONSTRAINT "cases_status_known" CHECK ("status" IN ('open', 'awaiting_response', 'under_review', 'decided', 'closed')), CONSTRAINT "cases_title_length" CHECK (char_length("title") BETWEEN 1 AND 300), CONSTRAINT "PK_264acb3048c240fb89aa34626db" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "cases_organisation" ON "cases"  ("organisation_id") `);
    await runner.query(`CREATE INDEX "cases_authority_assignee" ON "cases"  ("authority_id", "assignee_id") `);
    await runner.query(`CREATE INDEX "cases_authority_status" ON "cases"  ("authority_id", "status") `);
    await runner.query(`CREATE INDEX "cases_authority_created" ON "cases"  ("authority_id", "created_at", "id") `);
    await runner.query(`CREATE UNIQUE INDEX "cases_authority_reference" ON "cases"  ("authority_id", "reference") `);
    await runner.query(`CREATE INDEX "cases_title_trgm" ON "cases" USING gin ("title" gin_trgm_ops)`);

    await runner.query(
      `CREATE TABLE "case_notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "case_id" uuid NOT NULL, "author_id" uuid, "author_label" text NOT NULL, "text" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "case_notes_text_length" CHECK (char_length("text") BETWEEN 1 AND 10000), CONSTRAINT "PK_474011f166285b8da9a653af5c5" PRIMARY KEY ("id"))`,
    );
    await runner.query(`CREATE INDEX "case_notes_case" ON "case_notes"  ("case_id", "created_at") `);
    await runner.query(
      `CREATE TABLE "case_reference_counters" ("authority_id" uuid NOT NULL, "year" integer NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "PK_808a53f5da2c4df91d460a00baa" PRIMARY KEY ("authority_id", "year"))`,
    );

    await runner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_828c68d7049f1b5c1ec336435d4" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_7637dde4a13e5c3c858309f2bef" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_1e03d7426e634bc22f7241ebfba" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "case_notes" ADD CONSTRAINT "FK_4de186001f032ae870ac14420be" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "case_notes" ADD CONSTRAINT "FK_4d26581343306e406774e5c9c8c" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "case_notes" ADD CONSTRAINT "FK_5ac19cdf475f4f38f53523ab2fd" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "case_reference_counters" ADD CONSTRAINT "FK_75bca1db76d9d17050fd4de3db7" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "case_reference_counters"`);
    await runner.query(`DROP TABLE "case_notes"`);
    await runner.query(`DROP TABLE "cases"`);
    await runner.query(`DROP TABLE "organisations"`);
  }
}
