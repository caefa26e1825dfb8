import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CHANNELS, type Channel } from './decision-rules.js';

const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** What the organisation sent back to one inquiry, and how it stood against the response deadline. */
@Entity({ name: 'responses' })
@Index('responses_case', ['authorityId', 'caseId', 'receivedAt'])
@Index('responses_inquiry', ['inquiryId'])
@Check('responses_channel_known', `"channel" IN (${sqlList(CHANNELS)})`)
@Check('responses_summary_length', `char_length("summary") BETWEEN 1 AND 20000`)
@Check(
  'responses_late_consistent',
  `"late_by_days" >= 0 AND "days_to_respond" >= 0 AND ("on_time" OR "due_at" IS NOT NULL)`,
)
export class InquiryResponse {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ name: 'inquiry_id', type: 'uuid' })
  inquiryId!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'text' })
  channel!: Channel;

  @Column({ type: 'text' })
  summary!: string;

  /** The inquiry's response deadline. */
  @Column({ name: 'deadline_id', type: 'uuid', nullable: true })
  deadlineId!: string | null;

  /** Whether this response settled the deadline (the first one does; a later supplement does not). */
  @Column({ name: 'met_deadline', type: 'boolean' })
  metDeadline!: boolean;

  /** The due instant when the response came in. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'on_time', type: 'boolean' })
  onTime!: boolean;

  @Column({ name: 'late_by_days', type: 'integer' })
  lateByDays!: number;

  @Column({ name: 'days_to_respond', type: 'integer' })
  daysToRespond!: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
