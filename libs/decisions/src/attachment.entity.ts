import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Case } from '#docket/cases';
import { InquiryResponse } from './response.entity.js';

/**
 * A file that came with a response. The content lives on disk under
 * `<DOCKET_DATA_DIR>/attachments/<authority id>/<sha256>`: one copy per authority and content.
 */
@Entity({ name: 'attachments' })
@Index('attachments_response', ['responseId', 'createdAt'])
@Check('attachments_size_positive', `"size" > 0`)
@Check('attachments_sha256_hex', `"sha256" ~ '^[0-9a-f]{64}$'`)
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @ManyToOne(() => Case, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id' })
  case?: Relation<Case>;

  @Column({ name: 'response_id', type: 'uuid' })
  responseId!: string;

  @ManyToOne(() => InquiryResponse, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'response_id' })
  response?: Relation<InquiryResponse>;

  @Column({ type: 'text' })
  filename!: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  /** Bytes. */
  @Column({ type: 'bigint' })
  size!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
