import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { PERIOD_UNITS, type PeriodUnit } from '#docket/calendar';
import { CASE_PRIORITIES, CASE_TAG_PATTERN, type CasePriority } from '#docket/cases';
import { SAVED_VIEW_LISTS, type SavedViewList } from './saved-view.entity.js';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** The most cases one bulk request acts on (a selection, or a saved view's results). */
export const BULK_MAX_CASES = 500;

export const BULK_ACTIONS = ['reassign', 'set_priority', 'add_tag', 'extend', 'share', 'close'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export class CreateSavedViewRequest {
  @ApiProperty({ example: 'My overdue', minLength: 1, maxLength: 100 })
  @trim()
  @IsString()
  @Length(1, 100, { message: 'name must be 1 to 100 characters long (not blank)' })
  name!: string;

  @ApiProperty({ enum: SAVED_VIEW_LISTS })
  @IsIn(SAVED_VIEW_LISTS, { message: `list must be one of ${SAVED_VIEW_LISTS.join(', ')}` })
  list!: SavedViewList;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { status: 'open,awaiting_response', priority: 'high,urgent', sort: 'nextDueAt' },
    description:
      'The query parameters of GET /api/v1/cases or GET /api/v1/deadlines as strings, without cursor or limit',
  })
  @IsObject({ message: 'query must be an object of query parameters' })
  query!: Record<string, string>;

  @ApiPropertyOptional({ default: false, description: 'Seen by every user of your authority' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

export class SavedViewView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SAVED_VIEW_LISTS }) list!: SavedViewList;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) query!: Record<string, string>;
  @ApiProperty() shared!: boolean;
  @ApiProperty({ description: 'Whether you saved it (only its owner, or an admin for a shared view, deletes it)' })
  mine!: boolean;
  @ApiProperty({ example: '/cases?status=open&sort=nextDueAt', description: 'The list page showing it' })
  href!: string;
  @ApiProperty() createdAt!: string;
}

export class SavedViewPage {
  @ApiProperty({ type: [SavedViewView] }) items!: SavedViewView[];
}

export class BulkRequest {
  @ApiPropertyOptional({ type: [String], description: `Cases to act on (at most ${BULK_MAX_CASES}); or viewId` })
  @ValidateIf((body: BulkRequest) => body.ids !== undefined || body.viewId === undefined)
  @IsArray({ message: 'give ids (a list of case ids) or viewId' })
  @ArrayMinSize(1, { message: 'ids must name at least one case' })
  @ArrayMaxSize(BULK_MAX_CASES, { message: `ids may name at most ${BULK_MAX_CASES} cases` })
  @ArrayUnique({ message: 'ids must not name a case twice' })
  @IsUUID('all', { each: true, message: 'each of ids must be a UUID' })
  ids?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A saved view: act on its cases (a deadlines view: its deadlines' cases)",
  })
  @IsOptional()
  @IsUUID('all', { message: 'viewId must be a UUID' })
  viewId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { '3f1c…': 4 },
    description:
      'Case id → the version you last read: a case at another version fails alone with 412 (without it no version is checked)',
  })
  @IsOptional()
  @IsObject({ message: 'versions must be an object of case id → version' })
  versions?: Record<string, number>;

  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS, { message: `action must be one of ${BULK_ACTIONS.join(', ')}` })
  action!: BulkAction;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'reassign: the new assignee (null: nobody)',
  })
  @ValidateIf(
    (body: BulkRequest) => (body.action === 'reassign' || body.assigneeId !== undefined) && body.assigneeId !== null,
  )
  @IsUUID('all', { message: 'assigneeId must be a UUID (or null to unassign)' })
  assigneeId?: string | null;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES, description: 'set_priority' })
  @ValidateIf((body: BulkRequest) => body.action === 'set_priority' || body.priority !== undefined)
  @IsIn(CASE_PRIORITIES, { message: `priority must be one of ${CASE_PRIORITIES.join(', ')}` })
  priority?: CasePriority;

  @ApiPropertyOptional({ description: 'add_tag' })
  @ValidateIf((body: BulkRequest) => body.action === 'add_tag' || body.tag !== undefined)
  @trim()
  @IsString({ message: 'tag must be text' })
  @Matches(CASE_TAG_PATTERN, {
    message: 'tag must be 1 to 50 letters, digits, spaces or _ . : / - (starting with a letter or digit)',
  })
  tag?: string;

  @ApiPropertyOptional({ example: 10, description: 'extend: by how much every running deadline of each case moves' })
  @ValidateIf((body: BulkRequest) => body.action === 'extend' || body.count !== undefined)
  @IsInt({ message: 'count must be a whole number from 1 to 8760' })
  @Min(1, { message: 'count must be a whole number from 1 to 8760' })
  @Max(8760, { message: 'count must be a whole number from 1 to 8760' })
  count?: number;

  @ApiPropertyOptional({ enum: PERIOD_UNITS, description: 'extend' })
  @ValidateIf((body: BulkRequest) => body.action === 'extend' || body.unit !== undefined)
  @IsIn(PERIOD_UNITS, { message: `unit must be one of ${PERIOD_UNITS.join(', ')}` })
  unit?: PeriodUnit;

  @ApiPropertyOptional({ description: 'extend and close: why (recorded with each change)' })
  @ValidateIf((body: BulkRequest) => body.action === 'extend' || body.action === 'close' || body.reason !== undefined)
  @trim()
  @IsString({ message: 'reason must be text' })
  @Length(1, 2000, { message: 'reason must be 1 to 2000 characters long (not blank)' })
  reason?: string;
}

export class BulkFailure {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 412, description: 'The status the same change made alone would have answered' })
  status!: number;
  @ApiProperty() detail!: string;
}

export class BulkResult {
  @ApiProperty({ enum: BULK_ACTIONS }) action!: BulkAction;
  @ApiProperty({ type: [String], description: 'Cases changed (or already as asked)' }) succeeded!: string[];
  @ApiProperty({ type: [BulkFailure] }) failed!: BulkFailure[];
}

export class ImportQuery {
  @ApiPropertyOptional({ description: 'true: check every row and report, change nothing', default: false })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}

export class ImportRowProblem {
  @ApiProperty({ description: 'Line of the file (the header is line 1)' }) line!: number;
  @ApiProperty({ example: 'organisation' }) column!: string;
  @ApiProperty() message!: string;
}

export class ImportRowResult {
  @ApiProperty() line!: number;
  @ApiProperty({ description: 'The import key (column external_reference)' }) key!: string;
  @ApiProperty({ enum: ['create', 'created', 'exists'] }) outcome!: 'create' | 'created' | 'exists';
  @ApiPropertyOptional({ format: 'uuid' }) caseId?: string;
  @ApiPropertyOptional() reference?: string;
  @ApiPropertyOptional({ description: "The imported deadline's due date, worked out from its event and rule" })
  dueDate?: string;
}

export class ImportReport {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'Data rows read' }) rows!: number;
  @ApiProperty({ description: 'Rows that open a case (a dry run: would open)' }) created!: number;
  @ApiProperty({ description: 'Rows whose key was imported before: left as they are' }) existing!: number;
  @ApiProperty({ type: [ImportRowProblem] }) problems!: ImportRowProblem[];
  @ApiProperty({ type: [ImportRowResult] }) items!: ImportRowResult[];
}
