import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import {
  DocketProcessor,
  JobName,
  QueueName,
  RequestContext,
  RUNTIME,
  type JobPayloads,
  type Runtime,
} from '#docket/platform';
import { campaignActor, CampaignsService, FANOUT_ATTEMPTS } from './campaigns.service.js';

/**
 * The campaigns queue's own reconciliation schedule of earlier versions; lost fan-out jobs are now put back by the
 * maintenance reconciliation.
 */
const LEGACY_RECONCILE_SCHEDULER = 'reconcile-campaigns';

/** Opens the case and queues the inquiry of one organisation of a campaign. */
@DocketProcessor(QueueName.Campaigns, [JobName.CampaignFanout, JobName.ReconcileCampaigns], 32)
export class CampaignFanoutProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(CampaignFanoutProcessor.name);

  constructor(
    private readonly campaigns: CampaignsService,
    @InjectQueue(QueueName.Campaigns) private readonly queue: Queue,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runtime.config.DOCKET_ROLES.includes('worker')) return;
    await this.queue
      .removeJobScheduler(LEGACY_RECONCILE_SCHEDULER)
      .catch((error: unknown) =>
        this.logger.warn(`could not remove the old campaign reconciliation schedule: ${String(error)}`),
      );
  }

  async process(job: Job): Promise<void> {
    if (job.name === JobName.ReconcileCampaigns) {
      // Left in the queue by an earlier version's schedule.
      await this.campaigns.requeueLost();
      return;
    }
    if (job.name !== JobName.CampaignFanout) throw new Error(`campaigns queue has no handler for job ${job.name}`);
    const { campaignId, organisationId, attempt } = job.data as JobPayloads[JobName.CampaignFanout];
    // The campaign with its target: one round trip for the jobs starting together.
    const target = await this.campaigns.targetToRun(campaignId, organisationId);
    if (!target?.campaign || target.status !== 'pending' || target.attempt !== attempt) return;
    const { campaign } = target;
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? FANOUT_ATTEMPTS);
    // Acts as the campaign's author. The authority, organisation, address book and template are read once for the
    // whole letter, and what all its letters read (authority, template, questions, assignee) once for the jobs of the
    // campaign that run close together.
    await RequestContext.run(() => this.campaigns.fanOut(campaign, target, final), campaignActor(campaign), {
      scope: this.campaigns.readScopeOf(campaign.id),
    });
  }
}
