import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hangul, kana and CJK ideographs (as in 1764000031110 and libs/search search-rules NO_WORD_SPACES). */
const UNSPACED =
  '[\\u1100-\\u11ff\\u3040-\\u30ff\\u3130-\\u318f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\uff66-\\uff9f]';

/**
 * The trigram index of every document's text (`search_documents_trgm`, 1764000018400) serves one query only since
 * 1764000031110: a single Korean or Japanese character, looked for as a substring (`ILIKE`). Only documents holding
 * such characters can match it, so the index now keeps only those (`search_unspaced`, which the query repeats so
 * that the planner may use it). Every other document (an Italian or English letter: a few thousand trigrams each)
 * no longer pays for it when it is written.
 */
export class SearchTrigramsUnspaced1764000031650 implements MigrationInterface {
  name = 'SearchTrigramsUnspaced1764000031650';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION search_unspaced(t text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT t ~ '${UNSPACED}' $$`);
    await runner.query(`DROP INDEX "search_documents_trgm"`);
    await runner.query(
      `CREATE INDEX "search_documents_trgm" ON "search_documents" USING gin ((heading || ' ' || body) gin_trgm_ops) WHERE search_unspaced(heading || ' ' || body)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "search_documents_trgm"`);
    await runner.query(
      `CREATE INDEX "search_documents_trgm" ON "search_documents" USING gin ((heading || ' ' || body) gin_trgm_ops)`,
    );
    await runner.query(`DROP FUNCTION search_unspaced(text)`);
  }
}
