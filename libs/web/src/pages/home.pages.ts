import { Get, Req } from '@nestjs/common';
import { DeadlineQueries, type Deadline } from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import { CASE_STATUSES } from '#docket/cases';
import { Clock } from '#docket/platform';
import { DashboardService } from '#docket/reporting';
import { localDate } from '../dates.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { deadlineRow } from './deadline-rows.js';

const DAY = 24 * 3600_000;
const LIST_LIMIT = 100;

/** The start page: the authority's deadlines, overdue first, then due soon. */
@Page()
export class HomePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
    private readonly identity: IdentityService,
    private readonly deadlines: DeadlineQueries,
    private readonly stats: DashboardService,
  ) {}

  @Get()
  home() {
    return this.pages.redirect('/dashboard');
  }

  @Get('dashboard')
  async dashboard(@Req() req: PageRequest) {
    const { authority, user } = req.auth!;
    if (!authority) {
      // The sysadmin belongs to no authority: show what it manages.
      const authorities = await this.identity.listAuthorities();
      return this.pages.render('sysadmin', { title: 'Authorities', authorities, userRole: user.role });
    }
    const now = this.clock.now();
    const today = localDate(now, authority.timezone);
    const settings = { timezone: authority.timezone, locale: authority.locale };
    const list = async (filter: Parameters<DeadlineQueries['list']>[0]) => (await this.deadlines.list({ ...filter, limit: LIST_LIMIT })).items;
    const [missed, pastDue, soon, suspended, stats] = await Promise.all([
      list({ status: 'missed' }),
      list({ status: 'pending', dueBefore: now.toISOString() }),
      list({ status: 'pending', dueAfter: now.toISOString(), dueBefore: new Date(now.getTime() + 30 * DAY).toISOString() }),
      list({ status: 'suspended' }),
      this.stats.get(),
    ]);
    const byDue = (a: Deadline, b: Deadline) => a.dueAt.getTime() - b.dueAt.getTime();
    const row = (deadline: Deadline) => deadlineRow(deadline, today, settings);
    const overdue = [...missed, ...pastDue].sort(byDue).map(row);
    const dueSoon = soon.map(row);
    return this.pages.render('dashboard', {
      title: 'Dashboard',
      overdue,
      dueSoon,
      suspended: suspended.map(row),
      counts: {
        overdue: overdue.length,
        dueIn7Days: soon.filter((deadline) => deadline.dueAt.getTime() < now.getTime() + 7 * DAY).length,
        dueIn30Days: dueSoon.length,
        suspended: suspended.length,
      },
      today,
      stats: {
        open: stats.cases.open,
        total: stats.cases.total,
        onTimeRate: stats.responses.onTimeRate === null ? null : `${Math.round(stats.responses.onTimeRate * 100)}%`,
        median: stats.responses.medianDaysToRespond,
        received: stats.responses.received,
        late: stats.responses.late,
      },
      statusChart: barChart(CASE_STATUSES.filter((status) => status !== 'closed').map((status) => ({ label: status.replace(/_/g, ' '), value: stats.cases.byStatus[status] ?? 0, href: `/cases?status=${status}` }))),
      assigneeChart: barChart(stats.byAssignee.map((line) => ({ label: line.name ?? 'Not assigned', value: line.openCases, extra: line.overdueDeadlines, href: line.assigneeId ? `/cases?assigneeId=${line.assigneeId}` : '/cases' }))),
      byOrganisation: stats.byOrganisation.map((line) => ({ ...line, href: `/cases?organisationId=${line.organisationId}` })),
      oldest: stats.oldestOpenCases.map((item) => ({ ...item, href: `/cases/${item.id}` })),
    });
  }
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
