import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { SCAN_STATUSES, type ScanStatus } from '#docket/scanning';
import { InquiryResponse } from './response.entity.js';

/**
 * A file that came with a response. The content lives on disk under
 * `<DOCKET_DATA_DIR>/attachments/<authority id>/<sha256>`: one copy per authority and content.
 */
@Entity({ name: 'attachments' })
@Index('attachments_response', ['responseId', 'createdAt'])
@Check('attachments_size_positive', `"size" > 0`)
@Check('attachments_sha256_hex', `"sha256" ~ '^[0-9a-f]{64}$'`)
@Check('attachments_scan_status_known', `"scan_status" IN (${SCAN_STATUSES.map((status) => `'${status}'`).join(', ')})`)
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

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

  /** The malware scan's verdict: an infected file is quarantined (kept as evidence, never served). */
  @Column({ name: 'scan_status', type: 'text', default: 'not_scanned' })
  scanStatus!: ScanStatus;

  /** The signature found, or why the file was not scanned. */
  @Column({ name: 'scan_detail', type: 'text', nullable: true })
  scanDetail!: string | null;

  @Column({ name: 'scanned_at', type: 'timestamptz', nullable: true })
  scannedAt!: Date | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
