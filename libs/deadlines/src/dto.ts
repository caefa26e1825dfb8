import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
  IsArray,
  ArrayMaxSize,
  Matches,
  ValidateIf,
} from 'class-validator';
import { IsCalendarDate, IsDateOrInstant, IsInstant } from '#docket/platform';
import { PERIOD_UNITS, type PeriodUnit } from '#docket/calendar';
import { DEADLINE_STATUSES, type DeadlineStatus } from './deadline-lifecycle.js';
import { DEADLINE_KINDS, type DeadlineKind } from './deadline.entity.js';
import { REMINDER_AUDIENCES, type ReminderAudience } from './reminder-offsets.js';

export class ComputeRequest {
  @ApiProperty({ example: 'GPDP', description: 'Authority code whose calendar applies' })
  @IsString()
  @Length(2, 10)
  authority!: string;

  @ApiProperty({
    example: '2025-01-28T10:00:00+01:00',
    description: 'The event: an instant with offset, or a date (YYYY-MM-DD)',
  })
  @IsDateOrInstant()
  start!: string;

  @ApiProperty({ example: 20 })
  @IsInt()
  @Min(1)
  count!: number;

  @ApiProperty({
    enum: PERIOD_UNITS,
    description: 'hours: 1 to 8760, due at an exact instant, counted through nights, weekends and holidays',
  })
  @IsIn(PERIOD_UNITS)
  unit!: PeriodUnit;

