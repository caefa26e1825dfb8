import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { computeDueDate, holidaysBetween, type AuthorityCalendar, type PeriodRule } from '#docket/calendar';
import { AuditService } from '#docket/audit';
import { IdentityService, type Authority } from '#docket/identity';
import { RequestContext, UnitOfWork, ValidationProblem } from '#docket/platform';
import { AuthorityClosure } from './closure.entity.js';
import { asProblem, DeadlinesService } from './deadlines.service.js';

/** What another authority is told about a closure day: that the day is not a working day, not why. */
export const CLOSURE_REASON_WITHHELD = 'closure day';

/** Only the authority itself (and the sysadmin) sees why it closes; others see which days. */
function seesReasons(authority: Pick<Authority, 'id'>): boolean {
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
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly identity: IdentityService,
    private readonly deadlines: DeadlinesService,
    private readonly audit: AuditService,
  ) {}

  /** The authority's calendar as the caller may see it: closure reasons only for the authority itself. */
  private async visibleCalendar(authority: Authority): Promise<AuthorityCalendar> {
    const { calendar } = await this.deadlines.calendarOf(authority.id);
    return seesReasons(authority) ? calendar : withoutClosureReasons(calendar);
  }

  async compute(authorityCode: string, start: string, rule: PeriodRule) {
    const authority = await this.identity.authorityByCode(authorityCode);
    const calendar = await this.visibleCalendar(authority);
    const instant = parseStart(start, authority.timezone);
    return asProblem(() => computeDueDate(instant, calendar, rule));
  }

  async holidays(authorityCode: string, from: string, to: string) {
    const authority = await this.identity.authorityByCode(authorityCode);
    const calendar = await this.visibleCalendar(authority);
    if (DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days > 800)
      throw new ValidationProblem([{ field: 'to', message: 'ask for at most about two years at a time' }]);
    return {
      authority: authority.code,
      timezone: authority.timezone,
      weekendDays: authority.weekendDays,
      days: asProblem(() => holidaysBetween(calendar, from, to)),
    };
  }

  /** The authority's closure days with their reasons: its own users' (and the sysadmin's) only; 404 for anyone else. */
  async listClosures(authorityCode: string) {
    const authority = await this.identity.authorityByCode(authorityCode);
    if (!seesReasons(authority)) {
      throw new NotFoundException(
        `The closure days of ${authority.code} are kept by that authority; its non-working days (without reasons) are at GET /api/v1/authorities/${authority.code}/calendar.`,
      );
    }
    return this.dataSource
      .getRepository(AuthorityClosure)
      .find({ where: { authorityId: authority.id }, order: { date: 'ASC' } });
  }

  /** Adds a closure day; the authority's open deadlines are recomputed in the same transaction. */
  async addClosure(
    authorityCode: string,
    date: string,
    reason: string,
  ): Promise<{ closure: AuthorityClosure; recomputed: number }> {
    const authority = await this.identity.authorityByCode(authorityCode);
    const actor = RequestContext.actor();
    if (actor.role !== 'sysadmin' && actor.authorityId !== authority.id)
      throw new ForbiddenException('You can only add closure days to your own authority.');
    return RequestContext.actingFor(authority.id, () =>
      this.unitOfWork.run(async (manager, afterCommit) => {
        if (await manager.findOne(AuthorityClosure, { where: { authorityId: authority.id, date } })) {
          throw new ConflictException(`${date} is already a closure day of ${authority.code}.`);
        }
        const closure = await manager.save(
          manager.create(AuthorityClosure, { authorityId: authority.id, date, reason }),
        );
        await this.audit.record(manager, {
          authorityId: authority.id,
          action: 'closure.added',
          entityType: 'closure',
          entityId: closure.id,
          after: { date, reason },
        });
        const recomputed = await this.deadlines.recomputeOpen(
          manager,
          authority.id,
          `closure day ${date} added: ${reason}`,
          afterCommit,
        );
        return { closure, recomputed };
      }),
    );
  }
}

/** `start` is an instant with offset, or a local date meaning noon of that day in the authority's zone. */
function parseStart(start: string, timeZone: string): Date {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(start)
    ? DateTime.fromISO(`${start}T12:00`, { zone: timeZone })
    : DateTime.fromISO(start, { setZone: true });
  if (!parsed.isValid)
    throw new ValidationProblem([
      {
        field: 'start',
        message: `start "${start}" is neither a date (YYYY-MM-DD) nor an ISO 8601 instant with offset`,
      },
    ]);
  return parsed.toJSDate();
}
