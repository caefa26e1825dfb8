import { Clock } from '#docket/platform';

/**
 * The demo's clock: fixed at the instant of each step of the story while it is replayed, or live (the
 * real time). The services read it like any clock, so each step is recorded, audited and counted as of
 * its own date.
 */
export class DemoClock extends Clock {
  private fixed: Date | null = null;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  at(instant: Date): void {
    this.fixed = new Date(instant);
  }

  live(): void {
    this.fixed = null;
  }
}
