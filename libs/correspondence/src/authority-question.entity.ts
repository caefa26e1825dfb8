import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { QuestionTopic } from './templating/index.js';

/**
 * A question of an authority's own, one row per version (never changed afterwards): an edit adds a version, retiring
 * adds a last version marked retired. The newest version of a question id is the one in use.
 */
@Entity({ name: 'authority_questions' })
@Index('authority_questions_id_version', ['authorityId', 'questionId', 'version'], { unique: true })
export class AuthorityQuestion {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'authority_questions_pkey' })
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  /** The id letters and answers refer to, e.g. `gpdp.minors.school_accounts`. */
  @Column({ name: 'question_id', type: 'text' })
  questionId!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  topic!: QuestionTopic;

  /** Locale → text of the question as it appears in a letter. */
  @Column({ type: 'jsonb' })
  text!: Record<string, string>;

  @Column({ type: 'boolean', default: false })
  retired!: boolean;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
