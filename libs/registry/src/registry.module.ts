import { Module } from '@nestjs/common';
import { AuditModule } from '#docket/audit';
import { Organisation, OrganisationAddressBook, OrganisationVersion } from './organisation.entity.js';
import { AddressBookRepository } from './address-book.repository.js';
import { OrganisationRepository } from './organisation.repository.js';
import { OrganisationsController } from './organisations.controller.js';
import { OrganisationsService } from './organisations.service.js';

export const registryEntities = [Organisation, OrganisationAddressBook, OrganisationVersion];

/** The organisation registry: respondents' identity shared by every authority, each authority's own address book. */
@Module({
  imports: [AuditModule],
  controllers: [OrganisationsController],
  providers: [OrganisationRepository, AddressBookRepository, OrganisationsService],
  exports: [OrganisationsService],
})
export class RegistryModule {}
