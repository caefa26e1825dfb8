import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CASE_PRIORITIES, CASE_TYPES, type CasePriority, type CaseType } from '#docket/cases';
import { DeadlineTarget, ReminderRequest } from '#docket/deadlines';
import { OneOrMore, PagedQuery } from '#docket/platform';
import { TARGET_STATUSES } from './campaign.entity.js';

export const MAX_CAMPAIGN_TARGETS = 5000;

export class CampaignCaseDefaults {
  @ApiProperty({ enum: CASE_TYPES })
  @IsIn(CASE_TYPES, { message: `caseDefaults.type must be one of ${CASE_TYPES.join(', ')}` })
  type!: CaseType;

  @ApiPropertyOptional({ example: 'GDPR Art. 58(1)(a)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  legalBasis?: string;

  @ApiPropertyOptional({ enum: CASE_PRIORITIES })
  @IsOptional()
  @IsIn(CASE_PRIORITIES)
  priority?: CasePriority;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeId must be a UUID' })
  assigneeId?: string;
}

export class CreateCampaignRequest {
  @ApiProperty({ example: 'Chatbot providers active in Italy: training data' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ example: 'ai-inquiry' })
  @IsString()
  @Length(1, 100)
  template!: string;

  @ApiPropertyOptional({
    example: 'it',
    description:
      'A locale of the template; absent or "auto": each organisation\'s (its country\'s language when the template has it, else English)',
  })
  @IsOptional()
  @IsString()
  @Length(2, 10)
  locale?: string;

  @ApiPropertyOptional({ description: 'A subset of the question bank; the template default when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  questionIds?: string[];

  @ApiProperty({ type: DeadlineTarget })
  @IsObject()
  @ValidateNested()
  @Type(() => DeadlineTarget)
  deadline!: DeadlineTarget;

  @ApiPropertyOptional({ type: [ReminderRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReminderRequest)
  reminders?: ReminderRequest[];

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1, { message: 'organisationIds needs at least one organisation' })
  @ArrayMaxSize(MAX_CAMPAIGN_TARGETS)
  @ArrayUnique({ message: 'organisationIds lists an organisation twice' })
  @IsUUID('all', { each: true, message: 'each organisationId must be a UUID' })
  organisationIds!: string[];

  @ApiProperty({ type: CampaignCaseDefaults })
  @IsObject()
  @ValidateNested()
  @Type(() => CampaignCaseDefaults)
  caseDefaults!: CampaignCaseDefaults;
}

export const CAMPAIGN_SORT_KEYS = ['createdAt', 'title'] as const;
export type CampaignSortKey = (typeof CAMPAIGN_SORT_KEYS)[number];

export class CampaignListQuery extends PagedQuery {
  @ApiPropertyOptional({
    description: 'createdAt or title, - in front for descending; default -createdAt (newest first)',
  })
  declare sort?: string;

  @ApiPropertyOptional({ description: 'Title containing this text' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'q must be 1 to 200 characters long' })
  q?: string;
}

export const TARGET_SORT_KEYS = ['position', 'organisation', 'status', 'updatedAt'] as const;
export type TargetSortKey = (typeof TARGET_SORT_KEYS)[number];

export class TargetListQuery extends PagedQuery {
  @ApiPropertyOptional({
    description:
      'position (the order the organisations were given in: the default), organisation (its name), status, updatedAt; - in front for descending',
  })
  declare sort?: string;

  @OneOrMore('status', TARGET_STATUSES)
  status?: string[];

  @ApiPropertyOptional({
    description: 'true: only organisations whose deadline has passed unanswered; false: the others',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';
}
