import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ReminderDefault, TemplateKind } from './templating/index.js';

/** A template as an authority edited it: a new version, never changed afterwards. */
@Entity({ name: 'template_versions' })
@Index('template_versions_key_version', ['authorityId', 'key', 'version'], { unique: true })
export class TemplateVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  kind!: TemplateKind;

  @Column({ type: 'text' })
  description!: string;

  /** Locale → Liquid source. */
  @Column({ type: 'jsonb' })
  sources!: Record<string, string>;

  @Column({ name: 'default_question_ids', type: 'text', array: true })
  defaultQuestionIds!: string[];

  @Column({ name: 'default_reminders', type: 'jsonb' })
  defaultReminders!: ReminderDefault[];

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
