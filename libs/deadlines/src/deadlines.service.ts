import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { DateTime } from 'luxon';
import {
  CalendarError,
  HOLIDAY_DATA_VERSION,
  localDateOf,
  parseDateOrInstant,
  type AuthorityCalendar,
  type PeriodRule,
} from '#docket/calendar';
import { AuditService } from '#docket/audit';
import { CasesService } from '#docket/cases';
import { IdentityService, type AuthorityRecord } from '#docket/identity';
import {
  Clock,
  Conflict,
  EventBus,
  NotFound,
  RequestContext,
  staleVersion,
  UnitOfWork,
  ValidationProblem,
  type AfterCommit,
} from '#docket/platform';
import { ClosureRepository } from './closure.repository.js';
import { deadlineCertificate } from './certificate.js';
import type { DeadlineEvent } from './deadline-event.entity.js';
import { DeadlineChanged, type DeadlineChange } from './deadline-events.js';
import {
  AHEAD_STATUSES,
  applyDeadlineAction,
  canApply,
  isAhead,
  isRunning,
  RUNNING_STATUSES,
  statusesAllowing,
  type DeadlineAction,
  type DeadlineStatus,
} from './deadline-lifecycle.js';
import { checkRuleSet, deriveDue, type Adjustment, type DeadlineRule } from './deadline-rules.js';
import { Deadline, type DeadlineKind } from './deadline.entity.js';
import { DeadlineEventRepository, DeadlineRepository } from './deadline.repository.js';
import { deadlineView } from './deadline-views.js';
import { offsetProblem, offsetRefusal, type ReminderPlanItem } from './reminder-offsets.js';
import type { Reminder } from './reminder.entity.js';
import { ReminderRepository } from './reminder.repository.js';
import { ReminderScheduler } from './reminder-scheduler.js';

export interface NewDeadline {
  caseId: string;
  inquiryId?: string | null;
  kind: DeadlineKind;
  label: string;
  eventAt: Date;
  rule: DeadlineRule;
  reminderPlan?: ReminderPlanItem[];
}

/** A new due date worked out by a change. */
export interface DueChange {
  dueDate: string;
  dueAt: string;
  explanation: Deadline['explanation'];
  holidayDataVersion?: string;
}

export type ExtensionTarget = { dueDate: string } | { dueAt: string } | { count: number; unit: PeriodRule['unit'] };

/** Turns calendar input errors into a 400 naming the field (with the catalogue message pages show). */
export function asProblem<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CalendarError)
      throw (() => {
        const problem = new ValidationProblem(
          [{ field: error.field ?? 'calendar', message: error.message, ...error.structured }],
          error.message,
        );
        return error.structured ? problem.withMessage(error.structured.key, error.structured.params) : problem;
      })();
    throw error;
  }
}

/**
 * A 400 on one field: the English sentence and the catalogue message (`deadlines.refusal.*`, its parameters named
 * `…Day` for dates and `…At` for instants) for readers of another language (pages, the API's `errors[].message`).
 */
function refusal(field: string, message: string, key: string, params: Record<string, string> = {}): ValidationProblem {
  return new ValidationProblem([{ field, message, key, params }]);
}

/** A reminder sent this long before a change of its deadline is noted in the change's history. */
const JUST_BEFORE_MS = 60_000;

export function ruleOf(target: ExtensionTarget, ruleSet?: string): DeadlineRule {
  const named = ruleSet === undefined ? {} : { ruleSet };
  if ('dueDate' in target) return { type: 'date', dueDate: target.dueDate, ...named };
  if ('dueAt' in target) return { type: 'instant', dueAt: target.dueAt, ...named };
  return { type: 'period', count: target.count, unit: target.unit, ...named };
}

/** A deadline's status and due day and instant, as another context's list shows them. */
export type DeadlineStanding = Pick<Deadline, 'status' | 'dueAt' | 'dueDate'>;

const TOLD_CHANGES: readonly string[] = ['extended', 'suspended', 'resumed', 'restarted'];

