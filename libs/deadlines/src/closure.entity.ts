import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A day an authority is closed beyond public holidays (ad-hoc holiday, office closure). */
@Entity({ name: 'authority_closures' })
@Index('authority_closures_day', ['authorityId', 'date'], { unique: true })
export class AuthorityClosure {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'date' })
  date!: string;

  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
