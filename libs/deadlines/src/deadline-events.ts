import { Logger } from '@nestjs/common';
import type { AuthorityRecord } from '#docket/identity';
import type { Deadline } from './deadline.entity.js';

/** A change staff made to a running deadline, as told to those who listen (letters to the organisation). */
export interface DeadlineChange {
  action: 'extended' | 'suspended' | 'resumed' | 'restarted';
  previousDueAt: Date;
  /** When the clock stopped: the suspension's start (suspended), or the one that just ended (resumed). */
  stoppedAt: Date | null;
}

/**
 * Told on the event bus in the transaction of each extension, suspension, resumption or restart of a deadline, after
 * it was saved, recorded and its reminders replanned (correspondence writes to the organisation).
 */
export class DeadlineChanged {
  constructor(
    readonly deadline: Deadline,
    readonly change: DeadlineChange,
  ) {}
}

/**
 * A closure day added to or removed from an authority's calendar, told on the event bus in the transaction of the
 * change, after the authority's own deadlines were recomputed (cooperation counts its clocks again).
 */
export class ClosureDayChanged {
  constructor(
    readonly authority: AuthorityRecord,
    readonly date: string,
    readonly change: 'added' | 'removed',
  ) {}
}

/**
 * How an authority's calendar counts was changed (which settings, never their reasons), told like a closure day, after
 * the authority's own deadlines were recomputed.
 */
export class CalendarSettingsChanged {
  constructor(
    readonly authority: AuthorityRecord,
    readonly changed: string[],
  ) {}
}

const logger = new Logger('Reconciler');

/**
 * A pass of the maintenance reconciliation (every 30 s, and whole at worker start or after the queue lost its data),
 * told on the event bus outside any transaction after the deadlines context put back its own jobs: each context puts
 * back the jobs of its queue the queue lost, with `step`, which counts what it put back for the pass's report.
 */
export class ReconciliationPass {
  /** What each context's step put back, by the step's name. */
  readonly steps: Record<string, number> = {};

  /** Runs one context's step; a failure is logged and counted 0, and does not keep the other steps from running. */
  async step(name: string, work: () => Promise<number>): Promise<void> {
    this.steps[name] = await work().catch((error: unknown) => {
      logger.error(`reconciliation step ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    });
  }
}
