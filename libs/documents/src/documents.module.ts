import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { CaseFileRegistry, CasesModule } from '#docket/cases';
import { ScanningModule } from '#docket/scanning';
import { DocketDocument } from './document.entity.js';
import { DocumentRepository } from './document.repository.js';
import { DocumentsController } from './documents.controller.js';
import { DocumentsService } from './documents.service.js';
import { Letterhead } from './letterhead.entity.js';
import { LetterheadRepository } from './letterhead.repository.js';
import { LetterheadsService } from './letterheads.service.js';
import { DocumentSeal } from './seal/document-seal.entity.js';
import { SealRepository } from './seal/seal.repository.js';
import { SealsService } from './seal/seals.service.js';

export const documentsEntities = [DocketDocument, Letterhead, DocumentSeal];

/** Formal documents: PDFs of letters and decisions on the authority's letterhead, stored once, verifiable. */
@Global()
@Module({
  imports: [CasesModule, ScanningModule],
  controllers: [DocumentsController],
  providers: [
    DocumentsService,
    LetterheadsService,
    SealsService,
    LetterheadRepository,
    SealRepository,
    DocumentRepository,
  ],
  exports: [DocumentsService, LetterheadsService, SealsService],
})
export class DocumentsModule implements OnModuleInit {
  constructor(private readonly files: CaseFileRegistry) {}

  onModuleInit(): void {
    const after = (event: { after: unknown }) => (event.after ?? {}) as Record<string, unknown>;
    this.files.describeMessage('document.issued', (event) => ({
      key: 'timeline.document.issued',
      params: { title: String(after(event).title ?? ''), sealed: after(event).signed === true ? 'yes' : 'no' },
    }));
    this.files.describeMessage('document.added', (event) => ({
      key: 'timeline.document.added',
      params: { title: String(after(event).title ?? ''), filename: String(after(event).filename ?? '') },
    }));
  }
}
