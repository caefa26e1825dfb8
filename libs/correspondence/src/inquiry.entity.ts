import type { Enclosure } from '#docket/documents';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LetterQuestion } from './templating/index.js';

export const INQUIRY_STATUSES = ['queued', 'sent', 'failed'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

export interface DeliveryNote {
  kind: 'bounce' | 'auto_reply';
  at: string;
  from: string;
  subject: string;
  inboundMessageId: string;
  detail?: string;
}

/** An inquiry as the other contexts and the pages read it: the columns of the entity below, read-only, no relation. */
export interface InquiryRecord {
  readonly id: string;
  readonly authorityId: string;
  readonly caseId: string;
  readonly templateKey: string;
  readonly templateVersion: number;
  readonly locale: string;
  readonly to: string[];
  readonly cc: string[];
  readonly questions: LetterQuestion[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly replyToken: string;
  readonly replyTo: string;
  readonly status: InquiryStatus;
  readonly sentAt: Date | null;
  readonly messageId: string | null;
  readonly smtpResponse: string | null;
  readonly lastError: string | null;
  readonly deliveryNotes: DeliveryNote[];
  readonly deadlineId: string | null;
  readonly outboundMessageId: string | null;
  readonly documentId: string | null;
  readonly attachments: Enclosure[];
  readonly createdBy: string;
  readonly createdAt: Date;
}

/** One letter sent in a case: an immutable snapshot of what went out, plus its delivery state. */
@Entity({ name: 'inquiries' })
@Index('inquiries_case', ['authorityId', 'caseId', 'createdAt'])
export class Inquiry implements InquiryRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ name: 'template_key', type: 'text' })
  templateKey!: string;

  @Column({ name: 'template_version', type: 'int' })
  templateVersion!: number;

  @Column({ type: 'text' })
  locale!: string;

  @Column({ name: 'to_addresses', type: 'text', array: true })
  to!: string[];

  @Column({ name: 'cc_addresses', type: 'text', array: true })
  cc!: string[];

  @Column({ type: 'jsonb' })
  questions!: LetterQuestion[];

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  html!: string;

  @Column({ type: 'text' })
  text!: string;

  /** Carried in the Reply-To address so a reply finds its inquiry. */
  @Column({ name: 'reply_token', type: 'text', unique: true })
  replyToken!: string;

  @Column({ name: 'reply_to', type: 'text' })
  replyTo!: string;

  @Column({ type: 'text', default: 'queued' })
  status!: InquiryStatus;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ name: 'smtp_response', type: 'text', nullable: true })
  smtpResponse!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** Bounces and auto-replies received for this letter (libs/inbound), oldest first. */
  @Column({ name: 'delivery_notes', type: 'jsonb', default: () => "'[]'" })
  deliveryNotes!: DeliveryNote[];

  @Column({ name: 'deadline_id', type: 'uuid', nullable: true })
  deadlineId!: string | null;

  @Column({ name: 'outbound_message_id', type: 'uuid', nullable: true })
  outboundMessageId!: string | null;

  /** The letter as a formal PDF document (libs/documents), attached to its mail; null for letters sent before. */
  @Column({ name: 'document_id', type: 'uuid', nullable: true })
  documentId!: string | null;

  /** The case documents that travelled with the letter (attachments of its mail), as sent: the sent record. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments!: Enclosure[];

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
