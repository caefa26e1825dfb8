import fc from 'fast-check';
import { encodeCursor } from './http-helpers.js';
import { fetchesDescending, keysetPage, keysetSql, readPageRequest, validSortValue, type ListOrder } from './keyset.js';
import { ValidationProblem } from './problem.js';

const ORDER: ListOrder<'createdAt' | 'title' | 'rank'> = {
  keys: { createdAt: 'timestamptz', title: 'text', rank: 'integer' },
  fallback: '-createdAt',
  legacy: ['-createdAt'],
};
const ID = '6f1c1f9e-8d3b-4c53-9b61-2f0d3e1c7a10';

function problemOf(work: () => unknown): { field: string; message: string }[] {
  try {
    work();
  } catch (error) {
    if (error instanceof ValidationProblem) return error.errors;
    throw error;
  }
  throw new Error('no problem raised');
}

describe('readPageRequest', () => {
  it('takes the fallback sort, the default limit and no cursor on the first page', () => {
    const request = readPageRequest({}, ORDER, 50);
    expect(request).toEqual({
      sort: { key: 'createdAt', descending: true, value: '-createdAt' },
      limit: 50,
      backwards: false,
      paged: false,
    });
  });

  it('refuses an unknown sort key, naming the keys there are', () => {
    const [error] = problemOf(() => readPageRequest({ sort: 'colour' }, ORDER, 50));
    expect(error.field).toBe('sort');
    expect(error.message).toContain('createdAt, title, rank');
  });

  it('reads a cursor of the same sort, and a prevCursor as a page backwards', () => {
    const cursor = encodeCursor(['Kestrel', ID, 'title']);
    expect(readPageRequest({ sort: 'title', cursor }, ORDER, 20)).toMatchObject({
      after: { value: 'Kestrel', id: ID },
      backwards: false,
      paged: true,
    });
    const back = readPageRequest({ sort: 'title', cursor: encodeCursor(['Kestrel', ID, 'title', 'prev']) }, ORDER, 20);
    expect(back.backwards).toBe(true);
    expect(fetchesDescending(back)).toBe(true);
  });

  it('accepts a two-part cursor of before `sort` only under the sorts that gave them out', () => {
    const legacy = encodeCursor(['2026-01-02T03:04:05.678Z', ID]);
    expect(readPageRequest({ cursor: legacy }, ORDER, 20).after).toEqual({ value: '2026-01-02T03:04:05.678Z', id: ID });
    expect(problemOf(() => readPageRequest({ sort: 'title', cursor: legacy }, ORDER, 20))[0].field).toBe('cursor');
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON that is not a list', Buffer.from('{"a":1}').toString('base64url')],
    ['a cursor of another sort', encodeCursor(['Kestrel', ID, 'createdAt'])],
    ['a forged sort value', encodeCursor(['yesterday', ID, '-createdAt'])],
    ['a forged id', encodeCursor(['2026-01-02 03:04:05+00', 'x', '-createdAt'])],
    ['a fourth part other than prev', encodeCursor(['2026-01-02 03:04:05+00', ID, '-createdAt', 'next'])],
    ['numbers where text belongs', Buffer.from(JSON.stringify([1, 2, 3])).toString('base64url')],
  ])('refuses %s with a 400 naming cursor', (_label, cursor) => {
    expect(problemOf(() => readPageRequest({ cursor }, ORDER, 20))[0].field).toBe('cursor');
  });
});

describe('validSortValue', () => {
  it('knows the text PostgreSQL writes for each type', () => {
    expect(validSortValue('timestamptz', '2026-12-02 17:40:41.123456+00')).toBe(true);
    expect(validSortValue('timestamptz', '2026-12-02 17:40:41+05:30')).toBe(true);
    expect(validSortValue('timestamptz', 'infinity')).toBe(true);
    expect(validSortValue('timestamptz', "2026-12-02'; DROP TABLE cases")).toBe(false);
    expect(validSortValue('integer', '-42')).toBe(true);
    expect(validSortValue('integer', '4.2')).toBe(false);
    expect(validSortValue('uuid', ID)).toBe(true);
    expect(validSortValue('text', 'x'.repeat(401))).toBe(false);
  });
});

describe('keysetSql', () => {
  it('orders on (value, id) and starts after the cursor, both ways', () => {
    const column = { value: 'c.title', type: 'text' as const, id: 'c.id' };
    const first = keysetSql(readPageRequest({ sort: 'title' }, ORDER, 10), column, '$1', '$2');
    expect(first).toEqual({ where: null, orderBy: 'c.title ASC, c.id ASC', direction: 'ASC' });
    const next = readPageRequest({ sort: '-title', cursor: encodeCursor(['K', ID, '-title']) }, ORDER, 10);
    expect(keysetSql(next, column, '$1', '$2').where).toBe('(c.title, c.id) < ($1::text, $2::uuid)');
    const back = readPageRequest({ sort: '-title', cursor: encodeCursor(['K', ID, '-title', 'prev']) }, ORDER, 10);
    expect(keysetSql(back, column, '$1', '$2')).toMatchObject({
      where: '(c.title, c.id) > ($1::text, $2::uuid)',
      direction: 'ASC',
    });
  });
});

describe('keysetPage', () => {
  interface Row {
    value: string;
    id: string;
  }
  /** What the SQL of keysetSql answers, over rows in memory (plain string order, as with the C collation). */
  function fetch(rows: Row[], request: ReturnType<typeof readPageRequest>): Row[] {
    const descending = fetchesDescending(request);
    const compare = (a: Row, b: Row) => (a.value === b.value ? a.id.localeCompare(b.id) : a.value < b.value ? -1 : 1);
    const sorted = [...rows].sort((a, b) => (descending ? -compare(a, b) : compare(a, b)));
    const after = request.after;
    const rest = after ? sorted.filter((row) => (descending ? -1 : 1) * compare(row, after) > 0) : sorted;
    return rest.slice(0, request.limit + 1);
  }
  const key = (row: Row) => row;
  const order = { ...ORDER, id: 'text' as const };

  it('walks every row once forwards and backwards, ties included, at any page size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (values, limit, descending) => {
          const rows = values.map((value, i) => ({ value, id: `id-${String(i).padStart(3, '0')}` }));
          const sort = descending ? '-title' : 'title';
          const seen: Row[] = [];
          const first = readPageRequest({ sort, limit }, order, 10);
          let page = keysetPage(fetch(rows, first), first, key);
          seen.push(...page.items);
          expect(page.prevCursor).toBeNull();
          const pages = [page];
          while (page.nextCursor) {
            const request = readPageRequest({ sort, limit, cursor: page.nextCursor }, order, 10);
            page = keysetPage(fetch(rows, request), request, key);
            seen.push(...page.items);
            pages.push(page);
          }
          expect(seen.map((row) => row.id).sort()).toEqual(rows.map((row) => row.id).sort());
          expect(new Set(seen.map((row) => row.id)).size).toBe(rows.length);
          // Back from the last page, each page is the one seen before it.
          for (let i = pages.length - 1; i > 0; i--) {
            const prevCursor = pages[i].prevCursor;
            expect(prevCursor).not.toBeNull();
            const request = readPageRequest({ sort, limit, cursor: prevCursor ?? undefined }, order, 10);
            expect(keysetPage(fetch(rows, request), request, key).items).toEqual(pages[i - 1].items);
          }
        },
      ),
    );
  });
});
