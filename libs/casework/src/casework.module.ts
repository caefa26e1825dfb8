import { Module } from '@nestjs/common';
import { IdentityModule } from '#docket/identity';
import { AuditModule } from '#docket/audit';
import { CasesModule } from '#docket/cases';
import { DeadlinesModule } from '#docket/deadlines';
import { RegistryModule } from '#docket/registry';
import { BulkService } from './bulk.service.js';
import { CaseworkCaseFile } from './casework.case-file.js';
import { CaseImport } from './case-import.entity.js';
import { CaseImportRepository, SavedViewRepository } from './casework.repositories.js';
import { BulkController, ImportsController, SavedViewsController } from './casework.controllers.js';
import { ImportService } from './import.service.js';
import { SavedView } from './saved-view.entity.js';
import { SavedViewsService } from './saved-views.service.js';

export const caseworkEntities = [SavedView, CaseImport];

/** Work on many cases at once: saved views of the lists, bulk actions, the CSV import of existing cases. */
@Module({
  imports: [AuditModule, IdentityModule, CasesModule, DeadlinesModule, RegistryModule],
  controllers: [SavedViewsController, BulkController, ImportsController],
  providers: [
    SavedViewRepository,
    CaseImportRepository,
    SavedViewsService,
    BulkService,
    ImportService,
    CaseworkCaseFile,
  ],
  exports: [SavedViewsService, BulkService, ImportService],
})
export class CaseworkModule {}
