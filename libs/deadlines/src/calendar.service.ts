import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { computeDueDate, holidaysBetween, type PeriodRule } from '#docket/calendar';
import { AuditService } from '#docket/audit';
import { IdentityService } from '#docket/identity';
import { RequestContext, UnitOfWork, ValidationProblem } from '#docket/platform';
import { AuthorityClosure } from './closure.entity.js';
import { asProblem, DeadlinesService } from './deadlines.service.js';

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

  async compute(authorityCode: string, start: string, rule: PeriodRule) {
    const authority = await this.identity.authorityByCode(authorityCode);
    const { calendar } = await this.deadlines.calendarOf(authority.id);
    const instant = parseStart(start, authority.timezone);
    return asProblem(() => computeDueDate(instant, calendar, rule));
  }

  async holidays(authorityCode: string, from: string, to: string) {
    const authority = await this.identity.authorityByCode(authorityCode);
    const { calendar } = await this.deadlines.calendarOf(authority.id);
    if (DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days > 800) throw new ValidationProblem([{ field: 'to', message: 'ask for at most about two years at a time' }]);
    return { authority: authority.code, timezone: authority.timezone, weekendDays: authority.weekendDays, days: asProblem(() => holidaysBetween(calendar, from, to)) };
  }

  listClosures(authorityCode: string) {
    return this.identity.authorityByCode(authorityCode).then((authority) =>
      this.dataSource.getRepository(AuthorityClosure).find({ where: { authorityId: authority.id }, order: { date: 'ASC' } }),
    );
  }

  /** Adds a closure day; the authority's open deadlines are recomputed in the same transaction. */
  async addClosure(authorityCode: string, date: string, reason: string): Promise<{ closure: AuthorityClosure; recomputed: number }> {
    const authority = await this.identity.authorityByCode(authorityCode);
    const actor = RequestContext.actor();
    if (actor.role !== 'sysadmin' && actor.authorityId !== authority.id) throw new ForbiddenException('You can only add closure days to your own authority.');
    return RequestContext.actingFor(authority.id, () =>
      this.unitOfWork.run(async (manager, afterCommit) => {
        if (await manager.findOne(AuthorityClosure, { where: { authorityId: authority.id, date } })) {
          throw new ConflictException(`${date} is already a closure day of ${authority.code}.`);
        }
        const closure = await manager.save(manager.create(AuthorityClosure, { authorityId: authority.id, date, reason }));
        await this.audit.record(manager, { authorityId: authority.id, action: 'closure.added', entityType: 'closure', entityId: closure.id, after: { date, reason } });
        const recomputed = await this.deadlines.recomputeOpen(manager, authority.id, `closure day ${date} added: ${reason}`, afterCommit);
        return { closure, recomputed };
      }),
    );
  }
}

/** `start` is an instant with offset, or a local date meaning noon of that day in the authority's zone. */
function parseStart(start: string, timeZone: string): Date {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(start) ? DateTime.fromISO(`${start}T12:00`, { zone: timeZone }) : DateTime.fromISO(start, { setZone: true });
  if (!parsed.isValid) throw new ValidationProblem([{ field: 'start', message: `start "${start}" is neither a date (YYYY-MM-DD) nor an ISO 8601 instant with offset` }]);
  return parsed.toJSDate();
}
