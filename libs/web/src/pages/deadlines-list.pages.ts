import { Get, Query, Req, Res } from '@nestjs/common';
import type { Response as ExpressResponse } from 'express';
import { DateTime } from 'luxon';
import { t } from '#docket/i18n';
import { DEADLINE_KINDS, DEADLINE_STATUSES, DeadlineListQuery, type DeadlineListFilter } from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import { CASE_WRITERS, Clock, Roles, ValidationProblem, type FieldError } from '#docket/platform';
import { ExportsService, WorklistService } from '#docket/reporting';
import { localDate } from '../dates.js';
import { formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { kindLabel, workRow, type WorkRow } from './deadline-rows.js';
import { labelsOf, optionsOf } from '../labels.js';
import { fieldErrorsOf, queryString, settingsOf } from './page-helpers.js';

const PAGE_SIZE = 25;
/** The filters of the page, as its address carries them (from/to are the authority's local dates). */
const FILTER_FIELDS = ['assigneeId', 'kind', 'status', 'due', 'from', 'to', 'sort'] as const;
const FIELDS = [...FILTER_FIELDS, 'cursor'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MESSAGES = labelsOf('deadlines.list.error.', ['assigneeId', 'kind', 'status', 'due', 'sort', 'cursor']);

const WINDOW_OPTIONS = optionsOf([
  ['', 'deadlines.window.any'],
  ['overdue', 'deadlines.window.overdue'],
  ['next7days', 'deadlines.window.next7days'],
  ['next30days', 'deadlines.window.next30days'],
]);
const SORT_OPTIONS = optionsOf([
  ['', 'deadlines.sort.soonest'],
  ['-dueAt', 'deadlines.sort.latest'],
]);

type Filters = Record<(typeof FILTER_FIELDS)[number], string>;

/** What a saved view keeps of the page's filters: those the API's list reads under the same names (not from/to). */
function savedFilters(filters: Filters): Record<string, string> {
  const { from: _from, to: _to, ...kept } = filters;
  return kept;
}

/**
 * The authority's deadlines with their cases: filtered by assignee, kind, status, dashboard window and due
 * dates, in due order, a page at a time, and the same list as CSV for a signed-in browser (the API's
 * export takes bearer tokens only).
 */
@Page()
@Roles('admin', 'manager', 'officer', 'viewer')
export class DeadlineListPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
    private readonly identity: IdentityService,
    private readonly worklist: WorklistService,
    private readonly exports: ExportsService,
  ) {}

  @Get('deadlines')
  async list(@Req() req: PageRequest, @Query() query: Record<string, unknown>) {
    const values = formValues(query, FIELDS);
    const filters: Filters = Object.fromEntries(FILTER_FIELDS.map((field) => [field, values[field]])) as Filters;
    let errors: FormErrors = noErrors();
    let rows: WorkRow[] = [];
    let nextCursor: string | null = null;
    let prevCursor: string | null = null;
    let total: number | null = null;
    try {
      const filter = await this.filterOf(req, query);
      const settings = settingsOf(req);
      const now = this.clock.now();
      const today = localDate(now, settings.timezone);
      const [page, count] = await Promise.all([
        this.worklist.page({ ...filter, limit: PAGE_SIZE }),
        this.worklist.count(filter),
      ]);
      rows = page.items.map((item) => workRow(item, today, now, settings));
      nextCursor = page.nextCursor;
      prevCursor = page.prevCursor;
      total = count;
    } catch (error) {
      errors = formErrors(error, { form: 'filter', fields: [...FIELDS], messages: MESSAGES });
    }
    const assignees = await this.identity.listUsers(CASE_WRITERS);
    const filtered = Object.values(filters).some(Boolean);
    return this.pages.render(
      'deadlines/list',
      {
        title: t('nav.deadlines'),
        rows,
        total,
        filtered,
        paged: Boolean(values.cursor),
        nextHref: nextCursor ? `/deadlines${queryString({ ...filters, cursor: nextCursor })}` : null,
        prevHref: prevCursor ? `/deadlines${queryString({ ...filters, cursor: prevCursor })}` : null,
        firstHref: `/deadlines${queryString(filters)}`,
        csvHref: `/deadlines.csv${queryString(filters)}`,
        saveViewHref: `/views/new${queryString({ list: 'deadlines', query: queryString(savedFilters(filters)).slice(1) })}`,
        descending: filters.sort === '-dueAt',
        options: {
          assignees: [
            { value: '', label: t('common.anyone') },
            ...assignees.map((user) => ({ value: user.id, label: user.name })),
          ],
          kinds: [
            { value: '', label: t('deadlines.list.anyKind') },
            ...DEADLINE_KINDS.map((kind) => ({ value: kind, label: kindLabel(kind) })),
          ],
          statuses: [
            { value: '', label: t('cases.list.anyStatus') },
            ...DEADLINE_STATUSES.map((status) => ({ value: status, label: t(`deadlineStatus.${status}`) })),
          ],
          windows: WINDOW_OPTIONS,
          sorts: SORT_OPTIONS,
        },
        values,
        errors,
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }

  @Get('deadlines.csv')
  async csv(
    @Req() req: PageRequest,
    @Query() query: Record<string, unknown>,
    @Res() res: ExpressResponse,
  ): Promise<void> {
    const { cursor: _cursor, ...filter } = await this.filterOf(req, { ...query, cursor: undefined });
    await this.exports.sendCsv(filter, req.auth!.authority!.code, res);
  }

  /** The list query of the page's filters: checked as the API checks them, local dates made instants. */
  private async filterOf(
    req: PageRequest,
    query: Record<string, unknown>,
  ): Promise<DeadlineListFilter & Pick<DeadlineListQuery, 'sort' | 'cursor'>> {
    const values = formValues(query, FIELDS);
    const timezone = settingsOf(req).timezone;
    const problems: FieldError[] = [];
    const day = (field: 'from' | 'to'): DateTime | null => {
      const text = values[field].trim();
      if (!text) return null;
      const date = DATE.test(text) ? DateTime.fromISO(text, { zone: timezone }) : null;
      if (!date?.isValid || date.year < 1900 || date.year > 2199) {
        const key = field === 'from' ? 'deadlines.list.error.from' : 'deadlines.list.error.to';
        problems.push({ field, message: t(key), key });
        return null;
      }
      return date.startOf('day');
    };
    const from = day('from');
    const to = day('to');
    if (from && to && to < from)
      problems.push({
        field: 'to',
        message: t('deadlines.list.error.toBeforeFrom'),
        key: 'deadlines.list.error.toBeforeFrom',
      });
    let checked: DeadlineListQuery;
    try {
      checked = await validateForm(DeadlineListQuery, query, {
        fields: ['assigneeId', 'kind', 'status', 'due', 'sort', 'cursor'],
      });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (!fields) throw error;
      throw new ValidationProblem([...fields, ...problems]);
    }
    if (problems.length) throw new ValidationProblem(problems);
    return {
      ...checked,
      dueAfter: from?.toISO() ?? undefined,
      // Through the whole "to" day: before the start of the next.
      dueBefore: to?.plus({ days: 1 }).toISO() ?? undefined,
    };
  }
}
