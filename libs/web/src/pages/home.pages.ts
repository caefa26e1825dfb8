import { Get, Req } from '@nestjs/common';
import { DeadlineQueries, type Deadline } from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import { Clock } from '#docket/platform';
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
    const [missed, pastDue, soon, suspended] = await Promise.all([
      list({ status: 'missed' }),
      list({ status: 'pending', dueBefore: now.toISOString() }),
      list({ status: 'pending', dueAfter: now.toISOString(), dueBefore: new Date(now.getTime() + 30 * DAY).toISOString() }),
      list({ status: 'suspended' }),
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
    });
  }
}
