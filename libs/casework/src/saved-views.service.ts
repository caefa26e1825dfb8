import { Injectable } from '@nestjs/common';
import { CaseListQuery, CasesService } from '#docket/cases';
import { DeadlineListQuery, DeadlineQueries } from '#docket/deadlines';
import {
  Conflict,
  NotAllowed,
  NotFound,
  RequestContext,
  strictValidationPipe,
  ValidationProblem,
  type FieldError,
} from '#docket/platform';
import type { CreateSavedViewRequest, SavedViewView } from './dto.js';
import { SavedViewRepository } from './casework.repositories.js';
import type { SavedView, SavedViewList } from './saved-view.entity.js';

/** How many views one user may keep (their own; shared ones of others do not count). */
const VIEWS_PER_USER = 100;
/** Parameters a view never keeps: they belong to one page of the list, not to its filter. */
const PAGE_PARAMETERS = ['cursor', 'limit'];
const QUERY_TYPES = { cases: CaseListQuery, deadlines: DeadlineListQuery } as const;

/** The list page a view opens. */
export function viewHref(list: SavedViewList, query: Record<string, string>): string {
  const search = new URLSearchParams(Object.entries(query)).toString();
  return `/${list}${search ? `?${search}` : ''}`;
}

/** A user's saved filters and orders of the case and deadline lists, and those shared with the whole authority. */
@Injectable()
export class SavedViewsService {
  constructor(
    private readonly repo: SavedViewRepository,
    private readonly cases: CasesService,
    private readonly deadlines: DeadlineQueries,
  ) {}

  /** The caller's views and the authority's shared ones, by name. */
  async list(list?: SavedViewList): Promise<SavedViewView[]> {
    const { userId } = RequestContext.actor();
    return (await this.repo.visibleTo(userId, list)).map((view) => this.view(view));
  }

  async create(request: CreateSavedViewRequest): Promise<SavedViewView> {
    const actor = RequestContext.actor();
    if (!actor.userId) throw new NotAllowed('A view is saved by a user.');
    const query = await this.checkedQuery(request.list, request.query);
    const owned = await this.repo.countOwnedBy(actor.userId);
    if (owned >= VIEWS_PER_USER)
      throw new Conflict(`You keep ${owned} views, the most one user may; delete one first.`);
    const saved = await this.repo.create({
      ownerId: actor.userId,
      name: request.name,
      list: request.list,
      query,
      shared: request.shared ?? false,
    });
    return this.view(saved);
  }

  /** Deleted by its owner; a shared view also by an admin or manager of the authority. */
  async remove(id: string): Promise<void> {
    const view = await this.require(id);
    const actor = RequestContext.actor();
    const mayDelete = view.ownerId === actor.userId || (view.shared && ['admin', 'manager'].includes(actor.role));
    if (!mayDelete)
      throw new NotAllowed(`The view "${view.name}" is another user's: only they (or an admin) delete it.`);
    await this.repo.remove(view.id);
  }

  /** A view the caller sees (their own, or shared in their authority); 404 otherwise. */
  async require(id: string): Promise<SavedView> {
    const { userId } = RequestContext.actor();
    const view = await this.repo.findOne({ id });
    if (!view || (view.ownerId !== userId && !view.shared))
      throw new NotFound(`There is no saved view ${id} that you can see.`);
    return view;
  }

  /**
   * The ids of the cases a view shows now, in its order (a deadlines view: the cases of its deadlines, each once);
   * more than `max` is a 400, never a silent cut.
   */
  async caseIds(view: SavedView, max: number): Promise<string[]> {
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      if (view.list === 'cases') {
        const page = await this.cases.list({ ...(await this.parsed('cases', view.query)), limit: 200, cursor });
        for (const item of page.items) ids.add(item.id);
        cursor = page.nextCursor ?? undefined;
      } else {
        const page = await this.deadlines.list({ ...(await this.parsed('deadlines', view.query)), limit: 500, cursor });
        for (const deadline of page.items) ids.add(deadline.caseId);
        cursor = page.nextCursor ?? undefined;
      }
      if (ids.size > max)
        throw new ValidationProblem(
          [
            {
              field: 'viewId',
              message: `the view "${view.name}" shows more than ${max} cases; narrow its filters`,
              key: 'bulk.refusal.viewTooLarge',
              params: { name: view.name, max },
            },
          ],
          `One bulk action takes at most ${max} cases; the view "${view.name}" shows more.`,
        ).withMessage('bulk.refusal.viewTooLargeDetail', { name: view.name, max });
    } while (cursor);
    return [...ids];
  }

  /** The query as the list reads it: the list's own DTO and rules, so a view can hold nothing the list refuses. */
  private async parsed(list: SavedViewList, query: Record<string, string>): Promise<CaseListQuery & DeadlineListQuery> {
    return (await strictValidationPipe().transform(
      { ...query },
      { type: 'query', metatype: QUERY_TYPES[list], data: undefined },
    )) as CaseListQuery & DeadlineListQuery;
  }

  private async checkedQuery(list: SavedViewList, query: Record<string, unknown>): Promise<Record<string, string>> {
    const errors: FieldError[] = [];
    const kept: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) {
      if (PAGE_PARAMETERS.includes(key))
        errors.push({
          field: `query.${key}`,
          message: `a view keeps filters and order, not ${key}`,
          key: 'views.refusal.pageParameter',
          params: { parameter: key },
        });
      else if (typeof value !== 'string' || value.length > 500)
        errors.push({
          field: `query.${key}`,
          message: `query.${key} must be text of at most 500 characters`,
          key: 'views.refusal.filterText',
          params: { max: 500 },
        });
      else if (value.trim() !== '') kept[key] = value.trim();
    }
    if (errors.length) throw new ValidationProblem(errors);
    try {
      // Read and run once, as the list would: an unknown filter, a bad value or sort key is refused now, not later.
      const parsed = await this.parsed(list, kept);
      if (list === 'cases') await this.cases.list({ ...parsed, limit: 1 });
      else await this.deadlines.list({ ...parsed, limit: 1 });
    } catch (error) {
      if (error instanceof ValidationProblem && error.fieldErrors.length)
        throw error.renamed((field) => `query.${field}`);
      throw error;
    }
    return kept;
  }

  private view(view: SavedView): SavedViewView {
    return {
      id: view.id,
      name: view.name,
      list: view.list,
      query: view.query,
      shared: view.shared,
      mine: view.ownerId === RequestContext.actor().userId,
      href: viewHref(view.list, view.query),
      createdAt: view.createdAt.toISOString(),
    };
  }
}
