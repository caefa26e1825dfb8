import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext, UnitOfWork } from '#docket/platform';
import {
  containsPattern,
  decodeSearchCursor,
  encodeSearchCursor,
  fuzzyAllowed,
  HEADLINE_OPTIONS,
  indexQuery,
  normaliseQuery,
  parseKinds,
  snippetHtml,
  substringTerm,
  type SearchCursor,
  type SearchKind,
} from './search-rules.js';
import { extractFileText } from './text-extract.js';

export interface SearchHit {
  caseId: string | null;
  reference: string | null;
  kind: SearchKind;
  title: string;
  where: string;
  snippet: string;
  score: number;
  sourceId: string;
  sharedFrom: string | null;
}

export interface SearchRequest {
  q?: string;
  type?: string;
  limit?: number;
  cursor?: string;
}

interface Row {
  group_key: string | null;
  case_id: string | null;
  kind: SearchKind;
  source_id: string;
  score: number;
  score_text: string;
  reference: string | null;
  case_title: string | null;
  case_authority: string | null;
  label: string;
  heading: string;
  headline: string | null;
  around: string | null;
  tiered: boolean;
  next_at: string | null;
  next_kind: string | null;
  next_source: string | null;
}

/**
 * How a search reads its matches. The newest WINDOW documents of the authority are looked at first (through
 * `search_documents_recent`, in order): when at least DENSE of them match, the query is common, and its matches
 * are ranked in tiers of the TIER most recently written ones (newest tier first), each tier read in order and cut
 * after TIER + 1 matches (about TIER / frequency rows: a few thousand for a word in one document in five).
 * Otherwise the matches are read through the GIN index and all ranked, up to FEW of them (a rare word, or one
 * rare among recent documents); past FEW, tiered too.
 */
const WINDOW = 2000;
const DENSE = 20;
const FEW = 20000;
const TIER = 200;
/** Tiers read at most per request (each tier adds only cases not found in a newer one). */
const TIERS_PER_PAGE = 4;
/** Misspelt names (trigram similarity) and single Korean/Japanese characters (substring): the first so many. */
const LOOSE_MATCHES = 500;

/**
 * The query in every language the authorities write in (a word matched by each language's stem and as written),
 * the distinct forms OR-ed (search_query, migration 1764000031110). Immutable: the planner computes it from the
 * constant and sees its lexemes when it estimates how many documents match.
 */
const TSQUERY = `search_query($2)`;
const KINDS = `($3::text[] IS NULL OR d.kind = ANY($3))`;
const RECENT_ORDER = 'd.updated_at DESC, d.source_id DESC, d.kind DESC';

/**
 * One page of one tier (or of all matches). Parameters: $1 authority, $2 the index query, $3 kinds, $4 tiered,
 * $5–$7 the tier's start (null: the newest), $8–$9 after (score, group key), $10 rows to take, $11 the substring
 * pattern (single Korean/Japanese characters) or null, $12 the text to show a snippet around, $13 fuzzy matching,
 * $14 the query as typed (similarity of names).
 *
 * `ts_match_vq` (the function of `@@`) where the matches are read in the order of `search_documents_recent` keeps
 * the planner from taking the GIN index there. What every authority may see (organisations, shared cases: the
 * partial index `search_documents_tsv_open`), misspelt names and substrings belong to the first tier; the last two
 * are CTEs (planned to be read whole, i.e. through their trigram indexes) read up to LOOSE_MATCHES rows. A substring
 * holds a Korean or Japanese character, so only documents with one can match it: `search_unspaced` is the condition of
 * the trigram index (migration 1764000031650), which holds only those.
 */
