import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One search index (libs/search): `search_documents` holds a document per searchable piece of text, written by
 * triggers on the tables that own the text, in the writer's own transaction, so the index is never stale.
 * `search_extracts` keeps the text extracted from a stored file (PDF, plain text) once per content, written by
 * the service that stores the file before its row; the triggers join it in.
 *
 * Each document is indexed with its language's configuration (the authority's locale, or the letter's) for
 * stemming, plus the `simple` configuration for exact words, and by trigrams (`pg_trgm`) for Korean and Japanese
 * phrases and fuzzy matches. `search_reindex_all()` rebuilds every document from the tables (the reconciliation
 * step: `npm run cli -- reindex-search`).
 */
export class Search1764000018400 implements MigrationInterface {
  name = 'Search1764000018400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await runner.query(`
      CREATE TABLE "search_documents" (
        "kind" text NOT NULL,
        "source_id" text NOT NULL,
        "authority_id" uuid,
        "case_id" uuid,
        "organisation_id" uuid,
        "label" text NOT NULL,
        "heading" text NOT NULL,
        "body" text NOT NULL,
        "config" regconfig NOT NULL,
        "tsv" tsvector NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_search_documents" PRIMARY KEY ("kind", "source_id"))`);
    await runner.query(`CREATE INDEX "search_documents_tsv" ON "search_documents" USING gin ("tsv")`);
    await runner.query(
      `CREATE INDEX "search_documents_trgm" ON "search_documents" USING gin ((heading || ' ' || body) gin_trgm_ops)`,
    );
    await runner.query(
      `CREATE INDEX "search_documents_fuzzy" ON "search_documents" USING gin ("body" gin_trgm_ops) WHERE kind IN ('case', 'organisation', 'tag', 'contact')`,
    );
    await runner.query(`CREATE INDEX "search_documents_case" ON "search_documents" ("case_id")`);
    await runner.query(
      `CREATE INDEX "search_documents_organisation" ON "search_documents" ("organisation_id") WHERE organisation_id IS NOT NULL`,
    );
    await runner.query(`
      CREATE TABLE "search_extracts" (
        "sha256" character(64) NOT NULL,
        "text" text NOT NULL,
        "extracted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_search_extracts" PRIMARY KEY ("sha256"))`);

    // The text search configuration of a locale ('it-IT' → italian); Korean, Japanese and the rest: simple.
    await runner.query(`
      CREATE FUNCTION search_config(locale text) RETURNS regconfig LANGUAGE sql STABLE AS $$
        SELECT (CASE lower(split_part(coalesce(locale, ''), '-', 1))
          WHEN 'it' THEN 'italian' WHEN 'fr' THEN 'french' WHEN 'de' THEN 'german'
          WHEN 'nl' THEN 'dutch' WHEN 'en' THEN 'english' ELSE 'simple' END)::regconfig $$`);
    await runner.query(`
      CREATE FUNCTION search_authority_config(authority uuid) RETURNS regconfig LANGUAGE sql STABLE AS $$
        SELECT search_config((SELECT locale FROM authorities WHERE id = authority)) $$`);

    // Writes (or, for empty text, removes) one document. Text is capped where tsvector has limits (1 MB).
    await runner.query(`
      CREATE FUNCTION search_put(p_kind text, p_source text, p_authority uuid, p_case uuid, p_organisation uuid,
                                 p_label text, p_heading text, p_body text, p_config regconfig) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        heading text := left(coalesce(p_heading, ''), 2000);
        body text := left(coalesce(p_body, ''), 1000000);
      BEGIN
        IF btrim(heading) = '' AND btrim(body) = '' THEN
          DELETE FROM search_documents WHERE kind = p_kind AND source_id = p_source;
          RETURN;
        END IF;
        INSERT INTO search_documents AS d (kind, source_id, authority_id, case_id, organisation_id, label, heading, body, config, tsv, updated_at)
        VALUES (p_kind, p_source, p_authority, p_case, p_organisation, left(coalesce(p_label, ''), 500), heading, body, p_config,
                setweight(to_tsvector(p_config, heading), 'A') || setweight(to_tsvector(p_config, left(body, 200000)), 'B')
                  || setweight(to_tsvector('simple', heading || ' ' || left(body, 200000)), 'D'),
                now())
        ON CONFLICT (kind, source_id) DO UPDATE SET authority_id = EXCLUDED.authority_id, case_id = EXCLUDED.case_id,
          organisation_id = EXCLUDED.organisation_id, label = EXCLUDED.label, heading = EXCLUDED.heading, body = EXCLUDED.body,
          config = EXCLUDED.config, tsv = EXCLUDED.tsv, updated_at = now();
      END $$`);

    // One function per source table: (re)writes the documents of one row, or removes them when it is gone.
    await runner.query(`
      CREATE FUNCTION search_index_case(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE c record; cfg regconfig;
      BEGIN
        SELECT * INTO c FROM cases WHERE id = p_id;
        IF NOT FOUND THEN
          DELETE FROM search_documents WHERE kind IN ('case', 'tag') AND source_id = p_id::text;
          RETURN;
        END IF;
        cfg := search_authority_config(c.authority_id);
        PERFORM search_put('case', c.id::text, c.authority_id, c.id, NULL, 'Case reference and title',
                           c.title, c.reference || ' ' || replace(c.reference, '-', ' '), cfg);
        PERFORM search_put('tag', c.id::text, c.authority_id, c.id, NULL, 'Tags', '',
                           regexp_replace(array_to_string(c.tags, ' '), '[:_/]', ' ', 'g') || ' ' || array_to_string(c.tags, ' '), cfg);
        IF cardinality(c.tags) = 0 THEN DELETE FROM search_documents WHERE kind = 'tag' AND source_id = c.id::text; END IF;
      END $$`);
    await runner.query(`
      CREATE FUNCTION search_index_organisation(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE o record;
      BEGIN
        SELECT * INTO o FROM organisations WHERE id = p_id;
        IF NOT FOUND THEN
          DELETE FROM search_documents WHERE kind = 'organisation' AND source_id = p_id::text;
          RETURN;
        END IF;
        -- The shared identity: no authority (every authority finds its own cases of it).
        PERFORM search_put('organisation', o.id::text, NULL, NULL, o.id, 'Organisation: ' || o.legal_name, o.legal_name,
                           array_to_string(o.trading_names, ' ') || ' ' || coalesce(o.website, '') || ' '
                             || coalesce((SELECT string_agg(coalesce(e->>'name', ''), ' ') FROM jsonb_array_elements(
                                  CASE WHEN jsonb_typeof(o.legal_entities) = 'array' THEN o.legal_entities ELSE '[]'::jsonb END) e), ''),
                           'simple');
      END $$`);
    await runner.query(`
      CREATE FUNCTION search_index_address_book(p_authority uuid, p_organisation uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE b record; source text := p_authority::text || ':' || p_organisation::text;
      BEGIN
        SELECT * INTO b FROM organisation_address_books WHERE authority_id = p_authority AND organisation_id = p_organisation;
        IF NOT FOUND THEN
          DELETE FROM search_documents WHERE kind = 'contact' AND source_id = source;
          RETURN;
        END IF;
        -- Names, addresses and their domains, written out as words so that "provider.example" finds them.
        PERFORM search_put('contact', source, p_authority, NULL, p_organisation, 'Contacts', '',
                           coalesce((SELECT string_agg(concat_ws(' ', x->>'name', x->>'email', split_part(x->>'email', '@', 2),
                                                                 replace(split_part(x->>'email', '@', 2), '.', ' ')), ' ')
                                       FROM jsonb_array_elements(CASE WHEN jsonb_typeof(b.contacts) = 'array' THEN b.contacts ELSE '[]'::jsonb END
                                                                 || CASE WHEN jsonb_typeof(b.representatives) = 'array' THEN b.representatives ELSE '[]'::jsonb END) x), ''),
                           'simple');
      END $$`);
    await runner.query(`
      CREATE FUNCTION search_index_inquiry(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE i record;
      BEGIN
        SELECT * INTO i FROM inquiries WHERE id = p_id;
        IF NOT FOUND THEN DELETE FROM search_documents WHERE kind = 'letter' AND source_id = p_id::text; RETURN; END IF;
        PERFORM search_put('letter', i.id::text, i.authority_id, i.case_id, NULL, 'Letter: ' || i.subject, i.subject,
                           i.text || ' ' || array_to_string(i.to_addresses, ' '), search_config(i.locale));
      END $$`);
    await runner.query(`
      CREATE FUNCTION search_index_inbound(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE m record; a jsonb;
      BEGIN
        DELETE FROM search_documents WHERE kind = 'attachment' AND source_id LIKE p_id::text || ':%';
        SELECT * INTO m FROM inbound_messages WHERE id = p_id;
        -- The deployment's inbox (no authority yet) is the sysadmin's, outside search.
        IF NOT FOUND OR m.authority_id IS NULL THEN
          DELETE FROM search_documents WHERE kind IN ('reply', 'inbox') AND source_id = p_id::text;
          RETURN;
        END IF;
        DELETE FROM search_documents WHERE kind = (CASE WHEN m.case_id IS NULL THEN 'reply' ELSE 'inbox' END) AND source_id = p_id::text;
        PERFORM search_put(CASE WHEN m.case_id IS NULL THEN 'inbox' ELSE 'reply' END, m.id::text, m.authority_id, m.case_id, NULL,
                           CASE WHEN m.case_id IS NULL THEN 'Inbox: message from ' ELSE 'Reply from ' END || m.from_address,
                           m.subject, m.from_address || ' ' || m.text_body, search_authority_config(m.authority_id));
        FOR a IN SELECT * FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m.attachments) = 'array' THEN m.attachments ELSE '[]'::jsonb END) LOOP
          PERFORM search_put('attachment', m.id::text || ':' || (a->>'sha256'), m.authority_id, m.case_id, NULL,
                             'Attachment of the e-mail from ' || m.from_address || ': ' || coalesce(a->>'filename', 'unnamed'),
                             coalesce(a->>'filename', ''), coalesce((SELECT text FROM search_extracts WHERE sha256 = a->>'sha256'), ''),
                             search_authority_config(m.authority_id));
        END LOOP;
      END $$`);
    await runner.query(`
      CREATE FUNCTION search_index_note(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE n record;
      BEGIN
        SELECT * INTO n FROM case_notes WHERE id = p_id;
        IF NOT FOUND THEN DELETE FROM search_documents WHERE kind = 'note' AND source_id = p_id::text; RETURN; END IF;
        PERFORM search_put('note', n.id::text, n.authority_id, n.case_id, NULL, 'Note by ' || n.author_label, '', n.text,
                           search_authority_config(n.authority_id));
      END $$`);
    await runner.query(`
      CREATE FUNCTION search_index_response(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        SELECT * INTO r FROM responses WHERE id = p_id;
        IF NOT FOUND THEN DELETE FROM search_documents WHERE kind = 'response' AND source_id = p_id::text; RETURN; END IF;
        PERFORM search_put('response', r.id::text, r.authority_id, r.case_id, NULL, 'Summary of the response', '', r.summary,
                           search_authority_config(r.authority_id));
      END $$`);
    await runner.query(`
      CREATE FUNCTION search_index_answer(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE a record;
      BEGIN
        SELECT ra.*, r.case_id INTO a FROM response_answers ra JOIN responses r ON r.id = ra.response_id WHERE ra.id = p_id;
        IF NOT FOUND OR a.note IS NULL THEN DELETE FROM search_documents WHERE kind = 'answer' AND source_id = p_id::text; RETURN; END IF;
        PERFORM search_put('answer', a.id::text, a.authority_id, a.case_id, NULL,
                           'Note on the answer to question ' || a.question_number || ' (' || a.topic || ')', '', a.note,
                           search_authority_config(a.authority_id));
      END $$`);
    await runner.query(`
      CREATE FUNCTION search_index_outcome(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE o record;
      BEGIN
        SELECT * INTO o FROM outcomes WHERE id = p_id;
        IF NOT FOUND THEN DELETE FROM search_documents WHERE kind = 'outcome' AND source_id = p_id::text; RETURN; END IF;
        PERFORM search_put('outcome', o.id::text, o.authority_id, o.case_id, NULL, 'Outcome (' || replace(o.type, '_', ' ') || ')', '',
                           concat_ws(' ', o.summary, o.referral_to, o.notice_to), search_authority_config(o.authority_id));
      END $$`);
    await runner.query(`
      CREATE FUNCTION search_index_attachment(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE a record;
      BEGIN
        SELECT * INTO a FROM attachments WHERE id = p_id;
        IF NOT FOUND THEN DELETE FROM search_documents WHERE kind = 'attachment' AND source_id = p_id::text; RETURN; END IF;
        PERFORM search_put('attachment', a.id::text, a.authority_id, a.case_id, NULL, 'Attachment: ' || a.filename, a.filename,
                           coalesce((SELECT text FROM search_extracts WHERE sha256 = a.sha256), ''), search_authority_config(a.authority_id));
      END $$`);

    // Triggers: inserts and deletes always, updates only of the columns the documents are made of.
    const triggers: { table: string; call: string; columns: string; name: string }[] = [
      {
        name: 'case',
        table: 'cases',
        call: 'search_index_case(r.id)',
        columns: 'reference, title, tags, authority_id',
      },
      {
        name: 'organisation',
        table: 'organisations',
        call: 'search_index_organisation(r.id)',
        columns: 'legal_name, trading_names, website, legal_entities',
      },
      {
        name: 'address_book',
        table: 'organisation_address_books',
        call: 'search_index_address_book(r.authority_id, r.organisation_id)',
        columns: 'contacts, representatives',
      },
      {
        name: 'inquiry',
        table: 'inquiries',
        call: 'search_index_inquiry(r.id)',
        columns: 'subject, text, to_addresses, case_id, locale',
      },
      {
        name: 'inbound',
        table: 'inbound_messages',
        call: 'search_index_inbound(r.id)',
        columns: 'authority_id, case_id, subject, text_body, from_address, attachments',
      },
      { name: 'note', table: 'case_notes', call: 'search_index_note(r.id)', columns: 'text, author_label' },
      { name: 'response', table: 'responses', call: 'search_index_response(r.id)', columns: 'summary' },
      { name: 'answer', table: 'response_answers', call: 'search_index_answer(r.id)', columns: 'note, topic' },
      {
        name: 'outcome',
        table: 'outcomes',
        call: 'search_index_outcome(r.id)',
        columns: 'summary, type, referral_to, notice_to',
      },
      { name: 'attachment', table: 'attachments', call: 'search_index_attachment(r.id)', columns: 'filename, sha256' },
    ];
    for (const { name, table, call, columns } of triggers) {
      await runner.query(`
        CREATE FUNCTION search_trigger_${name}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE r record;
        BEGIN
          IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
          PERFORM ${call};
          RETURN NULL;
        END $$`);
      await runner.query(
        `CREATE TRIGGER search_${name}_write AFTER INSERT OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION search_trigger_${name}()`,
      );
      await runner.query(
        `CREATE TRIGGER search_${name}_update AFTER UPDATE OF ${columns} ON "${table}" FOR EACH ROW EXECUTE FUNCTION search_trigger_${name}()`,
      );
    }

    // The reconciliation step: every document rebuilt from its table (documents of rows gone are dropped first).
    await runner.query(`
      CREATE FUNCTION search_reindex_all() RETURNS bigint LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM search_documents;
        PERFORM search_index_case(id) FROM cases;
        PERFORM search_index_organisation(id) FROM organisations;
        PERFORM search_index_address_book(authority_id, organisation_id) FROM organisation_address_books;
        PERFORM search_index_inquiry(id) FROM inquiries;
        PERFORM search_index_inbound(id) FROM inbound_messages;
        PERFORM search_index_note(id) FROM case_notes;
        PERFORM search_index_response(id) FROM responses;
        PERFORM search_index_answer(id) FROM response_answers;
        PERFORM search_index_outcome(id) FROM outcomes;
        PERFORM search_index_attachment(id) FROM attachments;
        RETURN (SELECT count(*) FROM search_documents);
      END $$`);
    await runner.query(`SELECT search_reindex_all()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [name, table] of [
      ['case', 'cases'],
      ['organisation', 'organisations'],
      ['address_book', 'organisation_address_books'],
      ['inquiry', 'inquiries'],
      ['inbound', 'inbound_messages'],
      ['note', 'case_notes'],
      ['response', 'responses'],
      ['answer', 'response_answers'],
      ['outcome', 'outcomes'],
      ['attachment', 'attachments'],
    ]) {
      await runner.query(`DROP TRIGGER search_${name}_write ON "${table}"`);
      await runner.query(`DROP TRIGGER search_${name}_update ON "${table}"`);
      await runner.query(`DROP FUNCTION search_trigger_${name}()`);
    }
    await runner.query(`DROP FUNCTION search_reindex_all()`);
    for (const fn of [
      'search_index_case(uuid)',
      'search_index_organisation(uuid)',
      'search_index_address_book(uuid, uuid)',
      'search_index_inquiry(uuid)',
      'search_index_inbound(uuid)',
      'search_index_note(uuid)',
      'search_index_response(uuid)',
      'search_index_answer(uuid)',
      'search_index_outcome(uuid)',
      'search_index_attachment(uuid)',
      'search_put(text, text, uuid, uuid, uuid, text, text, text, regconfig)',
      'search_authority_config(uuid)',
      'search_config(text)',
    ])
      await runner.query(`DROP FUNCTION ${fn}`);
    await runner.query(`DROP TABLE "search_extracts"`);
    await runner.query(`DROP TABLE "search_documents"`);
  }
}
