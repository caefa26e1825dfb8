import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCalendarDate, PagedQuery } from '#docket/platform';
import { CASE_EVENTS, CASE_STATUSES, type CaseEvent, type CaseStatus } from './case-status.js';
import {
  CASE_PRIORITIES,
  CASE_TYPES,
  RISK_FLAGS,
  type CasePriority,
  type CaseType,
  type RiskFlag,
} from './case.types.js';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const trimEach = () =>
  Transform(({ value }) =>
    Array.isArray(value) ? value.map((item: unknown) => (typeof item === 'string' ? item.trim() : item)) : value,
  );
/** Validates a field only when it was sent; null is refused unlike with @IsOptional. */
const WhenSent = () => ValidateIf((_object, value) => value !== undefined);
const oneOf = (name: string, values: readonly string[]) => ({ message: `${name} must be one of ${values.join(', ')}` });
const TITLE = { message: 'title must be 1 to 300 characters long (not blank)' };
/** What a tag may look like: letters or digits first, then also spaces and `_.:/-`, at most 50 characters. */
export const CASE_TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.:/-]{0,49}$/u;
const TAG_MESSAGE = {
  each: true,
  message: 'each tag must be 1 to 50 letters, digits, spaces or _ . : / - (starting with a letter or digit)',
};

export class CreateCaseRequest {
  @ApiProperty({ format: 'uuid', description: 'A registered organisation (POST /api/v1/organisations)' })
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId!: string;

  @ApiProperty({ minLength: 1, maxLength: 300, example: 'DeepSeek: processing of personal data of users in Italy' })
  @trim()
  @IsString()
  @Length(1, 300, TITLE)
  title!: string;

  @ApiProperty({ enum: CASE_TYPES })
  @IsIn(CASE_TYPES, oneOf('type', CASE_TYPES))
  type!: CaseType;

  @ApiPropertyOptional({ example: 'GDPR Art. 58(1)(a)', maxLength: 500 })
  @IsOptional()
  @trim()
  @IsString()
  @MaxLength(500)
  legalBasis?: string;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(CASE_PRIORITIES, oneOf('priority', CASE_PRIORITIES))
  priority?: CasePriority;

  @ApiPropertyOptional({ format: 'uuid', description: 'An admin, manager or officer of your authority' })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeId must be a UUID' })
  assigneeId?: string;

  @ApiPropertyOptional({
    type: [String],
    description: "Names of the organisation's products the case is about",
    example: ['DeepSeek app'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @trimEach()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  products?: string[];

  @ApiPropertyOptional({ type: [String], example: ['ai', 'web-scraping'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @trimEach()
  @Matches(CASE_TAG_PATTERN, TAG_MESSAGE)
  tags?: string[];

  @ApiPropertyOptional({ enum: RISK_FLAGS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(RISK_FLAGS, { each: true, message: `each risk flag must be one of ${RISK_FLAGS.join(', ')}` })
  riskFlags?: RiskFlag[];
}

/** Fields to change; absent fields stay as they are, lists are replaced whole. */
export class UpdateCaseRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 300 })
  @WhenSent()
  @trim()
  @IsString()
  @Length(1, 300, TITLE)
  title?: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 500, description: 'null clears it' })
  @IsOptional()
  @trim()
  @IsString()
  @MaxLength(500)
  legalBasis?: string | null;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES })
  @WhenSent()
  @IsIn(CASE_PRIORITIES, oneOf('priority', CASE_PRIORITIES))
  priority?: CasePriority;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid', description: 'null unassigns the case' })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeId must be a UUID' })
  assigneeId?: string | null;

  @ApiPropertyOptional({ type: [String] })
  @WhenSent()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @trimEach()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  products?: string[];

  @ApiPropertyOptional({ type: [String] })
  @WhenSent()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @trimEach()
  @Matches(CASE_TAG_PATTERN, TAG_MESSAGE)
  tags?: string[];

  @ApiPropertyOptional({ enum: RISK_FLAGS, isArray: true })
  @WhenSent()
  @IsArray()
  @ArrayUnique()
  @IsIn(RISK_FLAGS, { each: true, message: `each risk flag must be one of ${RISK_FLAGS.join(', ')}` })
  riskFlags?: RiskFlag[];
}

