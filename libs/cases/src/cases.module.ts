import { Module } from '@nestjs/common';
import { IdentityModule } from '#docket/identity';
import { AuditModule } from '#docket/audit';
import { RegistryModule } from '#docket/registry';
import { CaseFile } from './case-file.js';
import { CaseNote } from './case-note.entity.js';
import { CaseReferenceCounter } from './case-reference-counter.entity.js';
import { Case } from './case.entity.js';
import { CaseNoteRepository, CaseRepository } from './case.repository.js';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';

export const casesEntities = [Case, CaseNote, CaseReferenceCounter];

/** Cases, their notes and timeline; import it to use CasesService (contexts add to the case file with CASE_FILE). */
@Module({
  imports: [AuditModule, IdentityModule, RegistryModule],
  controllers: [CasesController],
  providers: [CaseRepository, CaseNoteRepository, CaseFile, CasesService],
  exports: [CasesService, CaseFile],
})
export class CasesModule {}
