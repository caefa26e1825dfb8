import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * New cases are indexed for search once per INSERT statement instead of once per row. Cases are opened in batches
 * (CasesService numbers and inserts a batch in one statement), and the row trigger re-read each case, looked up its
 * authority's language and wrote its two documents in four statements of its own: about 0.7 ms of PostgreSQL's CPU
 * per case, more than the insert of the case itself. The statement trigger writes the same documents (those
 * search_index_case writes, 1764000031110) for all the statement's cases with one INSERT. Deletions and changes still
 * go through search_index_case row by row. The trigger keeps its name, so that generate-data switches it off as
 * before while it loads in bulk.
 */
export class SearchNewCasesByStatement1764000031700 implements MigrationInterface {
  name = 'SearchNewCasesByStatement1764000031700';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION search_index_new_cases() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO search_documents AS d (kind, source_id, authority_id, case_id, organisation_id, label, heading, body, config, tsv, updated_at, shared)
        SELECT doc.kind, doc.source_id, doc.authority_id, doc.case_id, NULL, doc.label, doc.heading, doc.body, doc.config,
               setweight(to_tsvector(doc.config, doc.heading), 'A') || setweight(to_tsvector(doc.config, left(doc.body, 200000)), 'B')
                 || setweight(to_tsvector('simple', doc.heading || ' ' || left(doc.body, 200000)), 'D')
                 || setweight(to_tsvector('simple', search_cjk_grams(doc.heading || ' ' || doc.body)), 'D'),
               now(), doc.shared
        FROM (
          SELECT v.kind, c.id::text AS source_id, c.authority_id, c.id AS case_id, v.label,
                 left(coalesce(v.heading, ''), 2000) AS heading, left(coalesce(v.body, ''), 1000000) AS body,
                 search_config(a.locale) AS config, v.kind = 'case' AND c.shared_for_coordination AS shared
          FROM new_cases c
          LEFT JOIN authorities a ON a.id = c.authority_id
          CROSS JOIN LATERAL (VALUES
            ('case', 'Case reference and title', c.title, c.reference || ' ' || replace(c.reference, '-', ' ')),
            ('tag', 'Tags', '', regexp_replace(array_to_string(c.tags, ' '), '[:_/]', ' ', 'g') || ' ' || array_to_string(c.tags, ' '))
          ) AS v (kind, label, heading, body)
          -- search_put leaves out a document without text; search_index_case one of a case without tags.
          WHERE v.kind = 'case' OR cardinality(c.tags) > 0
        ) doc
        WHERE btrim(doc.heading) <> '' OR btrim(doc.body) <> ''
        ORDER BY doc.kind, doc.source_id
        ON CONFLICT (kind, source_id) DO UPDATE SET authority_id = EXCLUDED.authority_id, case_id = EXCLUDED.case_id,
          organisation_id = EXCLUDED.organisation_id, label = EXCLUDED.label, heading = EXCLUDED.heading, body = EXCLUDED.body,
          config = EXCLUDED.config, tsv = EXCLUDED.tsv, updated_at = now(),
          shared = CASE WHEN d.kind = 'case' THEN EXCLUDED.shared ELSE d.shared END;
        RETURN NULL;
      END $$`);
    await runner.query(`DROP TRIGGER search_case_write ON "cases"`);
    await runner.query(
      `CREATE TRIGGER search_case_write AFTER INSERT ON "cases" REFERENCING NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION search_index_new_cases()`,
    );
    await runner.query(
      `CREATE TRIGGER search_case_delete AFTER DELETE ON "cases" FOR EACH ROW EXECUTE FUNCTION search_trigger_case()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER search_case_delete ON "cases"`);
    await runner.query(`DROP TRIGGER search_case_write ON "cases"`);
    await runner.query(
      `CREATE TRIGGER search_case_write AFTER INSERT OR DELETE ON "cases" FOR EACH ROW EXECUTE FUNCTION search_trigger_case()`,
    );
    await runner.query(`DROP FUNCTION search_index_new_cases()`);
  }
}
