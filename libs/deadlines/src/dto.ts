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
} from 'class-validator';
import { IsCalendarDate, IsDateOrInstant, IsInstant } from '#docket/platform';
import { PERIOD_UNITS, type PeriodUnit } from '#docket/calendar';
import { DEADLINE_KINDS, DEADLINE_STATUSES, type DeadlineKind, type DeadlineStatus } from './deadline.entity.js';
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

  @ApiProperty({ enum: PERIOD_UNITS })
  @IsIn(PERIOD_UNITS)
  unit!: PeriodUnit;
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

  @ApiPropertyOptional({ enum: PERIOD_UNITS })
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
  @ApiProperty({ example: '-P7D', description: 'Signed ISO 8601 duration from the due instant' })
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

  @ApiPropertyOptional({ description: 'When the period starts counting (default: now)' })
  @IsOptional()
  @IsDateOrInstant()
  start?: string;

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
export const DEADLINE_SORTS = ['dueAt', '-dueAt'] as const;
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
    description: 'dueAt: soonest first; -dueAt: latest first',
  })
  @IsOptional()
  @IsIn(DEADLINE_SORTS, { message: `sort must be one of ${DEADLINE_SORTS.join(', ')}` })
  sort?: DeadlineSort;

  @ApiPropertyOptional({ description: 'Due before this instant or date' })
  @IsOptional()
  @IsDateOrInstant()
  dueBefore?: string;

  @ApiPropertyOptional()
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

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}
