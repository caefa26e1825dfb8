import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, Authenticated, CASE_WRITERS, Roles, ValidationProblem } from '#docket/platform';
import { CalendarService } from './calendar.service.js';
import { DeadlineQueries } from './deadline-queries.js';
import { deadlineView } from './deadline-views.js';
import { DeadlinesService, ruleOf, type ExtensionTarget } from './deadlines.service.js';
import {
  ClosureRequest,
  ComputeRequest,
  CreateDeadlineRequest,
  DeadlineListQuery,
  ExtendRequest,
  HolidaysQuery,
  OptionalReasonRequest,
  ReasonRequest,
  type DeadlineTarget,
} from './dto.js';

export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationProblem([{ field: 'id', message: 'id must be a UUID' }]),
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
      { field: 'dueDate', message: 'give exactly one of dueDate, dueAt, or count with unit' },
    ]);
  if (body.dueDate) return { dueDate: body.dueDate };
  if (body.dueAt) return { dueAt: body.dueAt };
  if (body.count === undefined || body.unit === undefined)
    throw new ValidationProblem([
      { field: body.count === undefined ? 'count' : 'unit', message: 'count and unit go together' },
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
  @ApiOkResponse({ description: '{dueDate, dueAt, explanation: [{date, reason, kind}]}' })
  compute(@Body() body: ComputeRequest) {
    return this.calendar.compute(body.authority, body.start, { count: body.count, unit: body.unit });
  }

  @Get('authorities/:code/calendar')
  @ApiOkResponse({
    description:
      'Public holidays and closure days between two dates; another authority\'s closure days show only their dates (name "closure day"), never the reason',
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
      "Your authority's deadlines, soonest first (sort=-dueAt: latest first), filtered by status, kind, dashboard window (due), due range, assignee, organisation or case",
  })
  @ApiOkResponse({ description: '{items, nextCursor}, ordered by due instant' })
  @ApiProblems(400)
  async list(@Query() query: DeadlineListQuery) {
    const page = await this.queries.list(query);
    return { items: page.items.map((deadline) => deadlineView(deadline)), nextCursor: page.nextCursor };
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

  @Roles(...CASE_WRITERS)
  @Post(':id/suspend')
  @HttpCode(200)
  @ApiConflictResponse({ description: 'Not pending (already suspended, met, …)' })
  async suspend(@Param('id', uuidPipe) id: string, @Body() body: ReasonRequest) {
    return this.deadlines.view((await this.deadlines.suspend(id, body.reason)).id);
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
      eventAt: body.start ? new Date(body.start) : undefined,
      rule: ruleOf(targetOf(body)),
      reminderPlan: body.reminders ?? [],
    });
    return this.deadlines.view(deadline.id);
  }
}
