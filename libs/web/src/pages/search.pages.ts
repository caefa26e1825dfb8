import { Get, Query } from '@nestjs/common';
import { t } from '#docket/i18n';
import { Roles } from '#docket/platform';
import { SEARCH_KINDS, SearchService, type SearchHit } from '#docket/search';
import { formErrors, formValues, noErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { labelsOf } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { queryString } from './page-helpers.js';

const FIELDS = ['q', 'type', 'cursor'];
const PAGE_SIZE = 20;

/** Where a hit is, as the result list names it. */
export const KIND_LABELS = labelsOf('searchKind.', SEARCH_KINDS) as Record<(typeof SEARCH_KINDS)[number], string>;

/** One search over the authority's files, from the box in the header. */
@Page('search')
@Roles('admin', 'manager', 'officer', 'viewer')
export class SearchPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly searchService: SearchService,
  ) {}

  @Get()
  async search(@Query() query: Record<string, unknown>) {
    const values = formValues(query, FIELDS);
    let errors = noErrors();
    let page: { items: SearchHit[]; nextCursor: string | null } | null = null;
    if (query.q !== undefined || values.cursor || values.type) {
      try {
        page = await this.searchService.search({
          q: values.q,
          type: values.type || undefined,
          cursor: values.cursor || undefined,
          limit: PAGE_SIZE,
        });
      } catch (error) {
        errors = formErrors(error, {
          form: 'search',
          fields: ['q', 'type'],
          messages: {
            q: values.q.trim() ? t('search.error.long') : t('search.error.empty'),
          },
          rename: { cursor: 'q' },
        });
      }
    }
    const filters = { q: values.q, type: values.type };
    return this.pages.render(
      'search',
      {
        title: values.q.trim() ? t('search.title', { q: values.q.trim().slice(0, 60) }) : t('common.search'),
        searchQuery: values.q,
        values,
        errors,
        kinds: [
          { value: '', label: t('search.everything') },
          ...SEARCH_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] })),
        ],
        searched: page !== null,
        results: (page?.items ?? []).map((hit) => ({
          href: hit.caseId ? `/cases/${hit.caseId}` : `/inbox/${hit.sourceId}`,
          reference: hit.reference,
          title: hit.title,
          where: hit.where,
          kind: KIND_LABELS[hit.kind],
          sharedFrom: hit.sharedFrom,
          // Safe HTML: escaped text with <mark> around the hits (SearchService.snippetHtml).
          snippet: hit.snippet,
        })),
        paged: Boolean(values.cursor),
        firstHref: `/search${queryString(filters)}`,
        nextHref: page?.nextCursor ? `/search${queryString({ ...filters, cursor: page.nextCursor })}` : null,
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }
}
