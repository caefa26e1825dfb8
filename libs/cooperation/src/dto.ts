import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PERIOD_UNITS, type PeriodUnit } from '#docket/calendar';
import { IsCalendarDate, IsInstant } from '#docket/platform';
import { PROCEDURE_TYPES, STEP_KINDS, type ProcedureType, type StepKind } from './procedure-rules.js';
import { SERVICE_ROUTES, type ServiceRoute } from './service-routes.js';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const oneOf = (name: string, values: readonly string[]) => ({ message: `${name} must be one of ${values.join(', ')}` });
const CODE = /^[A-Za-z][A-Za-z0-9_-]{1,19}$/;

export class OpenProcedureRequest {
  @ApiProperty({ enum: PROCEDURE_TYPES })
  @IsIn(PROCEDURE_TYPES, oneOf('type', PROCEDURE_TYPES))
  type!: ProcedureType;

  @ApiProperty({ format: 'uuid', description: 'The organisation the procedure is about' })
  @IsUUID('all', { message: 'organisationId must be an organisation id (UUID)' })
  organisationId!: string;

  @ApiProperty({ format: 'uuid', description: 'Your authority’s case on the matter' })
  @IsUUID('all', { message: 'caseId must be a case id (UUID)' })
  caseId!: string;

  @ApiProperty({ type: [String], example: ['PIPC'], description: 'Codes of the other participating authorities' })
  @IsArray()
  @ArrayMinSize(1, { message: 'participants must name at least one other authority' })
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Matches(CODE, { each: true, message: 'each participant must be an authority code such as PIPC' })
  participants!: string[];

  @ApiProperty({ maxLength: 300, example: 'Storage of Korean users’ prompts on servers in the PRC' })
  @trim()
  @IsString()
  @Length(1, 300, { message: 'subject must be 1 to 300 characters' })
  subject!: string;

  @ApiPropertyOptional({ maxLength: 20000, description: 'The request itself, sent as the first message' })
  @IsOptional()
  @trim()
  @IsString()
  @Length(1, 20000)
  body?: string;
}

export class ProcedureStepRequest {
  @ApiProperty({ enum: STEP_KINDS })
  @IsIn(STEP_KINDS, oneOf('kind', STEP_KINDS))
  kind!: StepKind;

  @ApiProperty({ maxLength: 20000, description: 'The text of the step (the draft, the objection, the reply …)' })
  @trim()
  @IsString()
  @Length(1, 20000, { message: 'body must be 1 to 20000 characters' })
  body!: string;
}

export class ProcedureMessageRequest {
  @ApiProperty({ maxLength: 20000 })
  @trim()
  @IsString()
  @Length(1, 20000, { message: 'body must be 1 to 20000 characters' })
  body!: string;
}

export class ProcedureDocumentRequest {
  @ApiProperty({ format: 'uuid', description: 'A document of your authority (GET /api/v1/cases/{id}/documents)' })
  @IsUUID('all', { message: 'documentId must be a document id (UUID)' })
  documentId!: string;
}

export class JointDeadlineRequest {
  @ApiProperty({ type: [String], example: ['GPDP', 'PIPC', 'PPC'] })
  @IsArray()
  @ArrayMinSize(2, { message: 'authorities must name at least two authorities' })
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Matches(CODE, { each: true, message: 'each authority must be a code such as PIPC' })
  authorities!: string[];

  @ApiProperty({ example: '2026-04-24', description: 'A date (each authority’s local date) or an ISO 8601 instant' })
  @IsString()
  @Length(10, 40)
  start!: string;

  @ApiProperty({ example: 10 })
  @IsInt()
  @Min(1)
  @Max(3660)
  count!: number;

  @ApiProperty({ enum: PERIOD_UNITS })
  @IsIn(PERIOD_UNITS, oneOf('unit', PERIOD_UNITS))
  unit!: PeriodUnit;
}

export class StoredJointDeadlineRequest {
  @ApiProperty({ maxLength: 200, example: 'Coordinated letter to the provider: reply due' })
  @trim()
  @IsString()
  @Length(1, 200, { message: 'label must be 1 to 200 characters' })
  label!: string;

  @ApiProperty({ example: '2026-04-24', description: 'A date (each authority’s local date) or an ISO 8601 instant' })
  @IsString()
  @Length(10, 40, { message: 'start must be a date (YYYY-MM-DD) or an ISO 8601 instant' })
  start!: string;

