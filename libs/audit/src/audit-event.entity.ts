import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'audit_events' })
@Index('audit_events_authority_seq', ['authorityId', 'seq'], { unique: true })
@Index('audit_events_case', ['caseId', 'seq'])
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  /** Position in the authority's chain, from 1. */
  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_label', type: 'text' })
  actorLabel!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: object | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: object | null;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  /** HMAC-SHA256 with the audit key when `keyed`; plain SHA-256 for the entries written before the key. */
  @Column({ type: 'char', length: 64 })
  hash!: string;

  /** False only for entries written before the audit key existed (migration 1764000017000); never after a keyed one. */
  @Column({ type: 'boolean' })
  keyed!: boolean;
}
