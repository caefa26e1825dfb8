import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { In, Not } from 'typeorm';
import { AuditService } from '#docket/audit';
import { IdentityService, type AuthorityRecord, type UserRecord } from '#docket/identity';
import {
  activeTransaction,
  BatchLoader,
  Clock,
  Conflict,
  DomainError,
  EventBus,
  fetchesDescending,
  keysetPage,
  MicroBatcher,
  NotFound,
  readPageRequest,
  RequestContext,
  staleVersion,
  UnitOfWork,
  ValidationProblem,
  type Actor,
  type ListOrder,
} from '#docket/platform';
import { OrganisationsService, type OrganisationRecord } from '#docket/registry';
import { CaseAssigned, CaseClosed } from './case-events.js';
import { CaseFile, type TimelineMessage } from './case-file.js';
import { CaseNote } from './case-note.entity.js';
import { referenceYear } from './case-reference.js';
import { assigneeErrors, matchProducts } from './case-rules.js';
import { applyCaseEvent, type CaseEvent } from './case-status.js';
import { Case, type CaseRecord } from './case.entity.js';
import { CASE_ORDER, CaseNoteRepository, CaseRepository, type CaseIdsSubquery } from './case.repository.js';
import type {
  CaseListQuery,
  CasePage,
  CaseSummaryView,
  CaseView,
  CreateCaseRequest,
  NoteView,
  TimelineEventView,
  TimelineQuery,
  TimelineView,
  UpdateCaseRequest,
} from './dto.js';
import { caseEventMessage, summariseCaseEvent } from './timeline.js';
import { caseRecord, caseSummaryView, caseView, noteView, type CaseWithNames } from './views.js';

/** An entry of the audit trail, as the timeline reads it. */
type TrailEntry = Awaited<ReturnType<AuditService['list']>>[number];

/** The timeline pages on the audit trail's sequence: unique within the authority, so its own tie-breaker. */
const TIMELINE_ORDER: ListOrder<'seq'> = { keys: { seq: 'integer' }, fallback: 'seq', id: 'integer' };

export interface TransitionOptions {
  /** Required to close. */
  reason?: string;
  /** When given, a case at another version is refused with 412. */
  expectedVersion?: number;
  /** The case as the caller's transaction locked it and left it (getForUpdate, lockOpenWithParties): not read again. */
  locked?: Case;
}

const UPDATABLE = ['title', 'legalBasis', 'priority', 'assigneeId', 'tags', 'riskFlags', 'products'] as const;
const TIMELINE_BATCH = 5000;

const notFound = (id: string) =>
  new NotFound(`There is no case with id ${id} in your authority.`).withMessage('problem.cases.notFound', { id });
const closedToAdditions = (found: Case) =>
  new Conflict(`Case ${found.reference} is closed; nothing more can be added to it.`).withMessage(
    'problem.cases.closedNoAdditions',
    { reference: found.reference },
  );

/** A case with its authority, organisation and assignee, each read through its own context. */
export type CaseWithParties = Case & {
  authority: AuthorityRecord;
  organisation: OrganisationRecord;
  assignee: UserRecord | null;
};

/**
 * The cases context. Besides its own endpoints it is what later contexts call: they lock a case with
 * getForUpdate, move it with transition (inside their transaction) and check requireOpenCase.
 */
/** A case checked and ready to be written, with what its answer needs. */
interface NewCase {
  draft: Omit<Case, 'authorityId' | 'reference'>;
  authority: Pick<AuthorityRecord, 'id' | 'code' | 'timezone'>;
  year: number;
  /** Who asked: the author of its audit entry. */
  actor: Actor;
  organisation: OrganisationRecord;
  assignee: UserRecord | null;
  /** Set once written (the answer, once the batch has committed). */
  view?: CaseSummaryView;
  /** A failure after which it is unknown whether the case was committed: answered as it is. */
  failure?: unknown;
}

/**
 * Creations gathered into one transaction: at most two batches at once (the second's statements wait for the first's
 * counters only at its numbering), the creations arriving meanwhile waiting for the next.
 */
const CREATION_BATCH = { maxSize: 64, windowMs: 1, maxInFlight: 2 };