  @ApiProperty({ example: 10 })
  @IsInt({ message: 'count must be a whole number' })
  @Min(1, { message: 'count must be at least 1' })
  @Max(3660)
  count!: number;

  @ApiProperty({ enum: PERIOD_UNITS })
  @IsIn(PERIOD_UNITS, oneOf('unit', PERIOD_UNITS))
  unit!: PeriodUnit;
}

export class JointRealignRequest {
  @ApiProperty({
    maxLength: 2000,
    example: 'PPC closed on 7 May; the letter now goes out on the next common working day',
  })
  @trim()
  @IsString()
  @Length(1, 2000, { message: 'reason must be 1 to 2000 characters' })
  reason!: string;
}

export class AnswerSharingRequest {
  @ApiProperty({ description: 'Share the provider’s answers in this case into the comparison (audited, revocable)' })
  @IsBoolean()
  shared!: boolean;
}

export class InconsistencyRequest {
  @ApiProperty({ example: 'storage_location' })
  @trim()
  @IsString()
  @Length(1, 60)
  topic!: string;

  @ApiProperty({ example: 'PIPC', description: 'The authority whose answer yours contradicts' })
  @IsString()
  @Matches(CODE, { message: 'otherAuthority must be an authority code such as PIPC' })
  otherAuthority!: string;

  @ApiProperty({ maxLength: 2000 })
  @trim()
  @IsString()
  @Length(1, 2000)
  note!: string;
}

// ---- views (the OpenAPI document's shapes; the services return the same fields) ----

export class ProcedureDeadlineDoc {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'PIPC', description: 'The authority that must act' }) authority!: string;
  @ApiProperty({ example: 'reply' }) kind!: string;
  @ApiProperty() label!: string;
  @ApiProperty() legalBasis!: string;
  @ApiProperty({ example: '2026-03-02', description: 'Local date in the acting authority’s zone' }) dueDate!: string;
  @ApiProperty({ example: '2026-03-02T14:59:59.999Z' }) dueAt!: string;
  @ApiProperty({ enum: ['pending', 'met', 'missed', 'lapsed', 'superseded'] }) status!: string;
  @ApiProperty({ description: 'Every day counted or skipped, with the legal basis first' }) explanation!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description:
      'The same lines as {date, kind, reason, code, params}: code names the catalogue message (explanation.<code>), params its values (…Day dates, …At instants)',
  })
  explanationEntries!: object[];
}

export class ProcedureParticipantDoc {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['requesting', 'requested', 'lead', 'concerned', 'invited'] }) role!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Your own case only; null for others' })
  caseId!: string | null;
}

export class ProcedureStepDoc {
  @ApiProperty() id!: string;
  @ApiProperty() seq!: number;
  @ApiProperty({ enum: STEP_KINDS }) kind!: string;
  @ApiProperty() authority!: string;
  @ApiProperty() by!: string;
  @ApiProperty() body!: string;
  @ApiProperty() at!: string;
}

export class ProcedureMessageDoc {
  @ApiProperty() id!: string;
  @ApiProperty() authority!: string;
  @ApiProperty() by!: string;
  @ApiProperty() body!: string;
  @ApiProperty() at!: string;
}

export class JointAuthorityDoc {
  @ApiProperty() code!: string;
  @ApiProperty({ description: 'The joint due instant’s local date for this authority' }) localDate!: string;
  @ApiProperty({ description: 'This authority’s own due date for the period' }) ownDueDate!: string;
  @ApiProperty({ type: [String] }) explanation!: string[];
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description: 'The same lines as {code, params, causes} (catalogue messages explanation.<code>)',
  })
  lines?: object[];
}

export class JointDeadlineDoc {
  @ApiProperty() dueAt!: string;
  @ApiProperty({ type: [JointAuthorityDoc] }) perAuthority!: JointAuthorityDoc[];
}

export class JointCalendarChangeDoc {
  @ApiProperty({ description: 'The participant whose calendar changed (every participant for holiday data)' })
  authority!: string;
  @ApiProperty({ description: 'The closure day (never its reason), or the local day of the other changes' })
  date!: string;
  @ApiProperty({
    enum: ['added', 'removed', 'settings', 'holiday_data'],
    description: 'A closure day added or removed, calendar settings changed, or the public-holiday data updated',
  })
  change!: string;
  @ApiProperty() at!: string;
}

