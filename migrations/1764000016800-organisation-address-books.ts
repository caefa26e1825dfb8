import type { MigrationInterface, QueryRunner } from 'typeorm';

type Json = unknown;
const FIELDS = ['contacts', 'representatives'] as const;
type Field = (typeof FIELDS)[number];

/** JSON with object keys sorted: jsonb reorders keys, so lists are compared in this form. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, Json>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

interface Written {
  authorityId: string;
  after: Record<string, Json>;
}

/**
 * Organisations: one shared identity, each authority's own address book (issue 16).
 *
 * Until now the contacts and representatives lived on the shared organisation and any authority could
 * rewrite them. They move to organisation_address_books, one per (authority, organisation). Who gets what
 * is read from the audit trails, the only record of who wrote the lists (organisations had no created_by):
 * - registered_by_authority_id: the authority of the organisation's `organisation.created` event;
 * - each authority's book holds, for contacts and for representatives, the last list that its own users
 *   wrote (`organisation.created` or an `organisation.updated` that changed that list), so no authority
 *   receives entries another authority typed and the current lists stay with whoever wrote them last;
 * - a current list that matches nothing its last writer recorded (changed outside the application) goes to
 *   the registering authority; with no registering authority known it is kept, unseen by anyone, in
 *   organisation_contacts_unattributed for an operator to assign;
 * - every authority with a case on the organisation follows it (an empty book when it wrote no contacts),
 *   so its trail records later changes of the identity.
 * The identity's current state becomes its first recorded version; earlier changes stay in the audit trails.
 */
export class OrganisationAddressBooks1764000016800 implements MigrationInterface {
  name = 'OrganisationAddressBooks1764000016800';

