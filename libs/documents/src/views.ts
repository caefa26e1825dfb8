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
    description:
      'Malware scan of the file: `not_applicable` for documents Docket issued itself (nothing entered from outside)',
  })
  scan!: string;
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
    scan: 'not_applicable',
  };
}

export class VerifyView {
  @ApiProperty({ description: 'Whether Docket issued exactly these bytes' }) issued!: boolean;
  @ApiPropertyOptional({ description: 'The case reference printed on the document' }) reference?: string;
  @ApiPropertyOptional({ format: 'date-time' }) issuedAt?: string;
  @ApiPropertyOptional() signed?: boolean;
  @ApiPropertyOptional({ description: 'Present only for a sealed document' }) signatureValid?: boolean;
}
