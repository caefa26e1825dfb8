import type { ScanVerdict } from '#docket/scanning';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** `extension_request`: filed by staff as a request to extend the deadline (evidence on the case, not a response). */
export const INBOUND_STATUSES = [
  'draft',
  'confirmed',
  'triage',
  'auto_reply',
  'bounce',
  'dismissed',
  'extension_request',
] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

export interface InboundAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
  /** False when the part was larger than ATTACHMENT_MAX_MB: recorded, not kept (the raw message still has it). */
  stored: boolean;
  /** The malware scan on arrival (absent on messages received before scanning: not scanned). */
  scan?: ScanVerdict;
}

/** One message received by e-mail (SMTP listener), kept with its raw bytes as evidence. */
@Entity({ name: 'inbound_messages' })
@Index('inbound_messages_authority_status', ['authorityId', 'status', 'receivedAt'])
@Index('inbound_messages_case', ['caseId'])
export class InboundMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null: unmatched and no authority owns the recipient domain, so it sits in the deployment's inbox (sysadmin). */
  @Column({ name: 'authority_id', type: 'uuid', nullable: true })
  authorityId!: string | null;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ name: 'inquiry_id', type: 'uuid', nullable: true })
  inquiryId!: string | null;

  @Column({ type: 'text' })
  status!: InboundStatus;

  /** token, message_id, reference, assigned, or null when unmatched. */
  @Column({ name: 'matched_by', type: 'text', nullable: true })
  matchedBy!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'envelope_from', type: 'text' })
  envelopeFrom!: string;

  @Column({ name: 'envelope_to', type: 'text', array: true })
  envelopeTo!: string[];

  @Column({ name: 'from_address', type: 'text' })
  fromAddress!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ name: 'text_body', type: 'text' })
  textBody!: string;

  /** Already sanitised; the unsanitised HTML exists only in the raw message. */
  @Column({ name: 'html_body', type: 'text', nullable: true })
  htmlBody!: string | null;

  @Column({ type: 'jsonb' })
  attachments!: InboundAttachment[];

  @Column({ name: 'raw_sha256', type: 'text', unique: true })
  rawSha256!: string;

  @Column({ name: 'raw_size', type: 'int' })
  rawSize!: number;

  @Column({ name: 'response_id', type: 'uuid', nullable: true })
  responseId!: string | null;

  @Column({ name: 'handled_by', type: 'text', nullable: true })
  handledBy!: string | null;

  @Column({ name: 'handled_at', type: 'timestamptz', nullable: true })
  handledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
