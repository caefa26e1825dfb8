import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hangul, kana and CJK ideographs (libs/search search-rules NO_WORD_SPACES): scripts without word spaces. */
const UNSPACED =
  '[\\u1100-\\u11ff\\u3040-\\u30ff\\u3130-\\u318f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\uff66-\\uff9f]';

/**
 * Search at a million cases (issue 19's benchmark). Three changes to the index of 1764000018400:
 *
 * - Korean and Japanese text is also indexed as character bigrams in the `tsvector` (each run of those scripts
 *   written out as its overlapping pairs and its last character: 처리방침을 → 처리 리방 방침 침을 을), so that a
 *   phrase of two characters or more is a phrase of bigrams matched by the one GIN index (`'처리' <-> '리방' <->
 *   '방침'`), instead of `ILIKE '%…%'` rechecked on every document holding its trigrams (90,000 at the benchmark's
 *   size). The first 30,000 characters of a document are written out so (a `tsvector` is at most 1 MB).
 * - `shared` marks the documents of cases shared for coordination, and a partial GIN index holds the documents
 *   every authority may see (organisations, shared cases): that part of a search no longer reads every document
 *   matching a common word to keep the few of them it may show.
 * - `search_documents_recent` (authority, updated_at, source_id, kind) lets a search of a common word take an
 *   authority's most recently written matching documents in order and stop, instead of ranking all of them;
 *   `search_query(q)` is the query in every configuration, each distinct form once.
 */
export class SearchAtScale1764000031110 implements MigrationInterface {
  name = 'SearchAtScale1764000031110';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION search_cjk_grams(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN t !~ '${UNSPACED}' THEN '' ELSE (
          SELECT coalesce(string_agg(CASE WHEN i < length(r.run) THEN substr(r.run, i, 2) ELSE substr(r.run, i, 1) END, ' ' ORDER BY r.n, i), '')
            FROM regexp_matches(left(t, 30000), '${UNSPACED}+', 'g') WITH ORDINALITY AS m(found, n)
                 CROSS JOIN LATERAL (SELECT m.found[1] AS run, m.n) r
                 CROSS JOIN LATERAL generate_series(1, length(r.run)) i) END $$`);
    // The query in each configuration the documents are stemmed with, the distinct forms OR-ed (five configurations
    // give the same 'dati', and a Korean phrase's bigrams are the same in all six: the GIN index reads each once).
    await runner.query(`
      CREATE FUNCTION search_query(q text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(string_agg('(' || t || ')', ' | ' ORDER BY t), '')::tsquery
          FROM (SELECT DISTINCT websearch_to_tsquery(c, q)::text AS t
                  FROM unnest('{simple,english,italian,french,german,dutch}'::regconfig[]) c) forms
         WHERE t <> '' $$`);
    // As in 1764000018400, plus the bigrams (weight D, like every word as written).
    await runner.query(`
      CREATE OR REPLACE FUNCTION search_put(p_kind text, p_source text, p_authority uuid, p_case uuid, p_organisation uuid,
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
                  || setweight(to_tsvector('simple', heading || ' ' || left(body, 200000)), 'D')
                  || setweight(to_tsvector('simple', search_cjk_grams(heading || ' ' || body)), 'D'),
                now())
        ON CONFLICT (kind, source_id) DO UPDATE SET authority_id = EXCLUDED.authority_id, case_id = EXCLUDED.case_id,
          organisation_id = EXCLUDED.organisation_id, label = EXCLUDED.label, heading = EXCLUDED.heading, body = EXCLUDED.body,
          config = EXCLUDED.config, tsv = EXCLUDED.tsv, updated_at = now();
      END $$`);

    await runner.query(`ALTER TABLE "search_documents" ADD "shared" boolean NOT NULL DEFAULT false`);
    // As in 1764000018400, plus the case document's `shared`.
    await runner.query(`
      CREATE OR REPLACE FUNCTION search_index_case(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
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
        UPDATE search_documents SET shared = c.shared_for_coordination
         WHERE kind = 'case' AND source_id = c.id::text AND shared IS DISTINCT FROM c.shared_for_coordination;
        PERFORM search_put('tag', c.id::text, c.authority_id, c.id, NULL, 'Tags', '',
                           regexp_replace(array_to_string(c.tags, ' '), '[:_/]', ' ', 'g') || ' ' || array_to_string(c.tags, ' '), cfg);
        IF cardinality(c.tags) = 0 THEN DELETE FROM search_documents WHERE kind = 'tag' AND source_id = c.id::text; END IF;
      END $$`);
    await runner.query(`DROP TRIGGER search_case_update ON "cases"`);
    await runner.query(
      `CREATE TRIGGER search_case_update AFTER UPDATE OF reference, title, tags, authority_id, shared_for_coordination ON "cases" FOR EACH ROW EXECUTE FUNCTION search_trigger_case()`,
    );

    // The documents written before: shared cases marked, Korean and Japanese text given its bigrams.
    await runner.query(`
      UPDATE search_documents d SET shared = true FROM cases c
       WHERE c.shared_for_coordination AND d.kind = 'case' AND d.source_id = c.id::text`);
    await runner.query(`
      UPDATE search_documents SET tsv = tsv || setweight(to_tsvector('simple', search_cjk_grams(heading || ' ' || body)), 'D')
       WHERE (heading || ' ' || body) ~ '${UNSPACED}'`);

    await runner.query(
      `CREATE INDEX "search_documents_recent" ON "search_documents" ("authority_id", "updated_at", "source_id", "kind")`,
    );
    await runner.query(
      `CREATE INDEX "search_documents_tsv_open" ON "search_documents" USING gin ("tsv") WHERE authority_id IS NULL OR shared`,
    );
    await runner.query(`ANALYZE "search_documents"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "search_documents_tsv_open"`);
    await runner.query(`DROP INDEX "search_documents_recent"`);
    await runner.query(`DROP TRIGGER search_case_update ON "cases"`);
    await runner.query(
      `CREATE TRIGGER search_case_update AFTER UPDATE OF reference, title, tags, authority_id ON "cases" FOR EACH ROW EXECUTE FUNCTION search_trigger_case()`,
    );
    await runner.query(`
      CREATE OR REPLACE FUNCTION search_index_case(p_id uuid) RETURNS void LANGUAGE plpgsql AS $$
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
    await runner.query(`ALTER TABLE "search_documents" DROP COLUMN "shared"`);
    await runner.query(`
      CREATE OR REPLACE FUNCTION search_put(p_kind text, p_source text, p_authority uuid, p_case uuid, p_organisation uuid,
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
    await runner.query(`DROP FUNCTION search_cjk_grams(text)`);
    await runner.query(`DROP FUNCTION search_query(text)`);
  }
}
