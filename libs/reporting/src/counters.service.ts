import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '#docket/platform';
import { ReportingRepository } from './reporting.repository.js';

export interface CounterDifference {
  metric: string;
  key: string;
  counted: number;
  recounted: number;
}

/**
 * Maintenance of the dashboard counters, for one authority at a time (the statements themselves run through the
 * scoped ReportingRepository, acting for the authority named), and the sweep over every authority.
 */
@Injectable()
export class CountersService {
  private readonly logger = new Logger(CountersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly reporting: ReportingRepository,
  ) {}

  values(authorityId: string): Promise<Map<string, number>> {
    return RequestContext.asAuthority(authorityId, () => this.reporting.counterValues(), 'counters');
  }

  /** Where the materialised counters and a recount disagree (empty when they are right). */
  async check(authorityId: string): Promise<CounterDifference[]> {
    const [counted, recounted] = await RequestContext.asAuthority(
      authorityId,
      () => Promise.all([this.reporting.counterValues(), this.reporting.recount()]),
      'counters',
    );
    const keys = new Set([...counted.keys(), ...recounted.keys()]);
    return [...keys]
      .filter((key) => (counted.get(key) ?? 0) !== (recounted.get(key) ?? 0))
      .map((key) => {
        const [metric, counterKey] = key.split('|');
        return { metric, key: counterKey, counted: counted.get(key) ?? 0, recounted: recounted.get(key) ?? 0 };
      });
  }

  rebuild(authorityId: string): Promise<void> {
    return RequestContext.asAuthority(authorityId, () => this.reporting.rebuild(), 'counters');
  }

  /** Folds the authority's deltas into its totals (the dashboard reads the totals and sums the deltas left). */
  compact(authorityId: string): Promise<void> {
    return RequestContext.asAuthority(authorityId, () => this.reporting.fold(), 'counters');
  }

  /** Compacts every authority with deltas to fold; returns how many there were. */
  async compactAll(): Promise<number> {
    const due = (await this.dataSource.query(`SELECT DISTINCT authority_id FROM dashboard_counters`)) as {
      authority_id: string;
    }[];
    for (const { authority_id: authorityId } of due) await this.compact(authorityId);
    if (due.length)
      this.logger.debug(`compacted the dashboard counters of ${due.length} authorit${due.length === 1 ? 'y' : 'ies'}`);
    return due.length;
  }
}
