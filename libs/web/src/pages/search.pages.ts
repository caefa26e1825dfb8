import { Get, Query } from '@nestjs/common';
import { Roles } from '#docket/platform';
import { SEARCH_KINDS, SearchService, type SearchHit } from '#docket/search';
import { formErrors, formValues, noErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { queryString } from './page-helpers.js';

const FIELDS = ['q', 'type', 'cursor'];
const PAGE_SIZE = 20;

/** Where a hit is, as the result list names it. */
export const KIND_LABELS: Record<(typeof SEARCH_KINDS)[number], string> = {
  case: 'Case title or reference',
  tag: 'Tags',
  organisation: 'Organisation',
  contact: 'Contacts',
  letter: 'Letters',
  reply: 'Replies by e-mail',
  inbox: 'Inbox (to triage)',
  note: 'Notes',
  response: 'Responses',
  answer: 'Notes on answers',
  outcome: 'Outcomes',
  attachment: 'Attachments',
};

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
            q: values.q.trim() ? 'Enter at most 500 characters to search for' : 'Enter the words to search for',
          },
          rename: { cursor: 'q' },
        });
      }
    }
    const filters = { q: values.q, type: values.type };
    return this.pages.render(
      'search',
      {
        title: values.q.trim() ? `Search: ${values.q.trim().slice(0, 60)}` : 'Search',
        searchQuery: values.q,
        values,
        errors,
        kinds: [
          { value: '', label: 'Everything' },
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
