import { Inject, Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { MailingService } from '#docket/mailing';
import { Clock, DocketProcessor, JobName, QueueName, RequestContext, UnitOfWork, type JobPayloads } from '#docket/platform';
import { Deadline } from './deadline.entity.js';
import { DeadlinesService } from './deadlines.service.js';
import { REMINDER_MESSAGES, type ReminderMessages } from './reminder-messages.js';
import { ReminderScheduler } from './reminder-scheduler.js';
import { Reminder } from './reminder.entity.js';

/** Early by more than this and the job is put back (a clock skew between processes, a manual retry). */
const EARLY_TOLERANCE_MS = 1000;

@DocketProcessor(QueueName.Reminders, 20)
export class RemindersProcessor extends WorkerHost {
  private readonly logger = new Logger(RemindersProcessor.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly mailing: MailingService,
    private readonly deadlines: DeadlinesService,
    private readonly scheduler: ReminderScheduler,
    @Inject(REMINDER_MESSAGES) private readonly messages: ReminderMessages,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    switch (job.name) {
      case JobName.FireReminder:
        return this.fire(job.data as JobPayloads[JobName.FireReminder]);
      case JobName.DeadlineDue: {
        const { deadlineId, dueAt } = job.data as JobPayloads[JobName.DeadlineDue];
        await this.deadlines.markMissed(deadlineId, dueAt);
        return;
      }
      default:
        throw new Error(`reminders queue has no handler for job ${job.name}`);
    }
  }

  /** Sends one reminder at most once: the row is locked, checked against the job, and marked sent with its message. */
  private async fire({ reminderId, fireAt }: JobPayloads[JobName.FireReminder]): Promise<void> {
    await this.unitOfWork.run(async (manager, afterCommit) => {
      const reminder = await manager.findOne(Reminder, { where: { id: reminderId }, lock: { mode: 'pessimistic_write' } });
      if (!reminder || reminder.status !== 'scheduled' || reminder.fireAt.toISOString() !== new Date(fireAt).toISOString()) return;
      if (reminder.fireAt.getTime() - this.clock.now().getTime() > EARLY_TOLERANCE_MS) {
        afterCommit(() => this.scheduler.enqueue([reminder], [], `early${this.clock.now().getTime()}`));
        return;
      }
      await RequestContext.asAuthority(reminder.authorityId, async () => {
        const deadline = await manager.findOneOrFail(Deadline, { where: { id: reminder.deadlineId } });
        const message = await this.messages.build(manager, reminder, deadline);
        if (!message) {
          await manager.update(Reminder, { id: reminder.id }, { status: 'cancelled', note: 'nobody to send it to' });
          return;
        }
        const queued = await this.mailing.queueMessage(manager, { ...message, authorityId: reminder.authorityId, dedupeKey: `reminder.${reminder.id}` }, afterCommit);
        await manager.update(Reminder, { id: reminder.id }, { status: 'sent', sentAt: this.clock.now(), outboundMessageId: queued.id });
      }, 'reminders');
    });
  }
}
