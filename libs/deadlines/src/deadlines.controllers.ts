import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { HOLIDAY_DATA_VERSION, ruleSetViews } from '#docket/calendar';
import { ApiProblems, Authenticated, CASE_WRITERS, isCalendarDate, Roles, ValidationProblem } from '#docket/platform';
import { CalendarService } from './calendar.service.js';
import { DeadlineQueries } from './deadline-queries.js';
import { deadlineView } from './deadline-views.js';
import { DeadlinesService, ruleOf, type ExtensionTarget } from './deadlines.service.js';
import {
  CalendarSettingsRequest,
  ClosureRemovalRequest,
  ClosureRequest,
  ComputeRequest,
  RestartRequest,
  SuspendRequest,
  CreateDeadlineRequest,
  DeadlineListQuery,
  ExtendRequest,
  HolidaysQuery,
  OptionalReasonRequest,
  ReasonRequest,
  type DeadlineTarget,
} from './dto.js';

export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new ValidationProblem([{ field: 'id', message: 'id must be a UUID', key: 'validation.reference' }]),
});

/** Exactly one of dueDate, dueAt, or count with unit. */
export function targetOf(body: DeadlineTarget): ExtensionTarget {
  const given = [
    body.dueDate !== undefined,
    body.dueAt !== undefined,
    body.count !== undefined || body.unit !== undefined,
  ].filter(Boolean).length;
  if (given !== 1)
    throw new ValidationProblem([
      {
        field: 'dueDate',
        message: 'give exactly one of dueDate, dueAt, or count with unit',
        key: 'deadlines.refusal.oneTarget',
      },
    ]);
  if (body.dueDate) return { dueDate: body.dueDate };
  if (body.dueAt) return { dueAt: body.dueAt };
  if (body.count === undefined || body.unit === undefined)
    throw new ValidationProblem([
      {
        field: body.count === undefined ? 'count' : 'unit',
        message: 'count and unit go together',
        key: 'deadlines.refusal.countAndUnit',
      },
    ]);
  return { count: body.count, unit: body.unit };
}

@ApiTags('calendar')
@Authenticated()
@Controller('api/v1')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Post('calendar/compute')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      '{dueDate, dueAt, explanation: [{date, reason, kind}], ruleSet, holidayDataVersion, warnings}; warnings (also explanation entries of kind "unverified") say when the count ran through a year whose holiday data is known to be incomplete (India outside 2026)',
  })
  @ApiOperation({
    summary:
      'Computes a due date: {dueDate, dueAt, explanation, ruleSet, holidayDataVersion, warnings}; unit hours gives the exact dueAt; ruleSet picks the legal instrument (GET /api/v1/rule-sets)',
  })
  @ApiProblems(400)
  compute(@Body() body: ComputeRequest) {
    return this.calendar.compute(body.authority, body.start, {
      count: body.count,
      unit: body.unit,
      ...(body.ruleSet === undefined ? {} : { ruleSet: body.ruleSet }),
    });
  }

  @Get('rule-sets')
  @ApiOperation({ summary: 'The rule sets (legal instruments) periods can be counted under' })
  @ApiOkResponse({
    description:
      '[{id, name, instrument, description, minimumWorkingDays, hours, default}]; eu-1182-71 applies art. 3(4) and 3(5)',
  })
  ruleSets() {
    return { items: ruleSetViews(), holidayDataVersion: HOLIDAY_DATA_VERSION };
  }

  @Roles('sysadmin', 'admin')
  @Patch('authorities/:code/calendar-settings')
  @ApiOperation({
    summary:
      "Changes the authority's receipt cut-off, weekend days or holiday region; running deadlines are recomputed, each move recorded in its history and its assignee told",
  })
  @ApiOkResponse({ description: '{receiptCutoff, weekendDays, holidayRegion, recomputedDeadlines}' })
  @ApiProblems(400)
  updateSettings(@Param('code') code: string, @Body() body: CalendarSettingsRequest) {
    return this.calendar.updateSettings(code, body);
  }

  @Get('authorities/:code/calendar')
  @ApiOkResponse({
    description:
      'Public holidays and closure days between two dates; another authority\'s closure days show only their dates (name "closure day"), never the reason; `warnings` names the years whose holiday data is known to be incomplete (India outside 2026)',
  })
  holidays(@Param('code') code: string, @Query() query: HolidaysQuery) {
    return this.calendar.holidays(code, query.from, query.to);
  }

  @Get('authorities/:code/closures')
  @ApiOkResponse({ description: "The authority's closure days with their reasons (its own users and the sysadmin)" })
  @ApiNotFoundResponse({
    description: "Another authority's closure list (its non-working days are in …/calendar, without reasons)",
  })
  closures(@Param('code') code: string) {
    return this.calendar.listClosures(code);
  }

  @Roles('sysadmin', 'admin')
  @Post('authorities/:code/closures')
  @ApiCreatedResponse({ description: 'The closure and how many open deadlines moved' })
  @ApiConflictResponse({ description: 'Already a closure day' })
  async addClosure(@Param('code') code: string, @Body() body: ClosureRequest) {
    const { closure, recomputed } = await this.calendar.addClosure(code, body.date, body.reason);
    return { id: closure.id, date: closure.date, reason: closure.reason, recomputedDeadlines: recomputed };
  }

  @Roles('sysadmin', 'admin')
  @Delete('authorities/:code/closures/:date')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Removes a closure day, saying why ({reason}); open deadlines are recomputed and each one that moves says why in its history',
  })
  @ApiOkResponse({ description: "{date, reason (the closure's), removedBecause, recomputedDeadlines}" })
  @ApiNotFoundResponse({ description: 'Not a closure day of the authority' })
  @ApiProblems(400)
  async removeClosure(@Param('code') code: string, @Param('date') date: string, @Body() body: ClosureRemovalRequest) {
    if (!isCalendarDate(date))
      throw new ValidationProblem([
        { field: 'date', message: 'date must be a date written YYYY-MM-DD', key: 'calendar.refusal.dateFormat' },
      ]);
    const { removed, recomputed } = await this.calendar.removeClosure(code, date, body.reason);
    return { ...removed, removedBecause: body.reason, recomputedDeadlines: recomputed };
  }
}