@Injectable()
export class CasesService {
  private readonly creations = new MicroBatcher<NewCase>((batch) => this.writeBatch(batch), CREATION_BATCH);
  private readonly organisationsToCheck = new BatchLoader<string, OrganisationRecord>(
    // An id that is no UUID is no organisation, and must not fail the read of the others.
    (ids) => this.organisations.byIds(ids.filter((id) => isUUID(id, 'all'))),
    CREATION_BATCH,
  );

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly cases: CaseRepository,
    private readonly notes: CaseNoteRepository,
    private readonly files: CaseFile,
    private readonly events: EventBus,
    private readonly organisations: OrganisationsService,
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * `authority` is the caller's, when the caller already has it loaded (the auth guard does). An import gives the date
   * the case was really opened (`openedAt`, also the year of its reference); run in its transaction, the creation
   * joins it. Otherwise the case is checked here, for this request alone, and written with the creations of other
   * requests that arrive meanwhile, in one transaction (see writeBatch): the answer comes once that has committed.
   */
  async create(
    request: CreateCaseRequest,
    authority?: Pick<AuthorityRecord, 'id' | 'code' | 'timezone'>,
    options: { openedAt?: Date } = {},
  ): Promise<CaseSummaryView> {
    const [own, organisation, assignee] = await Promise.all([
      authority?.id === RequestContext.authorityId() ? authority : this.identity.currentAuthority(),
      // Outside a transaction, read with the other creations' organisations asked for at the same time.
      activeTransaction()
        ? this.organisations.findById(request.organisationId)
        : this.organisationsToCheck.get(request.organisationId).then((found) => found ?? null),
      request.assigneeId ? this.identity.userOfMyAuthority(request.assigneeId) : Promise.resolve(null),
    ]);
    const errors = assigneeErrors(request.assigneeId, assignee);
    let products: string[] = [];
    if (!organisation) {
      errors.unshift({
        field: 'organisationId',
        message: `there is no organisation with id ${request.organisationId}; register it with POST /api/v1/organisations`,
        key: 'cases.refusal.noOrganisation',
      });
    } else {
      const matched = matchProducts(request.products ?? [], organisation);
      products = matched.products;
      errors.push(...matched.errors);
    }
    if (errors.length || !organisation) throw new ValidationProblem(errors);

    const now = this.clock.now();
    const openedAt = options.openedAt ?? now;
    const creation: NewCase = {
      draft: {
        id: randomUUID(),
        title: request.title,
        organisationId: organisation.id,
        products,
        type: request.type,
        legalBasis: request.legalBasis || null,
        priority: request.priority ?? 'normal',
        assigneeId: assignee?.id ?? null,
        tags: request.tags ?? [],
        riskFlags: request.riskFlags ?? [],
        status: 'open',
        version: 1,
        sharedForCoordination: false,
        createdAt: openedAt,
        updatedAt: now,
        closedAt: null,
        closeReason: null,
      },
      authority: own,
      year: referenceYear(openedAt, own.timezone),
      actor: RequestContext.actor(),
      organisation,
      assignee,
    };
    if (activeTransaction()) await this.unitOfWork.run(() => this.write([creation]));
    else {
      await this.creations.add(creation);
      if (creation.failure) throw creation.failure;
    }
    return creation.view as CaseSummaryView;
  }

  /**
   * Writes creations that arrived close together in one transaction: one follow of their organisations, one statement
   * numbering and inserting them all, their audit entries appended in order with the commit. A failure before the
   * commit, or a refusal of the application as it commits (an authority's damaged audit trail), left nothing written:
   * the batcher then writes each creation alone, so that one that cannot be written fails alone (its number given
   * back). A failure while committing may come after the commit (the connection lost as it answered): it is answered
   * as it is to every creation of the batch, never retried, so that no case is written twice.
   */
  private async writeBatch(creations: NewCase[]): Promise<void> {
    let committing = false;
    try {
      // A context of its own: the batch runs in the context of whichever request started it.
      await RequestContext.run(() =>
        this.unitOfWork.run(async () => {
          await this.write(creations);
          committing = true;
        }),
      );
    } catch (error) {
      if (!committing || error instanceof DomainError) throw error;
      for (const creation of creations) creation.failure = error;
    }
  }

