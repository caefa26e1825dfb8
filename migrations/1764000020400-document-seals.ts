import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An authority's electronic seal (libs/documents): the certificate in clear, the PKCS#12 file only sealed. */
export class DocumentSeals1764000020400 implements MigrationInterface {
  name = 'DocumentSeals1764000020400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE "document_seals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "authority_id" uuid NOT NULL, "version" integer NOT NULL, "subject" text NOT NULL, "holder" text NOT NULL, "issuer" text NOT NULL, "serial_number" text NOT NULL, "fingerprint" character(64) NOT NULL, "not_before" TIMESTAMP WITH TIME ZONE NOT NULL, "not_after" TIMESTAMP WITH TIME ZONE NOT NULL, "certificate" text NOT NULL, "sealed_key" text NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "withdrawn_at" TIMESTAMP WITH TIME ZONE, "withdrawn_by" text, CONSTRAINT "document_seals_version" UNIQUE ("authority_id", "version"), CONSTRAINT "PK_document_seals" PRIMARY KEY ("id"))`,
    );
    await runner.query(
      `ALTER TABLE "document_seals" ADD CONSTRAINT "FK_c2241765c3096ba2dc7a426683a" FOREIGN KEY ("authority_id") REFERENCES "authorities"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "document_seals"`);
  }
}
