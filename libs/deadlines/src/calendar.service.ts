import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import {
  computeDueDate,
  cutoffProblem,
  holidayDataWarnings,
  holidaysBetween,
  parseDateOrInstant,
  validateCalendar,
  type AuthorityCalendar,
  type PeriodRule,
} from '#docket/calendar';
import { AuditService } from '#docket/audit';
import { IdentityService, type AuthorityRecord } from '#docket/identity';
import {
  Conflict,
  EventBus,
  NotAllowed,
  NotFound,
  RequestContext,
  UnitOfWork,
  ValidationProblem,
} from '#docket/platform';
import type { AuthorityClosure } from './closure.entity.js';
import { ClosureRepository } from './closure.repository.js';
import { CalendarSettingsChanged, ClosureDayChanged } from './deadline-events.js';
import { asProblem, DeadlinesService } from './deadlines.service.js';
import { checkRuleSet } from './deadline-rules.js';
import { DeadlineNotices, moveReasonText, type MoveReason } from './deadline-notices.js';

/** What another authority is told about a closure day: that the day is not a working day, not why. */
export const CLOSURE_REASON_WITHHELD = 'closure day';

/** Only the authority itself (and the sysadmin) sees why it closes; others see which days. */
function seesReasons(authority: Pick<AuthorityRecord, 'id'>): boolean {
  const actor = RequestContext.actor();
  return actor.role === 'sysadmin' || actor.authorityId === authority.id;
}

/** The calendar with each closure's reason replaced by a neutral one (one entry per date). */
export function withoutClosureReasons(calendar: AuthorityCalendar): AuthorityCalendar {
  const dates = [...new Set(calendar.closures.map((closure) => closure.date))];
  return { ...calendar, closures: dates.map((date) => ({ date, reason: CLOSURE_REASON_WITHHELD })) };
}

