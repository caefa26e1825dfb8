import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last entry of each authority's chain: serialises appends and reveals a deleted tail. */
@Entity({ name: 'audit_heads' })
export class AuditHead {
  @PrimaryColumn({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  /** Names the audit key that wrote the head (auditKeyId), so that a wrong AUDIT_KEY is told apart from tampering. */
  @Column({ name: 'key_id', type: 'text', nullable: true })
  keyId!: string | null;
}