@ApiTags('deadlines')
@Authenticated()
@Controller('api/v1/deadlines')
export class DeadlinesController {
  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly queries: DeadlineQueries,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "Your authority's deadlines, soonest first (sort=-dueAt: latest first; also eventAt, createdAt, kind, status, label), filtered by status, kind, dashboard window (due), due range, assignee, organisation or case",
  })
  @ApiOkResponse({ description: '{items, nextCursor, prevCursor}, in the order of sort (due instant by default)' })
  @ApiProblems(400)
  async list(@Query() query: DeadlineListQuery) {
    const page = await this.queries.list(query);
    return {
      items: page.items.map((deadline) => deadlineView(deadline)),
      nextCursor: page.nextCursor,
      prevCursor: page.prevCursor,
    };
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The deadline with rule, explanation, history and reminders' })
  @ApiNotFoundResponse()
  get(@Param('id', uuidPipe) id: string) {
    return this.deadlines.view(id);
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/extend')
  @HttpCode(200)
  @ApiConflictResponse({ description: 'The deadline is met or waived' })
  async extend(@Param('id', uuidPipe) id: string, @Body() body: ExtendRequest) {
    return this.deadlines.view((await this.deadlines.extend(id, targetOf(body), body.reason)).id);
  }

  @Get(':id/certificate')
  @ApiOperation({
    summary:
      'The computation as a stable document (event, rule set, holiday-data version, each day skipped and why, due instant) with its SHA-256, which is recorded in the audit trail',
  })
  @ApiOkResponse({ description: '{certificate, sha256, algorithm}' })
  @ApiNotFoundResponse()
  certificate(@Param('id', uuidPipe) id: string) {
    return this.deadlines.certificate(id);
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stops the clock, now or from `from` (not before the event, never in the future)' })
  @ApiConflictResponse({ description: 'Not pending (already suspended, met, …)' })
  @ApiProblems(400)
  async suspend(@Param('id', uuidPipe) id: string, @Body() body: SuspendRequest) {
    const from = body.from ? await this.deadlines.parseLocal(body.from, 'from') : undefined;
    return this.deadlines.view((await this.deadlines.suspend(id, body.reason, from)).id);
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/restart')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Counts the period again from a new event (a clarification received), keeping the history',
  })
  @ApiConflictResponse({ description: 'Met or waived' })
  @ApiProblems(400)
  async restart(@Param('id', uuidPipe) id: string, @Body() body: RestartRequest) {
    const eventAt = await this.deadlines.parseLocal(body.eventAt, 'eventAt');
    return this.deadlines.view((await this.deadlines.restart(id, eventAt, body.reason)).id);
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/resume')
  @HttpCode(200)
  @ApiConflictResponse({ description: 'Not suspended' })
  async resume(@Param('id', uuidPipe) id: string, @Body() body: OptionalReasonRequest) {
    return this.deadlines.view((await this.deadlines.resume(id, body.reason)).id);
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/waive')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The deadline, waived: it no longer runs and its pending reminders are cancelled' })
  @ApiConflictResponse({ description: 'Already met or waived' })
  @ApiNotFoundResponse({ description: 'No such deadline in your authority' })
  async waive(@Param('id', uuidPipe) id: string, @Body() body: ReasonRequest) {
    return this.deadlines.view((await this.deadlines.waive(id, body.reason)).id);
  }
}

@ApiTags('deadlines')
@Authenticated()
@Controller('api/v1/cases')
export class CaseDeadlinesController {
  constructor(private readonly deadlines: DeadlinesService) {}

  @Roles(...CASE_WRITERS)
  @Post(':caseId/deadlines')
  @ApiCreatedResponse({ description: 'A deadline of the case (compliance, follow-up, any other) with its reminders' })
  @ApiNotFoundResponse({ description: 'No such case in your authority' })
  async create(@Param('caseId', uuidPipe) caseId: string, @Body() body: CreateDeadlineRequest) {
    const deadline = await this.deadlines.createForCase(caseId, {
      label: body.label,
      kind: body.kind ?? 'other',
      start: body.start,
      rule: ruleOf(targetOf(body), body.ruleSet),
      reminderPlan: body.reminders ?? [],
    });
    return this.deadlines.view(deadline.id);
  }
}
