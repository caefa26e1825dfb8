import { Module } from '@nestjs/common';
import { CorrespondenceModule } from '#docket/correspondence';
import { DeadlinesModule } from '#docket/deadlines';
import { DecisionsModule } from '#docket/decisions';
import { IdentityModule } from '#docket/identity';
import { AuditModule } from '#docket/audit';
import { CasesModule } from '#docket/cases';
import { RegistryModule } from '#docket/registry';
import { Campaign, CampaignTarget } from './campaign.entity.js';
import { CampaignsController } from './campaigns.controller.js';
import { CampaignRepository, CampaignTargetRepository } from './campaign.repository.js';
import { CampaignsService } from './campaigns.service.js';
import { CampaignsSubscribers } from './campaigns.subscribers.js';
import { CampaignFanoutProcessor } from './fanout.processor.js';

export const campaignsEntities = [Campaign, CampaignTarget];

/** One inquiry to many organisations: a case and a letter each, fanned out by queued jobs. */
@Module({
  imports: [
    AuditModule,
    IdentityModule,
    DeadlinesModule,
    DecisionsModule,
    CorrespondenceModule,
    CasesModule,
    RegistryModule,
  ],
  controllers: [CampaignsController],
  providers: [
    CampaignsService,
    CampaignsSubscribers,
    CampaignRepository,
    CampaignTargetRepository,
    CampaignFanoutProcessor,
  ],
  exports: [CampaignsService],
})
export class CampaignsModule {}
