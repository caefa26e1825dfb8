import { decodeCursor, encodeCursor } from './http-helpers.js';
import { badCursor, parseSort, type ListSort } from './list-sort.js';

/** How a sort value is compared in SQL (and so which text a cursor may carry for it). */
export type SortValueType = 'timestamptz' | 'text' | 'integer' | 'uuid';

/**
 * A list's documented order: each `sort` key with the SQL type of its value, the default (`-createdAt`), and the
 * sorts under which a cursor of two parts `[value, id]`, given out before the list took `sort`, still pages on.
 * Every value must be non-null in SQL (coalesce what can be missing): a NULL never compares.
 */
export interface ListOrder<K extends string> {
  keys: Readonly<Record<K, SortValueType>>;
  fallback: string;
  legacy?: readonly string[];
  /** The SQL type of the row's id, the tie-breaker (uuid unless said). */
  id?: SortValueType;
}

/** What a list is asked for, once checked: the sort, where to start and which way. */
export interface PageRequest<K extends string> {
  sort: ListSort<K>;
  limit: number;
  /** The row the page starts after (its sort value as SQL text, and id); none on the first page. */
  after?: { value: string; id: string };
  /** A cursor given as prevCursor: the page before, fetched in the reverse order and turned round. */
  backwards: boolean;
  /** Whether a cursor was given (the first page has no page before it). */
  paged: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** Whether `value` is text SQL can read as `type` (what this server puts in cursors, nothing forged). */
export function validSortValue(type: SortValueType, value: string): boolean {
  switch (type) {
    case 'timestamptz':
      return value === 'infinity' || value === '-infinity' || INSTANT.test(value);
    case 'integer':
      return /^-?\d{1,18}$/.test(value);
    case 'uuid':
      return UUID.test(value);
    case 'text':
      return value.length <= 400;
  }
}

/**
 * Reads `sort` and `cursor` of a list: an unknown sort key is a 400 naming the keys there are; a cursor that this
 * server did not give out, or gave out for another sort, is a 400 naming `cursor`. Cursors are opaque base64url
 * JSON: `[value, id, sort]`, with `'prev'` at the end for the page before.
 */
export function readPageRequest<K extends string>(
  query: { sort?: string; cursor?: string; limit?: number },
  order: ListOrder<K>,
  defaultLimit: number,
): PageRequest<K> {
  const sort = parseSort(query.sort, Object.keys(order.keys) as K[], order.fallback);
  const request: PageRequest<K> = {
    sort,
    limit: query.limit ?? defaultLimit,
    backwards: false,
    paged: Boolean(query.cursor),
  };
  if (!query.cursor) return request;
  const parts = cursorParts(query.cursor);
  const [value, id, given, direction] = parts;
  if (parts.length === 2 ? !order.legacy?.includes(sort.value) : given !== sort.value) throw badCursor();
  if (parts.length === 4 && direction !== 'prev') throw badCursor();
  if (!validSortValue(order.keys[sort.key], value) || !validSortValue(order.id ?? 'uuid', id)) throw badCursor();
  request.after = { value, id };
  request.backwards = parts.length === 4;
  return request;
}

function cursorParts(cursor: string): string[] {
  for (const size of [3, 4, 2])
    try {
      return decodeCursor(cursor, Array<'string'>(size).fill('string')) as string[];
    } catch {
      // another shape, or none
    }
  throw badCursor();
}

/** Whether the rows are fetched in descending order (the order asked for, reversed to page backwards). */
export function fetchesDescending(request: PageRequest<string>): boolean {
  return request.sort.descending !== request.backwards;
}

/**
 * The SQL of a page: `where` (null on the first page) keeps the rows after the cursor's, `orderBy` orders them
 * (`direction` for query builders that take the value and the id apart), both on (value, id), so that
 * `LIMIT limit + 1` tells whether there is more. `valueParam` and `idParam` are the placeholders the caller binds
 * `request.after.value` and `request.after.id` to (`$3`, `:afterValue`).
 */
export function keysetSql(
  request: PageRequest<string>,
  column: { value: string; type: SortValueType; id: string; idType?: SortValueType },
  valueParam: string,
  idParam: string,
): { where: string | null; orderBy: string; direction: 'ASC' | 'DESC' } {
  const descending = fetchesDescending(request);
  const direction = descending ? 'DESC' : 'ASC';
  return {
    direction,
    where: request.after
      ? `(${column.value}, ${column.id}) ${descending ? '<' : '>'} (${valueParam}::${column.type}, ${idParam}::${column.idType ?? 'uuid'})`
      : null,
    orderBy: `${column.value} ${direction}, ${column.id} ${direction}`,
  };
}

export interface KeysetPage<T> {
  items: T[];
  /** Pass as cursor for the next page; null on the last. */
  nextCursor: string | null;
  /** Pass as cursor for the page before; null on the first. */
  prevCursor: string | null;
}

/**
 * The page of at most `limit` rows out of the `limit + 1` fetched, in the order asked for, with its cursors.
 * `keyOf` gives a row's sort value as SQL wrote it as text (`(value)::text`: a JavaScript Date would lose the
 * microseconds and repeat rows) and its id.
 */
export function keysetPage<T>(
  rows: T[],
  request: PageRequest<string>,
  keyOf: (row: T) => { value: string; id: string },
): KeysetPage<T> {
  const more = rows.length > request.limit;
  const items = rows.slice(0, request.limit);
  if (request.backwards) items.reverse();
  const cursor = (row: T | undefined, ...tail: string[]) => {
    if (row === undefined) return null;
    const { value, id } = keyOf(row);
    return encodeCursor([value, id, request.sort.value, ...tail]);
  };
  return {
    items,
    nextCursor: request.backwards || more ? cursor(items[items.length - 1]) : null,
    prevCursor: (request.backwards ? more : request.paged) ? cursor(items[0], 'prev') : null,
  };
}
