import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CASE_STATUSES, type CaseStatus } from './case-status.js';
import {
  CASE_PRIORITIES,
  CASE_TYPES,
  RISK_FLAGS,
  sqlList,
  type CasePriority,
  type CaseType,
  type RiskFlag,
} from './case.types.js';

/**
 * A case as the other contexts read it: the columns of the entity below, read-only, so that their code is typed on
 * what a case says rather than on the entity (which implements this).
 */
export interface CaseRecord {
  readonly id: string;
  readonly authorityId: string;
  readonly reference: string;
  readonly title: string;
  readonly organisationId: string;
  readonly products: string[];
  readonly type: CaseType;
  readonly legalBasis: string | null;
  readonly priority: CasePriority;
  readonly assigneeId: string | null;
  readonly tags: string[];
  readonly riskFlags: RiskFlag[];
  readonly status: CaseStatus;
  readonly version: number;
  readonly sharedForCoordination: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly closedAt: Date | null;
  readonly closeReason: string | null;
}

/** One authority's matter against one organisation. */
@Entity({ name: 'cases' })
@Index('cases_authority_reference', ['authorityId', 'reference'], { unique: true })
@Index('cases_authority_created', ['authorityId', 'createdAt', 'id'])
@Index('cases_organisation', ['organisationId'])
// The list by due date (sort=nextDueAt), unfiltered, by status and by assignee (migration 1764000031100); the last two
// also serve every read by status or by assignee (migration 1764000031800).
@Index('cases_authority_due', ['authorityId', 'nextDueAt', 'id'])
@Index('cases_authority_status_due', ['authorityId', 'status', 'nextDueAt', 'id'])
@Index('cases_authority_assignee_due', ['authorityId', 'assigneeId', 'nextDueAt', 'id'])
// Trigram index for title search, created by the migration.
@Index('cases_title_trgm', { synchronize: false })
// Partial indexes of the dashboard (oldest open cases) and the coordination view (shared cases), created by the
// decisions migration.
@Index('cases_open_created', { synchronize: false })
@Index('cases_shared_organisation', { synchronize: false })
@Check('cases_title_length', `char_length("title") BETWEEN 1 AND 300`)
@Check('cases_status_known', `"status" IN (${sqlList(CASE_STATUSES)})`)
@Check('cases_type_known', `"type" IN (${sqlList(CASE_TYPES)})`)
@Check('cases_priority_known', `"priority" IN (${sqlList(CASE_PRIORITIES)})`)
@Check('cases_risk_flags_known', `"risk_flags" <@ ARRAY[${sqlList(RISK_FLAGS)}]::text[]`)
@Check('cases_closed_consistent', `("status" = 'closed') = ("closed_at" IS NOT NULL AND "close_reason" IS NOT NULL)`)
export class Case implements CaseRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  /** `<CODE>-<YYYY>-<NNNN>`, gap-free per authority and year. */
  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  /** Names of the organisation's products the case is about. */
  @Column({ type: 'text', array: true })
  products!: string[];

  @Column({ type: 'text' })
  type!: CaseType;

  /** Free text, e.g. "GDPR Art. 58(1)(a)". */
  @Column({ name: 'legal_basis', type: 'text', nullable: true })
  legalBasis!: string | null;

  @Column({ type: 'text' })
  priority!: CasePriority;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ name: 'risk_flags', type: 'text', array: true })
  riskFlags!: RiskFlag[];

  @Column({ type: 'text' })
  status!: CaseStatus;

  /** Bumped by every change to the case; PATCH needs it in If-Match. */
  @Column({ type: 'integer' })
  version!: number;

  /** Whether other authorities see this case in the coordination view of its organisation. */
  @Column({ name: 'shared_for_coordination', type: 'boolean', default: false })
  sharedForCoordination!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason!: string | null;

  /**
   * The due instant of the case's earliest pending deadline, 'infinity' without one: kept by the triggers on
   * deadlines (migration 1764000031100) in the writer's transaction, never written or read through the entity.
   */
  @Column({
    name: 'next_due_at',
    type: 'timestamptz',
    default: () => "'infinity'",
    insert: false,
    update: false,
    select: false,
  })
  nextDueAt?: Date;
}
