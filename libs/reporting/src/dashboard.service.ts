import { Injectable } from '@nestjs/common';
import { Clock, JoinedReads, RequestContext } from '#docket/platform';
import type { Dashboard } from './dashboard-stats.js';
import { ReportingRepository } from './reporting.repository.js';

@Injectable()
export class DashboardService {
  /**
   * Managers of one authority who open the dashboard at the same moment (a morning meeting, a wall screen) share a
   * read begun after each of them asked: as exact as a read of one's own, one statement for all of them. The read
   * runs in the request of the manager who asked first, so the scoped repository reads that manager's authority:
   * the key, checked.
   */
  private readonly reads = new JoinedReads<string, Dashboard>((authorityId) => {
    if (RequestContext.authorityId() !== authorityId) throw new Error('a dashboard read outside its authority');
    return this.reporting.dashboard(this.clock.now());
  });

  constructor(
    private readonly reporting: ReportingRepository,
    private readonly clock: Clock,
  ) {}

  /** The dashboard of the caller's authority. */
  get(): Promise<Dashboard> {
    return this.reads.read(RequestContext.authorityId());
  }
}
