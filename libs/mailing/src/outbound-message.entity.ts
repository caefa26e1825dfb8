import type { MessageAttachment } from './mailing.service.js';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * `queued`: to be sent now; `waiting`: the mail server did not take it for now (connection failure, timeout,
 * 4xx), tried again at `nextAttemptAt` until MAIL_RETRY_WINDOW after `waitingSince`; `sent`; `failed`: refused
 * (5xx) or still not taken at the end of the window.
 */
export type OutboundStatus = 'queued' | 'waiting' | 'sent' | 'failed';

/** A message as the other contexts and the pages read it: the columns of the entity below, read-only. */
export interface OutboundMessageRecord {
  readonly id: string;
  readonly authorityId: string;
  readonly caseId: string | null;
  readonly kind: string;
  readonly dedupeKey: string;
  readonly to: string[];
  readonly cc: string[];
  readonly replyTo: string | null;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly attachments: MessageAttachment[];
  readonly status: OutboundStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly messageId: string | null;
  readonly smtpResponse: string | null;
  readonly sentAt: Date | null;
  readonly createdAt: Date;
  readonly nextAttemptAt: Date;
  readonly waitingSince: Date | null;
  readonly parentId: string | null;
  readonly envelopeTo: string[] | null;
  readonly accepted: string[];
  readonly refused: string[];
  readonly handedAt: Date | null;
  readonly resends: number;
}

/**
 * One e-mail Docket sends; the unique dedupe key absorbs redelivered jobs. When the server takes a message for
 * some recipients and not for others, the others are split off into a part of their own (`parentId`, SMTP
 * recipients in `envelopeTo`, the same headers and Message-ID), which waits or fails on its own.
 */
@Entity({ name: 'outbound_messages' })
@Index('outbound_messages_status', ['status', 'createdAt'])
@Index('outbound_messages_case', ['authorityId', 'caseId'])
@Index('outbound_messages_authority_created', ['authorityId', 'createdAt', 'id'])
// Partial indexes (migration 1764000018800): the due waiting messages, and the resent ones.
@Index('outbound_messages_pending', { synchronize: false })
@Index('outbound_messages_resent', { synchronize: false })
export class OutboundMessage implements OutboundMessageRecord {
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

  /** When it is to be tried (next): its creation, an operator's retry, or the next attempt of a waiting message. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  /** First temporary failure of the current series of attempts (the retry window runs from it). */
  @Column({ name: 'waiting_since', type: 'timestamptz', nullable: true })
  waitingSince!: Date | null;

  /** The message this one was split off from (recipients refused or deferred while others took it). */
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  /** SMTP recipients when not every address of To and Cc (a part split off). */
  @Column({ name: 'envelope_to', type: 'text', array: true, nullable: true })
  envelopeTo!: string[] | null;

  /** Recipients the mail server accepted. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  accepted!: string[];

  /** Recipients the mail server refused (they are in a failed part of their own). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  refused!: string[];

  /** Set while the message is being handed to the server; still set at the next attempt = its outcome is unknown. */
  @Column({ name: 'handed_at', type: 'timestamptz', nullable: true })
  handedAt!: Date | null;

  /** Times it was handed over again after a handover whose outcome was never recorded (a possible duplicate). */
  @Column({ type: 'int', default: 0 })
  resends!: number;
}

/** The SMTP recipients of a message. */
export const recipientsOf = (message: Pick<OutboundMessage, 'to' | 'cc' | 'envelopeTo'>): string[] =>
  message.envelopeTo ?? [...message.to, ...message.cc];
