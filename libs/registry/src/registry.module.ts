import { Module } from '@nestjs/common';
import { Organisation } from './organisation.entity.js';
import { OrganisationRepository } from './organisation.repository.js';
import { OrganisationsController } from './organisations.controller.js';
import { OrganisationsService } from './organisations.service.js';

export const registryEntities = [Organisation];

/** The organisation registry: respondents shared by every authority. */
@Module({
  controllers: [OrganisationsController],
  providers: [OrganisationRepository, OrganisationsService],
  exports: [OrganisationsService],
})
export class RegistryModule {}
