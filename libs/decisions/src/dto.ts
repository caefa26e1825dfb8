import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { EnclosureView } from '#docket/documents';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsUUID,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PERIOD_UNITS, type PeriodUnit } from '#docket/calendar';
import { IsCalendarDate, IsDateOrInstant } from '#docket/platform';
import { DeadlineTarget, ReminderRequest } from '#docket/deadlines';
import {
  ASSESSMENTS,
  CHANNELS,
  OUTCOME_TYPES,
  type Assessment,
  type Channel,
  type OutcomeType,
} from './decision-rules.js';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const oneOf = (name: string, values: readonly string[]) => ({ message: `${name} must be one of ${values.join(', ')}` });

export class AnswerRequest {
  @ApiProperty({ example: 'ai.storage_location.countries', description: 'A question of the inquiry' })
  @IsString()
  @Length(1, 100)
  questionId!: string;

  @ApiProperty({ enum: ASSESSMENTS })
  @IsIn(ASSESSMENTS, oneOf('assessment', ASSESSMENTS))
  assessment!: Assessment;

  @ApiPropertyOptional({ maxLength: 5000, example: 'Says the GDPR does not apply; no list of data categories.' })
  @IsOptional()
  @trim()
  @IsString()
  @MaxLength(5000)
  note?: string;
}

export class ResponseRequest {
  @ApiProperty({
    example: '2025-01-30T16:20:00+01:00',
    description:
      "When the response arrived, not in the future, not before the inquiry: an instant, or a date (YYYY-MM-DD) read as the authority's local date",
  })
  @IsDateOrInstant()
  receivedAt!: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS, oneOf('channel', CHANNELS))
  channel!: Channel;

  @ApiProperty({
    minLength: 1,
    maxLength: 20000,
    example: 'The companies state that they do not operate in Italy and that the GDPR does not apply to them.',
  })
  @trim()
  @IsString()
  @Length(1, 20000, { message: 'summary must be 1 to 20000 characters long (not blank)' })
  summary!: string;

  @ApiProperty({
    type: [AnswerRequest],
    description:
      'One assessment per question of the inquiry. A question left out is recorded as not_answered (with a note saying so); a question that is not in the inquiry is refused.',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AnswerRequest)
  answers!: AnswerRequest[];
}

export class FollowUpRequest {
  @ApiPropertyOptional({ example: 'ai-inquiry', description: "Template key; the first inquiry's template when absent" })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  template?: string;

  @ApiPropertyOptional({ example: 'it', description: "The first inquiry's locale when absent" })
  @IsOptional()
  @IsString()
  @Length(2, 10)
  locale?: string;

  @ApiPropertyOptional({ example: ['dpo@provider.example'], description: "The first inquiry's recipients when absent" })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'to needs at least one recipient' })
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true, message: 'each recipient in to must be an e-mail address' })
  to?: string[];

  @ApiPropertyOptional({ description: "The first inquiry's copies when absent" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsEmail({}, { each: true, message: 'each recipient in cc must be an e-mail address' })
  cc?: string[];

  @ApiProperty({ type: DeadlineTarget, description: '{count, unit} | {dueDate} | {dueAt}' })
  @IsObject()
  @ValidateNested()
  @Type(() => DeadlineTarget)
  deadline!: DeadlineTarget;

  @ApiPropertyOptional({ type: [ReminderRequest], description: "The template's default reminders when absent" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReminderRequest)
  reminders?: ReminderRequest[];
}

export class FineRequest {
  @ApiProperty({ example: 15000000, description: 'More than 0; at most as many decimals as the currency has' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'fine.amount must be a number' })
  amount!: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'fine.currency must be an ISO 4217 code of three capital letters, e.g. EUR' })
  currency!: string;
}

