import { Get, Req } from '@nestjs/common';
import { t } from '#docket/i18n';
import type { DeadlineListQuery } from '#docket/deadlines';
import { SavedViewsService } from '#docket/casework';
import { IdentityService } from '#docket/identity';
import { InboundService, type RepliesToReview } from '#docket/inbound';
import { CASE_STATUSES } from '#docket/cases';
import { Clock } from '#docket/platform';
import { DashboardService, WorklistService } from '#docket/reporting';
import { formatInstant, localDate, type DateSettings } from '../dates.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { workRow } from './deadline-rows.js';
import { homeOf, queryString, settingsOf } from './page-helpers.js';

/** Rows a section of the dashboard shows before "See all N". */
const TOP_ROWS = 10;
/** My work stays short on a phone: a few rows a section. */
const MY_ROWS = 5;

/** The start pages: the authority's dashboard (managers, admins) and My work (an officer's own). */
@Page()
export class HomePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
    private readonly identity: IdentityService,
    private readonly worklist: WorklistService,
    private readonly stats: DashboardService,
    private readonly inbound: InboundService,
    private readonly views: SavedViewsService,
  ) {}

  /** The user's saved views and the authority's shared ones, with whether this user may delete each. */
  private async savedViews(role: string) {
    return (await this.views.list()).map((view) => ({
      ...view,
      deletable: view.mine || (view.shared && ['admin', 'manager'].includes(role)),
    }));
  }

  @Get()
  home(@Req() req: PageRequest) {
    return this.pages.redirect(homeOf(req.auth!));
  }

  @Get('dashboard')
  async dashboard(@Req() req: PageRequest) {
    const { authority, user } = req.auth!;
    if (!authority) {
      // The sysadmin belongs to no authority: show what it manages.
      const authorities = await this.identity.listAuthorities();
      return this.pages.render('sysadmin', { title: t('sysadmin.title'), authorities, userRole: user.role });
    }
    const rows = this.rows(req);
    const [overdue, dueSoon, suspended, suspendedCount, stats, replies, savedViews] = await Promise.all([
      rows({ due: 'overdue' }, TOP_ROWS),
      rows({ due: 'next30days' }, TOP_ROWS),
      rows({ status: 'suspended' }, TOP_ROWS),
      this.worklist.count({ status: 'suspended' }),
      this.stats.get(),
      this.inbound.repliesToReview({ limit: TOP_ROWS }),
      this.savedViews(user.role),
    ]);
    return this.pages.render('dashboard', {
      title: t('dashboard.title'),
      savedViews,
      replies: replyRows(replies, settingsOf(req)),
      overdue,
      dueSoon,
      suspended,
      // True counts, from the database: the rows above are only the first of them.
      counts: {
        overdue: stats.deadlines.overdue,
        dueIn7Days: stats.deadlines.dueIn7Days,
        dueIn30Days: stats.deadlines.dueIn30Days,
        suspended: suspendedCount,
      },
      links: {
        overdue: deadlinesHref({ due: 'overdue' }),
        dueIn7Days: deadlinesHref({ due: 'next7days' }),
        dueIn30Days: deadlinesHref({ due: 'next30days' }),
        suspended: deadlinesHref({ status: 'suspended' }),
      },
      stats: {
        open: stats.cases.open,
        total: stats.cases.total,
        onTimeRate:
          stats.responses.onTimeRate === null ? null : t('dashboard.rate', { rate: stats.responses.onTimeRate }),
        median: stats.responses.medianDaysToRespond,
        received: stats.responses.received,
        late: stats.responses.late,
      },
      statusChart: barChart(
        CASE_STATUSES.filter((status) => status !== 'closed').map((status) => ({
          label: t(`caseStatus.${status}`),
          value: stats.cases.byStatus[status] ?? 0,
          href: `/cases?status=${status}`,
        })),
      ),
      assigneeChart: barChart(
        stats.byAssignee.map((line) => ({
          label: line.name ?? t('dashboard.notAssigned'),
          value: line.openCases,
          extra: line.overdueDeadlines,
          href: line.assigneeId ? `/cases?assigneeId=${line.assigneeId}` : '/cases',
        })),
      ),
      byOrganisation: stats.byOrganisation.map((line) => ({
        ...line,
        href: `/cases?organisationId=${line.organisationId}`,
      })),
      oldest: stats.oldestOpenCases.map((item) => ({ ...item, href: `/cases/${item.id}` })),
    });
  }

  /** The signed-in user's own work: their overdue deadlines, those due this week, cases still without a letter. */
  @Get('my-work')
  async myWork(@Req() req: PageRequest) {
    const { authority, user } = req.auth!;
    if (!authority) return this.pages.redirect('/dashboard');
    const rows = this.rows(req);
    const mine = { assigneeId: user.id };
    const [overdue, dueThisWeek, replies, drafts, savedViews] = await Promise.all([
      rows({ ...mine, due: 'overdue' }, MY_ROWS, true),
      rows({ ...mine, due: 'next7days' }, MY_ROWS, true),
      this.inbound.repliesToReview({ ...mine, limit: MY_ROWS }),
      this.worklist.casesWithoutLetter(user.id, MY_ROWS),
      this.savedViews(user.role),
    ]);
    return this.pages.render('my-work', {
      title: t('myWork.title'),
      savedViews,
      replies: replyRows(replies, settingsOf(req)),
      overdue,
      dueThisWeek,
      drafts: {
        total: drafts.total,
        items: drafts.items.map((item) => ({
          ...item,
          createdAt: new Date(item.createdAt).toISOString(),
          href: `/cases/${item.id}`,
          writeHref: `/cases/${item.id}/inquiries/new`,
        })),
        href: `/cases${queryString({ status: 'open', assigneeId: user.id })}`,
      },
      allMineHref: deadlinesHref({ assigneeId: user.id }),
    });
  }

  /** The first `limit` deadlines of a filter as rows, with how many there are in all and the link to them. */
  private rows(req: PageRequest) {
    const settings = settingsOf(req);
    return async (filter: Omit<DeadlineListQuery, 'limit' | 'cursor'>, limit: number, counted = false) => {
      const now = this.clock.now();
      const today = localDate(now, settings.timezone);
      const [page, total] = await Promise.all([
        this.worklist.page({ ...filter, limit }),
        counted ? this.worklist.count(filter) : null,
      ]);
      return {
        rows: page.items.map((item) => workRow(item, today, now, settings)),
        more: page.nextCursor !== null,
        total,
        href: deadlinesHref(filter),
      };
    };
  }
}

