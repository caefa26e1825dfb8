import { Injectable } from '@nestjs/common';
import {
  Contributes,
  FailedJobRetried,
  OnEvent,
  QueueName,
  READINESS,
  type JobName,
  type JobPayloads,
  type ReadinessCheck,
} from '#docket/platform';
import { MailingService } from './mailing.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The mail in `/health/ready`: `degraded` while mail waits for the mail server, with the figures of the outbox. */
@Injectable()
@Contributes(READINESS)
export class MailReadiness implements ReadinessCheck {
  readonly name = 'mail';

  constructor(private readonly mailing: MailingService) {}

  async check(): Promise<Record<string, unknown>> {
    const status = await this.mailing.status();
    return { state: status.waiting > 0 ? 'degraded' : 'ok', ...status };
  }
}

/** A failed send job retried by an operator sends its message: the message is queued again first. */
@Injectable()
export class MailJobRetries {
  constructor(private readonly mailing: MailingService) {}

  @OnEvent(FailedJobRetried, { when: (event) => event.queue === QueueName.Mail })
  async retried({ job }: FailedJobRetried) {
    const { outboundMessageId } = job.data as JobPayloads[JobName.SendMail];
    if (typeof outboundMessageId === 'string' && UUID.test(outboundMessageId))
      await this.mailing.retry({ ids: [outboundMessageId] }, { schedule: false });
  }
}
