import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, In, LessThan, type EntityManager } from 'typeorm';
import {
  extendDueDate,
  HOLIDAY_DATA_VERSION,
  localDateOf,
  type AuthorityCalendar,
  type DueDateResult,
  type ExplanationEntry,
  type PeriodUnit,
} from '#docket/calendar';
import { AuditService } from '#docket/audit';
import { CasesService } from '#docket/cases';
import { DocumentsService } from '#docket/documents';
import { asProblem, DeadlinesService, withoutClosureReasons } from '#docket/deadlines';
import { IdentityService, type AuthorityRecord } from '#docket/identity';
import { MailingService } from '#docket/mailing';
import {
  Clock,
  Conflict,
  escapeHtml,
  NotAllowed,
  NotFound,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  ValidationProblem,
  type Runtime,
} from '#docket/platform';
import { OrganisationsService } from '#docket/registry';
import { randomUUID } from 'node:crypto';
import { type CooperationCalendarChange, describeCalendarChange } from './calendar-change.js';
import { cooperationNotice, type NoticeEvent, type NoticeFacts } from './notices.js';
import {
  INVESTIGATION_EXTENSION,
  jointDueDate,
  notYetApplicable,
  OBJECTION_WINDOWS,
  PROCEDURE_RULES,
  statutoryDue,
  stepRefusal,
  URGENT_OPINION_REQUEST,
  urgentOpinionDue,
  type ClockSpec,
  type JointDue,
  type ParticipantRole,
  type ProcedureType,
  type StepKind,
} from './procedure-rules.js';
import { jointDeadlineView, type JointDeadlineView } from './joint-deadline-view.js';
import {
  JointDeadline,
  Procedure,
  ProcedureDeadline,
  ProcedureMessage,
  ProcedureDocument,
  ProcedureParticipant,
  ProcedureStep,
} from './procedure.entities.js';

export interface OpenProcedure {
  type: ProcedureType;
  organisationId: string;
  caseId: string;
  participants: string[];
  subject: string;
  body?: string;
}

export interface ProcedureDeadlineView {
  id: string;
  authority: string;
  kind: string;
  label: string;
  legalBasis: string;
  dueDate: string;
  dueAt: string;
  status: string;
  explanation: string;
  /** The same lines as the calendar gives them, with code and params for pages in the reader's language. */
  explanationEntries: ExplanationEntry[];
}

export interface ProcedureView {
  id: string;
  reference: string;
  type: ProcedureType;
  title: string;
  ruleSet: string;
  status: 'open' | 'closed';
  subject: string;
  outcome: string | null;
  organisation: { id: string; legalName: string };
  initiator: string;
  myRole: ParticipantRole;
  participants: { code: string; name: string; role: ParticipantRole; caseId: string | null }[];
  steps: { id: string; seq: number; kind: StepKind; authority: string; by: string; body: string; at: string }[];
  messages: { id: string; authority: string; by: string; body: string; at: string }[];
  documents: {
    id: string;
    title: string;
    kind: string;
    sha256: string;
    authority: string;
    sharedBy: string;
    sharedAt: string;
    url: string;
  }[];
  deadlines: ProcedureDeadlineView[];
  /** Joint due instants the participants keep (a coordinated letter), re-aligned when a closure day moves them. */
  jointDeadlines: JointDeadlineView[];
  createdAt: string;
  closedAt: string | null;
}

export interface ProcedureSummary {
  id: string;
  reference: string;
  type: ProcedureType;
  title: string;
  subject: string;
  status: 'open' | 'closed';
  organisation: string;
  myRole: ParticipantRole;
  participants: string[];
  myNextDue: { label: string; dueDate: string; dueAt: string } | null;
  lastActivityAt: string;
}

/** Days before a procedure clock ends when the acting authority's managers are reminded. */
const REMINDER_DAYS = 7;
const STEP_LABELS: Record<StepKind, string> = {
  reply: 'Reply',
  draft_decision: 'Draft decision',
  revised_draft_decision: 'Revised draft decision',
  objection: 'Relevant and reasoned objection',
  decision: 'Decision',
  transmission: 'Transmission of the complaint',
  extension: 'Extension of the investigation',
};

const notFound = (id: string) =>
  new NotFound(`There is no cooperation procedure with id ${id} in which your authority takes part.`);

/**
 * Cooperation procedures between the authorities of one deployment. A participant sees the procedure, its steps,
 * messages and clocks — and nothing else of the other authorities' cases. Every exchange is written to the audit
 * trail of every participant.
 */
