import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * An authority's electronic seal: one row per PKCS#12 file uploaded; the newest row not withdrawn seals its
 * documents. The file and its password are kept only sealed (AES-256-GCM under a key derived from the audit key,
 * as for TOTP secrets) and are never sent back; the certificate is public and kept in clear.
 */
@Entity({ name: 'document_seals' })
@Unique('document_seals_version', ['authorityId', 'version'])
export class DocumentSeal {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  subject!: string;

  /** The name sealed documents print: the certificate's organisation, else its common name. */
  @Column({ type: 'text' })
  holder!: string;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'serial_number', type: 'text' })
  serialNumber!: string;

  /** SHA-256 of the certificate (DER), hex. */
  @Column({ type: 'char', length: 64 })
  fingerprint!: string;

  @Column({ name: 'not_before', type: 'timestamptz' })
  notBefore!: Date;

  @Column({ name: 'not_after', type: 'timestamptz' })
  notAfter!: Date;

  /** The certificate as PEM (public). */
  @Column({ type: 'text' })
  certificate!: string;

  /** `{p12, password}` sealed with SecretBox ('document-seal'); never leaves the server. */
  @Column({ name: 'sealed_key', type: 'text', select: false })
  sealedKey!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  @Column({ name: 'withdrawn_by', type: 'text', nullable: true })
  withdrawnBy!: string | null;
}