  async up(runner: QueryRunner): Promise<void> {
    // ---- as generated from the entities (scripts/schema-diff.ts), the column drops moved to the end ----
    await runner.query(
      `CREATE TABLE "organisation_address_books" ("authority_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "contacts" jsonb NOT NULL, "representatives" jsonb NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_81facc8852956be7b6ed7cff78f" PRIMARY KEY ("authority_id", "organisation_id"))`,
    );
    await runner.query(
      `CREATE INDEX "organisation_address_books_organisation" ON "organisation_address_books"  ("organisation_id") `,
    );
    await runner.query(
      `CREATE TABLE "organisation_versions" ("organisation_id" uuid NOT NULL, "version" integer NOT NULL, "identity" jsonb NOT NULL, "changed" text array NOT NULL, "authority_id" uuid, "actor_id" uuid, "actor_label" text NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_e0ed91b0f97e4115536a6932e08" PRIMARY KEY ("organisation_id", "version"))`,
    );
    await runner.query(`ALTER TABLE "organisations" ADD "registered_by_authority_id" uuid`);
    await runner.query(
      `ALTER TABLE "organisation_address_books" ADD CONSTRAINT "FK_718819e9e573195e73dbb8a62ec" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await runner.query(
      `ALTER TABLE "organisation_versions" ADD CONSTRAINT "FK_274ea54dbbe5aeed5d3dc9bc605" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Not an entity: lists no authority can be shown to have written, kept for an operator.
    await runner.query(
      `CREATE TABLE "organisation_contacts_unattributed" ("organisation_id" uuid NOT NULL PRIMARY KEY REFERENCES "organisations"("id") ON DELETE CASCADE, "contacts" jsonb NOT NULL, "representatives" jsonb NOT NULL, "migrated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())`,
    );

    // ---- data ----
    await runner.query(`
      UPDATE organisations o SET registered_by_authority_id = first.authority_id
        FROM (SELECT DISTINCT ON (entity_id) entity_id, authority_id FROM audit_events
               WHERE entity_type = 'organisation' AND action = 'organisation.created'
               ORDER BY entity_id, occurred_at, seq) first
       WHERE first.entity_id = o.id::text`);
    const organisations = (await runner.query(
      `SELECT id, contacts, representatives, registered_by_authority_id, updated_at FROM organisations`,
    )) as {
      id: string;
      contacts: Json;
      representatives: Json;
      registered_by_authority_id: string | null;
      updated_at: Date;
    }[];
    const events = (await runner.query(`
      SELECT entity_id, authority_id, after FROM audit_events
       WHERE entity_type = 'organisation' AND action IN ('organisation.created', 'organisation.updated') AND after IS NOT NULL
       ORDER BY occurred_at, authority_id, seq`)) as {
      entity_id: string;
      authority_id: string;
      after: Record<string, Json>;
    }[];
    const written = new Map<string, Written[]>();
    for (const event of events) {
      const list = written.get(event.entity_id) ?? [];
      list.push({ authorityId: event.authority_id, after: event.after });
      written.set(event.entity_id, list);
    }
    const followers = (await runner.query(`SELECT DISTINCT organisation_id, authority_id FROM cases`)) as {
      organisation_id: string;
      authority_id: string;
    }[];

    for (const organisation of organisations) {
      const books = new Map<string, Record<Field, Json>>();
      const bookOf = (authorityId: string) => {
        let book = books.get(authorityId);
        if (!book) books.set(authorityId, (book = { contacts: [], representatives: [] }));
        return book;
      };
      if (organisation.registered_by_authority_id) bookOf(organisation.registered_by_authority_id);
      const unattributed: Record<Field, Json> = { contacts: [], representatives: [] };
      let anyUnattributed = false;
      for (const field of FIELDS) {
        let lastWriter: string | null = null;
        for (const entry of written.get(organisation.id) ?? []) {
          if (entry.after[field] === undefined) continue;
          bookOf(entry.authorityId)[field] = entry.after[field];
          lastWriter = entry.authorityId;
        }
        const current = organisation[field];
        if (lastWriter && canonical(bookOf(lastWriter)[field]) === canonical(current)) continue;
        if (canonical(current) === canonical([])) continue;
        if (organisation.registered_by_authority_id) bookOf(organisation.registered_by_authority_id)[field] = current;
        else {
          unattributed[field] = current;
          anyUnattributed = true;
        }
      }
      for (const follower of followers) if (follower.organisation_id === organisation.id) bookOf(follower.authority_id);
      for (const [authorityId, book] of books) {
        await runner.query(
          `INSERT INTO organisation_address_books (authority_id, organisation_id, contacts, representatives, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, $5, $5)`,
          [
            authorityId,
            organisation.id,
            JSON.stringify(book.contacts),
            JSON.stringify(book.representatives),
            organisation.updated_at,
          ],
        );
      }
      if (anyUnattributed) {
        await runner.query(
          `INSERT INTO organisation_contacts_unattributed (organisation_id, contacts, representatives) VALUES ($1, $2, $3)`,
          [organisation.id, JSON.stringify(unattributed.contacts), JSON.stringify(unattributed.representatives)],
        );
      }
    }
    await runner.query(`
      INSERT INTO organisation_versions (organisation_id, version, identity, changed, authority_id, actor_id, actor_label, changed_at)
      SELECT id, version,
             jsonb_build_object('name', legal_name, 'tradingNames', to_jsonb(trading_names), 'country', country, 'website', website, 'legalEntities', legal_entities, 'products', products),
             '{}', NULL, NULL, 'as found when versions began to be kept (earlier changes are in the audit trails)', updated_at
        FROM organisations`);

    await runner.query(`ALTER TABLE "organisations" DROP COLUMN "contacts"`);
    await runner.query(`ALTER TABLE "organisations" DROP COLUMN "representatives"`);
  }

  /** Back to one shared list: the registering authority's book (else any), plus nothing of the others'. */
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "organisations" ADD "contacts" jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(`ALTER TABLE "organisations" ADD "representatives" jsonb NOT NULL DEFAULT '[]'`);
    await runner.query(`
      UPDATE organisations o SET contacts = b.contacts, representatives = b.representatives
        FROM (SELECT DISTINCT ON (b.organisation_id) b.organisation_id, b.contacts, b.representatives
                FROM organisation_address_books b JOIN organisations x ON x.id = b.organisation_id
               ORDER BY b.organisation_id, (b.authority_id = x.registered_by_authority_id) DESC NULLS LAST, jsonb_array_length(b.contacts) DESC) b
       WHERE b.organisation_id = o.id`);
    await runner.query(
      `UPDATE organisations o SET contacts = u.contacts, representatives = u.representatives FROM organisation_contacts_unattributed u WHERE u.organisation_id = o.id`,
    );
    await runner.query(`ALTER TABLE "organisations" ALTER COLUMN "contacts" DROP DEFAULT`);
    await runner.query(`ALTER TABLE "organisations" ALTER COLUMN "representatives" DROP DEFAULT`);
    await runner.query(`DROP TABLE "organisation_contacts_unattributed"`);
    await runner.query(`DROP TABLE "organisation_versions"`);
    await runner.query(`DROP TABLE "organisation_address_books"`);
    await runner.query(`ALTER TABLE "organisations" DROP COLUMN "registered_by_authority_id"`);
  }
}