  /** In the caller's transaction. Everything that can fail on input was checked before. */
  private async write(creations: NewCase[]): Promise<void> {
    // From now on each authority's trail records every change of the organisation's shared identity.
    await this.organisations.follow(
      creations.map(({ organisation, authority }) => ({ organisationId: organisation.id, authorityId: authority.id })),
    );
    // The counter rows are the last locks taken: the numbers are held only until the commit, which carries the audit
    // entries (see AuditService.record).
    const references = await this.cases.insertNumbered(
      creations.map(({ draft, authority, year }) => ({
        draft,
        authorityId: authority.id,
        authorityCode: authority.code,
        year,
      })),
    );
    for (const creation of creations) {
      const { draft, authority, actor, organisation, assignee } = creation;
      const created = Object.assign(new Case(), draft, {
        authorityId: authority.id,
        reference: references.get(draft.id) as string,
      });
      await RequestContext.run(
        () =>
          this.audit.record({
            action: 'case.created',
            entityType: 'case',
            entityId: draft.id,
            caseId: draft.id,
            after: caseRecord(created),
            authorityId: authority.id,
          }),
        actor,
      );
      creation.view = caseSummaryView(Object.assign(created, { organisation, assignee }));
    }
  }

  /** `authority`: the caller's, when the caller has it loaded (a list by local dates reads its time zone). */
  async list(query: CaseListQuery, authority?: Pick<AuthorityRecord, 'timezone'>): Promise<CasePage> {
    const request = readPageRequest(query, CASE_ORDER, 50);
    if (query.openedFrom && query.openedTo && query.openedFrom > query.openedTo)
      throw new ValidationProblem([
        {
          field: 'openedTo',
          message: 'openedTo must not be before openedFrom',
          key: 'cases.refusal.openedToBeforeFrom',
        },
      ]);
    if (query.updatedFrom && query.updatedTo && query.updatedFrom > query.updatedTo)
      throw new ValidationProblem([
        {
          field: 'updatedTo',
          message: 'updatedTo must not be before updatedFrom',
          key: 'cases.refusal.updatedToBeforeFrom',
        },
      ]);
    const dated = Boolean(query.openedFrom || query.openedTo || query.updatedFrom || query.updatedTo);
    const rows = await this.cases.page({
      statuses: query.status,
      organisationId: query.organisationId,
      assigneeId: query.assigneeId,
      q: query.q,
      priorities: query.priority,
      types: query.type,
      tag: query.tag,
      riskFlag: query.riskFlag,
      openedFrom: query.openedFrom,
      openedTo: query.openedTo,
      updatedFrom: query.updatedFrom,
      updatedTo: query.updatedTo,
      timeZone: dated ? (authority ?? (await this.identity.currentAuthority())).timezone : undefined,
      page: request,
    });
    const page = keysetPage(rows, request, (row) => ({ value: row.sortValue, id: row.kase.id }));
    const named = await this.named(page.items.map((row) => row.kase));
    return { ...page, items: named.map(caseSummaryView) };
  }

  /**
   * The ids of the caller's cases with this assignee or organisation as a subquery, for another context's list filtered
   * by them (the deadline list), so that only this context names its table and columns.
   */
  idsWith(column: 'assigneeId' | 'organisationId', value: string): CaseIdsSubquery {
    return this.cases.idsWith(column, value);
  }

  /** The whole case file: the case, its notes and every section other contexts registered. */
  async get(id: string): Promise<CaseView> {
    const found = await this.loadNamed(id);
    const [notes, sections] = await Promise.all([this.notes.forCase(id), this.files.load(id)]);
    return caseView(found, notes, sections);
  }

