import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { In } from 'typeorm';
import { MailDelivery, MailingService, type NewMessage } from '#docket/mailing';
import {
  Clock,
  DocketProcessor,
  Extensions,
  groupBy,
  JobName,
  MicroBatcher,
  QueueName,
  RequestContext,
  UnitOfWork,
  type JobPayloads,
} from '#docket/platform';
import type { Deadline } from './deadline.entity.js';
import { DeadlinesService } from './deadlines.service.js';
import { REMINDER_MESSAGES, type ReminderMessages } from './reminder-messages.js';
import { ReminderScheduler } from './reminder-scheduler.js';
import { Reminder } from './reminder.entity.js';

/** Early by more than this and the job is put back (a clock skew between processes, a manual retry). */
const EARLY_TOLERANCE_MS = 1000;

/**
 * Reminder jobs that run at the same time are fired together (up to this many, gathered for up to
 * BATCH_WINDOW_MS): one transaction locks and re-reads all their rows and what their letters need. At most
 * BATCHES_IN_FLIGHT batches run at once; jobs that arrive meanwhile go in the next, so that under load the jobs
 * (which the queue hands over one at a time as others finish) still share their transactions.
 */
const BATCH_SIZE = 50;
const BATCH_WINDOW_MS = 5;
const BATCHES_IN_FLIGHT = 2;

type FireReminder = JobPayloads[JobName.FireReminder];

/** Concurrency: REMINDER_CONCURRENCY. */
@DocketProcessor(QueueName.Reminders, [JobName.FireReminder, JobName.DeadlineDue], 50)
export class RemindersProcessor extends WorkerHost {
  private readonly batcher = new MicroBatcher<FireReminder>((jobs) => this.fire(jobs), {
    maxSize: BATCH_SIZE,
    windowMs: BATCH_WINDOW_MS,
    maxInFlight: BATCHES_IN_FLIGHT,
  });

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly mailing: MailingService,
    private readonly delivery: MailDelivery,
    private readonly deadlines: DeadlinesService,
    private readonly scheduler: ReminderScheduler,
    private readonly extensions: Extensions,
  ) {
    super();
  }

  /** The reminders' letters and notices, as the correspondence context writes them. */
  private get messages(): ReminderMessages {
    return this.extensions.one(REMINDER_MESSAGES);
  }

  async process(job: Job): Promise<void> {
    switch (job.name) {
      case JobName.FireReminder:
        return this.batcher.add(job.data as FireReminder);
      case JobName.DeadlineDue: {
        const { deadlineId, dueAt } = job.data as JobPayloads[JobName.DeadlineDue];
        await this.deadlines.markMissed(deadlineId, dueAt);
        return;
      }
      default:
        throw new Error(`reminders queue has no handler for job ${job.name}`);
    }
  }

  /**
   * Sends each reminder at most once: its row is locked, checked against its job (still scheduled, for
   * the fire time the job carries) and marked sent, in the transaction that stores its message under the
   * reminder's dedupe key.
   */
  private fire(jobs: FireReminder[]): Promise<void> {
    // What the batch's letters share (an authority, its letterhead and seal, its managers) is read once per batch;
    // atomic: the letters' units of work join the batch's transaction without a savepoint each (a failed batch is
    // fired again job by job, see MicroBatcher).
    return RequestContext.run(() => this.fireTogether(jobs), RequestContext.actor(), { readOnce: true });
  }

  private async fireTogether(jobs: FireReminder[]): Promise<void> {
    await this.unitOfWork.atomic(async (manager, afterCommit) => {
      const ids = [...new Set(jobs.map((job) => job.reminderId))];
      // Not the deadline: a change of it cancels only reminders still scheduled (a guarded UPDATE that waits for this
      // transaction's row locks and then sees them sent), and notes in its history a reminder sent just before it.
      // Taking the deadline here made a reminder due at the due instant wait for the deadline being marked missed.
      const rows = (await manager
        .createQueryBuilder(Reminder, 'reminder')
        .innerJoinAndSelect('reminder.deadline', 'deadline')
        .where('reminder.id IN (:...ids)', { ids })
        .orderBy('reminder.id')
        .setLock('pessimistic_write', undefined, ['reminder'])
        .getMany()) as (Reminder & { deadline: Deadline })[];
      const byId = new Map(rows.map((reminder) => [reminder.id, reminder]));
      const now = this.clock.now().getTime();
      const due = new Map<string, Reminder & { deadline: Deadline }>();
      const early = new Map<string, Reminder>();
      for (const { reminderId, fireAt } of jobs) {
        const reminder = byId.get(reminderId);
        if (reminder?.status === 'sent' && reminder.outboundMessageId) {
          // This job ran before and committed, but its worker may have died before queueing the mail
          // (a redelivered stalled job): hand the message over again instead of waiting for reconciliation.
          const messageId = reminder.outboundMessageId;
          afterCommit(() => this.mailing.requeueIfQueued(messageId));
          continue;
        }
        if (
          !reminder ||
          reminder.status !== 'scheduled' ||
          reminder.fireAt.toISOString() !== new Date(fireAt).toISOString()
        )
          continue;
        if (reminder.fireAt.getTime() - now > EARLY_TOLERANCE_MS) early.set(reminder.id, reminder);
        else due.set(reminder.id, reminder);
      }
      if (early.size) afterCommit(() => this.scheduler.enqueue([...early.values()], [], `early${now}`));

      const nobody: string[] = [];
      // The batch's messages are stored together, whatever their authorities.
      const own: NewMessage[] = [];
      const outgoing: NewMessage[] = [];
      for (const [authorityId, reminders] of groupBy([...due.values()], (reminder) => reminder.authorityId)) {
        const letters = await RequestContext.asAuthority(
          authorityId,
          () => this.messages.buildMany(reminders),
          'reminders',
        );
        const messages = reminders.flatMap((reminder) => {
          const letter = letters.get(reminder.id);
          if (!letter) nobody.push(reminder.id);
          if (!letter) return [];
          const { translations: _copies, ...message } = letter;
          return [{ ...message, authorityId, dedupeKey: `reminder.${reminder.id}` }];
        });
        // Copies in other languages (staff who read another language than the first recipient's) are sent beside the
        // reminder's own message, which is the one the reminder records.
        const translations = reminders.flatMap((reminder) =>
          (letters.get(reminder.id)?.translations ?? []).map(({ locale, ...message }) => ({
            ...message,
            authorityId,
            dedupeKey: `reminder.${reminder.id}.${locale}`,
          })),
        );
        own.push(...messages);
        outgoing.push(...messages, ...translations);
      }
      const queued = await this.delivery.storeAndSendAfterCommit(outgoing);
      const sent = own.map((message) => ({
        id: message.dedupeKey.slice('reminder.'.length),
        messageId: queued.get(message.dedupeKey) as string,
      }));
      if (nobody.length)
        await manager.update(Reminder, { id: In(nobody) }, { status: 'cancelled', note: 'nobody to send it to' });
      if (sent.length) {
        await manager.query(
          `UPDATE reminders AS r SET status = 'sent', sent_at = $1, outbound_message_id = v.message_id
             FROM unnest($2::uuid[], $3::uuid[]) AS v(id, message_id) WHERE r.id = v.id`,
          [this.clock.now(), sent.map((row) => row.id), sent.map((row) => row.messageId)],
        );
      }
    });
  }
}
