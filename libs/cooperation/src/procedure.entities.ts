import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { ExplanationEntry, PeriodUnit } from '#docket/calendar';
import {
  PROCEDURE_TYPES,
  STEP_KINDS,
  type ClockKind,
  type ParticipantRole,
  type ProcedureRuleSet,
  type ProcedureType,
  type StepKind,
} from './procedure-rules.js';
import { SERVICE_ROUTES, type ServiceRoute } from './service-routes.js';

const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** A cooperation between authorities: one reference (`COOP-<YYYY>-<NNNN>`) across all its steps. */
@Entity({ name: 'procedures' })
@Check('procedures_type_known', `"type" IN (${sqlList(PROCEDURE_TYPES)})`)
@Check('procedures_status_known', `"status" IN ('open', 'closed')`)
@Check('procedures_subject_length', `char_length("subject") BETWEEN 1 AND 300`)
export class Procedure {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  reference!: string;

  @Column({ type: 'text' })
  type!: ProcedureType;

  @Column({ name: 'rule_set', type: 'text' })
  ruleSet!: ProcedureRuleSet;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'initiating_authority_id', type: 'uuid' })
  initiatingAuthorityId!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text', default: 'open' })
  status!: 'open' | 'closed';

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}

/** Gap-free procedure numbers per year, deployment-wide (a procedure belongs to all its participants). */
@Entity({ name: 'procedure_reference_counters' })
export class ProcedureReferenceCounter {
  @PrimaryColumn({ type: 'integer' })
  year!: number;

  @Column({ name: 'last_number', type: 'integer' })
  lastNumber!: number;
}

/** An authority taking part, with its role and (optionally) its own case on the matter. */
@Entity({ name: 'procedure_participants' })
@Index('procedure_participants_authority', ['authorityId'])
export class ProcedureParticipant {
  @PrimaryColumn({ name: 'procedure_id', type: 'uuid' })
  procedureId!: string;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id' })
  procedure?: Relation<Procedure>;

  @PrimaryColumn({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'text' })
  role!: ParticipantRole;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt!: Date;
}

/** A formal step (draft decision, objection, reply, decision …), numbered within the procedure. */
@Entity({ name: 'procedure_steps' })
@Index('procedure_steps_order', ['procedureId', 'seq'], { unique: true })
@Check('procedure_steps_kind_known', `"kind" IN (${sqlList(STEP_KINDS)})`)
@Check('procedure_steps_body_length', `char_length("body") BETWEEN 1 AND 20000`)
export class ProcedureStep {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'procedure_id', type: 'uuid' })
  procedureId!: string;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id' })
  procedure?: Relation<Procedure>;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  kind!: StepKind;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'actor_label', type: 'text' })
  actorLabel!: string;

  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A message between the participating authorities; every participant sees it, nobody else. */
@Entity({ name: 'procedure_messages' })
@Index('procedure_messages_order', ['procedureId', 'createdAt'])
@Check('procedure_messages_body_length', `char_length("body") BETWEEN 1 AND 20000`)
export class ProcedureMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'procedure_id', type: 'uuid' })
  procedureId!: string;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id' })
  procedure?: Relation<Procedure>;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'actor_label', type: 'text' })
  actorLabel!: string;

  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A statutory clock of the procedure, on the calendar of the authority that must act. */
@Entity({ name: 'procedure_deadlines' })
@Index('procedure_deadlines_open', ['status', 'dueAt'])
@Index('procedure_deadlines_procedure', ['procedureId'])
@Check('procedure_deadlines_status_known', `"status" IN ('pending', 'met', 'missed', 'lapsed', 'superseded')`)
export class ProcedureDeadline {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'procedure_id', type: 'uuid' })
  procedureId!: string;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id' })
  procedure?: Relation<Procedure>;

  /** The step that started it (a draft decision starts the objection window); null for the opening clocks. */
  @Column({ name: 'step_id', type: 'uuid', nullable: true })
  stepId!: string | null;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'text' })
  kind!: ClockKind;

  @Column({ type: 'text' })
  label!: string;

  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  /** The step kind by this authority that settles it as met; null when it simply runs out. */
  @Column({ name: 'met_by', type: 'text', nullable: true })
  metBy!: StepKind | null;

  @Column({ name: 'on_expiry', type: 'text' })
  onExpiry!: 'missed' | 'lapsed';

  @Column({ name: 'event_at', type: 'timestamptz' })
  eventAt!: Date;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'jsonb' })
  explanation!: ExplanationEntry[];

  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'met' | 'missed' | 'lapsed' | 'superseded';

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt!: Date | null;

  /** The public-holiday data it was counted with; a release with other data counts it again. */
  @Column({ name: 'holiday_data_version', type: 'text', nullable: true })
  holidayDataVersion!: string | null;
}

/** Whether an authority lets the other authorities of a shared case compare the provider's answers with theirs. */
@Entity({ name: 'case_answer_sharing' })
export class CaseAnswerSharing {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'boolean' })
  shared!: boolean;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @Column({ name: 'changed_by', type: 'text' })
  changedBy!: string;
}

