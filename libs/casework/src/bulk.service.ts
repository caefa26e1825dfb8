import { Injectable, Logger } from '@nestjs/common';
import { CasesService } from '#docket/cases';
import { DeadlinesService } from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import { assigneeErrors } from '#docket/cases';
import {
  databaseProblem,
  databaseRefusal,
  DomainError,
  httpExceptionOf,
  NotAllowed,
  ProblemException,
  RequestContext,
  ValidationProblem,
  type FieldError,
  type FieldMessage,
} from '#docket/platform';
import { BULK_MAX_CASES, type BulkFailure, type BulkRequest, type BulkResult } from './dto.js';
import { SavedViewsService } from './saved-views.service.js';

/** Who may share a case for coordination (as POST /api/v1/cases/{id}/share). */
const SHARERS = ['admin', 'manager'];

/** The status and words a change made alone would have answered with. */
export function failureOf(id: string, thrown: unknown): BulkFailure | null {
  const error = httpExceptionOf(thrown);
  if (error) {
    const body = error.getResponse();
    const { detail, errors, message } = (typeof body === 'object' && body ? body : {}) as {
      detail?: string;
      errors?: FieldError[];
      message?: string | string[];
    };
    const words = errors?.length
      ? errors.map((item) => item.message).join('; ')
      : (detail ?? (Array.isArray(message) ? message.join('; ') : message) ?? error.message);
    return { id, status: error.getStatus(), detail: words };
  }
  const problem = databaseProblem(thrown);
  return problem ? { id, status: problem.status, detail: problem.detail } : null;
}

/**
 * The refusal of one case as a catalogue message, for pages in the reader's language: a field error's, or the
 * detail's (ProblemException.withMessage, CatalogueProblem); null for a refusal without one.
 */
export function failureMessage(error: unknown): FieldMessage | null {
  if (error instanceof ValidationProblem && error.fieldErrors.length) return error.fieldMessages[0] ?? null;
  const { detailKey, detailParams } = (error ?? {}) as { detailKey?: unknown; detailParams?: FieldMessage['params'] };
  if (typeof detailKey === 'string') return { key: detailKey, params: detailParams };
  if (error instanceof ProblemException || error instanceof DomainError) return error.detailMessage ?? null;
  return databaseRefusal(error)?.messages.detail ?? null;
}

/** A bulk action's result, with each failure's catalogue message (by case id) for pages. */
export interface BulkOutcome {
  result: BulkResult;
  messages: Map<string, FieldMessage>;
}

/**
 * One action on many cases, each case on its own: every case goes through the same service call as the single
 * change (its own transaction, checks and audit entry), so one refusal (a stale version, a closed case, a case of
 * another authority) fails that case alone and the others go on.
 */
@Injectable()
export class BulkService {
  private readonly logger = new Logger(BulkService.name);

  constructor(
    private readonly cases: CasesService,
    private readonly deadlines: DeadlinesService,
    private readonly identity: IdentityService,
    private readonly views: SavedViewsService,
  ) {}

  async apply(request: BulkRequest): Promise<BulkResult> {
    return (await this.run(request)).result;
  }

  /** apply, with each failure's catalogue message for a page in the reader's language. */
  async run(request: BulkRequest): Promise<BulkOutcome> {
    const messages = new Map<string, FieldMessage>();
    const ids = request.ids ?? (await this.views.caseIds(await this.views.require(request.viewId!), BULK_MAX_CASES));
    const versions = this.versionsOf(request, ids);
    if (request.action === 'share' && !SHARERS.includes(RequestContext.actor().role))
      throw new NotAllowed('Only an admin or a manager shares cases for coordination.');
    if (request.action === 'reassign' && request.assigneeId) {
      const assignee = await this.identity.userOfMyAuthority(request.assigneeId);
      const errors = assigneeErrors(request.assigneeId, assignee);
      if (errors.length) throw new ValidationProblem(errors);
    }
    const result: BulkResult = { action: request.action, succeeded: [], failed: [] };
    for (const id of ids) {
      try {
        await this.applyOne(request, id, versions.get(id));
        result.succeeded.push(id);
      } catch (error) {
        const failure = failureOf(id, error);
        const message = failureMessage(error);
        if (message) messages.set(id, message);
        if (!failure) {
          this.logger.error(`bulk ${request.action} of case ${id}: ${error instanceof Error ? error.stack : error}`);
          result.failed.push({ id, status: 500, detail: 'This case could not be changed: an unexpected error.' });
        } else result.failed.push(failure);
      }
    }
    return { result, messages };
  }

  private async applyOne(request: BulkRequest, id: string, expected: number | undefined): Promise<void> {
    switch (request.action) {
      case 'reassign':
        await this.cases.update(id, expected ?? (await this.cases.require(id)).version, {
          assigneeId: request.assigneeId ?? null,
        });
        return;
      case 'set_priority':
        await this.cases.update(id, expected ?? (await this.cases.require(id)).version, {
          priority: request.priority,
        });
        return;
      case 'add_tag': {
        const current = await this.cases.require(id);
        const tag = request.tag as string;
        if (current.tags.includes(tag)) return;
        if (current.tags.length >= 20)
          throw new ValidationProblem([
            {
              field: 'tag',
              message: `${current.reference} already has 20 tags`,
              key: 'bulk.refusal.tooManyTags',
              params: { reference: current.reference, max: 20 },
            },
          ]);
        await this.cases.update(id, expected ?? current.version, { tags: [...current.tags, tag] });
        return;
      }
      case 'extend':
        await this.deadlines.extendRunningOfCase(
          id,
          { count: request.count as number, unit: request.unit! },
          request.reason as string,
          expected,
        );
        return;
      case 'share':
        await this.cases.setSharing(id, true, expected);
        return;
      case 'close':
        await this.cases.close(id, request.reason as string, expected);
        return;
    }
  }

  /** `versions` may only name cases of the request, each with a version number. */
  private versionsOf(request: BulkRequest, ids: string[]): Map<string, number> {
    const given = Object.entries(request.versions ?? {});
    const known = new Set(ids);
    const errors: FieldError[] = [];
    for (const [id, version] of given) {
      if (!known.has(id))
        errors.push({
          field: `versions.${id}`,
          message: 'versions names a case that is not in ids',
          key: 'bulk.refusal.versionNotSelected',
        });
      else if (!Number.isInteger(version) || version < 1 || version > 999_999_999)
        errors.push({
          field: `versions.${id}`,
          message: 'a version is a whole number from 1',
          key: 'bulk.refusal.version',
        });
    }
    if (errors.length) throw new ValidationProblem(errors);
    return new Map(given);
  }
}
