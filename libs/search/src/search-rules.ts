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

/**
 * Substring matching (trigram-indexed) is used for text without word spaces, and for a query that is a single
 * token of three characters or more that stemming may not split the way the text does (e-mail domains, codes).
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

export interface SearchCursor {
  score: string;
  key: string;
}

export const encodeSearchCursor = (cursor: SearchCursor): string => encodeCursor([cursor.score, cursor.key]);

export function decodeSearchCursor(cursor: string | undefined): SearchCursor | null {
  if (cursor === undefined) return null;
  const [score, key] = decodeCursor(cursor, ['string', 'string']) as [string, string];
  if (!/^\d+(\.\d+)?(e-?\d+)?$/i.test(score) || key.length > 200)
    throw new ValidationProblem([
      {
        field: 'cursor',
        message: 'cursor is not one this server gave out; use nextCursor from the previous page',
        key: 'list.refusal.cursor',
      },
    ]);
  return { score, key };
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
