import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DeadlineTarget, ReminderRequest } from '#docket/deadlines';
import { OneOrMore, PagedQuery } from '#docket/platform';
import { QUESTION_TOPICS } from './templating/index.js';

export class InquiryRequest {
  @ApiProperty({ example: 'ai-inquiry' })
  @IsString()
  @Length(1, 100)
  template!: string;

  @ApiProperty({ example: 'it' })
  @IsString()
  @Length(2, 10)
  locale!: string;

  @ApiProperty({ example: ['dpo@provider.example'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'to needs at least one recipient' })
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true, message: 'each recipient in to must be an e-mail address' })
  to!: string[];

  @ApiPropertyOptional({ example: ['legal@provider.example'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true, message: 'each recipient in cc must be an e-mail address' })
  cc?: string[];

  @ApiPropertyOptional({ description: 'A subset of the question bank; the template default when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  questionIds?: string[];

  @ApiProperty({ type: DeadlineTarget, description: '{count, unit} | {dueDate} | {dueAt}' })
  @IsObject()
  @ValidateNested()
  @Type(() => DeadlineTarget)
  deadline!: DeadlineTarget;

  @ApiPropertyOptional({ type: [ReminderRequest], description: 'The template default when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReminderRequest)
  reminders?: ReminderRequest[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description:
      'Case documents (ids from GET /api/v1/cases/{id}/documents: letters issued, files added) that travel with the letter as attachments of its mail and are listed in the PDF; at most 10 and 20 MB together, none quarantined',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true, message: 'each of attachmentIds must be a document id (uuid)' })
  attachmentIds?: string[];
}

export class PreviewRequest {
  @ApiProperty()
  @IsUUID()
  caseId!: string;

  @ApiProperty({ example: 'it' })
  @IsString()
  @Length(2, 10)
  locale!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @IsString({ each: true })
  questionIds?: string[];

  @ApiPropertyOptional({ type: DeadlineTarget })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DeadlineTarget)
  deadline?: DeadlineTarget;
}

export class TemplateVersionRequest {
  @ApiProperty({
    description: 'Locale → Liquid source (subject, html and text blocks)',
    example: { en: "{% layout 'letter' %}…" },
  })
  @IsObject()
  sources!: Record<string, string>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 500)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  defaultQuestionIds?: string[];
}

export class QuestionRequest {
  @ApiPropertyOptional({
    example: 'gpdp.minors.school_accounts',
    description:
      'Required when adding (POST): lower-case words joined by dots, not starting with "ai." (the shared bank\'s); never reused. Ignored by PUT (the id is in the path)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  id?: string;

  @ApiProperty({ example: 'minors', enum: QUESTION_TOPICS })
  @IsString()
  @MaxLength(40)
  topic!: string;

  @ApiProperty({
    example: { it: 'Si chiede di indicare se il servizio sia offerto agli istituti scolastici.', en: 'Please state…' },
    description: "Locale → the question as a letter asks it; must include your authority's language",
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsObject()
  text!: Record<string, string>;
}

export const OUTBOX_SORT_KEYS = ['createdAt', 'sentAt', 'status', 'subject'] as const;
export type OutboxSortKey = (typeof OUTBOX_SORT_KEYS)[number];
export const OUTBOX_STATUSES = ['queued', 'waiting', 'sent', 'failed'] as const;
export const OUTBOX_KINDS = ['inquiry', 'chaser', 'staff_reminder', 'manager_escalation', 'notification'] as const;

export class OutboxListQuery extends PagedQuery {
  @ApiPropertyOptional({
    description: `${OUTBOX_SORT_KEYS.join(', ')}, - in front for descending; default -createdAt (newest first); sentAt puts messages not sent yet last`,
    example: '-sentAt',
  })
  declare sort?: string;

  @OneOrMore('status', OUTBOX_STATUSES)
  status?: string[];

  @OneOrMore('kind', OUTBOX_KINDS)
  kind?: string[];

  @ApiPropertyOptional({ description: 'Messages about this case only' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a case id (UUID)' })
  caseId?: string;
}