  @ApiPropertyOptional({
    example: 'eu-1182-71',
    description: 'Rule set (legal instrument) to count under; GET /api/v1/rule-sets lists them; default national',
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  ruleSet?: string;
}

export class ClosureRemovalRequest {
  @ApiProperty({ example: 'Entered by mistake: the office was open that day' })
  @IsString()
  @Length(3, 300)
  reason!: string;
}

export class CalendarSettingsRequest {
  @ApiPropertyOptional({
    example: '18:00',
    nullable: true,
    description:
      'Receipt cut-off (local HH:mm): an event at or after it, or on a day off, counts as received on the next working day; null removes it',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'receiptCutoff must be a time of day written HH:mm, e.g. 18:00' })
  receiptCutoff?: string | null;

  @ApiPropertyOptional({ example: [6, 7], description: 'ISO weekday numbers, 1 = Monday … 7 = Sunday' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekendDays?: number[];

  @ApiPropertyOptional({ example: 'GB-ENG', description: 'ISO country or country-subdivision code' })
  @IsOptional()
  @IsString()
  @Length(2, 12)
  holidayRegion?: string;
}

export class SuspendRequest {
  @ApiProperty()
  @IsString()
  @Length(3, 1000)
  reason!: string;

  @ApiPropertyOptional({
    example: '2026-11-30T09:00:00+01:00',
    description:
      "When the clock stopped, if earlier than now: a date (the authority's local date) or an instant; not before the deadline's event, never in the future",
  })
  @IsOptional()
  @IsDateOrInstant()
  from?: string;
}

export class RestartRequest {
  @ApiProperty({
    example: '2026-12-01T10:00:00+01:00',
    description:
      'The new event the period counts from (a clarification received): a date or an instant; not in the future',
  })
  @IsDateOrInstant()
  eventAt!: string;

  @ApiProperty({ example: 'Clarification received from the organisation' })
  @IsString()
  @Length(3, 1000)
  reason!: string;
}

export class ClosureRequest {
  @ApiProperty({ example: '2025-12-24' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ example: 'Office closed for the Christmas period' })
  @IsString()
  @Length(2, 300)
  reason!: string;
}

export class HolidaysQuery {
  @ApiProperty({ example: '2025-01-01' })
  @IsCalendarDate()
  from!: string;

  @ApiProperty({ example: '2025-12-31' })
  @IsCalendarDate()
  to!: string;
}

/** Exactly one of dueDate, dueAt or count+unit. */
export class DeadlineTarget {
  @ApiPropertyOptional({ example: '2025-03-03' })
  @IsOptional()
  @IsCalendarDate()
  dueDate?: string;

  @ApiPropertyOptional({ example: '2025-03-03T18:00:00+01:00' })
  @IsOptional()
  @IsInstant()
  dueAt?: string;

  @ApiPropertyOptional({ example: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  count?: number;

  @ApiPropertyOptional({ enum: PERIOD_UNITS, description: 'hours: 1 to 8760, answered with the exact dueAt' })
  @IsOptional()
  @IsIn(PERIOD_UNITS)
  unit?: PeriodUnit;
}

export class ExtendRequest extends DeadlineTarget {
  @ApiProperty({ example: 'The organisation asked for more time to collect the answers' })
  @IsString()
  @Length(3, 1000)
  reason!: string;
}

export class ReasonRequest {
  @ApiProperty()
  @IsString()
  @Length(3, 1000)
  reason!: string;
}

export class OptionalReasonRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(3, 1000)
  reason?: string;
}

export class ReminderRequest {
  @ApiProperty({
    example: '-P1WD@09:00',
    description:
      'Signed ISO 8601 duration from the due instant (-P7D, PT0S), or an office offset: N days (D) or working days (WD) before (-) or after the due date, optionally at a local time (-P1WD@09:00)',
  })
  @IsString()
  @Length(3, 40)
  offset!: string;

  @ApiProperty({ enum: REMINDER_AUDIENCES })
  @IsIn(REMINDER_AUDIENCES)
  audience!: ReminderAudience;
}

/** The kinds of deadline staff add to a case by hand; response deadlines come with their inquiry. */
export const ADDABLE_DEADLINE_KINDS = [
  'compliance',
  'follow_up_check',
  'other',
] as const satisfies readonly DeadlineKind[];
export type AddableDeadlineKind = (typeof ADDABLE_DEADLINE_KINDS)[number];

export class CreateDeadlineRequest extends DeadlineTarget {
  @ApiProperty({ example: 'Acceptance of the corrective recommendations' })
  @IsString()
  @Length(2, 300)
  label!: string;

  @ApiPropertyOptional({
    enum: ADDABLE_DEADLINE_KINDS,
    default: 'other',
    description: 'What the deadline is for (response deadlines come with their inquiry)',
  })
  @IsOptional()
  @IsIn(ADDABLE_DEADLINE_KINDS, { message: `kind must be one of ${ADDABLE_DEADLINE_KINDS.join(', ')}` })
  kind?: AddableDeadlineKind;

  @ApiPropertyOptional({
    description: "When the period starts counting (default: now); a date is the authority's local date",
  })
  @IsOptional()
  @IsDateOrInstant()
  start?: string;

  @ApiPropertyOptional({ example: 'eu-1182-71', description: 'Rule set to count under (GET /api/v1/rule-sets)' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  ruleSet?: string;

  @ApiPropertyOptional({ type: [ReminderRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReminderRequest)
  reminders?: ReminderRequest[];
}

/** The dashboard's windows, as of the server's clock. */
export const DEADLINE_WINDOWS = ['overdue', 'next7days', 'next30days'] as const;
export type DeadlineWindow = (typeof DEADLINE_WINDOWS)[number];
/** The deadline list's sort keys (see deadline-queries.ts): each ascending, or descending with `-` in front. */
export const DEADLINE_SORT_KEYS = ['dueAt', 'eventAt', 'createdAt', 'kind', 'status', 'label'] as const;
export type DeadlineSortKey = (typeof DEADLINE_SORT_KEYS)[number];
export const DEADLINE_SORTS = DEADLINE_SORT_KEYS.flatMap((key) => [key, `-${key}`] as const);
export type DeadlineSort = (typeof DEADLINE_SORTS)[number];

export class DeadlineListQuery {
  @ApiPropertyOptional({ enum: DEADLINE_STATUSES })
  @IsOptional()
  @IsIn(DEADLINE_STATUSES, { message: `status must be one of ${DEADLINE_STATUSES.join(', ')}` })
  status?: DeadlineStatus;

  @ApiPropertyOptional({
    enum: DEADLINE_KINDS,
    description: 'response (to an inquiry), compliance (with an outcome), follow_up_check, other',
  })
  @IsOptional()
  @IsIn(DEADLINE_KINDS, { message: `kind must be one of ${DEADLINE_KINDS.join(', ')}` })
  kind?: DeadlineKind;

  @ApiPropertyOptional({
    enum: DEADLINE_WINDOWS,
    description:
      "The dashboard's counts as lists, as of now: overdue = missed + pending past their due instant; next7days / next30days = pending and due within 7 / 30 × 24 h from now. Combines with the other filters.",
  })
  @IsOptional()
  @IsIn(DEADLINE_WINDOWS, { message: `due must be one of ${DEADLINE_WINDOWS.join(', ')}` })
  due?: DeadlineWindow;

  @ApiPropertyOptional({
    enum: DEADLINE_SORTS,
    default: 'dueAt',
    description:
      'dueAt: soonest first (the default); eventAt: by the event the period runs from; createdAt, kind, status, label; - in front: descending',
  })
  @IsOptional()
  @IsIn(DEADLINE_SORTS, { message: `sort must be one of ${DEADLINE_SORTS.join(', ')}` })
  sort?: DeadlineSort;

  @ApiPropertyOptional({
    description: "Due before this instant, or before this date (the authority's local date: due_date < it)",
  })
  @IsOptional()
  @IsDateOrInstant()
  dueBefore?: string;

  @ApiPropertyOptional({
    description: "Due at or after this instant, or on or after this date (the authority's local date)",
  })
  @IsOptional()
  @IsDateOrInstant()
  dueAfter?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor or prevCursor of a page of the same filters and sort' })
  @IsOptional()
  @IsString()
  @Length(1, 600)
  cursor?: string;
}
