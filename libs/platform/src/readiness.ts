import { ExtensionPoint } from './extensions.js';

/**
 * What a context adds to `/health/ready` (the platform cannot know them): its figures, under its name; it throws when
 * the context cannot answer. A check that answers is `up`, with its figures, even when it reports itself `degraded`
 * (mail waiting for the mail server): the process is ready and must stay behind the load balancer. A query the
 * platform asks: a context declares one provider class implementing it, marked `@Contributes(READINESS)`.
 */
export interface ReadinessCheck {
  /** The key of `details` in the answer of `/health/ready`. */
  readonly name: string;
  check(): Promise<Record<string, unknown>>;
}

export const READINESS = new ExtensionPoint<ReadinessCheck>('readiness checks');
