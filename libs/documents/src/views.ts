import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DOCUMENT_KINDS, type DocketDocument } from './document.entity.js';

export class DocumentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'SHA-256 of the exact bytes, hex' }) sha256!: string;
  @ApiProperty() size!: number;
  @ApiProperty() filename!: string;
  @ApiProperty() locale!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Whether the document carries the authority’s electronic seal' }) signed!: boolean;
  @ApiProperty({
    enum: ['not_applicable', 'clean', 'infected', 'not_scanned'],
    description:
      'Malware scan of the file: `not_applicable` for documents Docket issued itself (nothing entered from outside); a case file staff added is `clean`, `infected` (quarantined: kept as evidence, not served, cannot be enclosed) or `not_scanned` (no scanner configured or reachable)',
  })
  scan!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The signature found, or why it was not scanned' })
  scanDetail?: string | null;
  @ApiProperty({ description: 'The file’s media type' }) mediaType!: string;
}

/** A case document that travelled with a letter (an inquiry's or a decision's), as the sent record lists it. */
export class EnclosureView {
  @ApiProperty({ format: 'uuid' }) documentId!: string;
  @ApiProperty() filename!: string;
  @ApiProperty() title!: string;
  @ApiProperty() mediaType!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'SHA-256 of the bytes sent, hex' }) sha256!: string;
}

export type Enclosure = EnclosureView;

export function enclosureOf(document: DocketDocument): Enclosure {
  return {
    documentId: document.id,
    filename: document.filename,
    title: document.title,
    mediaType: document.mediaType,
    size: document.size,
    sha256: document.sha256,
  };
}

export function documentView(document: DocketDocument): DocumentView {
  return {
    id: document.id,
    kind: document.kind,
    title: document.title,
    sha256: document.sha256,
    size: document.size,
    filename: document.filename,
    locale: document.locale,
    createdAt: document.createdAt.toISOString(),
    signed: document.signed,
    scan: document.scanStatus ?? 'not_applicable',
    scanDetail: document.scanDetail ?? null,
    mediaType: document.mediaType,
  };
}

export class VerifyView {
  @ApiProperty({ description: 'Whether Docket issued exactly these bytes' }) issued!: boolean;
  @ApiPropertyOptional({ description: 'The case reference printed on the document' }) reference?: string;
  @ApiPropertyOptional({ format: 'date-time' }) issuedAt?: string;
  @ApiPropertyOptional() signed?: boolean;
  @ApiPropertyOptional({ description: 'Present only for a sealed document' }) signatureValid?: boolean;
}
