import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { DocketProcessor, JobName, QueueName, RequestContext, type JobPayloads } from '#docket/platform';
import { Campaign, CampaignTarget } from './campaign.entity.js';
import { CampaignsService, FANOUT_ATTEMPTS } from './campaigns.service.js';

/** Opens the case and queues the inquiry of one organisation of a campaign. */
@DocketProcessor(QueueName.Campaigns, 8)
export class CampaignFanoutProcessor extends WorkerHost {
  constructor(
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsService,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.CampaignFanout) throw new Error(`campaigns queue has no handler for job ${job.name}`);
    const { campaignId, organisationId, attempt } = job.data as JobPayloads[JobName.CampaignFanout];
    const target = await this.dataSource.getRepository(CampaignTarget).findOne({ where: { campaignId, organisationId } });
    if (!target || target.status !== 'pending' || target.attempt !== attempt) return;
    const campaign = await this.dataSource.getRepository(Campaign).findOneOrFail({ where: { id: campaignId } });
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? FANOUT_ATTEMPTS);
    // Acts as the campaign's author: the case and the letter are theirs, and the letter is signed by them when the case has no assignee.
    await RequestContext.run(() => this.campaigns.fanOut(campaign, target, final), { userId: campaign.createdById, authorityId: campaign.authorityId, role: 'system', label: campaign.createdBy });
  }
}
