import { t } from '#docket/i18n';
import { queryString } from './page-helpers.js';

/** A column header that orders a list: its `sort` key, its label (translated) and the way a first click orders. */
export interface SortColumn {
  key: string;
  label: string;
  first: 'asc' | 'desc';
}

/** What partials/sort-header shows: aria-sort on the ordered column, a link that orders by the column. */
export interface SortHeader {
  key: string;
  label: string;
  ariaSort: 'ascending' | 'descending' | null;
  href: string;
  action: string;
}

/**
 * The sort headers of a list page at `path` with its filters: a click on the ordered column turns the order round,
 * a click on another orders by it (the way it is first read: names A to Z, dates newest first).
 */
export function sortHeaders(
  path: string,
  filters: Record<string, string | null | undefined>,
  currentSort: string,
  columns: SortColumn[],
): Record<string, SortHeader> {
  const descending = currentSort.startsWith('-');
  const current = currentSort.replace(/^-/, '');
  return Object.fromEntries(
    columns.map((column) => {
      const active = current === column.key;
      const next = active
        ? descending
          ? column.key
          : `-${column.key}`
        : column.first === 'desc'
          ? `-${column.key}`
          : column.key;
      return [
        column.key,
        {
          key: column.key,
          label: column.label,
          ariaSort: active ? (descending ? 'descending' : 'ascending') : null,
          href: `${path}${queryString({ ...filters, sort: next })}`,
          action: t(next.startsWith('-') ? 'common.sortDescending' : 'common.sortAscending'),
        },
      ];
    }),
  );
}

/** The links of partials/pager: the next and previous pages by their cursors, and the first page once paged. */
export function pagerLinks(
  path: string,
  filters: Record<string, string | null | undefined>,
  page: { nextCursor: string | null; prevCursor?: string | null },
  paged: boolean,
): { nextHref: string | null; prevHref: string | null; firstHref: string | null } {
  return {
    nextHref: page.nextCursor ? `${path}${queryString({ ...filters, cursor: page.nextCursor })}` : null,
    prevHref: page.prevCursor ? `${path}${queryString({ ...filters, cursor: page.prevCursor })}` : null,
    firstHref: paged ? `${path}${queryString(filters)}` : null,
  };
}
