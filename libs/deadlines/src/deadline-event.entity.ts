import { Column, Entity, Index, PrimaryGeneratedColumn, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Deadline } from './deadline.entity.js';

/**
 * One step of a deadline's history: created, extended, suspended, resumed, recomputed, met, missed, waived, cancelled.
 */
@Entity({ name: 'deadline_events' })
@Index('deadline_events_deadline', ['deadlineId', 'at'])
export class DeadlineEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'deadline_id', type: 'uuid' })
  deadlineId!: string;

  @ManyToOne(() => Deadline, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deadline_id' })
  deadline?: Relation<Deadline>;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'actor_label', type: 'text' })
  actorLabel!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'previous_due_at', type: 'timestamptz', nullable: true })
  previousDueAt!: Date | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;
}