export const PAGE_SQL = `
  WITH recent AS (
         SELECT count(*) FILTER (WHERE ts_match_vq(d.tsv, ${TSQUERY}) AND ${KINDS}) AS hits
           FROM (SELECT d.tsv, d.kind FROM search_documents d WHERE NOT $4::boolean AND d.authority_id = $1
                  ORDER BY ${RECENT_ORDER} LIMIT ${WINDOW}) d),
       few AS MATERIALIZED (
         SELECT d.kind, d.source_id, d.authority_id, d.case_id, d.organisation_id, ts_rank(d.tsv, ${TSQUERY}) AS score
           FROM search_documents d
          WHERE NOT $4::boolean AND (SELECT hits FROM recent) < ${DENSE} AND d.authority_id = $1 AND d.tsv @@ ${TSQUERY} AND ${KINDS}
          LIMIT ${FEW + 1}),
       mode AS (SELECT $4::boolean OR (SELECT hits FROM recent) >= ${DENSE} OR (SELECT count(*) FROM few) > ${FEW} AS tiered),
       tier AS MATERIALIZED (
         SELECT d.kind, d.source_id, d.authority_id, d.case_id, d.organisation_id, d.updated_at, ts_rank(d.tsv, ${TSQUERY}) AS score,
                row_number() OVER (ORDER BY ${RECENT_ORDER}) AS n
           FROM (SELECT d.* FROM search_documents d
                  WHERE (SELECT tiered FROM mode) AND d.authority_id = $1 AND ts_match_vq(d.tsv, ${TSQUERY}) AND ${KINDS}
                    AND ($5::timestamptz IS NULL OR (d.updated_at, d.source_id, d.kind) <= ($5::timestamptz, $7::text, $6::text))
                  ORDER BY ${RECENT_ORDER} LIMIT ${TIER + 1}) d),
       substrings AS MATERIALIZED (
         SELECT d.kind, d.source_id, d.authority_id, d.case_id, d.organisation_id, 0.05::real AS score
           FROM search_documents d
          WHERE $5::timestamptz IS NULL AND $11::text IS NOT NULL AND (d.heading || ' ' || d.body) ILIKE $11
            AND search_unspaced(d.heading || ' ' || d.body) AND ${KINDS}
            AND (d.authority_id = $1 OR d.authority_id IS NULL OR d.shared)),
       names AS MATERIALIZED (
         SELECT d.kind, d.source_id, d.authority_id, d.case_id, d.organisation_id, (word_similarity($14, d.body) * 0.05)::real AS score
           FROM search_documents d
          WHERE $5::timestamptz IS NULL AND $13 AND d.kind IN ('case', 'organisation', 'tag', 'contact') AND $14 <% d.body AND ${KINDS}
            AND (d.authority_id = $1 OR d.authority_id IS NULL OR d.shared)),
       matched AS (
         SELECT f.kind, f.source_id, f.authority_id, f.case_id, f.organisation_id, f.score
           FROM few f WHERE NOT (SELECT tiered FROM mode)
         UNION ALL
         -- A case found in a newer tier is not found again.
         SELECT t.kind, t.source_id, t.authority_id, t.case_id, t.organisation_id, t.score
           FROM tier t
          WHERE t.n <= ${TIER}
            AND ($5::timestamptz IS NULL OR t.case_id IS NULL OR NOT EXISTS (
                  SELECT 1 FROM search_documents d
                   WHERE d.case_id = t.case_id AND d.authority_id = $1 AND ${KINDS}
                     AND (d.updated_at, d.source_id, d.kind) > ($5::timestamptz, $7::text, $6::text) AND ts_match_vq(d.tsv, ${TSQUERY})))
         UNION ALL
         SELECT d.kind, d.source_id, d.authority_id, d.case_id, d.organisation_id, ts_rank(d.tsv, ${TSQUERY})
           FROM search_documents d
          WHERE $5::timestamptz IS NULL AND (d.authority_id IS NULL OR d.shared) AND d.tsv @@ ${TSQUERY} AND ${KINDS}
         UNION ALL
         (SELECT * FROM substrings LIMIT ${LOOSE_MATCHES})
         UNION ALL
         (SELECT * FROM names LIMIT ${LOOSE_MATCHES})),
       scoped AS (
         SELECT m.case_id::text AS group_key, m.case_id, m.kind, m.source_id, m.score
           FROM matched m WHERE m.authority_id = $1 AND m.case_id IS NOT NULL
         UNION ALL
         SELECT 'inbox:' || m.source_id, NULL, m.kind, m.source_id, m.score
           FROM matched m WHERE m.authority_id = $1 AND m.case_id IS NULL AND m.kind = 'inbox'
         UNION ALL
         SELECT c.id::text, c.id, m.kind, m.source_id, m.score
           FROM matched m JOIN cases c ON c.organisation_id = m.organisation_id AND c.authority_id = $1
          WHERE m.kind = 'organisation' OR (m.kind = 'contact' AND m.authority_id = $1)
         UNION ALL
         SELECT c.id::text, c.id, m.kind, m.source_id, m.score
           FROM matched m JOIN cases c ON c.id = m.case_id AND c.shared_for_coordination
          WHERE m.kind = 'case' AND m.authority_id <> $1),
       grouped AS (
         SELECT DISTINCT ON (group_key) group_key, case_id, kind, source_id, score
           FROM scoped ORDER BY group_key, score DESC, kind, source_id),
       page AS (
         SELECT * FROM grouped
          WHERE $8::real IS NULL OR score < $8::real OR (score = $8::real AND group_key > $9)
          ORDER BY score DESC, group_key LIMIT $10),
       meta AS (
         SELECT (SELECT tiered FROM mode) AS tiered, t.updated_at::text AS next_at, t.kind AS next_kind, t.source_id AS next_source
           FROM (SELECT 1) one LEFT JOIN tier t ON t.n = ${TIER + 1})
  SELECT meta.tiered, meta.next_at, meta.next_kind, meta.next_source,
         p.group_key, p.case_id, p.kind, p.source_id, p.score, p.score::text AS score_text,
         c.reference, c.title AS case_title, a.code AS case_authority, d.label, d.heading,
         ts_headline(d.config, d.heading || E'\\n' || left(d.body, 100000), ${TSQUERY}, '${HEADLINE_OPTIONS}') AS headline,
         CASE WHEN $12::text IS NULL THEN NULL ELSE
           substring(d.heading || E'\\n' || d.body FROM greatest(1, strpos(lower(d.heading || E'\\n' || d.body), lower($12)) - 100) FOR 400) END AS around
    FROM meta
    LEFT JOIN page p ON true
    LEFT JOIN search_documents d ON d.kind = p.kind AND d.source_id = p.source_id
    LEFT JOIN cases c ON c.id = p.case_id
    LEFT JOIN authorities a ON a.id = c.authority_id AND c.authority_id <> $1
   ORDER BY p.score DESC, p.group_key`;

