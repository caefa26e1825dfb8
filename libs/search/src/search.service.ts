import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RequestContext } from '#docket/platform';
import {
  containsPattern,
  decodeSearchCursor,
  encodeSearchCursor,
  fuzzyAllowed,
  HEADLINE_OPTIONS,
  normaliseQuery,
  parseKinds,
  snippetHtml,
  substringTerm,
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
  group_key: string;
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
}

// Every language the authorities write in: a query word is matched by each language's stem and as written.
const TSQUERY = `(websearch_to_tsquery('simple', $2) || websearch_to_tsquery('english', $2) || websearch_to_tsquery('italian', $2)
  || websearch_to_tsquery('french', $2) || websearch_to_tsquery('german', $2) || websearch_to_tsquery('dutch', $2))`;

/**
 * The search of one authority's files (libs/search). The index is `search_documents`, kept by triggers in the
 * writers' transactions (see the migration 1764000018400); this service is its only reader, and its only other
 * writer is the extracted text of stored files. A deployment that outgrows one PostgreSQL replaces this class
 * (README: Search).
 */
@Injectable()
export class SearchService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Extracts the text of a file once (per content) and keeps it for the index; call it inside the transaction
   * that writes the file's row, before the row, so the row's trigger finds it.
   */
  async storeExtract(manager: EntityManager, sha256: string, text: string | null): Promise<void> {
    if (!text) return;
    await manager.query(`INSERT INTO search_extracts (sha256, text) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING`, [
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
    const substring = substringTerm(q);
    const rows = (await this.dataSource.query(
      `WITH tsq AS (SELECT ${TSQUERY} AS q),
       matched AS (
         SELECT d.kind, d.source_id, d.authority_id, d.case_id, d.organisation_id, ts_rank(d.tsv, tsq.q) AS score
           FROM search_documents d, tsq
          WHERE d.tsv @@ tsq.q AND ($3::text[] IS NULL OR d.kind = ANY($3))
            AND (d.authority_id = $1 OR d.authority_id IS NULL OR d.kind = 'case')
         UNION ALL
         SELECT d.kind, d.source_id, d.authority_id, d.case_id, d.organisation_id, 0.05::real
           FROM search_documents d
          WHERE $4::text IS NOT NULL AND (d.heading || ' ' || d.body) ILIKE $4 AND ($3::text[] IS NULL OR d.kind = ANY($3))
            AND (d.authority_id = $1 OR d.authority_id IS NULL OR d.kind = 'case')
         UNION ALL
         SELECT d.kind, d.source_id, d.authority_id, d.case_id, d.organisation_id, (word_similarity($2, d.body) * 0.05)::real
           FROM search_documents d
          WHERE $9 AND d.kind IN ('case', 'organisation', 'tag', 'contact') AND $2 <% d.body AND ($3::text[] IS NULL OR d.kind = ANY($3))
            AND (d.authority_id = $1 OR d.authority_id IS NULL OR d.kind = 'case')),
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
          WHERE $5::real IS NULL OR score < $5::real OR (score = $5::real AND group_key > $6)
          ORDER BY score DESC, group_key LIMIT $7)
       SELECT p.group_key, p.case_id, p.kind, p.source_id, p.score, p.score::text AS score_text,
              c.reference, c.title AS case_title, a.code AS case_authority, d.label, d.heading,
              ts_headline(d.config, d.heading || E'\\n' || left(d.body, 100000), tsq.q, '${HEADLINE_OPTIONS}') AS headline,
              CASE WHEN $8::text IS NULL THEN NULL ELSE
                substring(d.heading || E'\\n' || d.body FROM greatest(1, strpos(lower(d.heading || E'\\n' || d.body), lower($8)) - 100) FOR 400) END AS around
         FROM page p
         JOIN search_documents d ON d.kind = p.kind AND d.source_id = p.source_id
         LEFT JOIN cases c ON c.id = p.case_id
         LEFT JOIN authorities a ON a.id = c.authority_id AND c.authority_id <> $1
         CROSS JOIN tsq
        ORDER BY p.score DESC, p.group_key`,
      [
        authorityId,
        q,
        kinds,
        substring === null ? null : containsPattern(substring),
        cursor?.score ?? null,
        cursor?.key ?? '',
        limit + 1,
        substring,
        fuzzyAllowed(q),
      ],
    )) as Row[];
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        caseId: row.case_id,
        reference: row.reference,
        kind: row.kind,
        title: row.case_title ?? row.heading,
        where: row.label,
        snippet: snippetHtml(row.headline, row.around, substring ?? q),
        score: Number(row.score),
        sourceId: row.source_id,
        sharedFrom: row.case_authority,
      })),
      nextCursor: more && last ? encodeSearchCursor({ score: last.score_text, key: last.group_key }) : null,
    };
  }
}
