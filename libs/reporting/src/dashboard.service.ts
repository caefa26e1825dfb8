import { Injectable } from '@nestjs/common';
import { Clock, RequestContext, JoinedReads } from '#docket/platform';
import type { Dashboard } from './dashboard-stats.js';
import { ReportingRepository } from './reporting.repository.js';

@Injectable()
export class DashboardService {
  /**
   * Managers of one authority who open the dashboard at the same moment (a morning meeting, a wall screen) share a
   * read begun after each of them asked: as exact as a read of one's own, one statement for all of them.
   */
  private readonly reads = new JoinedReads<string, Dashboard>((authorityId) =>
    this.reporting.dashboard(authorityId, this.clock.now()),
  );

  constructor(
    private readonly reporting: ReportingRepository,
    private readonly clock: Clock,
  ) {}

  /** The dashboard of the caller's authority. */
  get(): Promise<Dashboard> {
    return this.reads.read(RequestContext.authorityId());
  }
}