/** The authorities' legal calendars: due-date computation, holidays, closure days. */
@Injectable()
export class CalendarService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly identity: IdentityService,
    private readonly deadlines: DeadlinesService,
    private readonly audit: AuditService,
    private readonly notices: DeadlineNotices,
    private readonly closures: ClosureRepository,
    private readonly events: EventBus,
  ) {}

  /** The authority's calendar as the caller may see it: closure reasons only for the authority itself. */
  private async visibleCalendar(authority: AuthorityRecord): Promise<AuthorityCalendar> {
    const { calendar } = await this.deadlines.calendarOf(authority.id);
    return seesReasons(authority) ? calendar : withoutClosureReasons(calendar);
  }

  async compute(authorityCode: string, start: string, rule: PeriodRule) {
    if (rule.ruleSet !== undefined) asProblem(() => checkRuleSet(rule.ruleSet));
    const authority = await this.identity.authorityByCode(authorityCode);
    const calendar = await this.visibleCalendar(authority);
    const instant = parseStart(start, authority.timezone);
    return asProblem(() => computeDueDate(instant, calendar, rule));
  }

  async holidays(authorityCode: string, from: string, to: string) {
    const authority = await this.identity.authorityByCode(authorityCode);
    const calendar = await this.visibleCalendar(authority);
    if (DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days > 800)
      throw new ValidationProblem([
        {
          field: 'to',
          message: 'ask for at most about two years at a time',
          key: 'calendar.refusal.twoYears',
        },
      ]);
    const days = asProblem(() => holidaysBetween(calendar, from, to));
    const years: number[] = [];
    for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) years.push(year);
    return {
      authority: authority.code,
      timezone: authority.timezone,
      weekendDays: authority.weekendDays,
      days,
      /** Years of the range whose public-holiday data is known to be incomplete (India outside 2026), in words. */
      warnings: holidayDataWarnings(calendar.holidayRegion, years),
    };
  }

  /** The authority's closure days with their reasons: its own users' (and the sysadmin's) only; 404 for anyone else. */
  async listClosures(authorityCode: string) {
    const authority = await this.identity.authorityByCode(authorityCode);
    if (!seesReasons(authority)) {
      throw new NotFound(
        `The closure days of ${authority.code} are kept by that authority; its non-working days (without reasons) are at GET /api/v1/authorities/${authority.code}/calendar.`,
      );
    }
    return RequestContext.actingFor(authority.id, () => this.closures.all());
  }

  /**
   * Adds a closure day; the authority's open deadlines are recomputed in the same transaction, each move recorded in
   * its history and its assignee (else the managers) told by mail.
   */
  async addClosure(
    authorityCode: string,
    date: string,
    reason: string,
  ): Promise<{ closure: AuthorityClosure; recomputed: number }> {
    const authority = await this.identity.authorityByCode(authorityCode);
    const actor = RequestContext.actor();
    if (actor.role !== 'sysadmin' && actor.authorityId !== authority.id)
      throw new NotAllowed('You can only add closure days to your own authority.');
    return RequestContext.actingFor(authority.id, () =>
      this.unitOfWork.run(async (manager, afterCommit) => {
        if (await this.closures.onDate(date)) {
          throw new Conflict(`${date} is already a closure day of ${authority.code}.`);
        }
        const closure = await this.closures.add(date, reason);
        await this.audit.record({
          authorityId: authority.id,
          action: 'closure.added',
          entityType: 'closure',
          entityId: closure.id,
          after: { date, reason },
        });
        const why: MoveReason = { kind: 'closureAdded', date, reason };
        const moved = await this.deadlines.recomputeOpenDeadlines(authority.id, moveReasonText(why));
        await this.notices.notifyMoved(moved, why);
        const recomputed = moved.length;
        await this.events.publish(new ClosureDayChanged(authority, date, 'added'), { manager, afterCommit });
        return { closure, recomputed };
      }),
    );
  }

  /**
   * Removes a closure day entered by mistake (or no longer held), saying why; the authority's open deadlines are
   * recomputed in the same transaction; each one that moves says so in its history and its assignee is told.
   */
  async removeClosure(
    authorityCode: string,
    date: string,
    reason: string,
  ): Promise<{ removed: { date: string; reason: string }; recomputed: number }> {
    const authority = await this.identity.authorityByCode(authorityCode);
    const actor = RequestContext.actor();
    if (actor.role !== 'sysadmin' && actor.authorityId !== authority.id)
      throw new NotAllowed('You can only remove closure days of your own authority.');
    return RequestContext.actingFor(authority.id, () =>
      this.unitOfWork.run(async (manager, afterCommit) => {
        const closure = await this.closures.onDate(date, true);
        if (!closure) throw new NotFound(`${date} is not a closure day of ${authority.code}.`);
        await this.closures.remove(closure.id);
        await this.audit.record({
          authorityId: authority.id,
          action: 'closure.removed',
          entityType: 'closure',
          entityId: closure.id,
          before: { date: closure.date, reason: closure.reason },
          after: { removedBecause: reason },
        });
        const why: MoveReason = { kind: 'closureRemoved', date, closureReason: closure.reason, reason };
        const moved = await this.deadlines.recomputeOpenDeadlines(authority.id, moveReasonText(why));
        await this.notices.notifyMoved(moved, why);
        const recomputed = moved.length;
        await this.events.publish(new ClosureDayChanged(authority, date, 'removed'), { manager, afterCommit });
        return { removed: { date: closure.date, reason: closure.reason }, recomputed };
      }),
    );
  }

  /**
   * Changes how the authority's calendar counts (receipt cut-off, weekend days, holiday region); its running
   * deadlines are recomputed in the same transaction, each move recorded with the reason and its assignee told.
   */
  async updateSettings(
    authorityCode: string,
    changes: { receiptCutoff?: string | null; weekendDays?: number[]; holidayRegion?: string },
  ) {
    const authority = await this.identity.authorityByCode(authorityCode);
    const actor = RequestContext.actor();
    if (actor.role !== 'sysadmin' && actor.authorityId !== authority.id)
      throw new NotAllowed("You can only change your own authority's calendar.");
    const problem = cutoffProblem(changes.receiptCutoff);
    if (problem)
      throw new ValidationProblem([{ field: 'receiptCutoff', message: problem, key: 'calendar.refusal.cutoff' }]);
    return RequestContext.actingFor(authority.id, () =>
      this.unitOfWork.run(async (manager, afterCommit) => {
        const current = await this.identity.lockAuthority(authority.id);
        const before = {
          receiptCutoff: current.receiptCutoff,
          weekendDays: current.weekendDays,
          holidayRegion: current.holidayRegion,
        };
        const next = {
          receiptCutoff: changes.receiptCutoff === undefined ? current.receiptCutoff : changes.receiptCutoff,
          weekendDays: changes.weekendDays ?? current.weekendDays,
          holidayRegion: changes.holidayRegion?.trim().toUpperCase() ?? current.holidayRegion,
        };
        asProblem(() =>
          validateCalendar({
            timeZone: current.timezone,
            holidayRegion: next.holidayRegion,
            weekendDays: next.weekendDays,
            closures: [],
            receiptCutoff: next.receiptCutoff,
          }),
        );
        const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
          (key) => JSON.stringify(next[key]) !== JSON.stringify(before[key]),
        );
        if (changed.length === 0) return { ...next, recomputedDeadlines: 0 };
        await this.identity.setCalendarSettings(authority.id, next);
        await this.audit.record({
          authorityId: authority.id,
          action: 'authority.calendar_changed',
          entityType: 'authority',
          entityId: authority.id,
          before,
          after: next,
        });
        const reason: MoveReason = {
          kind: 'settingsChanged',
          changes: changed
            .map((key) => `${key} ${JSON.stringify(before[key])} → ${JSON.stringify(next[key])}`)
            .join('; '),
        };
        const moved = await this.deadlines.recomputeOpenDeadlines(authority.id, moveReasonText(reason));
        await this.notices.notifyMoved(moved, reason);
        await this.events.publish(new CalendarSettingsChanged(authority, changed), { manager, afterCommit });
        return { ...next, recomputedDeadlines: moved.length };
      }),
    );
  }
}

/** `start` is an instant with offset, or the authority's local date (its first instant). */
export function parseStart(start: string, timeZone: string, field = 'start'): Date {
  const parsed = parseDateOrInstant(start, timeZone);
  if (!parsed)
    throw new ValidationProblem([
      {
        field,
        message: `${field} "${start}" is neither a date (YYYY-MM-DD) that exists in ${timeZone} nor an ISO 8601 instant with offset`,
        key: 'validation.dateOrInstant',
      },
    ]);
  return parsed;
}