@Injectable()
export class DeadlinesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly scheduler: ReminderScheduler,
    private readonly cases: CasesService,
    private readonly deadlines: DeadlineRepository,
    private readonly events: DeadlineEventRepository,
    private readonly reminders: ReminderRepository,
    private readonly closures: ClosureRepository,
    private readonly bus: EventBus,
    private readonly identity: IdentityService,
  ) {}

  async calendarOf(authorityId: string): Promise<{ authority: AuthorityRecord; calendar: AuthorityCalendar }> {
    const authority = await this.identity.requireAuthority(authorityId);
    // Once for all the letters of a campaign's batch (RequestContext.readOnce).
    const closures = await RequestContext.readOnce(`closures:${authorityId}`, () =>
      RequestContext.actingFor(authorityId, () => this.closures.all()),
    );
    return {
      authority,
      calendar: {
        timeZone: authority.timezone,
        holidayRegion: authority.holidayRegion,
        weekendDays: authority.weekendDays,
        closures: closures.map(({ date, reason }) => ({ date, reason })),
        receiptCutoff: authority.receiptCutoff ?? null,
      },
    };
  }

  validatePlan(plan: ReminderPlanItem[] | undefined, field = 'reminders'): void {
    const errors = (plan ?? []).flatMap((item, index) => {
      const problem = offsetProblem(item.offset);
      return problem ? [{ field: `${field}.${index}.offset`, message: problem, ...offsetRefusal(item.offset) }] : [];
    });
    if (errors.length) throw new ValidationProblem(errors);
  }

  /** The due date a rule would give for an event now, without saving anything. */
  async preview(authorityId: string, eventAt: Date, rule: DeadlineRule) {
    const { calendar } = await this.calendarOf(authorityId);
    return asProblem(() => deriveDue(eventAt, rule, [], calendar));
  }

  /** Creates a deadline (in the caller's transaction when there is one); its reminders are queued after commit. */
  async create(input: NewDeadline): Promise<Deadline> {
    return this.unitOfWork.run((_manager, afterCommit) => this.add(input, afterCommit));
  }

  private async add(input: NewDeadline, afterCommit: AfterCommit): Promise<Deadline> {
    const authorityId = RequestContext.authorityId();
    this.validatePlan(input.reminderPlan);
    asProblem(() => checkRuleSet(input.rule.ruleSet));
    const { calendar } = await this.calendarOf(authorityId);
    const due = asProblem(() => deriveDue(input.eventAt, input.rule, [], calendar));
    if (new Date(due.dueAt).getTime() <= this.clock.now().getTime() && input.rule.type !== 'period') {
      throw refusal('deadline', `the due instant ${due.dueAt} has already passed`, 'deadlines.refusal.passed', {
        dueAt: due.dueAt,
      });
    }
    const deadline = await this.deadlines.add({
      caseId: input.caseId,
      inquiryId: input.inquiryId ?? null,
      kind: input.kind,
      label: input.label,
      eventAt: input.eventAt,
      rule: input.rule,
      adjustments: [],
      dueDate: due.dueDate,
      dueAt: new Date(due.dueAt),
      explanation: due.explanation,
      ruleSet: due.ruleSet,
      holidayDataVersion: due.holidayDataVersion,
      status: new Date(due.dueAt).getTime() <= this.clock.now().getTime() ? 'missed' : 'pending',
      reminderPlan: input.reminderPlan ?? [],
    });
    await this.history(deadline, 'created', null, null);
    await this.audit.record({
      action: 'deadline.created',
      entityType: 'deadline',
      entityId: deadline.id,
      caseId: deadline.caseId,
      after: summary(deadline),
    });
    await this.scheduler.replan(deadline, afterCommit, calendar, { created: true });
    return deadline;
  }

  /**
   * `create` for several deadlines of the caller's authority (a campaign's batch of letters), in the caller's
   * transaction: each inserted table takes one statement for all of them.
   */
  async createMany(inputs: NewDeadline[]): Promise<Deadline[]> {
    if (inputs.length <= 1) return Promise.all(inputs.map((input) => this.create(input)));
    return this.unitOfWork.run(async (_manager, afterCommit) => {
      const authorityId = RequestContext.authorityId();
      const { calendar } = await this.calendarOf(authorityId);
      const now = this.clock.now().getTime();
      const values = inputs.map((input) => {
        this.validatePlan(input.reminderPlan);
        asProblem(() => checkRuleSet(input.rule.ruleSet));
        const due = asProblem(() => deriveDue(input.eventAt, input.rule, [], calendar));
        const dueAt = new Date(due.dueAt);
        if (dueAt.getTime() <= now && input.rule.type !== 'period')
          throw refusal('deadline', `the due instant ${due.dueAt} has already passed`, 'deadlines.refusal.passed', {
            dueAt: due.dueAt,
          });
        return {
          caseId: input.caseId,
          inquiryId: input.inquiryId ?? null,
          kind: input.kind,
          label: input.label,
          eventAt: input.eventAt,
          rule: input.rule,
          adjustments: [],
          dueDate: due.dueDate,
          dueAt,
          explanation: due.explanation,
          ruleSet: due.ruleSet,
          holidayDataVersion: due.holidayDataVersion,
          status: dueAt.getTime() <= now ? ('missed' as const) : ('pending' as const),
          reminderPlan: input.reminderPlan ?? [],
        };
      });
      const deadlines = await this.deadlines.addAll(values);
      const at = this.clock.now();
      const actorLabel = RequestContext.actor().label;
      await this.events.addAll(
        deadlines.map((deadline) => ({
          deadlineId: deadline.id,
          at,
          action: 'created',
          actorLabel,
          reason: null,
          previousDueAt: null,
          dueAt: deadline.dueAt,
        })),
      );
      for (const deadline of deadlines)
        await this.audit.record({
          action: 'deadline.created',
          entityType: 'deadline',
          entityId: deadline.id,
          caseId: deadline.caseId,
          after: summary(deadline),
        });
      await this.scheduler.planNew(deadlines, afterCommit, calendar);
      return deadlines;
    });
  }

  /** A deadline of a case, created on its own (a compliance date, a follow-up check, anything to watch). */
  async createForCase(
    caseId: string,
    input: Omit<NewDeadline, 'caseId' | 'eventAt'> & { eventAt?: Date; start?: string },
  ): Promise<Deadline> {
    return this.unitOfWork.run(async (_manager, afterCommit) => {
      await this.cases.getForUpdate(caseId);
      await this.cases.requireOpenCase(caseId);
      let eventAt = input.eventAt ?? this.clock.now();
      if (input.start) {
        // A date is the authority's local date, never midnight UTC.
        const { calendar } = await this.calendarOf(RequestContext.authorityId());
        const parsed = parseDateOrInstant(input.start, calendar.timeZone);
        if (!parsed)
          throw refusal(
            'start',
            `start "${input.start}" is neither a date nor an ISO 8601 instant`,
            'deadlines.refusal.notDate',
          );
        eventAt = parsed;
      }
      return this.add({ ...input, caseId, eventAt }, afterCommit);
    });
  }

  /** A date (the caller's authority's local date) or an instant given to the API; 400 naming `field` otherwise. */
  async parseLocal(value: string, field: string): Promise<Date> {
    const { calendar } = await this.calendarOf(RequestContext.authorityId());
    const parsed = parseDateOrInstant(value, calendar.timeZone);
    if (!parsed)
      throw refusal(
        field,
        `${field} "${value}" is neither a date that exists in ${calendar.timeZone} nor an instant`,
        'deadlines.refusal.notDate',
      );
    return parsed;
  }

  /** The deadline as the API shows it: with history and reminders. */
  async view(id: string) {
    const deadline = await this.get(id);
    const [history, reminders] = await Promise.all([this.historyOf(id), this.remindersOf([id])]);
    return deadlineView(deadline, { history, reminders });
  }

  /**
   * The deadline's computation as a stable document with its SHA-256; the hash is recorded in the audit trail each
   * time the certificate is issued.
   */
  async certificate(id: string) {
    return this.unitOfWork.run(async () => {
      const deadline = await this.get(id);
      const { authority, calendar } = await this.calendarOf(deadline.authorityId);
      const kase = await this.cases.require(deadline.caseId);
      const reproduced = reproduces(deadline, calendar);
      const issued = deadlineCertificate({
        deadline: { ...deadline, eventDate: localDateOf(currentEventAt(deadline), calendar.timeZone) },
        caseReference: kase.reference,
        authority: { code: authority.code, name: authority.name },
        calendar,
        reproduced,
      });
      await this.audit.record({
        action: 'deadline.certificate_issued',
        entityType: 'deadline',
        entityId: deadline.id,
        caseId: deadline.caseId,
        after: { sha256: issued.sha256, dueAt: deadline.dueAt.toISOString(), version: deadline.version },
      });
      return {
        certificate: issued.certificate,
        sha256: issued.sha256,
        algorithm: 'SHA-256 of the canonical JSON (keys sorted)',
      };
    });
  }

  async get(id: string): Promise<Deadline> {
    const deadline = await this.deadlines.byId(id);
    if (!deadline) throw new NotFound(`There is no deadline ${id} in your authority.`);
    return deadline;
  }

  private async lock(id: string): Promise<Deadline> {
    const deadline = await this.deadlines.lockById(id);
    if (!deadline) throw new NotFound(`There is no deadline ${id} in your authority.`);
    return deadline;
  }

  /** The status `action` leads the deadline to (deadline-lifecycle.ts), or a 409 saying from which it could. */
  private move(deadline: Deadline, action: DeadlineAction): DeadlineStatus {
    const move = applyDeadlineAction(deadline.status, action);
    if (!move.ok)
      throw new Conflict(move.message).withMessage('problem.deadlineState', {
        status: deadline.status,
        action,
      });
    return move.to;
  }

  async extend(id: string, target: ExtensionTarget, reason: string): Promise<Deadline> {
    return this.change(id, 'extended', reason, this.extension(target, reason));
  }

  /**
   * Extends every running deadline of a case in one transaction, each as `extend` would (its history, audit entry and
   * reminders): all of them or none. 404 for a case of another authority, 412 when `expectedCaseVersion` is not the
   * case's version, 409 when the case is closed or has no deadline to extend.
   */
  async extendRunningOfCase(
    caseId: string,
    target: ExtensionTarget,
    reason: string,
    expectedCaseVersion?: number,
  ): Promise<Deadline[]> {
    return this.unitOfWork.run(async (_manager, afterCommit) => {
      const kase = await this.cases.getForUpdate(caseId);
      if (expectedCaseVersion !== undefined && kase.version !== expectedCaseVersion)
        throw staleVersion('case', expectedCaseVersion, kase.version);
      if (kase.status === 'closed')
        throw new Conflict(`Case ${kase.reference} is closed; its deadlines no longer run.`);
      const running = await this.deadlines.matching(
        { caseId, status: In(statusesAllowing('extend')) },
        { order: { dueAt: 'ASC' } },
      );
      if (running.length === 0) throw new Conflict(`Case ${kase.reference} has no deadline that can be extended.`);
      const extended: Deadline[] = [];
      for (const deadline of running)
        extended.push(
          await this.changeIn(afterCommit, deadline.id, 'extended', reason, this.extension(target, reason)),
        );
      return extended;
    });
  }

  private extension(
    target: ExtensionTarget,
    reason: string,
  ): (deadline: Deadline, calendar: AuthorityCalendar) => Promise<DueChange> {
    return async (deadline, calendar) => {
      const to = this.move(deadline, 'extend');
      const adjustment: Adjustment = {
        type: 'extend',
        to: ruleOf(target),
        reason,
        at: this.clock.now().toISOString(),
        by: RequestContext.actor().label,
      };
      const due = asProblem(() =>
        deriveDue(deadline.eventAt, deadline.rule, [...deadline.adjustments, adjustment], calendar),
      );
      if (new Date(due.dueAt).getTime() <= deadline.dueAt.getTime()) {
        throw refusal(
          'dueAt' in target ? 'dueAt' : 'dueDate' in target ? 'dueDate' : 'count',
          `an extension must move the due date later than ${deadline.dueDate}; this gives ${due.dueDate}`,
          'deadlines.refusal.notLater',
          { currentDay: deadline.dueDate, resultDay: due.dueDate },
        );
      }
      if (new Date(due.dueAt).getTime() <= this.clock.now().getTime()) {
        throw refusal(
          'dueAt' in target ? 'dueAt' : 'dueDate',
          `the new due instant ${due.dueAt} has already passed`,
          'deadlines.refusal.passed',
          { dueAt: due.dueAt },
        );
      }
      deadline.adjustments = [...deadline.adjustments, adjustment];
      deadline.status = to;
      return due;
    };
  }

  /**
   * Stops the clock, now or from `from` (backdated: not before the deadline's event, never in the future), in the
   * caller's transaction when there is one.
   */
  async suspend(id: string, reason: string, from?: Date): Promise<Deadline> {
    return this.change(id, 'suspended', reason, async (deadline) => {
      const now = this.clock.now();
      const start = from ?? now;
      if (from) {
        if (from.getTime() > now.getTime() + 60_000)
          throw refusal(
            'from',
            `a suspension cannot start in the future (it is now ${now.toISOString()})`,
            'deadlines.refusal.suspendFuture',
          );
        const event = currentEventAt(deadline);
        if (from.getTime() < event.getTime())
          throw refusal(
            'from',
            `a suspension cannot start before the deadline's event (${event.toISOString()})`,
            'deadlines.refusal.suspendBeforeEvent',
            { eventAt: event.toISOString() },
          );
      }
      // A missed deadline may be suspended from a moment before it expired: the clock was stopped in time.
      if (deadline.status === 'missed' && from && from.getTime() <= deadline.dueAt.getTime())
        deadline.status = this.move(deadline, 'reopen');
      const next = this.move(deadline, 'suspend');
      if (from && from.getTime() > deadline.dueAt.getTime())
        throw refusal(
          'from',
          `the deadline had already expired at ${deadline.dueAt.toISOString()}`,
          'deadlines.refusal.suspendAfterExpiry',
          { dueAt: deadline.dueAt.toISOString() },
        );
      deadline.status = next;
      deadline.suspendedAt = start;
      deadline.suspendReason = reason;
      return null;
    });
  }

  async resume(id: string, reason: string | undefined): Promise<Deadline> {
    return this.change(id, 'resumed', reason ?? null, async (deadline, calendar) => {
      const next = this.move(deadline, 'resume');
      const stoppedAt = deadline.suspendedAt as Date;
      const now = this.clock.now();
      const from = localDateOf(stoppedAt, calendar.timeZone);
      const to = localDateOf(now, calendar.timeZone);
      const days = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days;
      const adjustment: Adjustment = {
        type: 'suspension',
        from,
        to,
        days,
        fromAt: stoppedAt.toISOString(),
        toAt: now.toISOString(),
        reason: deadline.suspendReason ?? 'suspended',
        by: RequestContext.actor().label,
      };
      deadline.adjustments = [...deadline.adjustments, adjustment];
      deadline.suspendedAt = null;
      deadline.suspendReason = null;
      deadline.status = next;
      return asProblem(() => deriveDue(deadline.eventAt, deadline.rule, deadline.adjustments, calendar));
    });
  }

  /**
   * Counts the period again from a new event (a clarification received): the earlier count, its extensions and
   * suspensions stay in the history; the new event may not be before the current one nor in the future.
   */
  async restart(id: string, eventAt: Date, reason: string): Promise<Deadline> {
    return this.change(id, 'restarted', reason, async (deadline, calendar) => {
      const next = this.move(deadline, 'restart');
      if (deadline.rule.type !== 'period')
        throw refusal(
          'eventAt',
          'only a deadline counted as a period from an event can restart',
          'deadlines.refusal.restartNotPeriod',
        );
      const now = this.clock.now();
      if (eventAt.getTime() > now.getTime() + 60_000)
        throw refusal(
          'eventAt',
          `the new event cannot be in the future (it is now ${now.toISOString()})`,
          'deadlines.refusal.restartFuture',
        );
      const current = currentEventAt(deadline);
      if (eventAt.getTime() < current.getTime())
        throw refusal(
          'eventAt',
          `the new event cannot be before the current one (${current.toISOString()})`,
          'deadlines.refusal.restartBeforeCurrent',
          { eventAt: current.toISOString() },
        );
      const adjustment: Adjustment = {
        type: 'restart',
        eventAt: eventAt.toISOString(),
        reason,
        at: now.toISOString(),
        by: RequestContext.actor().label,
      };
      const due = asProblem(() =>
        deriveDue(deadline.eventAt, deadline.rule, [...deadline.adjustments, adjustment], calendar),
      );
      deadline.adjustments = [...deadline.adjustments, adjustment];
      // Counted again from the new event: running anew, or missed at once when that count is over too.
      deadline.status = new Date(due.dueAt).getTime() <= now.getTime() ? 'missed' : next;
      deadline.suspendedAt = null;
      deadline.suspendReason = null;
      return due;
    });
  }

  /** Waives the deadline, in the caller's transaction when there is one. */
  async waive(id: string, reason: string): Promise<Deadline> {
    return this.change(id, 'waived', reason, async (deadline) => {
      deadline.status = this.move(deadline, 'waive');
      deadline.settledAt = this.clock.now();
      return null;
    });
  }

  /** Marks the deadline met by something received at `at` (a response); returns whether it was on time. */
  async markMet(
    id: string,
    at: Date,
    reason: string,
  ): Promise<{ deadline: Deadline; onTime: boolean; lateBy: number }> {
    return this.unitOfWork.run(async (manager, afterCommit) => {
      const deadline = await this.lock(id);
      const to = this.move(deadline, 'meet');
      await this.noteRemindersJustSent(deadline);
      const onTime = at.getTime() <= deadline.dueAt.getTime();
      const before = summary(deadline);
      deadline.status = to;
      deadline.settledAt = at;
      deadline.suspendedAt = null;
      await manager.save(deadline);
      await this.history(deadline, 'met', onTime ? reason : `${reason} (late)`, null);
      await this.audit.record({
        action: 'deadline.met',
        entityType: 'deadline',
        entityId: deadline.id,
        caseId: deadline.caseId,
        before,
        after: { ...summary(deadline), onTime },
      });
      const { calendar } = await this.calendarOf(deadline.authorityId);
      await this.scheduler.replan(deadline, afterCommit, calendar);
      return { deadline, onTime, lateBy: Math.max(0, at.getTime() - deadline.dueAt.getTime()) };
    });
  }

  /**
   * Records whether a reply by e-mail awaits staff's assessment on the deadlines of an inquiry and holds or
   * releases their chasers to the respondent. `since` is read once the deadlines are locked: the arrival of the
   * oldest reply still awaiting, or null when none does.
   */
  async replyPendingForInquiry(inquiryId: string, since: () => Promise<Date | null>): Promise<void> {
    return this.unitOfWork.run(async (_manager, afterCommit) => {
      const deadlines = await this.deadlines.matching({ inquiryId }, { order: { id: 'ASC' }, lock: true });
      if (deadlines.length === 0) return;
      const at = await since();
      for (const deadline of deadlines) {
        if ((deadline.replyPendingSince?.getTime() ?? null) === (at?.getTime() ?? null)) continue;
        const open = isRunning(deadline.status);
        const received = deadline.replyPendingSince === null;
        deadline.replyPendingSince = at;
        await this.deadlines.change(deadline.id, { replyPendingSince: at });
        if (!open) continue;
        if (received !== (at === null))
          await this.history(deadline, received ? 'reply_received' : 'reply_assessed', null, null);
        const { calendar } = await this.calendarOf(deadline.authorityId);
        await this.scheduler.replan(deadline, afterCommit, calendar);
      }
    });
  }

  /**
   * Stops every running deadline of a case (the case was closed), in the caller's transaction. The cancelled
   * reminders' jobs are left in the queue: reconciliation removes them, or they find their rows cancelled.
   */
  async cancelForCase(caseId: string, reason: string): Promise<void> {
    return this.unitOfWork.run(async (manager) => {
      const open = await this.deadlines.matching({ caseId, status: In([...RUNNING_STATUSES]) }, { lock: true });
      if (open.length === 0) return;
      const { calendar } = await this.calendarOf(open[0].authorityId);
      for (const deadline of open) {
        const before = summary(deadline);
        deadline.status = this.move(deadline, 'waive');
        deadline.settledAt = this.clock.now();
        await manager.save(deadline);
        await this.history(deadline, 'waived', reason, null);
        await this.audit.record({
          action: 'deadline.waived',
          entityType: 'deadline',
          entityId: deadline.id,
          caseId,
          before,
          after: summary(deadline),
        });
        await this.scheduler.replan(deadline, () => undefined, calendar);
      }
    });
  }

  private async change(
    id: string,
    action: string,
    reason: string | null,
    mutate: (deadline: Deadline, calendar: AuthorityCalendar) => Promise<DueChange | null>,
  ): Promise<Deadline> {
    return this.unitOfWork.run((_manager, afterCommit) => this.changeIn(afterCommit, id, action, reason, mutate));
  }

  private async changeIn(
    afterCommit: AfterCommit,
    id: string,
    action: string,
    reason: string | null,
    mutate: (deadline: Deadline, calendar: AuthorityCalendar) => Promise<DueChange | null>,
  ): Promise<Deadline> {
    const manager = this.unitOfWork.manager();
    const deadline = await this.lock(id);
    const before = summary(deadline);
    const { calendar } = await this.calendarOf(deadline.authorityId);
    const previousDueAt = deadline.dueAt;
    const stoppedBefore = deadline.suspendedAt;
    const due = await mutate(deadline, calendar);
    await this.noteRemindersJustSent(deadline);
    if (due) {
      deadline.dueDate = due.dueDate;
      deadline.dueAt = new Date(due.dueAt);
      deadline.explanation = due.explanation;
      deadline.holidayDataVersion = due.holidayDataVersion ?? HOLIDAY_DATA_VERSION;
    }
    if (!isRunning(deadline.status)) deadline.settledAt ??= this.clock.now();
    if (isAhead(deadline.status)) deadline.settledAt = null;
    const saved = await manager.save(deadline);
    await this.history(saved, action, reason, due ? previousDueAt : null);
    await this.audit.record({
      action: `deadline.${action}`,
      entityType: 'deadline',
      entityId: saved.id,
      caseId: saved.caseId,
      before,
      after: { ...summary(saved), reason },
    });
    await this.scheduler.replan(saved, afterCommit, calendar);
    if (TOLD_CHANGES.includes(action)) {
      const change: DeadlineChange = {
        action: action as DeadlineChange['action'],
        previousDueAt,
        stoppedAt: saved.suspendedAt ?? stoppedBefore ?? null,
      };
      await this.bus.publish(new DeadlineChanged(saved, change), { manager, afterCommit });
    }
    return saved;
  }

  /**
   * Replays every open deadline of the authority against its current calendar and holiday data (after a closure day
   * was added or removed, a calendar setting changed, or the holiday data of a release changed). Only deadlines whose
   * due instant changes are saved with a history entry and have their reminders replanned; one whose due instant
   * stays gets the current holiday-data version (and that data's explanation) recorded. Returns the ones that moved.
   */
  async recomputeOpenDeadlines(
    authorityId: string,
    reason: string,
    options: { onlyOtherHolidayData?: boolean } = {},
  ): Promise<{ deadline: Deadline; previousDueAt: Date }[]> {
    return this.unitOfWork.run(async (manager, afterCommit) => {
      const { calendar } = await this.calendarOf(authorityId);
      const open = await RequestContext.actingFor(authorityId, () =>
        this.deadlines.matching({ status: In([...AHEAD_STATUSES]) }, { order: { id: 'ASC' }, lock: true }),
      );
      const moved: { deadline: Deadline; previousDueAt: Date }[] = [];
      for (const deadline of open) {
        if (options.onlyOtherHolidayData && deadline.holidayDataVersion === HOLIDAY_DATA_VERSION) continue;
        const due = asProblem(() => deriveDue(deadline.eventAt, deadline.rule, deadline.adjustments, calendar));
        // The engine writes the instant with the zone's offset, the column reads back in UTC: compare instants.
        if (new Date(due.dueAt).getTime() === deadline.dueAt.getTime() && due.dueDate === deadline.dueDate) {
          // Same due instant: the current data's version is recorded, and its explanation (a warning of incomplete
          // holiday data added or lifted, a holiday's name corrected) replaces the old one; nothing moved.
          if (deadline.holidayDataVersion !== due.holidayDataVersion)
            await RequestContext.actingFor(authorityId, () =>
              this.deadlines.change(deadline.id, {
                holidayDataVersion: due.holidayDataVersion,
                explanation: due.explanation,
              }),
            );
          continue;
        }
        const before = summary(deadline);
        const previousDueAt = deadline.dueAt;
        deadline.dueDate = due.dueDate;
        deadline.dueAt = new Date(due.dueAt);
        deadline.explanation = due.explanation;
        deadline.holidayDataVersion = due.holidayDataVersion;
        await manager.save(deadline);
        await this.history(deadline, 'recomputed', reason, previousDueAt);
        await this.audit.record({
          authorityId,
          action: 'deadline.recomputed',
          entityType: 'deadline',
          entityId: deadline.id,
          caseId: deadline.caseId,
          before,
          after: { ...summary(deadline), reason },
        });
        await this.scheduler.replan(deadline, afterCommit, calendar);
        moved.push({ deadline, previousDueAt });
      }
      return moved;
    });
  }

  /** Pending deadlines whose due instant has passed become missed; returns how many. */
  async markOverdue(limit = 1000): Promise<number> {
    const due = await this.dataSource.getRepository(Deadline).find({
      select: { id: true, authorityId: true },
      where: { status: In(statusesAllowing('miss')), dueAt: LessThanOrEqual(this.clock.now()) },
      take: limit,
    });
    for (const { id, authorityId } of due) await RequestContext.asAuthority(authorityId, () => this.markMissed(id));
    return due.length;
  }

  /** Marks one deadline missed if it is still pending and past due; a stale or early call does nothing. */
  async markMissed(id: string, expectedDueAt?: string): Promise<boolean> {
    return this.unitOfWork.run(async (manager, afterCommit) => {
      const deadline = await manager.findOne(Deadline, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!deadline || !canApply(deadline.status, 'miss')) return false;
      if (expectedDueAt && deadline.dueAt.toISOString() !== new Date(expectedDueAt).toISOString()) return false;
      if (deadline.dueAt.getTime() > this.clock.now().getTime()) return false;
      const before = summary(deadline);
      deadline.status = this.move(deadline, 'miss');
      deadline.settledAt = this.clock.now();
      await manager.save(deadline);
      await this.history(deadline, 'missed', null, null);
      await this.audit.record({
        authorityId: deadline.authorityId,
        action: 'deadline.missed',
        entityType: 'deadline',
        entityId: deadline.id,
        caseId: deadline.caseId,
        before,
        after: summary(deadline),
      });
      const { calendar } = await this.calendarOf(deadline.authorityId);
      await this.scheduler.replan(deadline, afterCommit, calendar);
      return true;
    });
  }

  /**
   * A reminder fired a moment before this change (the fire holds its reminder rows until they are recorded sent, and
   * the change cancels only rows still scheduled, so it could not cancel them): the history says so, ahead of the
   * change, so that a chaser that reaches the organisation right after its response was recorded reads as what
   * happened.
   */
  private async noteRemindersJustSent(deadline: Deadline): Promise<void> {
    const since = new Date(this.clock.now().getTime() - JUST_BEFORE_MS);
    const sent = await RequestContext.actingFor(deadline.authorityId, () =>
      this.reminders.sentSince(deadline.id, since),
    );
    if (!sent.length) return;
    // Each once: not those sent before the deadline's previous change (which noted them).
    const last = await RequestContext.actingFor(deadline.authorityId, () => this.events.newest(deadline.id));
    for (const reminder of sent.filter((row) => !last || (row.sentAt as Date) > last.at))
      await this.history(
        deadline,
        'reminder_sent',
        `a reminder (${reminder.audience}, ${reminder.offset}) went out at ${reminder.sentAt?.toISOString()}, just before this change`,
        null,
      );
  }

  historyOf(deadlineId: string): Promise<DeadlineEvent[]> {
    return this.events.of(deadlineId);
  }

  remindersOf(deadlineIds: string[]): Promise<Reminder[]> {
    if (deadlineIds.length === 0) return Promise.resolve([]);
    return this.reminders.ofDeadlines(deadlineIds);
  }

  forCase(caseId: string): Promise<Deadline[]> {
    return this.deadlines.matching({ caseId }, { order: { createdAt: 'ASC' } });
  }

  /**
   * Where these deadlines of the caller's authority stand, by id (others are left out): one read for any number, so
   * that a list of many cases' deadlines (a campaign's progress) asks once.
   */
  async standings(ids: string[]): Promise<Map<string, DeadlineStanding>> {
    if (ids.length === 0) return new Map();
    const found = await this.deadlines
      .query('deadline')
      .select(['deadline.id', 'deadline.status', 'deadline.dueAt', 'deadline.dueDate'])
      .andWhere('deadline.id = ANY(:ids)', { ids: [...new Set(ids)] })
      .getMany();
    return new Map(found.map(({ id, status, dueAt, dueDate }) => [id, { status, dueAt, dueDate }]));
  }

  private async history(
    deadline: Deadline,
    action: string,
    reason: string | null,
    previousDueAt: Date | null,
  ): Promise<void> {
    // Workers record the history of a deadline they read by its id: it is the deadline's authority's.
    await RequestContext.actingFor(deadline.authorityId, () =>
      this.events.add({
        deadlineId: deadline.id,
        at: this.clock.now(),
        action,
        actorLabel: RequestContext.actor().label,
        reason,
        previousDueAt,
        dueAt: deadline.dueAt,
      }),
    );
  }
}

/** Whether replaying the deadline's rule now, on the current calendar and holiday data, gives its due instant. */
function reproduces(deadline: Deadline, calendar: AuthorityCalendar): boolean {
  try {
    const again = deriveDue(deadline.eventAt, deadline.rule, deadline.adjustments, calendar);
    return new Date(again.dueAt).getTime() === deadline.dueAt.getTime();
  } catch {
    return false;
  }
}

/** The event the deadline currently counts from: its own, or that of its latest restart. */
export function currentEventAt(deadline: Pick<Deadline, 'eventAt' | 'adjustments'>): Date {
  const restarts = deadline.adjustments.filter((adjustment) => adjustment.type === 'restart');
  const last = restarts[restarts.length - 1];
  return last && last.type === 'restart' ? new Date(last.eventAt) : deadline.eventAt;
}

export function summary(deadline: Deadline) {
  return {
    status: deadline.status,
    dueDate: deadline.dueDate,
    dueAt: deadline.dueAt.toISOString(),
    label: deadline.label,
  };
}
