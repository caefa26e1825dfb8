import type { MessageParams } from '#docket/i18n';
import type { FieldMessage } from './problem.js';

/**
 * A refusal of the domain, as a type of the domain: what a service says when it will not do what it was asked,
 * without knowing who asked or how (an API call, a page, a queue job). The HTTP edge answers each type with its
 * problem+json (`problemException` in problem.ts: status, title, the detail, the extensions); a worker sorts them by
 * type (a refusal will not change when the job is tried again). `detail` is the English sentence; `withMessage` adds
 * the same sentence as a catalogue message, for callers who read another language. ValidationProblem (problem.ts) is
 * the domain's refusal of what was sent, field by field (HTTP: 400). Unavailable is the one that is no refusal: the
 * domain cannot do it now, and may later.
 */
export abstract class DomainError extends Error {
  /** The detail as a catalogue message (see withMessage). */
  detailMessage?: FieldMessage;

  /**
   * A short summary of its own, where the general one of its kind ('Conflict') says less than it could ('File
   * quarantined'): the problem's `title` (English, as titles are).
   */
  readonly title?: string;

  /** `extensions`: further members of the problem (`currentStatus`, `allowed`, `currentVersion`, …). */
  constructor(
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }

  /** The English sentence saying what was refused and, where there is one, what to do instead. */
  get detail(): string {
    return this.message;
  }

  /**
   * The same detail as a catalogue message: a caller whose user reads another language gets it in theirs (problem+json
   * and pages); English callers keep the detail as given.
   */
  withMessage(key: string, params: MessageParams = {}): this {
    this.detailMessage = { key, params };
    return this;
  }
}

/** What was asked for does not exist, or not for the caller (another authority's record). HTTP: 404. */
export class NotFound extends DomainError {}

/**
 * The state of what was asked for does not allow it: a closed case, a deadline that is no longer running, a
 * status the life cycle cannot leave that way, a duplicate. HTTP: 409.
 */
export class Conflict extends DomainError {}

/** A change based on an old read: the version sent is no longer the current one. HTTP: 412. */
export class StaleVersion extends DomainError {}

/** The caller may not do this: a role, or an authority, not theirs. HTTP: 403. */
export class NotAllowed extends DomainError {}

/**
 * The caller is not who they claim, or not anybody yet: a sign-in refused (a wrong e-mail or password), a token that
 * is missing or no longer valid. HTTP: 401.
 */
export class NotAuthenticated extends DomainError {}

/**
 * What was sent cannot be used as a whole (not field by field: that is ValidationProblem): a template version without
 * a locale, a file that is no CSV, the answer of a sign-in provider that fails its checks. HTTP: 400.
 */
export class InvalidInput extends DomainError {}

/** Something that existed and no longer serves: a used, expired or withdrawn link. HTTP: 410. */
export class Gone extends DomainError {}

/** More than Docket takes at once: too many values, rows or bytes. HTTP: 413. */
export class TooLarge extends DomainError {}

/**
 * What was sent is readable, but cannot be acted on as a whole: an import file with rows in error (its report in the
 * extensions). HTTP: 422.
 */
export class Unprocessable extends DomainError {}

/** Too many attempts for a while: an account locked after wrong passwords. HTTP: 429. */
export class TooManyAttempts extends DomainError {}

/**
 * Not now: something the work needs is not there (the mail server, a sign-in provider, an audit chain that cannot take
 * an entry). No refusal: the same request may succeed later, so a worker tries its job again. HTTP: 503.
 */
export class Unavailable extends DomainError {}

/**
 * Whether an error is a refusal, which will not change when the work is tried again (a worker fails the item rather
 * than retrying it): a domain error, by its type, but Unavailable. HTTP exceptions belong to the HTTP edge
 * (controllers, guards, pages; test/architecture.spec.ts holds the rule): no service throws one, so a worker meets
 * none, and would take one for a fault.
 */
export function isRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && !(error instanceof Unavailable);
}