/** Replies by e-mail waiting for staff to confirm them as the response (or dismiss them), newest first. */
function replyRows(replies: RepliesToReview, settings: DateSettings) {
  return {
    total: replies.total,
    items: replies.items.map((reply) => ({
      href: `/inbox/${reply.id}`,
      subject: reply.subject,
      from: reply.from,
      receivedAt: reply.receivedAt,
      receivedText: formatInstant(reply.receivedAt, settings),
      case: { href: `/cases/${reply.caseId}`, reference: reply.caseReference, title: reply.caseTitle },
    })),
  };
}

/** The deadline list page with these filters. */
export function deadlinesHref(filter: Record<string, string | undefined>): string {
  return `/deadlines${queryString(filter)}`;
}

const BAR_HEIGHT = 24;
const BAR_GAP = 10;
const LABEL_WIDTH = 130;
const CHART_WIDTH = 320;

/** Horizontal bars laid out for an inline SVG (a 320-unit wide viewBox that scales down to a phone). */
function barChart(items: { label: string; value: number; extra?: number; href: string }[]) {
  const max = Math.max(1, ...items.map((item) => item.value));
  const room = CHART_WIDTH - LABEL_WIDTH - 40;
  return {
    width: CHART_WIDTH,
    height: Math.max(1, items.length) * (BAR_HEIGHT + BAR_GAP),
    bars: items.map((item, index) => ({
      ...item,
      label: item.label.length > 18 ? `${item.label.slice(0, 17)}…` : item.label,
      fullLabel: item.label,
      y: index * (BAR_HEIGHT + BAR_GAP),
      textY: index * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT / 2 + 5,
      x: LABEL_WIDTH,
      width: Math.round((item.value / max) * room),
      valueX: LABEL_WIDTH + Math.round((item.value / max) * room) + 6,
      height: BAR_HEIGHT,
    })),
    summary: items.map((item) => `${item.label}: ${item.value}`).join(', '),
  };
}