export class CloseCaseRequest {
  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'Processing limited and fine paid; nothing further to do.' })
  @trim()
  @IsString()
  @Length(1, 2000, { message: 'reason must be 1 to 2000 characters long (not blank)' })
  reason!: string;
}

export class AddNoteRequest {
  @ApiProperty({ minLength: 1, maxLength: 10000 })
  @trim()
  @IsString()
  @Length(1, 10000, { message: 'text must be 1 to 10000 characters long (not blank)' })
  text!: string;
}

/** The keys `sort=` of the case list takes. */
export const CASE_SORT_KEYS = ['createdAt', 'updatedAt', 'reference', 'title', 'priority', 'nextDueAt'] as const;
export type CaseSortKey = (typeof CASE_SORT_KEYS)[number];

export class CaseListQuery {
  @ApiPropertyOptional({
    description: `One status or several, comma-separated: ${CASE_STATUSES.join(', ')}`,
    example: 'open,awaiting_response',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value))
  @IsArray({ message: 'status must be given once, comma-separated for several' })
  @ArrayMaxSize(CASE_STATUSES.length)
  @IsIn(CASE_STATUSES, { each: true, message: `status must be one of ${CASE_STATUSES.join(', ')}` })
  status?: CaseStatus[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeId must be a UUID' })
  assigneeId?: string;

  @ApiPropertyOptional({ description: 'Part of the title or reference, any case' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ description: `One priority or several, comma-separated: ${CASE_PRIORITIES.join(', ')}` })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value))
  @IsArray({ message: 'priority must be given once, comma-separated for several' })
  @ArrayMaxSize(CASE_PRIORITIES.length)
  @IsIn(CASE_PRIORITIES, { each: true, message: `priority must be one of ${CASE_PRIORITIES.join(', ')}` })
  priority?: CasePriority[];

  @ApiPropertyOptional({ description: `One type or several, comma-separated: ${CASE_TYPES.join(', ')}` })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value))
  @IsArray({ message: 'type must be given once, comma-separated for several' })
  @ArrayMaxSize(CASE_TYPES.length)
  @IsIn(CASE_TYPES, { each: true, message: `type must be one of ${CASE_TYPES.join(', ')}` })
  type?: CaseType[];

  @ApiPropertyOptional({ description: 'Cases carrying this tag (exactly as written)' })
  @IsOptional()
  @IsString()
  @Length(1, 100, { message: 'tag must be 1 to 100 characters long' })
  tag?: string;

  @ApiPropertyOptional({ enum: RISK_FLAGS, description: 'Cases carrying this risk flag' })
  @IsOptional()
  @IsIn(RISK_FLAGS, { message: `riskFlag must be one of ${RISK_FLAGS.join(', ')}` })
  riskFlag?: RiskFlag;

  @ApiPropertyOptional({ description: "Opened on or after this date (the authority's local date)" })
  @IsOptional()
  @IsCalendarDate()
  openedFrom?: string;

  @ApiPropertyOptional({ description: "Opened on or before this date (the authority's local date)" })
  @IsOptional()
  @IsCalendarDate()
  openedTo?: string;

  @ApiPropertyOptional({ description: "Last changed on or after this date (the authority's local date)" })
  @IsOptional()
  @IsCalendarDate()
  updatedFrom?: string;

  @ApiPropertyOptional({ description: "Last changed on or before this date (the authority's local date)" })
  @IsOptional()
  @IsCalendarDate()
  updatedTo?: string;

  @ApiPropertyOptional({
    description: `Order: ${CASE_SORT_KEYS.join(', ')}, with - in front for descending; default -createdAt (newest first). nextDueAt is the earliest pending deadline (cases without one last)`,
    example: 'nextDueAt',
  })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  sort?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 200' })
  @Min(1, { message: 'limit must be a whole number from 1 to 200' })
  @Max(200, { message: 'limit must be a whole number from 1 to 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class NamedRef {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class AllowedActionView {
  @ApiProperty({ enum: CASE_EVENTS }) event!: CaseEvent;
  @ApiProperty({ enum: CASE_STATUSES }) to!: CaseStatus;
}

export class CaseSummaryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'GPDP-2025-0001' }) reference!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: CaseStatus;
  @ApiProperty({ enum: CASE_TYPES }) type!: CaseType;
  @ApiProperty({ enum: CASE_PRIORITIES }) priority!: CasePriority;
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ type: NamedRef }) organisation!: NamedRef;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assigneeId!: string | null;
  @ApiProperty({ type: NamedRef, nullable: true }) assignee!: NamedRef | null;
  @ApiProperty({ type: [String] }) products!: string[];
  @ApiProperty({ nullable: true, type: String }) legalBasis!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ enum: RISK_FLAGS, isArray: true }) riskFlags!: RiskFlag[];
  @ApiProperty({ description: 'Send it back in If-Match to change the case' }) version!: number;
  @ApiProperty() sharedForCoordination!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closeReason!: string | null;
}

