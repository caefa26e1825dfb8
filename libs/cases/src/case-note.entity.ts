import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Case } from './case.entity.js';

/** An internal note on a case: never shared with other authorities. */
@Entity({ name: 'case_notes' })
@Index('case_notes_case', ['caseId', 'createdAt'])
@Check('case_notes_text_length', `char_length("text") BETWEEN 1 AND 10000`)
export class CaseNote {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => Case, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: Relation<Case>;

  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId!: string | null;

  /** Who wrote it, as the audit trail names them. */
  @Column({ name: 'author_label', type: 'text' })
  authorLabel!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