@Injectable()
export class ProceduresService {
  private readonly logger = new Logger(ProceduresService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly identity: IdentityService,
    private readonly cases: CasesService,
    private readonly organisations: OrganisationsService,
    private readonly deadlines: DeadlinesService,
    private readonly mailing: MailingService,
    private readonly documents: DocumentsService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  async open(input: OpenProcedure): Promise<ProcedureView> {
    const self = RequestContext.authorityId();
    const rule = PROCEDURE_RULES[input.type];
    const now = this.clock.now();
    const early = notYetApplicable(input.type, now);
    if (early)
      throw new ValidationProblem([
        {
          field: 'type',
          message: early,
          key: 'coop.refusal.notYetApplicable',
          params: { type: input.type, fromDay: PROCEDURE_RULES[input.type].appliesFrom ?? '' },
        },
      ]);
    const others = await this.otherAuthorities(input.participants, self);
    const id = await this.unitOfWork.run(async (manager) => {
      const kase = await this.cases.require(input.caseId);
      const organisation = await this.organisations.require(input.organisationId).catch(() => {
        throw new ValidationProblem([
          {
            field: 'organisationId',
            message: `there is no organisation with id ${input.organisationId}`,
            key: 'campaigns.refusal.noOrganisation',
            params: { id: input.organisationId },
          },
        ]);
      });
      if (kase.organisationId !== organisation.id)
        throw new ValidationProblem([
          {
            field: 'caseId',
            message: `case ${kase.reference} is about another organisation than ${organisation.legalName}`,
            key: 'coop.refusal.otherOrganisation',
            params: { reference: kase.reference, organisation: organisation.legalName },
          },
        ]);
      const procedure = await manager.save(
        manager.create(Procedure, {
          reference: await this.nextReference(manager, now),
          type: input.type,
          ruleSet: rule.ruleSet,
          organisationId: organisation.id,
          initiatingAuthorityId: self,
          subject: input.subject,
          status: 'open' as const,
          outcome: null,
          createdBy: RequestContext.actor().label,
          createdAt: now,
          closedAt: null,
        }),
      );
      const participants = [
        { authorityId: self, role: rule.roles.initiator, caseId: kase.id },
        ...others.map((authority) => ({ authorityId: authority.id, role: rule.roles.others, caseId: null })),
      ];
      await manager.save(
        participants.map((participant) =>
          manager.create(ProcedureParticipant, { procedureId: procedure.id, ...participant, joinedAt: now }),
        ),
      );
      if (input.body) {
        await manager.save(
          manager.create(ProcedureMessage, {
            procedureId: procedure.id,
            authorityId: self,
            actorLabel: RequestContext.actor().label,
            body: input.body,
            createdAt: now,
          }),
        );
      }
      const clocks = await this.startClocks(manager, procedure, participants, rule.opening, now, null);
      if (input.type === 'urgency') {
        const expiry = clocks.find((clock) => clock.kind === 'measure_expiry')!;
        const calendar = await this.clockCalendar(self);
        await this.saveClock(
          manager,
          procedure,
          null,
          self,
          now,
          urgentOpinionDue(expiry.dueDate, calendar),
          URGENT_OPINION_REQUEST,
        );
      }
      await this.recordForAll(procedure, participants, 'procedure.opened', {
        reference: procedure.reference,
        type: procedure.type,
        subject: procedure.subject,
        participants: [self, ...others.map((authority) => authority.id)],
      });
      await this.notify(procedure, 'opened', others, clocks);
      return procedure.id;
    });
    return this.get(id);
  }

  async get(id: string): Promise<ProcedureView> {
    const manager = this.unitOfWork.manager();
    const { procedure, participant } = await this.requireParticipant(id, manager);
    const [participants, steps, messages, clocks, organisation, shared, joint] = await Promise.all([
      this.participantsOf(manager, [id]),
      manager.find(ProcedureStep, { where: { procedureId: id }, order: { seq: 'ASC' } }),
      manager.find(ProcedureMessage, { where: { procedureId: id }, order: { createdAt: 'ASC', id: 'ASC' } }),
      manager.find(ProcedureDeadline, { where: { procedureId: id }, order: { dueAt: 'ASC', id: 'ASC' } }),
      this.organisations.require(procedure.organisationId),
      this.sharedDocuments(manager, id),
      manager.find(JointDeadline, { where: { procedureId: id }, order: { createdAt: 'ASC', id: 'ASC' } }),
    ]);
    const codes = new Map(participants.map((row) => [row.authorityId, row.authority.code]));
    const self = participant.authorityId;
    return {
      id: procedure.id,
      reference: procedure.reference,
      type: procedure.type,
      title: PROCEDURE_RULES[procedure.type].title,
      ruleSet: procedure.ruleSet,
      status: procedure.status,
      subject: procedure.subject,
      outcome: procedure.outcome,
      organisation: { id: organisation.id, legalName: organisation.legalName },
      initiator: codes.get(procedure.initiatingAuthorityId)!,
      myRole: participant.role,
      participants: participants
        .map((row) => ({
          code: row.authority.code,
          name: row.authority.name,
          role: row.role,
          // Another authority's case is its own: only its existence is the procedure's business.
          caseId: row.authorityId === self ? row.caseId : null,
        }))
        .sort((a, b) => a.code.localeCompare(b.code)),
      steps: steps.map((step) => ({
        id: step.id,
        seq: step.seq,
        kind: step.kind,
        authority: codes.get(step.authorityId) ?? '?',
        by: step.actorLabel,
        body: step.body,
        at: step.createdAt.toISOString(),
      })),
      messages: messages.map((message) => ({
        id: message.id,
        authority: codes.get(message.authorityId) ?? '?',
        by: message.actorLabel,
        body: message.body,
        at: message.createdAt.toISOString(),
      })),
      documents: shared.map((row) => ({
        id: row.documentId,
        title: row.document.title,
        kind: row.document.kind,
        sha256: row.document.sha256,
        authority: codes.get(row.authorityId) ?? '?',
        sharedBy: row.sharedBy,
        sharedAt: row.sharedAt.toISOString(),
        url: `/api/v1/procedures/${procedure.id}/documents/${row.documentId}`,
      })),
      deadlines: clocks.map((clock) => deadlineView(clock, codes)),
      jointDeadlines: joint.map(jointDeadlineView),
      createdAt: procedure.createdAt.toISOString(),
      closedAt: procedure.closedAt?.toISOString() ?? null,
    };
  }

  /** The participants of these procedures, each with its authority (read through identity). */
  async participantsOf(
    manager: EntityManager,
    procedureIds: string[],
  ): Promise<(ProcedureParticipant & { authority: AuthorityRecord })[]> {
    const participants = await manager.find(ProcedureParticipant, { where: { procedureId: In(procedureIds) } });
    const authorities = await this.identity.authoritiesBy('id', [
      ...new Set(participants.map((row) => row.authorityId)),
    ]);
    const byId = new Map(authorities.map((authority) => [authority.id, authority]));
    return participants.map((row) => Object.assign(row, { authority: byId.get(row.authorityId)! }));
  }

  /**
   * The documents shared into a procedure, in the order shared, each with what the procedure shows of it: read acting
   * for the authority that shared it, whose document it is.
   */
  private async sharedDocuments(manager: EntityManager, procedureId: string) {
    const shared = await manager.find(ProcedureDocument, { where: { procedureId }, order: { sharedAt: 'ASC' } });
    const sharers = [...new Set(shared.map((row) => row.authorityId))];
    const found = await Promise.all(
      sharers.map((authorityId) =>
        RequestContext.actingFor(authorityId, () =>
          this.documents.summaries(
            shared.filter((row) => row.authorityId === authorityId).map((row) => row.documentId),
          ),
        ),
      ),
    );
    const documents = new Map(found.flatMap((map) => [...map]));
    return shared.flatMap((row) => {
      const document = documents.get(row.documentId);
      return document ? [Object.assign(row, { document })] : [];
    });
  }

  /** The caller's authority's procedures: its cooperation inbox, those with its own clock running first. */
  async inbox(): Promise<ProcedureSummary[]> {
    const self = RequestContext.authorityId();
    const mine = await this.dataSource.getRepository(ProcedureParticipant).find({ where: { authorityId: self } });
    if (mine.length === 0) return [];
    const ids = mine.map((row) => row.procedureId);
    const manager = this.unitOfWork.manager();
    const [procedures, participants, clocks] = await Promise.all([
      manager.find(Procedure, { where: { id: In(ids) } }),
      this.participantsOf(manager, ids),
      manager.find(ProcedureDeadline, {
        where: { procedureId: In(ids), authorityId: self, status: 'pending' },
        order: { dueAt: 'ASC' },
      }),
    ]);
    const lastSteps = (await manager.query(
      `SELECT procedure_id, max(created_at) AS at FROM (
         SELECT procedure_id, created_at FROM procedure_steps WHERE procedure_id = ANY($1)
         UNION ALL SELECT procedure_id, created_at FROM procedure_messages WHERE procedure_id = ANY($1)) activity
       GROUP BY procedure_id`,
      [ids],
    )) as { procedure_id: string; at: Date }[];
    const lastActivity = new Map(lastSteps.map((row) => [row.procedure_id, row.at]));
    const organisations = await this.organisations.byIds(procedures.map((procedure) => procedure.organisationId));
    const role = new Map(mine.map((row) => [row.procedureId, row.role]));
    return procedures
      .map((procedure) => {
        const next = clocks.find((clock) => clock.procedureId === procedure.id);
        const at = lastActivity.get(procedure.id) ?? procedure.createdAt;
        return {
          id: procedure.id,
          reference: procedure.reference,
          type: procedure.type,
          title: PROCEDURE_RULES[procedure.type].title,
          subject: procedure.subject,
          status: procedure.status,
          organisation: organisations.get(procedure.organisationId)!.legalName,
          myRole: role.get(procedure.id)!,
          participants: participants
            .filter((row) => row.procedureId === procedure.id)
            .map((row) => row.authority.code)
            .sort(),
          myNextDue: next ? { label: next.label, dueDate: next.dueDate, dueAt: next.dueAt.toISOString() } : null,
          lastActivityAt: (at > procedure.createdAt ? at : procedure.createdAt).toISOString(),
        };
      })
      .sort(
        (a, b) =>
          Number(!a.myNextDue) - Number(!b.myNextDue) ||
          (a.myNextDue && b.myNextDue ? a.myNextDue.dueAt.localeCompare(b.myNextDue.dueAt) : 0) ||
          b.lastActivityAt.localeCompare(a.lastActivityAt),
      );
  }

  async addStep(id: string, kind: StepKind, body: string): Promise<ProcedureView> {
    await this.unitOfWork.run(async (manager) => {
      const { procedure, participant } = await this.requireParticipant(id, manager, true);
      if (procedure.status === 'closed')
        throw new Conflict(`Procedure ${procedure.reference} is closed; no further step can be taken.`);
      const refusal = stepRefusal(procedure.type, participant.role, kind);
      if (refusal) throw new NotAllowed(refusal);
      const now = this.clock.now();
      const self = participant.authorityId;
      const pending = await manager.find(ProcedureDeadline, {
        where: { procedureId: procedure.id, status: 'pending' },
        order: { dueAt: 'ASC' },
      });
      const settle = async (clocks: ProcedureDeadline[], status: ProcedureDeadline['status']) => {
        if (clocks.length === 0) return;
        await manager.update(
          ProcedureDeadline,
          { id: In(clocks.map((clock) => clock.id)) },
          { status, settledAt: now },
        );
      };
      if (kind === 'objection') {
        const window = pending.find((clock) => clock.authorityId === self && clock.kind === 'objections');
        if (!window) throw new Conflict(await this.noObjectionWindow(manager, procedure.id, self));
        if (window.dueAt.getTime() < now.getTime())
          throw new Conflict(
            `The period for relevant and reasoned objections ended on ${window.dueDate}; an objection can no longer be lodged.`,
          );
      }
      if (kind === 'extension') {
        const extended = await manager.count(ProcedureStep, {
          where: { procedureId: procedure.id, kind: 'extension' },
        });
        if (extended > 0)
          throw new Conflict('The investigation period has already been extended once; it cannot be extended again.');
      }
      const step = await manager.save(
        manager.create(ProcedureStep, {
          procedureId: procedure.id,
          seq: (await manager.count(ProcedureStep, { where: { procedureId: procedure.id } })) + 1,
          kind,
          authorityId: self,
          actorLabel: RequestContext.actor().label,
          body,
          createdAt: now,
        }),
      );
      await settle(
        pending.filter((clock) => clock.authorityId === self && clock.metBy === kind),
        'met',
      );
      const participants = await manager.find(ProcedureParticipant, { where: { procedureId: procedure.id } });
      let started: ProcedureDeadline[] = [];
      const window = OBJECTION_WINDOWS[kind];
      if (window) {
        await settle(
          pending.filter((clock) => clock.kind === 'objections'),
          'superseded',
        );
        started = await this.startClocks(manager, procedure, participants, [window], now, step.id);
      }
      if (kind === 'extension') {
        const investigation = pending.find((clock) => clock.kind === 'investigation')!;
        const calendar = await this.clockCalendar(investigation.authorityId);
        const due = extendDueDate(investigation.dueDate, calendar, INVESTIGATION_EXTENSION);
        await manager.update(ProcedureDeadline, investigation.id, {
          dueDate: due.dueDate,
          dueAt: new Date(due.dueAt),
          explanation: [...investigation.explanation, ...due.explanation],
          remindedAt: null,
          holidayDataVersion: due.holidayDataVersion,
        });
      }
      if (kind === 'decision') {
        await settle(
          pending.filter((clock) => clock.metBy !== 'decision' || clock.authorityId !== self),
          'superseded',
        );
        await manager.update(Procedure, procedure.id, { status: 'closed', outcome: body, closedAt: now });
      }
      await this.recordForAll(procedure, participants, 'procedure.step', {
        reference: procedure.reference,
        seq: step.seq,
        kind,
        body,
      });
      const recipients = await this.identity.authoritiesBy(
        'id',
        participants.filter((row) => row.authorityId !== self).map((row) => row.authorityId),
      );
      await this.notify(procedure, 'step', recipients, started, STEP_LABELS[kind]);
    });
    return this.get(id);
  }

  async addMessage(id: string, body: string): Promise<ProcedureView> {
    await this.unitOfWork.run(async (manager) => {
      const { procedure, participant } = await this.requireParticipant(id, manager, true);
      const message = await manager.save(
        manager.create(ProcedureMessage, {
          procedureId: procedure.id,
          authorityId: participant.authorityId,
          actorLabel: RequestContext.actor().label,
          body,
          createdAt: this.clock.now(),
        }),
      );
      const participants = await manager.find(ProcedureParticipant, { where: { procedureId: procedure.id } });
      await this.recordForAll(procedure, participants, 'procedure.message', {
        reference: procedure.reference,
        messageId: message.id,
        body,
      });
      const recipients = await this.identity.authoritiesBy(
        'id',
        participants.filter((row) => row.authorityId !== participant.authorityId).map((row) => row.authorityId),
      );
      await this.notify(procedure, 'message', recipients, []);
    });
    return this.get(id);
  }

  /** Shares one of the caller's authority's documents into the procedure: every participant may then read it. */
  async shareDocument(id: string, documentId: string): Promise<ProcedureView> {
    await this.unitOfWork.run(async (manager) => {
      const { procedure, participant } = await this.requireParticipant(id, manager, true);
      const document = await this.documents.get(documentId);
      this.documents.refuseQuarantined(document);
      const inserted = (await manager
        .createQueryBuilder()
        .insert()
        .into(ProcedureDocument)
        .values({
          procedureId: procedure.id,
          documentId: document.id,
          authorityId: participant.authorityId,
          sharedBy: RequestContext.actor().label,
          sharedAt: this.clock.now(),
        })
        .orIgnore()
        .returning('document_id')
        .execute()) as { raw: unknown[] };
      if (inserted.raw.length === 0) return;
      const participants = await manager.find(ProcedureParticipant, { where: { procedureId: procedure.id } });
      await this.recordForAll(procedure, participants, 'procedure.document_shared', {
        reference: procedure.reference,
        documentId: document.id,
        title: document.title,
        sha256: document.sha256,
      });
    });
    return this.get(id);
  }

  /**
   * The caller's authority's documents it may share into the procedure: those of its own cases about the
   * procedure's organisation, not shared yet, newest first.
   */
  async shareableDocuments(
    id: string,
  ): Promise<{ id: string; title: string; caseReference: string; createdAt: string }[]> {
    const manager = this.unitOfWork.manager();
    const { procedure } = await this.requireParticipant(id, manager);
    const [documents, shared] = await Promise.all([
      this.documents.ofOrganisation(procedure.organisationId, 200),
      manager.find(ProcedureDocument, { where: { procedureId: id } }),
    ]);
    const already = new Set(shared.map((row) => row.documentId));
    return documents
      .filter((document) => !already.has(document.id))
      .map((document) => ({ ...document, createdAt: document.createdAt.toISOString() }));
  }

  /** A document shared into the procedure, for any participant; 404 for everyone else and for documents not shared. */
  async openDocument(id: string, documentId: string) {
    const manager = this.unitOfWork.manager();
    await this.requireParticipant(id, manager);
    const shared = await manager.findOne(ProcedureDocument, { where: { procedureId: id, documentId } });
    if (!shared) throw new NotFound(`No document ${documentId} is shared in this procedure.`);
    // The document is its sharer's: read acting for that authority.
    const { document, content } = await RequestContext.actingFor(shared.authorityId, () =>
      this.documents.content(documentId),
    );
    if (!content) throw new NotFound(`The file of document ${documentId} is missing from the store.`);
    return { document, content };
  }

  /** The other authorities of the deployment a procedure can be opened with. */
  async otherAuthorityChoices(): Promise<{ code: string; name: string }[]> {
    const self = RequestContext.authorityId();
    const all = await this.identity.everyAuthority();
    return all.filter((authority) => authority.id !== self).map(({ code, name }) => ({ code, name }));
  }

  /** One due instant that is a working day in every named authority's calendar and zone. */
  async joint(codes: string[], start: string, count: number, unit: PeriodUnit): Promise<JointDue> {
    const distinct = [...new Set(codes.map((code) => code.trim().toUpperCase()))];
    if (distinct.length < 2)
      throw new ValidationProblem([
        {
          field: 'authorities',
          message: 'name at least two different authorities',
          key: 'coop.refusal.twoAuthorities',
        },
      ]);
    const authorities = await this.identity.authoritiesBy('code', distinct);
    const unknown = distinct.filter((code) => !authorities.some((authority) => authority.code === code));
    if (unknown.length)
      throw new ValidationProblem([
        {
          field: 'authorities',
          message: `there is no authority with code ${unknown.join(', ')}`,
          key: 'coop.refusal.unknownAuthority',
          params: { codes: unknown.join(', ') },
        },
      ]);
    const self = RequestContext.actor().authorityId;
    const calendars = await Promise.all(
      authorities.map(async (authority) => {
        const { calendar } = await this.deadlines.calendarOf(authority.id);
        return { code: authority.code, calendar: authority.id === self ? calendar : withoutClosureReasons(calendar) };
      }),
    );
    return asProblem(() =>
      jointDueDate(
        start,
        { count, unit },
        distinct.map((code) => calendars.find((entry) => entry.code === code)!),
      ),
    );
  }

  /**
   * Clocks past their end become missed (escalated to the acting authority's managers and the initiator's) or
   * lapsed (the law's own consequence); clocks within a week of their end are reminded once. Returns how many moved.
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    let moved = 0;
    const expired = await this.dataSource.getRepository(ProcedureDeadline).find({
      where: { status: 'pending', dueAt: LessThan(now) },
      take: 500,
      order: { dueAt: 'ASC' },
    });
    for (const clock of expired) {
      moved += await this.unitOfWork.run(async (manager) => {
        const locked = await manager.findOne(ProcedureDeadline, {
          where: { id: clock.id, status: 'pending' },
          lock: { mode: 'pessimistic_write' },
        });
        if (!locked) return 0;
        await manager.update(ProcedureDeadline, clock.id, { status: clock.onExpiry, settledAt: now });
        const procedure = await manager.findOneByOrFail(Procedure, { id: clock.procedureId });
        const participants = await manager.find(ProcedureParticipant, { where: { procedureId: procedure.id } });
        await RequestContext.asAuthority(clock.authorityId, () =>
          this.recordForAll(procedure, participants, `procedure.clock_${clock.onExpiry}`, {
            reference: procedure.reference,
            label: clock.label,
            dueDate: clock.dueDate,
          }),
        );
        if (clock.onExpiry === 'missed') {
          const recipients = await this.identity.authoritiesBy('id', [
            ...new Set([clock.authorityId, procedure.initiatingAuthorityId]),
          ]);
          await this.notify(procedure, 'missed', recipients, [clock], undefined, clock);
        }
        return 1;
      });
    }
    const soon = await this.dataSource
      .getRepository(ProcedureDeadline)
      .createQueryBuilder('clock')
      .where("clock.status = 'pending' AND clock.reminded_at IS NULL AND clock.due_at <= :horizon", {
        horizon: new Date(now.getTime() + REMINDER_DAYS * 86_400_000),
      })
      .orderBy('clock.due_at', 'ASC')
      .take(500)
      .getMany();
    for (const clock of soon) {
      moved += await this.unitOfWork.run(async (manager) => {
        const claimed = await manager
          .createQueryBuilder()
          .update(ProcedureDeadline)
          .set({ remindedAt: now })
          .where("id = :id AND reminded_at IS NULL AND status = 'pending'", { id: clock.id })
          .execute();
        if (!claimed.affected) return 0;
        const procedure = await manager.findOneByOrFail(Procedure, { id: clock.procedureId });
        const recipients = await this.identity.authoritiesBy('id', [clock.authorityId]);
        await this.notify(procedure, 'due_soon', recipients, [clock], undefined, clock);
        return 1;
      });
    }
    return moved;
  }

  /**
   * An authority's calendar changed (a closure day, its settings, the release's holiday data): its running clocks are
   * counted again on it, as the deadlines engine recomputes its deadlines, in the transaction of the change. A clock
   * that moves gets its new explanation (the day, never a closure's reason), the move goes into every participant's
   * audit trail, every participant is told the new date, and its reminder is due again for the new date. Returns how
   * many clocks moved.
   */
  async calendarChanged(event: CooperationCalendarChange): Promise<number> {
    const { manager, authority } = event;
    const clocks = await manager.find(ProcedureDeadline, {
      where: { authorityId: authority.id, status: 'pending' },
      order: { dueAt: 'ASC', id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    if (clocks.length === 0) return 0;
    const calendar = await this.clockCalendar(authority.id);
    let moved = 0;
    for (const clock of clocks) {
      if (event.onlyOtherHolidayData && clock.holidayDataVersion === HOLIDAY_DATA_VERSION) continue;
      const procedure = await manager.findOneByOrFail(Procedure, { id: clock.procedureId });
      const due = await this.recount(manager, procedure, clock, calendar);
      if (!due || (new Date(due.dueAt).getTime() === clock.dueAt.getTime() && due.dueDate === clock.dueDate)) {
        if (clock.holidayDataVersion !== HOLIDAY_DATA_VERSION)
          await manager.update(ProcedureDeadline, clock.id, { holidayDataVersion: HOLIDAY_DATA_VERSION });
        continue;
      }
      await manager.update(ProcedureDeadline, clock.id, {
        dueDate: due.dueDate,
        dueAt: new Date(due.dueAt),
        explanation: due.explanation,
        remindedAt: null,
        holidayDataVersion: due.holidayDataVersion,
      });
      moved++;
      const participants = await manager.find(ProcedureParticipant, { where: { procedureId: procedure.id } });
      await this.recordForAll(procedure, participants, 'procedure.clock_recomputed', {
        reference: procedure.reference,
        label: clock.label,
        authority: authority.code,
        from: clock.dueDate,
        to: due.dueDate,
        because: describeCalendarChange(event),
      });
      const recipients = await this.identity.authoritiesBy(
        'id',
        participants.map((row) => row.authorityId),
      );
      for (const recipient of recipients) {
        await this.tell(procedure, recipient, 'clock_moved', `${clock.id}:${randomUUID()}`, {
          from: `${authority.name} (${authority.code})`,
          label: clock.label,
          dueDate: clock.dueDate,
          newDueDate: due.dueDate,
          closureDate: event.date,
          change: event.change,
        });
      }
    }
    return moved;
  }

  /**
   * A release with other public-holiday data than a running clock was counted with: the clocks of each authority are
   * counted again as for any change of its calendar (each move audited, the participants told). Returns how many moved.
   */
  async applyHolidayDataUpdate(): Promise<number> {
    const stale = (await this.dataSource.query(
      `SELECT DISTINCT authority_id FROM procedure_deadlines
        WHERE status = 'pending' AND holiday_data_version IS DISTINCT FROM $1`,
      [HOLIDAY_DATA_VERSION],
    )) as { authority_id: string }[];
    let moved = 0;
    for (const { authority_id: authorityId } of stale) {
      moved += await RequestContext.asAuthority(authorityId, () =>
        this.unitOfWork.run(async (manager) => {
          const authority = await this.identity.requireAuthority(authorityId);
          return this.calendarChanged({
            manager,
            authority,
            change: 'holiday_data',
            date: localDateOf(this.clock.now(), authority.timezone),
            onlyOtherHolidayData: true,
          });
        }),
      );
    }
    if (moved) this.logger.log(`holiday data ${HOLIDAY_DATA_VERSION}: ${moved} procedure clock(s) moved`);
    return moved;
  }

  /** A running clock counted again from its event on the acting authority's calendar as it now stands. */
  private async recount(
    manager: EntityManager,
    procedure: Procedure,
    clock: ProcedureDeadline,
    calendar: AuthorityCalendar,
  ): Promise<DueDateResult | null> {
    // A validity of at most three months is counted in calendar days and never moved: closures do not touch it.
    if (clock.kind === 'measure_expiry') return null;
    if (clock.kind === 'urgent_opinion_request') {
      const expiry = await manager.findOne(ProcedureDeadline, {
        where: { procedureId: procedure.id, kind: 'measure_expiry' },
      });
      return expiry ? urgentOpinionDue(expiry.dueDate, calendar) : null;
    }
    const step = clock.stepId ? await manager.findOneBy(ProcedureStep, { id: clock.stepId }) : null;
    const spec = step
      ? OBJECTION_WINDOWS[step.kind]
      : PROCEDURE_RULES[procedure.type].opening.find((opening) => opening.kind === clock.kind);
    if (!spec) return null;
    const due = statutoryDue(clock.eventAt, calendar, spec);
    if (clock.kind !== 'investigation') return due;
    const extended = await manager.count(ProcedureStep, { where: { procedureId: procedure.id, kind: 'extension' } });
    if (extended === 0) return due;
    const longer = extendDueDate(due.dueDate, calendar, INVESTIGATION_EXTENSION);
    return { ...longer, explanation: [...due.explanation, ...longer.explanation] };
  }

  /** The calendar a clock is counted on: every participant reads its explanation, so closure days carry no reason. */
  private async clockCalendar(authorityId: string): Promise<AuthorityCalendar> {
    return withoutClosureReasons((await this.deadlines.calendarOf(authorityId)).calendar);
  }

  // ---- helpers ----

  /** The procedure and the caller's participation; 404 for an authority that does not take part. */
  async requireParticipant(id: string, manager: EntityManager, lock = false) {
    const self = RequestContext.authorityId();
    const participant = await manager.findOne(ProcedureParticipant, { where: { procedureId: id, authorityId: self } });
    if (!participant) throw notFound(id);
    const procedure = await manager.findOne(Procedure, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!procedure) throw notFound(id);
    return { procedure, participant };
  }

  private async otherAuthorities(codes: string[], self: string): Promise<AuthorityRecord[]> {
    const distinct = [...new Set(codes.map((code) => code.trim().toUpperCase()))];
    const found = await this.identity.authoritiesBy('code', distinct);
    const unknown = distinct.filter((code) => !found.some((authority) => authority.code === code));
    if (unknown.length)
      throw new ValidationProblem([
        {
          field: 'participants',
          message: `there is no authority with code ${unknown.join(', ')}`,
          key: 'coop.refusal.unknownAuthority',
          params: { codes: unknown.join(', ') },
        },
      ]);
    const others = found.filter((authority) => authority.id !== self);
    if (others.length === 0)
      throw new ValidationProblem([
        {
          field: 'participants',
          message: 'a cooperation procedure needs at least one other authority besides your own',
          key: 'coop.refusal.otherAuthority',
        },
      ]);
    return others;
  }

  private async nextReference(manager: EntityManager, now: Date): Promise<string> {
    const year = Number(localDateOf(now, 'Europe/Brussels').slice(0, 4));
    const [row] = (await manager.query(
      `INSERT INTO procedure_reference_counters (year, last_number) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_number = procedure_reference_counters.last_number + 1
       RETURNING last_number`,
      [year],
    )) as { last_number: number }[];
    return `COOP-${year}-${String(row.last_number).padStart(4, '0')}`;
  }

  private async startClocks(
    manager: EntityManager,
    procedure: Procedure,
    participants: Pick<ProcedureParticipant, 'authorityId' | 'role'>[],
    specs: ClockSpec[],
    eventAt: Date,
    stepId: string | null,
  ): Promise<ProcedureDeadline[]> {
    const started: ProcedureDeadline[] = [];
    for (const spec of specs) {
      const acting = participants.filter((row) =>
        spec.for === 'initiator'
          ? row.authorityId === procedure.initiatingAuthorityId
          : spec.for === 'others'
            ? row.authorityId !== procedure.initiatingAuthorityId
            : row.role === spec.for,
      );
      for (const row of acting) {
        const calendar = await this.clockCalendar(row.authorityId);
        const due = statutoryDue(eventAt, calendar, spec);
        started.push(await this.saveClock(manager, procedure, stepId, row.authorityId, eventAt, due, spec));
      }
    }
    return started;
  }

  private saveClock(
    manager: EntityManager,
    procedure: Procedure,
    stepId: string | null,
    authorityId: string,
    eventAt: Date,
    due: DueDateResult,
    spec: ClockSpec,
  ): Promise<ProcedureDeadline> {
    return manager.save(
      manager.create(ProcedureDeadline, {
        procedureId: procedure.id,
        stepId,
        authorityId,
        kind: spec.kind,
        label: spec.label,
        legalBasis: spec.legalBasis,
        metBy: spec.metBy,
        onExpiry: spec.onExpiry,
        eventAt,
        dueDate: due.dueDate,
        dueAt: new Date(due.dueAt),
        explanation: due.explanation,
        status: 'pending' as const,
        settledAt: null,
        remindedAt: null,
        holidayDataVersion: due.holidayDataVersion,
      }),
    );
  }

  private async noObjectionWindow(manager: EntityManager, procedureId: string, self: string): Promise<string> {
    const last = await manager.findOne(ProcedureDeadline, {
      where: { procedureId, authorityId: self, kind: 'objections' },
      order: { dueAt: 'DESC' },
    });
    if (!last) return 'There is no draft decision to object to yet.';
    if (last.status === 'met') return 'Your authority has already lodged its objection to this draft decision.';
    return `The period for relevant and reasoned objections ended on ${last.dueDate}; an objection can no longer be lodged.`;
  }

  /** Writes one exchange into the audit trail of every participant. */
  async recordForAll(
    procedure: Procedure,
    participants: Pick<ProcedureParticipant, 'authorityId' | 'caseId'>[],
    action: string,
    after: Record<string, unknown>,
  ): Promise<void> {
    for (const participant of participants) {
      await this.audit.record({
        authorityId: participant.authorityId,
        action,
        entityType: 'procedure',
        entityId: procedure.id,
        caseId: participant.caseId,
        after,
      });
    }
  }

  /** One e-mail per recipient authority to its active admins and managers, in the authority's language. */
  private async notify(
    procedure: Procedure,
    event: NoticeEvent,
    recipients: AuthorityRecord[],
    clocks: ProcedureDeadline[],
    stepLabel?: string,
    about?: ProcedureDeadline,
  ): Promise<void> {
    const from = await this.identity.requireAuthority(about ? about.authorityId : RequestContext.authorityId());
    for (const authority of recipients) {
      const own = clocks.find((clock) => clock.authorityId === authority.id);
      await this.tell(procedure, authority, event, `${about?.id ?? this.clock.now().getTime()}`, {
        from: `${from.name} (${from.code})`,
        label: about?.label ?? stepLabel ?? own?.label,
        dueDate: (about ?? own)?.dueDate,
      });
    }
    this.logger.debug(`procedure ${procedure.reference}: ${event} notice to ${recipients.length} authorities`);
  }

  /** One notice about the procedure to the recipient authority's active admins and managers, in its language. */
  async tell(
    procedure: Procedure,
    authority: AuthorityRecord,
    event: NoticeEvent,
    occasion: string,
    facts: Omit<NoticeFacts, 'reference' | 'title' | 'link'>,
  ): Promise<void> {
    const staff = await RequestContext.asAuthority(authority.id, () => this.identity.listUsers(['admin', 'manager']));
    const to = staff.filter((user) => user.active).map((user) => user.email);
    if (to.length === 0) return;
    const { subject, text } = cooperationNotice(event, authority.locale, {
      ...facts,
      reference: procedure.reference,
      title: PROCEDURE_RULES[procedure.type].title,
      link: `${this.runtime.config.PUBLIC_URL}/procedures/${procedure.id}`,
    });
    await this.mailing.queueMessage({
      authorityId: authority.id,
      kind: 'cooperation-notice',
      dedupeKey: `cooperation:${procedure.id}:${event}:${authority.id}:${occasion}`,
      to,
      subject,
      text,
      html: `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
    });
  }
}

function deadlineView(clock: ProcedureDeadline, codes: Map<string, string>): ProcedureDeadlineView {
  return {
    id: clock.id,
    authority: codes.get(clock.authorityId) ?? '?',
    kind: clock.kind,
    label: clock.label,
    legalBasis: clock.legalBasis,
    dueDate: clock.dueDate,
    dueAt: clock.dueAt.toISOString(),
    status: clock.status,
    explanation: clock.explanation.map((entry) => `${entry.date}: ${entry.reason}`).join('\n'),
    explanationEntries: clock.explanation,
  };
}
