import { Module } from '@nestjs/common';
import { AuditModule } from '#docket/audit';
import { CasesModule } from '#docket/cases';
import { IdentityModule } from '#docket/identity';
import { ScanningModule } from '#docket/scanning';
import { DocketDocument } from './document.entity.js';
import { DocumentRepository } from './document.repository.js';
import { DocumentsController } from './documents.controller.js';
import { DocumentsCaseFile } from './documents.case-file.js';
import { DocumentsService } from './documents.service.js';
import { Letterhead } from './letterhead.entity.js';
import { LetterheadRepository } from './letterhead.repository.js';
import { LetterheadsService } from './letterheads.service.js';
import { DocumentSeal } from './seal/document-seal.entity.js';
import { SealRepository } from './seal/seal.repository.js';
import { SealsService } from './seal/seals.service.js';

export const documentsEntities = [DocketDocument, Letterhead, DocumentSeal];

/** Formal documents: PDFs of letters and decisions on the authority's letterhead, stored once, verifiable. */
@Module({
  imports: [AuditModule, CasesModule, IdentityModule, ScanningModule],
  controllers: [DocumentsController],
  providers: [
    DocumentsService,
    DocumentsCaseFile,
    LetterheadsService,
    SealsService,
    LetterheadRepository,
    SealRepository,
    DocumentRepository,
  ],
  exports: [DocumentsService, LetterheadsService, SealsService],
})
export class DocumentsModule {}
