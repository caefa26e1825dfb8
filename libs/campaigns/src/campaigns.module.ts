import { Module, type OnModuleInit } from '@nestjs/common';
import { CasesModule } from '#docket/cases';
import { MailingService } from '#docket/mailing';
import { Campaign, CampaignTarget } from './campaign.entity.js';
import { CampaignsController } from './campaigns.controller.js';
import { CampaignsService } from './campaigns.service.js';
import { CampaignFanoutProcessor } from './fanout.processor.js';

export const campaignsEntities = [Campaign, CampaignTarget];

/** One inquiry to many organisations: a case and a letter each, fanned out by queued jobs. */
@Module({
  imports: [CasesModule],
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignFanoutProcessor],
  exports: [CampaignsService],
})
export class CampaignsModule implements OnModuleInit {
  constructor(
    private readonly mailing: MailingService,
    private readonly campaigns: CampaignsService,
  ) {}

  onModuleInit(): void {
    this.mailing.onOutcome('inquiry', { sent: (manager, message) => this.campaigns.recordSent(manager, message), failed: (manager, message) => this.campaigns.recordFailed(manager, message) });
  }
}
