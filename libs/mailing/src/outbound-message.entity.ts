import type { MessageAttachment } from './mailing.service.js';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboundStatus = 'queued' | 'sent' | 'failed';

/** One e-mail Docket sends; the unique dedupe key absorbs redelivered jobs. */
@Entity({ name: 'outbound_messages' })
@Index('outbound_messages_status', ['status', 'createdAt'])
@Index('outbound_messages_case', ['authorityId', 'caseId'])
export class OutboundMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  /** What the message is: inquiry, chaser, staff_reminder, manager_escalation, notification. */
  @Column({ type: 'text' })
  kind!: string;

  /** e.g. `inquiry.<id>` or `reminder.<id>`: one message per business event. */
  @Column({ name: 'dedupe_key', type: 'text', unique: true })
  dedupeKey!: string;

  @Column({ name: 'to_addresses', type: 'text', array: true })
  to!: string[];

  @Column({ name: 'cc_addresses', type: 'text', array: true, default: () => "'{}'" })
  cc!: string[];

  @Column({ name: 'reply_to', type: 'text', nullable: true })
  replyTo!: string | null;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  html!: string;

  @Column({ type: 'text' })
  text!: string;

  /** Files sent with the message: `[{filename, contentType, path}]`, the path relative to DOCKET_DATA_DIR. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments!: MessageAttachment[];

  @Column({ type: 'text', default: 'queued' })
  status!: OutboundStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ name: 'smtp_response', type: 'text', nullable: true })
  smtpResponse!: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
