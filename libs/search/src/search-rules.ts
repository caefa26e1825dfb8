import { decodeCursor, encodeCursor, escapeHtml, ValidationProblem } from '#docket/platform';

/** What a hit can be found in; each is one kind of document of the index. */
export const SEARCH_KINDS = [
  'case',
  'tag',
  'organisation',
  'contact',
  'letter',
  'reply',
  'inbox',
  'note',
  'response',
  'answer',
  'outcome',
  'attachment',
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const MAX_QUERY_LENGTH = 500;

/** Hangul, kana and CJK ideographs: scripts written without spaces between words, which stemming cannot split. */
const NO_WORD_SPACES =
  /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]/u;

export function hasUnspacedScript(text: string): boolean {
  return NO_WORD_SPACES.test(text);
}

/** The query as searched: whitespace collapsed; 400 when blank or longer than MAX_QUERY_LENGTH. */
export function normaliseQuery(q: unknown): string {
  const text = typeof q === 'string' ? q.replace(/\s+/gu, ' ').trim() : '';
  if (!text)
    throw new ValidationProblem([
      { field: 'q', message: 'q must name what to search for (not blank)', key: 'search.refusal.empty' },
    ]);
  if (text.length > MAX_QUERY_LENGTH)
    throw new ValidationProblem([
      {
        field: 'q',
        message: `q must be at most ${MAX_QUERY_LENGTH} characters long; search for fewer words`,
        key: 'search.refusal.long',
        params: { max: MAX_QUERY_LENGTH },
      },
    ]);
  return text;
}

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const UNSPACED_RUN =
  /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+/gu;

/**
 * The query as the index is searched (websearch syntax): a run of Korean or Japanese characters becomes the
 * phrase of its overlapping bigrams ("처리방침" → "처리 리방 방침"), as the documents' text is indexed (migration
 * 1764000031110), so it is found inside longer words (처리방침을). Quotes are dropped from such a query (each run is
 * a phrase of its own). Null when a run is a single character (no bigram: matched as a substring instead).
 */
export function indexQuery(query: string): string | null {
  if (!hasUnspacedScript(query)) return query;
  const runs = query.match(UNSPACED_RUN) ?? [];
  if (runs.some((run) => [...run].length < 2)) return null;
  return query.replace(/"/g, ' ').replace(UNSPACED_RUN, (run) => {
    const chars = [...run];
    return ` "${chars
      .slice(0, -1)
      .map((char, i) => char + chars[i + 1])
      .join(' ')}" `;
  });
}

/**
 * The text looked for in a document to show a snippet around it when the index's words are not the text's
 * (Korean and Japanese, matched by bigrams); also matched as a substring (`ILIKE`, trigram-indexed) when
 * `indexQuery` cannot bigram it (a single character).
 */
export function substringTerm(query: string): string | null {
  if (hasUnspacedScript(query)) return query;
  return null;
}

/**
 * Misspelt names (trigram similarity of case titles, tags, organisation names and contacts) are looked for when
 * the query is words of letters: never for references, numbers or codes, where one digit apart is another record.
 */
export function fuzzyAllowed(query: string): boolean {
  return query.length >= 4 && !/[\d@]/u.test(query) && !hasUnspacedScript(query);
}

/**
 * Where a page of search results starts. A search with few matches ranks all of them (`tiered` false); one with
 * many ranks them in tiers of the most recently written documents, and `tier` is where the current tier starts
 * (null: the newest). Within a tier (or all matches) the page starts after (`score`, `key`); score null: at the
 * tier's start.
 */
export interface SearchCursor {
  tiered: boolean;
  tier: { at: string; kind: string; sourceId: string } | null;
  score: string | null;
  key: string;
}

const INSTANT_TEXT = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:?\d\d)?|Z)$/;

export const encodeSearchCursor = (cursor: SearchCursor): string =>
  encodeCursor([
    cursor.tiered ? 't' : 'a',
    cursor.tier?.at ?? '',
    cursor.tier?.kind ?? '',
    cursor.tier?.sourceId ?? '',
    cursor.score ?? '',
    cursor.key,
  ]);

export function decodeSearchCursor(cursor: string | undefined): SearchCursor | null {
  if (cursor === undefined) return null;
  const refuse = () =>
    new ValidationProblem([
      {
        field: 'cursor',
        message: 'cursor is not one this server gave out; use nextCursor from the previous page',
        key: 'list.refusal.cursor',
      },
    ]);
  let parts: string[];
  try {
    parts = decodeCursor(cursor, Array<'string'>(6).fill('string')) as string[];
  } catch {
    // Cursors of before the tiers: (score, key) over all matches.
    parts = ['a', '', '', '', ...(decodeCursor(cursor, ['string', 'string']) as string[])];
  }
  const [mode, at, kind, sourceId, score, key] = parts;
  const tier = at ? { at, kind, sourceId } : null;
  if (
    (mode !== 'a' && mode !== 't') ||
    (score !== '' && !/^\d+(\.\d+)?(e-?\d+)?$/i.test(score)) ||
    key.length > 200 ||
    (tier &&
      (mode !== 't' ||
        !INSTANT_TEXT.test(tier.at) ||
        !(SEARCH_KINDS as readonly string[]).includes(tier.kind) ||
        !tier.sourceId ||
        tier.sourceId.length > 200)) ||
    (!tier && (kind || sourceId))
  )
    throw refuse();
  return { tiered: mode === 't', tier, score: score || null, key };
}

const START = '\ue000';
const STOP = '\ue001';
export const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * The snippet as safe HTML: the text escaped, each hit in <mark>. `headline` is ts_headline's output (hits between
 * the private-use markers); when it marks nothing (a Korean phrase found by substring), `around` (the text around
 * the first occurrence) is marked where it contains the query.
 */
export function snippetHtml(headline: string | null, around: string | null, query: string): string {
  if (headline && headline.includes(START)) {
    return escapeHtml(headline.replace(/\s+/gu, ' ').trim()).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
  }
  const text = (around ?? headline ?? '')
    .replace(/[\ue000\ue001]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) return escapeHtml(text.slice(0, 240));
  const start = Math.max(0, at - 80);
  const end = Math.min(text.length, at + query.length + 120);
  return (
    (start > 0 ? '… ' : '') +
    escapeHtml(text.slice(start, at)) +
    '<mark>' +
    escapeHtml(text.slice(at, at + query.length)) +
    '</mark>' +
    escapeHtml(text.slice(at + query.length, end)) +
    (end < text.length ? ' …' : '')
  );
}

export function parseKinds(type: string | undefined): SearchKind[] | null {
  if (type === undefined) return null;
  const kinds = type
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const unknown = kinds.filter((kind) => !(SEARCH_KINDS as readonly string[]).includes(kind));
  if (kinds.length === 0 || unknown.length)
    throw new ValidationProblem([
      {
        field: 'type',
        message: `type must be one or more of ${SEARCH_KINDS.join(', ')}, comma-separated${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`,
        key: 'validation.choice',
      },
    ]);
  return [...new Set(kinds)] as SearchKind[];
}