export class JointDeadlineMoveDoc {
  @ApiProperty() authority!: string;
  @ApiProperty() by!: string;
  @ApiProperty() at!: string;
  @ApiProperty() fromDueAt!: string;
  @ApiProperty() toDueAt!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: [JointCalendarChangeDoc] }) changes!: JointCalendarChangeDoc[];
}

export class StoredJointDeadlineDoc {
  @ApiProperty() id!: string;
  @ApiProperty() label!: string;
  @ApiProperty() start!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ enum: PERIOD_UNITS }) unit!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ type: [JointAuthorityDoc] }) perAuthority!: JointAuthorityDoc[];
  @ApiProperty({
    enum: ['aligned', 'affected'],
    description: '`affected`: a participant’s closure day moved it; any participant may re-align it',
  })
  status!: string;
  @ApiProperty({ nullable: true, type: String, description: 'While affected: where the calendars now put it' })
  proposedDueAt!: string | null;
  @ApiProperty({ type: [JointCalendarChangeDoc] }) changes!: JointCalendarChangeDoc[];
  @ApiProperty({ type: [JointDeadlineMoveDoc] }) moves!: JointDeadlineMoveDoc[];
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}

export class ProcedureDoc {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'COOP-2026-0001', description: 'One reference across all the procedure’s steps' })
  reference!: string;
  @ApiProperty({ enum: PROCEDURE_TYPES }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['gdpr', 'eu-2025-2518'] }) ruleSet!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty() initiator!: string;
  @ApiProperty() myRole!: string;
  @ApiProperty({ type: [ProcedureParticipantDoc] }) participants!: ProcedureParticipantDoc[];
  @ApiProperty({ type: [ProcedureStepDoc] }) steps!: ProcedureStepDoc[];
  @ApiProperty({ type: [ProcedureMessageDoc] }) messages!: ProcedureMessageDoc[];
  @ApiProperty({ type: [ProcedureDeadlineDoc] }) deadlines!: ProcedureDeadlineDoc[];
  @ApiProperty({ type: [StoredJointDeadlineDoc] }) jointDeadlines!: StoredJointDeadlineDoc[];
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
}

export class ComparedAnswerDoc {
  @ApiProperty() authority!: string;
  @ApiProperty() own!: boolean;
  @ApiProperty({ nullable: true, type: String }) caseReference!: string | null;
  @ApiProperty() questionId!: string;
  @ApiProperty({ nullable: true, type: String }) question!: string | null;
  @ApiProperty({ nullable: true, type: String }) askedAt!: string | null;
  @ApiProperty() receivedAt!: string;
  @ApiProperty() responseSummary!: string;
  @ApiProperty() assessment!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class ComparedTopicDoc {
  @ApiProperty({ example: 'storage_location' }) topic!: string;
  @ApiProperty() divergent!: boolean;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ type: [ComparedAnswerDoc] }) answers!: ComparedAnswerDoc[];
}

export class AnswersComparedDoc {
  @ApiProperty() organisation!: { id: string; legalName: string };
  @ApiProperty({ type: [String] }) authorities!: string[];
  @ApiProperty({ type: [ComparedTopicDoc] }) topics!: ComparedTopicDoc[];
}

export class ServiceAttemptRequest {
  @ApiProperty({ enum: SERVICE_ROUTES })
  @IsIn(SERVICE_ROUTES, oneOf('route', SERVICE_ROUTES))
  route!: ServiceRoute;

  @ApiProperty({ maxLength: 300, example: 'Apple App Store (Apple Distribution International Ltd.)' })
  @trim()
  @IsString()
  @Length(1, 300, { message: 'recipient must be 1 to 300 characters' })
  recipient!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @trim()
  @IsString()
  @Length(1, 2000)
  detail?: string;

  @ApiProperty({ example: '2025-06-27T10:00:00+02:00', description: 'When the attempt was made (not in the future)' })
  @IsInstant()
  attemptedAt!: string;

  @ApiProperty({ example: '2025-06-27', description: 'The authority’s local date from which service counts' })
  @IsCalendarDate()
  servedFrom!: string;
}
