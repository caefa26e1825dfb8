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
import type { ReminderPlanItem, ExtensionTarget } from '#docket/deadlines';

export const TARGET_STATUSES = ['pending', 'queued', 'sent', 'failed', 'answered'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export interface CaseDefaults {
  type: string;
  legalBasis: string | null;
  priority: string | null;
  assigneeId: string | null;
}

/** One letter, one deadline rule and one reminder plan sent to many organisations. */
@Entity({ name: 'campaigns' })
@Index('campaigns_authority_created', ['authorityId', 'createdAt'])
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'template_key', type: 'text' })
  templateKey!: string;

  @Column({ name: 'template_version', type: 'int' })
  templateVersion!: number;

  /** A locale of the template, or null: each organisation's own (see CampaignsService.localeFor). */
  @Column({ type: 'text', nullable: true })
  locale!: string | null;

  @Column({ name: 'question_ids', type: 'text', array: true })
  questionIds!: string[];

  @Column({ type: 'jsonb' })
  deadline!: ExtensionTarget;

  @Column({ type: 'jsonb' })
  reminders!: ReminderPlanItem[];

  @Column({ name: 'case_defaults', type: 'jsonb' })
  caseDefaults!: CaseDefaults;

  @Column({ name: 'created_by_id', type: 'uuid', nullable: true })
  createdById!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** One organisation of a campaign: its case, its inquiry and how far it got. */
@Entity({ name: 'campaign_targets' })
@Index('campaign_targets_inquiry', ['inquiryId'])
// Partial (status = 'pending'), for the reconciliation of lost fan-out jobs; created by migration 1764000008000.
@Index('campaign_targets_pending', { synchronize: false })
@Check('campaign_targets_status_known', `"status" IN ('pending', 'queued', 'sent', 'failed', 'answered')`)
export class CampaignTarget {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Campaign, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: Relation<Campaign>;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  /** Position in the request, so progress lists organisations in the order they were given. */
  @Column({ type: 'int' })
  position!: number;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  /** Whether the case existed before the campaign (the campaign attached to it). */
  @Column({ name: 'attached_to_existing', type: 'boolean', default: false })
  attachedToExisting!: boolean;

  @Column({ name: 'inquiry_id', type: 'uuid', nullable: true })
  inquiryId!: string | null;

  @Column({ type: 'text', default: 'pending' })
  status!: TargetStatus;

  /** Why the letter failed, in English (the API's words). */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /**
   * The same as a catalogue message (key and parameters), for the campaign page in the reader's language; null for a
   * failure without one (and for targets failed before messages were kept).
   */
  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_params', type: 'jsonb', nullable: true })
  errorParams!: Record<string, string | number | boolean> | null;

  /** 1 for the first fan-out, +1 for each retry: a job of an older attempt does nothing. */
  @Column({ type: 'int', default: 1 })
  attempt!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
