import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { ExplanationEntry } from '#docket/calendar';
import type { DeadlineStatus } from './deadline-lifecycle.js';
import type { Adjustment, DeadlineRule } from './deadline-rules.js';
import type { ReminderPlanItem } from './reminder-offsets.js';

export const DEADLINE_KINDS = ['response', 'compliance', 'follow_up_check', 'other'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * A deadline as the other contexts and the pages read it: the columns of the entity below, read-only, so that their
 * code is typed on what a deadline says rather than on the entity (which implements this).
 */
export interface DeadlineRecord {
  readonly id: string;
  readonly authorityId: string;
  readonly caseId: string;
  readonly inquiryId: string | null;
  readonly kind: DeadlineKind;
  readonly label: string;
  readonly eventAt: Date;
  readonly rule: DeadlineRule;
  readonly adjustments: Adjustment[];
  readonly ruleSet: string;
  readonly holidayDataVersion: string | null;
  readonly dueDate: string;
  readonly dueAt: Date;
  readonly explanation: ExplanationEntry[];
  readonly status: DeadlineStatus;
  readonly suspendedAt: Date | null;
  readonly suspendReason: string | null;
  readonly settledAt: Date | null;
  readonly replyPendingSince: Date | null;
  readonly reminderPlan: ReminderPlanItem[];
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

@Entity({ name: 'deadlines' })
@Index('deadlines_authority_status_due', ['authorityId', 'status', 'dueAt'])
@Index('deadlines_authority_due', ['authorityId', 'dueAt'])
@Index('deadlines_case', ['caseId'])
// The dashboard's windows over pending deadlines (partial, covering case_id), created by the decisions migration.
@Index('deadlines_pending_due', { synchronize: false })
export class Deadline implements DeadlineRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  /** The inquiry whose response this deadline awaits, if any. */
  @Column({ name: 'inquiry_id', type: 'uuid', nullable: true })
  inquiryId!: string | null;

  @Column({ type: 'text' })
  kind!: DeadlineKind;

  @Column({ type: 'text' })
  label!: string;

  /** The instant the period counts from (the letter was sent, the order was notified …). */
  @Column({ name: 'event_at', type: 'timestamptz' })
  eventAt!: Date;

  @Column({ type: 'jsonb' })
  rule!: DeadlineRule;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  adjustments!: Adjustment[];

  /** The rule set (legal instrument) the deadline is counted under, e.g. national or eu-1182-71. */
  @Column({ name: 'rule_set', type: 'text', default: 'national' })
  ruleSet!: string;

  /** The holiday data the due date was computed with (HOLIDAY_DATA_VERSION); null before it was recorded. */
  @Column({ name: 'holiday_data_version', type: 'text', nullable: true })
  holidayDataVersion!: string | null;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'jsonb' })
  explanation!: ExplanationEntry[];

  @Column({ type: 'text', default: 'pending' })
  status!: DeadlineStatus;

  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt!: Date | null;

  @Column({ name: 'suspend_reason', type: 'text', nullable: true })
  suspendReason!: string | null;

  /** When it was met, missed or waived. */
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  /**
   * Since when a reply by e-mail awaits staff's assessment (the oldest such reply), null when none does: meanwhile
   * the chasers to the respondent are held, the staff reminders keep running.
   */
  @Column({ name: 'reply_pending_since', type: 'timestamptz', nullable: true })
  replyPendingSince!: Date | null;

  @Column({ name: 'reminder_plan', type: 'jsonb', default: () => "'[]'" })
  reminderPlan!: ReminderPlanItem[];

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