/** A member of staff marking a topic where the provider's answer to their authority contradicts another's. */
@Entity({ name: 'answer_inconsistencies' })
@Index('answer_inconsistencies_organisation', ['organisationId', 'topic'])
@Check('answer_inconsistencies_note_length', `char_length("note") BETWEEN 1 AND 2000`)
export class AnswerInconsistency {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'text' })
  topic!: string;

  /** The other authority whose answer this one's contradicts. */
  @Column({ name: 'other_authority_id', type: 'uuid' })
  otherAuthorityId!: string;

  @Column({ type: 'text' })
  note!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * One attempt to serve the organisation in a case (a letter sent to its parent company, a notice to app stores, a
 * publication), with the local date from which the authority counts the organisation as served.
 */
@Entity({ name: 'service_attempts' })
@Index('service_attempts_case', ['caseId', 'attemptedAt'])
@Check('service_attempts_route_known', `"route" IN (${sqlList(SERVICE_ROUTES)})`)
@Check('service_attempts_recipient_length', `char_length("recipient") BETWEEN 1 AND 300`)
export class ServiceAttempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ type: 'text' })
  route!: ServiceRoute;

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  @Column({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt!: Date;

  /** The authority's local date from which service counts. */
  @Column({ name: 'served_from', type: 'date' })
  servedFrom!: string;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A document an authority shared into a procedure: every participant may read it, nobody else. */
@Entity({ name: 'procedure_documents' })
export class ProcedureDocument {
  @PrimaryColumn({ name: 'procedure_id', type: 'uuid' })
  procedureId!: string;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id' })
  procedure?: Relation<Procedure>;

  @PrimaryColumn({ name: 'document_id', type: 'uuid' })
  documentId!: string;

  /** The authority that shared it (the document's own). */
  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'shared_by', type: 'text' })
  sharedBy!: string;

  @CreateDateColumn({ name: 'shared_at', type: 'timestamptz' })
  sharedAt!: Date;
}

/** One authority's side of a joint due instant: its local date and why (closure reasons never included). */
export interface JointDeadlineShare {
  code: string;
  localDate: string;
  ownDueDate: string;
  explanation: string[];
  /**
   * The same lines as catalogue messages (`explanation.<code>`), for pages in the reader's language; absent on
   * joint deadlines stored before lines had codes.
   */
  lines?: Pick<ExplanationEntry, 'code' | 'params' | 'causes'>[];
}

/**
 * A change of a participant's calendar since the joint deadline was last aligned: a closure day added or removed (the
 * day, never why), its calendar settings changed, or the release's public-holiday data updated (`date`: the local day
 * of that change; `authority`: the participant whose calendar changed, or every participant for holiday data).
 */
export interface JointCalendarChange {
  authority: string;
  date: string;
  change: CalendarChangeKind;
  at: string;
}

/** What changed in an authority's calendar: a closure day, its settings, or the public-holiday data of the release. */
export type CalendarChangeKind = 'added' | 'removed' | 'settings' | 'holiday_data';

/** A recorded re-alignment: who moved the joint due instant, from when to when, and why. */
export interface JointDeadlineMove {
  authority: string;
  by: string;
  at: string;
  fromDueAt: string;
  toDueAt: string;
  reason: string;
  changes: JointCalendarChange[];
}

/**
 * A due instant the participants of a procedure agreed on (a coordinated letter): a working day in every
 * participant's calendar and zone. When a participant's closure days change it, it is `affected` until one of
 * them re-aligns it.
 */
@Entity({ name: 'joint_deadlines' })
@Index('joint_deadlines_procedure', ['procedureId'])
@Check('joint_deadlines_status_known', `"status" IN ('aligned', 'affected')`)
export class JointDeadline {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'procedure_id', type: 'uuid' })
  procedureId!: string;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id' })
  procedure?: Relation<Procedure>;

  @Column({ type: 'text' })
  label!: string;

  /** As given: a local date (each authority's own) or an instant with offset. */
  @Column({ type: 'text' })
  start!: string;

  @Column({ type: 'int' })
  count!: number;

  @Column({ type: 'text' })
  unit!: PeriodUnit;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'per_authority', type: 'jsonb' })
  perAuthority!: JointDeadlineShare[];

  @Column({ type: 'text', default: 'aligned' })
  status!: 'aligned' | 'affected';

  /** While affected: where the participants' current calendars would put it. */
  @Column({ name: 'proposed_due_at', type: 'timestamptz', nullable: true })
  proposedDueAt!: Date | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  changes!: JointCalendarChange[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  moves!: JointDeadlineMove[];

  /** The public-holiday data its instant was last computed with; a release with other data computes it again. */
  @Column({ name: 'holiday_data_version', type: 'text', nullable: true })
  holidayDataVersion!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export const cooperationEntities = [
  Procedure,
  ProcedureReferenceCounter,
  ProcedureParticipant,
  ProcedureStep,
  ProcedureMessage,
  ProcedureDeadline,
  CaseAnswerSharing,
  AnswerInconsistency,
  ServiceAttempt,
  ProcedureDocument,
  JointDeadline,
];
