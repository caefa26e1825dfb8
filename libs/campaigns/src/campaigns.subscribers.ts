import { Injectable } from '@nestjs/common';
import { ReconciliationPass } from '#docket/deadlines';
import { MessageFailed, MessageRetried, MessageSent, ofKind } from '#docket/mailing';
import { OnEvent, OnEvents } from '#docket/platform';
import { CampaignsService } from './campaigns.service.js';

/**
 * What campaigns do when other contexts tell what happened. A campaign's letters are inquiries: each outcome of one
 * moves its target, after the inquiry itself recorded it (correspondence's subscribers run at order 0).
 */
@Injectable()
export class CampaignsSubscribers {
  constructor(private readonly campaigns: CampaignsService) {}

  @OnEvents(MessageSent, { when: ofKind('inquiry'), order: 1 })
  lettersSent(sent: MessageSent[]) {
    return this.campaigns.recordSent(sent.map(({ message }) => message));
  }

  @OnEvent(MessageFailed, { when: ofKind('inquiry'), order: 1 })
  letterFailed({ message }: MessageFailed) {
    return this.campaigns.recordFailed(message);
  }

  @OnEvent(MessageRetried, { when: ofKind('inquiry'), order: 1 })
  letterRetried({ message }: MessageRetried) {
    return this.campaigns.recordRetried(message);
  }

  /** Fan-out jobs the queue lost are put back by every maintenance reconciliation (every 30 s, whole at start). */
  @OnEvent(ReconciliationPass)
  reconcile(pass: ReconciliationPass) {
    return pass.step('campaignFanouts', () => this.campaigns.requeueLost());
  }
}