  async update(id: string, expectedVersion: number, patch: UpdateCaseRequest): Promise<CaseSummaryView> {
    if (UPDATABLE.every((key) => patch[key] === undefined))
      throw new ValidationProblem([], `Send at least one field to change: ${UPDATABLE.join(', ')}.`).withMessage(
        'problem.cases.nothingToChange',
        { fields: UPDATABLE.join(', ') },
      );
    const assignee = patch.assigneeId ? await this.identity.userOfMyAuthority(patch.assigneeId) : null;
    const errors = assigneeErrors(patch.assigneeId, assignee);
    if (errors.length) throw new ValidationProblem(errors);

    return this.unitOfWork.run(async (manager, afterCommit) => {
      const current = await this.getForUpdate(id);
      if (current.version !== expectedVersion) throw staleVersion('case', expectedVersion, current.version);
      if (current.status === 'closed')
        throw new Conflict(`Case ${current.reference} is closed; a closed case cannot be changed.`).withMessage(
          'problem.cases.closedUnchangeable',
          { reference: current.reference },
        );
      const next: Partial<Case> = {};
      if (patch.title !== undefined) next.title = patch.title;
      if (patch.legalBasis !== undefined) next.legalBasis = patch.legalBasis || null;
      if (patch.priority !== undefined) next.priority = patch.priority;
      if (patch.assigneeId !== undefined) next.assigneeId = patch.assigneeId;
      if (patch.tags !== undefined) next.tags = patch.tags;
      if (patch.riskFlags !== undefined) next.riskFlags = patch.riskFlags;
      if (patch.products !== undefined) {
        const organisation = await this.organisations.require(current.organisationId);
        const matched = matchProducts(patch.products, organisation);
        if (matched.errors.length) throw new ValidationProblem(matched.errors);
        next.products = matched.products;
      }
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(next) as [keyof Case, unknown][]) {
        if (JSON.stringify(value) === JSON.stringify(current[key])) continue;
        before[key] = current[key];
        after[key] = value;
      }
      if (Object.keys(after).length > 0) {
        await this.cases.update(id, {
          ...(after as Partial<Case>),
          version: current.version + 1,
          updatedAt: this.clock.now(),
        });
        await this.audit.record({
          action: 'case.updated',
          entityType: 'case',
          entityId: id,
          caseId: id,
          before,
          after,
        });
      }
      const updated = await this.loadNamed(id);
      if (after.assigneeId && after.assigneeId !== RequestContext.actor().userId)
        await this.events.publish(new CaseAssigned(updated), { manager, afterCommit });
      return caseSummaryView(updated);
    });
  }

  /** Closes the case (a closed case cannot be closed again: 409) and tells CaseClosed in the same transaction. */
  async close(id: string, reason: string, expectedVersion?: number): Promise<CaseSummaryView> {
    return this.unitOfWork.run(async (manager, afterCommit) => {
      const closed = await this.move(id, 'close', { reason, expectedVersion });
      await this.events.publish(new CaseClosed(id, closed.closeReason as string), { manager, afterCommit });
      return caseSummaryView(await this.loadNamed(id));
    });
  }

  async addNote(caseId: string, text: string): Promise<NoteView> {
    const actor = RequestContext.actor();
    return this.unitOfWork.run(async () => {
      if (!(await this.cases.findOne({ id: caseId }))) throw notFound(caseId);
      const note = Object.assign(new CaseNote(), {
        id: randomUUID(),
        caseId,
        authorId: actor.userId,
        authorLabel: actor.label,
        text,
        createdAt: this.clock.now(),
      });
      await this.notes.insert(note);
      await this.audit.record({
        action: 'note.added',
        entityType: 'note',
        entityId: note.id,
        caseId,
        after: { text },
      });
      return noteView(note);
    });
  }

  /** Every audit event of the case, oldest first, as lines of a case file. */
  async timeline(caseId: string): Promise<(TimelineEventView & { message: TimelineMessage | null })[]> {
    if (!(await this.cases.findOne({ id: caseId }))) throw notFound(caseId);
    const lines: (TimelineEventView & { message: TimelineMessage | null })[] = [];
    let afterSeq: string | undefined;
    for (;;) {
      const events = await this.audit.list({ caseId, limit: TIMELINE_BATCH, afterSeq });
      // Each line also as a catalogue message, for the case page in the reader's language.
      lines.push(
        ...events.map((event) => ({
          ...this.timelineLine(event),
          message: (this.files.messageFor(event.action) ?? caseEventMessage)(event),
        })),
      );
      if (events.length < TIMELINE_BATCH) return lines;
      afterSeq = events[events.length - 1].seq;
    }
  }

  /** A page of the case's timeline, oldest first unless `sort=-seq`, filtered by action and actor. */
  async timelinePage(caseId: string, query: TimelineQuery): Promise<TimelineView> {
    const request = readPageRequest(query, TIMELINE_ORDER, 500);
    if (!(await this.cases.findOne({ id: caseId }))) throw notFound(caseId);
    const filter = { caseId, actorId: query.actorId, actions: query.action?.split(',') };
    const [rows, total] = await Promise.all([
      this.audit.pageRows({
        ...filter,
        ascending: !fetchesDescending(request),
        limit: request.limit,
        afterSeq: request.after?.value,
      }),
      this.audit.count(filter),
    ]);
    const page = keysetPage(rows, request, (event) => ({ value: event.seq, id: event.seq }));
    return { ...page, items: page.items.map((event) => this.timelineLine(event)), total };
  }

  private timelineLine(event: TrailEntry): TimelineEventView {
    const summarise = this.files.summariserFor(event.action) ?? summariseCaseEvent;
    return {
      seq: event.seq,
      at: event.occurredAt.toISOString(),
      actor: { id: event.actorId, label: event.actorLabel },
      action: event.action,
      summary: summarise(event),
      entity: { type: event.entityType, id: event.entityId },
    };
  }

  /**
   * Shares the case with the other authorities' coordination view of its organisation, or stops
   * sharing it: the owning authority's decision, recorded in its audit trail. Setting what is already
   * set changes and records nothing.
   */
  async setSharing(id: string, shared: boolean, expectedVersion?: number): Promise<CaseSummaryView> {
    return this.unitOfWork.run(async () => {
      const current = await this.getForUpdate(id);
      if (expectedVersion !== undefined && current.version !== expectedVersion)
        throw staleVersion('case', expectedVersion, current.version);
      if (current.sharedForCoordination !== shared) {
        await this.cases.update(id, {
          sharedForCoordination: shared,
          version: current.version + 1,
          updatedAt: this.clock.now(),
        });
        await this.audit.record({
          action: shared ? 'case.shared' : 'case.unshared',
          entityType: 'case',
          entityId: id,
          caseId: id,
          before: { sharedForCoordination: !shared },
          after: { sharedForCoordination: shared },
        });
      }
      return caseSummaryView(await this.loadNamed(id));
    });
  }

  // ---- for other contexts ----

  /** Reference and title of these cases of the caller's authority, by case id (others are left out). */
  async headlines(caseIds: string[]): Promise<Map<string, Pick<CaseRecord, 'reference' | 'title'>>> {
    if (!caseIds.length) return new Map();
    const found = await this.cases.find({
      where: { id: In([...new Set(caseIds)]) },
      select: { id: true, reference: true, title: true },
    });
    return new Map(found.map(({ id, reference, title }) => [id, { reference, title }]));
  }

  /** The caller's authority's cases of an organisation (reference and title), in the order of their references. */
  ofOrganisation(organisationId: string): Promise<Pick<CaseRecord, 'id' | 'reference' | 'title'>[]> {
    return this.cases.find({
      where: { organisationId },
      select: { id: true, reference: true, title: true },
      order: { reference: 'ASC' },
    });
  }

  /** The caller's authority's open cases of these organisations, newest first (a campaign's letter joins one). */
  openCasesOf(organisationIds: string[]): Promise<CaseRecord[]> {
    if (!organisationIds.length) return Promise.resolve([]);
    return this.cases.find({
      where: { organisationId: In(organisationIds), status: Not('closed') },
      order: { createdAt: 'DESC' },
    });
  }

  /** The case of the caller's authority, or null. */
  findById(caseId: string): Promise<Case | null> {
    return this.cases.findOne({ id: caseId });
  }

  /** The case of the caller's authority; 404 otherwise. */
  async require(caseId: string): Promise<Case> {
    const found = await this.cases.findOne({ id: caseId });
    if (!found) throw notFound(caseId);
    return found;
  }

  /** The case of the caller's authority with its authority, organisation and assignee loaded; 404 otherwise. */
  async requireWithParties(caseId: string): Promise<CaseWithParties> {
    const found = (await this.withParties([caseId])).get(caseId);
    if (!found) throw notFound(caseId);
    return found;
  }

  /** `requireWithParties` for many cases in one round trip; cases of other authorities are left out. */
  async withParties(caseIds: string[]): Promise<Map<string, CaseWithParties>> {
    const found = caseIds.length ? await this.cases.find({ where: { id: In([...new Set(caseIds)]) } }) : [];
    return new Map((await this.parties(found)).map((kase) => [kase.id, kase]));
  }

  /** The case, refusing (409) when it is closed: for actions that add work to a case. */
  async requireOpenCase(caseId: string): Promise<Case> {
    const found = await this.require(caseId);
    if (found.status === 'closed') throw closedToAdditions(found);
    return found;
  }

  /**
   * `getForUpdate`, then `requireOpenCase` and `requireWithParties`, in one round trip: the case locked for the rest of
   * the caller's transaction, with its authority, organisation and assignee; 404 when it is not the caller's
   * authority's, 409 when it is closed.
   */
  async lockOpenWithParties(caseId: string): Promise<CaseWithParties> {
    const found = await this.cases.lockById(caseId);
    if (!found) throw notFound(caseId);
    if (found.status === 'closed') throw closedToAdditions(found);
    const [withParties] = await this.parties([found]);
    if (!withParties) throw notFound(caseId);
    return withParties;
  }

  /** The case of the caller's authority with its organisation's and assignee's names; 404 otherwise. */
  private async loadNamed(id: string): Promise<CaseWithNames> {
    const found = await this.cases.findOne({ id });
    const [named] = found ? await this.named([found]) : [];
    if (!named) throw notFound(id);
    return named;
  }

  /**
   * The cases with their organisation and assignee, read through registry and identity (one read each for any number
   * of cases); a case whose organisation is not found is left out (the foreign key keeps it from happening).
   */
  private async named(cases: Case[]): Promise<Omit<CaseWithParties, 'authority'>[]> {
    if (!cases.length) return [];
    const [organisations, assignees] = await Promise.all([
      this.organisations.byIds(cases.map((kase) => kase.organisationId)),
      this.identity.usersOfMyAuthority(cases.flatMap((kase) => (kase.assigneeId ? [kase.assigneeId] : []))),
    ]);
    return cases.flatMap((kase) => {
      const organisation = organisations.get(kase.organisationId);
      const assignee = (kase.assigneeId && assignees.get(kase.assigneeId)) || null;
      return organisation ? [Object.assign(kase, { organisation, assignee })] : [];
    });
  }

  /** `named`, with the authority: the caller's, as every case the scoped repository reads. */
  private async parties(cases: Case[]): Promise<CaseWithParties[]> {
    if (!cases.length) return [];
    const [authority, named] = await Promise.all([
      this.identity.requireAuthority(RequestContext.authorityId()),
      this.named(cases),
    ]);
    return named.map((kase) => Object.assign(kase, { authority }));
  }

  /**
   * Locks the case row for the rest of the caller's transaction (UnitOfWork.run; outside one TypeORM refuses the
   * lock); 404 when it is not the caller's authority's.
   */
  async getForUpdate(caseId: string): Promise<Case> {
    const found = await this.cases.lockById(caseId);
    if (!found) throw notFound(caseId);
    return found;
  }

  /**
   * Moves the case's status by an event, in the caller's transaction when there is one: 409 naming the allowed moves
   * when the status machine refuses. A move onto the same status changes and records nothing. Closing is `close`.
   */
  transition(caseId: string, event: Exclude<CaseEvent, 'close'>, options: TransitionOptions = {}): Promise<Case> {
    return this.unitOfWork.run(() => this.move(caseId, event, options));
  }

  /** In the caller's transaction. */
  private async move(caseId: string, event: CaseEvent, options: TransitionOptions = {}): Promise<Case> {
    const current = options.locked?.id === caseId ? options.locked : await this.getForUpdate(caseId);
    if (options.expectedVersion !== undefined && current.version !== options.expectedVersion)
      throw staleVersion('case', options.expectedVersion, current.version);
    const move = applyCaseEvent(current.status, event);
    if (!move.ok)
      throw new Conflict(`${current.reference}: ${move.message}`, {
        currentStatus: current.status,
        allowed: move.allowed,
      }).withMessage(move.allowed.length === 0 ? 'problem.cases.finished' : 'problem.cases.transition', {
        reference: current.reference,
        status: current.status,
        event,
      });
    const reason = options.reason?.trim();
    if (event === 'close' && !reason)
      throw new ValidationProblem([
        { field: 'reason', message: 'closing a case needs a reason', key: 'cases.refusal.closeReason' },
      ]);
    if (!move.changed) return current;
    const now = this.clock.now();
    const changes: Partial<Case> = { status: move.to, version: current.version + 1, updatedAt: now };
    if (event === 'close') Object.assign(changes, { closedAt: now, closeReason: reason });
    await this.cases.update(caseId, changes);
    await this.audit.record({
      action: event === 'close' ? 'case.closed' : 'case.status_changed',
      entityType: 'case',
      entityId: caseId,
      caseId,
      before: { status: current.status },
      after: { status: move.to, event, ...(event === 'close' ? { closeReason: reason } : {}) },
    });
    return Object.assign(current, changes);
  }
}