/** Exactly one of {count, unit} or {dueDate}. */
export class OutcomeDeadlineRequest {
  @ApiPropertyOptional({ example: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  count?: number;

  @ApiPropertyOptional({ enum: PERIOD_UNITS })
  @IsOptional()
  @IsIn(PERIOD_UNITS, oneOf('unit', PERIOD_UNITS))
  unit?: PeriodUnit;

  @ApiPropertyOptional({ example: '2025-05-08' })
  @IsOptional()
  @IsCalendarDate()
  dueDate?: string;

  @ApiPropertyOptional({ example: 'eu-1182-71', description: 'Rule set to count under (GET /api/v1/rule-sets)' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  ruleSet?: string;
}

export class OutcomeRequest {
  @ApiProperty({ enum: OUTCOME_TYPES })
  @IsIn(OUTCOME_TYPES, oneOf('type', OUTCOME_TYPES))
  type!: OutcomeType;

  @ApiProperty({
    example: '2025-04-24T10:00:00+09:00',
    description:
      "When it was decided, not in the future: an instant, or a date (YYYY-MM-DD) read as the authority's local date",
  })
  @IsDateOrInstant()
  decidedAt!: string;

  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @trim()
  @IsString()
  @Length(1, 20000, { message: 'summary must be 1 to 20000 characters long (not blank)' })
  summary!: string;

  @ApiPropertyOptional({ example: 'GDPR Art. 58(2)(f)', maxLength: 500 })
  @IsOptional()
  @trim()
  @IsString()
  @MaxLength(500)
  legalBasis?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  published?: boolean;

  @ApiPropertyOptional({ type: FineRequest, description: 'Required for type fine; refused for any other type' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FineRequest)
  fine?: FineRequest;

  @ApiPropertyOptional({ example: 'Data Protection Commission (IE)', description: 'Required for type referral' })
  @IsOptional()
  @trim()
  @IsString()
  @Length(1, 300)
  referralTo?: string;

  @ApiPropertyOptional({ example: 'Apple App Store; Google Play', description: 'Required for type third_party_notice' })
  @IsOptional()
  @trim()
  @IsString()
  @Length(1, 300)
  noticeTo?: string;

  @ApiPropertyOptional({
    type: OutcomeDeadlineRequest,
    description: 'Starts a compliance deadline counted from decidedAt: {count, unit} or {dueDate}',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OutcomeDeadlineRequest)
  compliance?: OutcomeDeadlineRequest;

  @ApiPropertyOptional({
    type: [OutcomeDeadlineRequest],
    description: 'Planned checks of compliance, each a deadline counted from decidedAt',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => OutcomeDeadlineRequest)
  followUpChecks?: OutcomeDeadlineRequest[];

  @ApiPropertyOptional({
    type: [ReminderRequest],
    description:
      'Reminders of the compliance and follow-up deadlines; default assignee -P5WD@09:00 and -P1WD@09:00, manager P0WD@09:00 (office hours, local)',
  })
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
      'Case documents (ids from GET /api/v1/cases/{id}/documents) that travel with the decision letter as attachments of its mail and are listed in its PDF; at most 10 and 20 MB together, none quarantined',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true, message: 'each of attachmentIds must be a document id (uuid)' })
  attachmentIds?: string[];
}

// ---- views ----

export class AnswerView {
  @ApiProperty() questionId!: string;
  @ApiProperty({ description: 'Number in the letter' }) number!: number;
  @ApiProperty() topic!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The question as the letter put it' }) text!: string | null;
  @ApiProperty({ enum: ASSESSMENTS }) assessment!: Assessment;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class ScanView {
  @ApiProperty({ enum: ['clean', 'infected', 'not_scanned'] }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The signature found, or why it was not scanned' })
  detail!: string | null;
  @ApiProperty({ nullable: true, type: String }) scannedAt!: string | null;
}

export class AttachmentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) responseId!: string;
  @ApiProperty() filename!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty({ description: 'Bytes' }) size!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ example: '/api/v1/attachments/…' }) url!: string;
  @ApiProperty({ type: ScanView, description: 'Malware scan: an infected file is quarantined and not served' })
  scan!: ScanView;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}

export class DeadlineRefView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() dueDate!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty() status!: string;
}

export class ResponseView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ format: 'uuid' }) inquiryId!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty() summary!: string;
  @ApiProperty({ description: 'Received by the due instant' }) onTime!: boolean;
  @ApiProperty({ description: "Calendar days after the due date (authority's time zone); 0 when on time" })
  lateByDays!: number;
  @ApiProperty({ description: "Calendar days from the letter to the response (authority's time zone)" })
  daysToRespond!: number;
  @ApiProperty({ description: 'This response settled the deadline (a later supplement does not)' })
  metDeadline!: boolean;
  @ApiProperty({ type: DeadlineRefView, nullable: true }) deadline!: DeadlineRefView | null;
  @ApiProperty({ type: [AnswerView] }) answers!: AnswerView[];
  @ApiProperty({
    description: 'How many questions got each assessment',
    example: { answered: 1, partial: 0, insufficient: 6, refused: 0, not_answered: 0 },
  })
  assessments!: Record<Assessment, number>;
  @ApiProperty({ type: [String], description: 'The questions a follow-up would ask again' })
  followUpQuestionIds!: string[];
  @ApiProperty({ type: [AttachmentView] }) attachments!: AttachmentView[];
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}

export class FineView {
  @ApiProperty() amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ example: 'EUR 15,000,000.00' }) formatted!: string;
}

export class OutcomeView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ enum: OUTCOME_TYPES }) type!: OutcomeType;
  @ApiProperty() decidedAt!: string;
  @ApiProperty({ description: "The decision's date in the authority's time zone (YYYY-MM-DD)" }) decidedDate!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ nullable: true, type: String }) legalBasis!: string | null;
  @ApiProperty() published!: boolean;
  @ApiProperty({ type: FineView, nullable: true }) fine!: FineView | null;
  @ApiProperty({ nullable: true, type: String }) referralTo!: string | null;
  @ApiProperty({ nullable: true, type: String }) noticeTo!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The decision letter (a formal PDF document of the case); null for outcomes recorded before documents',
  })
  documentId!: string | null;
  @ApiProperty({
    type: [EnclosureView],
    description: 'Case documents that travelled with the decision letter (attachments of its mail), as sent',
  })
  attachments!: EnclosureView[];
  @ApiProperty({ type: DeadlineRefView, nullable: true }) compliance!: DeadlineRefView | null;
  @ApiProperty({ type: [DeadlineRefView] }) followUpChecks!: DeadlineRefView[];
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}
