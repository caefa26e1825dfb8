import { Injectable } from '@nestjs/common';
import { Clock } from '#docket/platform';
import type { Dashboard } from './dashboard-stats.js';
import { ReportingRepository } from './reporting.repository.js';

@Injectable()
export class DashboardService {
  constructor(
    private readonly reporting: ReportingRepository,
    private readonly clock: Clock,
  ) {}

  /** The dashboard of the caller's authority. */
  get(): Promise<Dashboard> {
    return this.reporting.dashboard(this.clock.now());
  }
}
