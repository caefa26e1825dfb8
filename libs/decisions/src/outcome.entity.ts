import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { Enclosure } from '#docket/documents';
import { OUTCOME_TYPES, type OutcomeType } from './decision-rules.js';

const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** A decision in a case: an order, a limitation, a fine, a recommendation, a referral, a notice … */
@Entity({ name: 'outcomes' })
@Index('outcomes_case', ['caseId', 'decidedAt'])
@Check('outcomes_type_known', `"type" IN (${sqlList(OUTCOME_TYPES)})`)
@Check(
  'outcomes_fine_consistent',
  `("type" = 'fine') = ("fine_amount" IS NOT NULL AND "fine_currency" IS NOT NULL) AND ("fine_amount" IS NULL OR "fine_amount" > 0)`,
)
@Check('outcomes_summary_length', `char_length("summary") BETWEEN 1 AND 20000`)
export class Outcome {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ type: 'text' })
  type!: OutcomeType;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ name: 'legal_basis', type: 'text', nullable: true })
  legalBasis!: string | null;

  /** Whether the authority published the decision. */
  @Column({ type: 'boolean', default: false })
  published!: boolean;

  /** Exact decimal, as PostgreSQL returns it. */
  @Column({ name: 'fine_amount', type: 'numeric', nullable: true })
  fineAmount!: string | null;

  /** ISO 4217. */
  @Column({ name: 'fine_currency', type: 'char', length: 3, nullable: true })
  fineCurrency!: string | null;

  /** The authority a referral goes to. */
  @Column({ name: 'referral_to', type: 'text', nullable: true })
  referralTo!: string | null;

  /** Who a third-party notice goes to (an app store, an ISP). */
  @Column({ name: 'notice_to', type: 'text', nullable: true })
  noticeTo!: string | null;

  /** The decision letter as a formal PDF document (libs/documents); null for outcomes recorded before. */
  @Column({ name: 'document_id', type: 'uuid', nullable: true })
  documentId!: string | null;

  /** The case documents that travelled with the decision letter (attachments of its mail), as sent. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments!: Enclosure[];

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type OutcomeDeadlineRole = 'compliance' | 'follow_up_check';

/** A deadline an outcome started: its compliance date or one of its follow-up checks. */
@Entity({ name: 'outcome_deadlines' })
@Index('outcome_deadlines_outcome', ['outcomeId', 'position'], { unique: true })
@Check('outcome_deadlines_role_known', `"role" IN ('compliance', 'follow_up_check')`)
export class OutcomeDeadline {
  @PrimaryColumn({ name: 'deadline_id', type: 'uuid' })
  deadlineId!: string;

  @Column({ name: 'outcome_id', type: 'uuid' })
  outcomeId!: string;

  @ManyToOne(() => Outcome, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'outcome_id' })
  outcome?: Relation<Outcome>;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'text' })
  role!: OutcomeDeadlineRole;

  /** 0 for the compliance deadline, 1… for the follow-up checks in order. */
  @Column({ type: 'smallint' })
  position!: number;
}