export class NoteView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) authorId!: string | null;
  @ApiProperty({ example: 'Maria Rossi <m.rossi@gpdp.example>' }) author!: string;
  @ApiProperty() createdAt!: string;
}

export class CaseView extends CaseSummaryView {
  @ApiProperty({ type: [NoteView], description: 'Internal notes, oldest first' }) notes!: NoteView[];
  @ApiProperty({ type: [AllowedActionView], description: 'Status moves possible now' })
  allowedActions!: AllowedActionView[];
  // Sections registered by other contexts (inquiries, deadlines, responses, outcomes) are added as further properties.
  [section: string]: unknown;
}

export class CasePage {
  @ApiProperty({ type: [CaseSummaryView] }) items!: CaseSummaryView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the page before this one; null on the first page',
  })
  prevCursor?: string | null;
}

export class TimelineActor {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) id!: string | null;
  @ApiProperty({ example: 'Maria Rossi <m.rossi@gpdp.example>' }) label!: string;
}

export class TimelineEntity {
  @ApiProperty({ example: 'case' }) type!: string;
  @ApiProperty() id!: string;
}

export class TimelineEventView {
  @ApiProperty({ description: "Position in the authority's audit chain" }) seq!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: TimelineActor }) actor!: TimelineActor;
  @ApiProperty({ example: 'case.updated' }) action!: string;
  @ApiProperty({ example: 'Changed priority (normal → high)' }) summary!: string;
  @ApiProperty({ type: TimelineEntity }) entity!: TimelineEntity;
}

export class TimelineView {
  @ApiProperty({ type: [TimelineEventView], description: 'Oldest first (sort=-seq: newest first)' })
  items!: TimelineEventView[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last',
  })
  nextCursor?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the page before; null on the first',
  })
  prevCursor?: string | null;
  @ApiPropertyOptional({ description: 'Events of the case matching the filter, on every page' })
  total?: number;
}

export class TimelineQuery extends PagedQuery {
  @ApiPropertyOptional({ description: 'seq: oldest first (the default); -seq: newest first', enum: ['seq', '-seq'] })
  declare sort?: string;

  @ApiPropertyOptional({
    description: 'Exact actions or prefixes ending in a dot, comma-separated (note.added,deadline.)',
    example: 'deadline.',
  })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]*)*(,[a-z_]+(\.[a-z_]*)*)*$/, {
    message: 'action must be actions or prefixes ending in a dot, comma-separated (e.g. case.updated,deadline.)',
  })
  @MaxLength(300)
  action?: string;

  @ApiPropertyOptional({ description: 'Events by this user only' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be a user id (UUID)' })
  actorId?: string;
}
