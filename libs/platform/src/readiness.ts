import { Injectable } from '@nestjs/common';

/** What a context adds to `/health/ready`: its figures; it throws when the context cannot answer. */
export type ReadinessCheck = () => Promise<Record<string, unknown>>;

/**
 * Checks other contexts add to `/health/ready` (the platform cannot know them). A check that answers is `up`, with
 * its figures, even when it reports itself `degraded` (mail waiting for the mail server): the process is ready and
 * must stay behind the load balancer.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks];
  }
}
