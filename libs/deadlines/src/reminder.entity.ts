import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  JoinColumn,
  ManyToOne,
  type Relation,
} from 'typeorm';
import { Deadline } from './deadline.entity.js';
import type { ReminderAudience } from './reminder-offsets.js';

/** `held`: a chaser to the respondent kept back while a reply awaits staff's assessment; it has no queue job. */
export type ReminderStatus = 'scheduled' | 'held' | 'sent' | 'cancelled' | 'failed';

/** A reminder as the other contexts and the pages read it: the columns of the entity below, read-only, no relation. */
export interface ReminderRecord {
  readonly id: string;
  readonly authorityId: string;
  readonly deadlineId: string;
  readonly offset: string;
  readonly audience: ReminderAudience;
  readonly dueAt: Date;
  readonly fireAt: Date;
  readonly status: ReminderStatus;
  readonly sentAt: Date | null;
  readonly outboundMessageId: string | null;
  readonly note: string | null;
  readonly createdAt: Date;
}

/**
 * One reminder of one due instant. A changed due instant cancels the scheduled rows and plans new
 * ones, so a reminder of an old due instant can never fire.
 */
@Entity({ name: 'reminders' })
@Index('reminders_deadline', ['deadlineId'])
@Index('reminders_due', ['status', 'fireAt'])
export class Reminder implements ReminderRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'deadline_id', type: 'uuid' })
  deadlineId!: string;

  @ManyToOne(() => Deadline, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deadline_id' })
  deadline?: Relation<Deadline>;

  @Column({ type: 'text' })
  offset!: string;

  @Column({ type: 'text' })
  audience!: ReminderAudience;

  /** The due instant this reminder belongs to. */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'fire_at', type: 'timestamptz' })
  fireAt!: Date;

  @Column({ type: 'text', default: 'scheduled' })
  status!: ReminderStatus;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'outbound_message_id', type: 'uuid', nullable: true })
  outboundMessageId!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