/**
 * The search of one authority's files (libs/search). The index is `search_documents`, kept by triggers in the
 * writers' transactions (see the migration 1764000018400); this service is its only reader, and its only other
 * writer is the extracted text of stored files. A deployment that outgrows one PostgreSQL replaces this class
 * (README: Search).
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Extracts the text of a file once (per content) and keeps it for the index; call it inside the transaction
   * that writes the file's row, before the row, so the row's trigger finds it.
   */
  async storeExtract(sha256: string, text: string | null): Promise<void> {
    if (!text) return;
    await this.unitOfWork
      .manager()
      .query(`INSERT INTO search_extracts (sha256, text) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING`, [
        sha256,
        text,
      ]);
  }

  /** Whether the text of this content was already extracted (the same file stored again). */
  async hasExtract(sha256: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM search_extracts WHERE sha256 = $1`, [
      sha256,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** The searchable text of a file about to be stored, or null (already extracted, or nothing to extract). */
  async extract(
    sha256: string,
    file: { path?: string; content?: Buffer },
    contentType: string,
    filename: string,
  ): Promise<string | null> {
    if (await this.hasExtract(sha256)) return null;
    return extractFileText(file, contentType, filename);
  }

  /** Rebuilds every document from the tables it is made of; returns the number of documents. */
  async reindex(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT search_reindex_all() AS n`)) as { n: string }[];
    return Number(row.n);
  }

  /**
   * Ranked hits of the caller's authority grouped by case: per case its best hit with a snippet. Another
   * authority's shared case is found by its coordination fields (reference and title) only.
   */
  async search(request: SearchRequest): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
    const authorityId = RequestContext.authorityId();
    const q = normaliseQuery(request.q);
    const kinds = parseKinds(request.type);
    const cursor = decodeSearchCursor(request.cursor);
    const limit = request.limit ?? 20;
    return this.unitOfWork.run(async (manager) => {
      // A statement of a few milliseconds whose estimated cost (the branches it may skip) would have it compiled
      // (JIT, ~200 ms) and its trigram scan run by parallel workers (their start-up): neither, for this one (nor for
      // the rest of a caller's transaction this one joins: planner settings only).
      await manager.query(
        `SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
      );
      return this.pages(authorityId, q, kinds, cursor, limit);
    });
  }

  /** The page: from the tier the cursor is in, then from the next ones (a few at most per request). */
  private async pages(
    authorityId: string,
    q: string,
    kinds: SearchKind[] | null,
    start: SearchCursor | null,
    limit: number,
  ): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
    let cursor = start;
    const indexed = indexQuery(q);
    const around = substringTerm(q);
    const items: SearchHit[] = [];
    const manager = this.unitOfWork.manager();
    for (let round = 0; ; round++) {
      const rows = (await manager.query(PAGE_SQL, [
        authorityId,
        indexed ?? q,
        kinds,
        cursor?.tiered ?? false,
        cursor?.tier?.at ?? null,
        cursor?.tier?.kind ?? null,
        cursor?.tier?.sourceId ?? null,
        cursor?.score ?? null,
        cursor?.score === null ? '' : (cursor?.key ?? ''),
        limit - items.length + 1,
        indexed === null && around !== null ? containsPattern(around) : null,
        around,
        fuzzyAllowed(q),
        q,
      ])) as Row[];
      const found = rows.filter((row) => row.group_key !== null);
      const taken = found.slice(0, limit - items.length);
      items.push(...taken.map(hitOf(around ?? q)));
      const [meta] = rows;
      const last = taken.at(-1);
      if (found.length > taken.length && last)
        return {
          items,
          nextCursor: encodeSearchCursor({
            tiered: meta.tiered,
            tier: cursor?.tier ?? null,
            score: last.score_text,
            key: last.group_key ?? '',
          }),
        };
      // This tier (or all matches) is done.
      if (!meta.tiered || !meta.next_at || !meta.next_kind || !meta.next_source) return { items, nextCursor: null };
      cursor = {
        tiered: true,
        tier: { at: meta.next_at, kind: meta.next_kind, sourceId: meta.next_source },
        score: null,
        key: '',
      };
      if (items.length === limit || round + 1 >= TIERS_PER_PAGE)
        return { items, nextCursor: encodeSearchCursor(cursor) };
    }
  }
}

/** A row of the page as the API's hit. */
const hitOf =
  (marked: string) =>
  (row: Row): SearchHit => ({
    caseId: row.case_id,
    reference: row.reference,
    kind: row.kind,
    title: row.case_title ?? row.heading,
    where: row.label,
    snippet: snippetHtml(row.headline, row.around, marked),
    score: Number(row.score),
    sourceId: row.source_id,
    sharedFrom: row.case_authority,
  });
