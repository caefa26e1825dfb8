import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DOCUMENT_KINDS = [
  'inquiry',
  'chaser',
  'decision',
  'acknowledgement',
  'extension_notice',
  'suspension_notice',
  'resumption_notice',
  /** A file staff added to the case (an annex to enclose with a letter); not issued by Docket, scanned on entry. */
  'case_file',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * A formal document Docket issued (a letter, a decision) as the exact bytes sent. The file lives once under
 * `<DOCKET_DATA_DIR>/documents/<sha256>.pdf`; once issued the row cannot be updated or deleted (a trigger).
 */
@Entity({ name: 'documents' })
@Index('documents_case', ['authorityId', 'caseId', 'createdAt'])
@Index('documents_sha256', ['sha256'])
@Check('documents_sha256_hex', `"sha256" ~ '^[0-9a-f]{64}$'`)
@Check('documents_size_positive', `"size" > 0`)
@Check('documents_scan_status_known', `"scan_status" IN ('not_applicable', 'clean', 'infected', 'not_scanned')`)
export class DocketDocument {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'text' })
  kind!: DocumentKind;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  locale!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'int' })
  size!: number;

  @Column({ name: 'media_type', type: 'text', default: 'application/pdf' })
  mediaType!: string;

  /** The file name the document travels under ("GPDP-2026-0001-inquiry.pdf"). */
  @Column({ type: 'text' })
  filename!: string;

  /** The case reference printed on it (kept here: verification answers it without reading the case). */
  @Column({ type: 'text' })
  reference!: string;

  /** One document per business event (`inquiry.<id>`, `chaser.<reminder id>`, `outcome.<id>`). */
  @Column({ name: 'issue_key', type: 'text', unique: true })
  issueKey!: string;

  @Column({ type: 'boolean', default: true })
  issued!: boolean;

  @Column({ type: 'boolean', default: false })
  signed!: boolean;

  /**
   * Malware scan of a file that entered (a case file): `clean`, `infected` (quarantined: kept, never served nor
   * sent), `not_scanned`; `not_applicable` for the documents Docket made itself.
   */
  @Column({ name: 'scan_status', type: 'text', default: 'not_applicable' })
  scanStatus!: 'not_applicable' | 'clean' | 'infected' | 'not_scanned';

  @Column({ name: 'scan_detail', type: 'text', nullable: true })
  scanDetail!: string | null;

  @Column({ name: 'scanned_at', type: 'timestamptz', nullable: true })
  scannedAt!: Date | null;

  @Column({ name: 'letterhead_version', type: 'int', nullable: true })
  letterheadVersion!: number | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
