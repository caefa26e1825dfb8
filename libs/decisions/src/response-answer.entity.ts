import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ASSESSMENTS, type Assessment } from './decision-rules.js';
import { InquiryResponse } from './response.entity.js';

const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** The assessment of the answer to one question of the inquiry. */
@Entity({ name: 'response_answers' })
@Index('response_answers_question', ['responseId', 'questionId'], { unique: true })
@Check('response_answers_assessment_known', `"assessment" IN (${sqlList(ASSESSMENTS)})`)
@Check('response_answers_note_length', `"note" IS NULL OR char_length("note") <= 5000`)
export class ResponseAnswer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'response_id', type: 'uuid' })
  responseId!: string;

  @ManyToOne(() => InquiryResponse, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'response_id' })
  response?: Relation<InquiryResponse>;

  @Column({ name: 'question_id', type: 'text' })
  questionId!: string;

  /** Its number in the letter. */
  @Column({ name: 'question_number', type: 'integer' })
  questionNumber!: number;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text' })
  assessment!: Assessment;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
