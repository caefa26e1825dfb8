import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { In } from 'typeorm';
import type { AuthorityCalendar } from '#docket/calendar';
import { Clock, JobName, RequestContext, jobId, jobNeedsAdding, QueueName, type AfterCommit } from '#docket/platform';
import type { Deadline } from './deadline.entity.js';
import { HELD_NOTE, planReminderChanges, remindersPlanned, SUPERSEDED_NOTE } from './reminder-plan.js';
import type { Reminder } from './reminder.entity.js';
import { ReminderRepository } from './reminder.repository.js';

export const reminderJobId = (reminder: Pick<Reminder, 'id' | 'fireAt'>, retry?: string) =>
  retry
    ? jobId('reminder', reminder.id, reminder.fireAt.getTime(), retry)
    : jobId('reminder', reminder.id, reminder.fireAt.getTime());
export const deadlineDueJobId = (deadline: Pick<Deadline, 'id' | 'dueAt'>) =>
  jobId('due', deadline.id, deadline.dueAt.getTime());

/** Keeps a deadline's reminder rows and their delayed jobs in step with its due instant and status. */
@Injectable()
export class ReminderScheduler {
  /** The jobs waiting for a transaction's commit, by its `afterCommit` (enqueueAfterCommit). */
  private readonly toEnqueue = new WeakMap<AfterCommit, { reminders: Reminder[]; dueDeadlines: Deadline[] }>();

  constructor(
    private readonly clock: Clock,
    private readonly reminders: ReminderRepository,
    @InjectQueue(QueueName.Reminders) private readonly queue: Queue,
  ) {}

  /**
   * Call in the transaction that changed the deadline; what changes is planned by `planReminderChanges`
   * (reminder-plan.ts). Scheduled (or held) reminders of another due instant
   * (or of a deadline that no longer runs) are cancelled; a pending deadline gets reminders for its
   * current due instant, except those whose time has already passed.
   *
   * While a reply awaits staff's assessment (`replyPendingSince`), the chasers to the respondent are held: their
   * job is removed and they are not sent. When it no longer awaits (dismissed, filed otherwise) they are scheduled
   * again; of those whose fire time passed while held only the latest is sent, at once, the earlier ones are
   * cancelled (one chaser, not a burst). Staff reminders are never held.
   */
  replan(
    deadline: Deadline,
    afterCommit: AfterCommit,
    zoneOrCalendar: string | AuthorityCalendar,
    { created = false }: { created?: boolean } = {},
  ): Promise<void> {
    // Workers replan a deadline they read by its id: the reminders are those of the deadline's authority.
    return RequestContext.actingFor(deadline.authorityId, () =>
      this.replanFor(deadline, afterCommit, zoneOrCalendar, created),
    );
  }

  /** `isNew`: the deadline was made in this transaction, so it has no reminder rows to read yet. */
  private async replanFor(
    deadline: Deadline,
    afterCommit: AfterCommit,
    zoneOrCalendar: string | AuthorityCalendar,
    isNew: boolean,
  ): Promise<void> {
    const calendar = typeof zoneOrCalendar === 'string' ? undefined : zoneOrCalendar;
    const timeZone = typeof zoneOrCalendar === 'string' ? zoneOrCalendar : zoneOrCalendar.timeZone;
    const live = isNew ? [] : await this.reminders.live(deadline.id);
    const ofDueInstant =
      !isNew && remindersPlanned(deadline.status)
        ? // Cancelled rows do not count: a deadline suspended and resumed the same day (the same due instant) plans
          // its reminders again.
          await this.reminders.ofDueInstant(deadline.id, deadline.dueAt)
        : [];
    const plan = planReminderChanges({ deadline, live, ofDueInstant, timeZone, calendar, now: this.clock.now() });
    if (plan.cancel.length) {
      await this.reminders.change(
        { id: In(plan.cancel.map((reminder) => reminder.id)), status: In(['scheduled', 'held']) },
        { status: 'cancelled', note: plan.cancelNote },
      );
      afterCommit(() =>
        Promise.all(
          plan.cancel
            .filter((reminder) => reminder.status === 'scheduled')
            .map((reminder) => this.queue.remove(reminderJobId(reminder))),
        ),
      );
    }
    if (plan.hold.length) {
      // Only rows still scheduled: one being sent right now (locked by the processor) is sent, not held.
      await this.reminders.change(
        { id: In(plan.hold.map((reminder) => reminder.id)), status: 'scheduled' },
        { status: 'held', note: HELD_NOTE },
      );
      afterCommit(() => Promise.all(plan.hold.map((reminder) => this.queue.remove(reminderJobId(reminder)))));
    }
    if (plan.supersede.length)
      await this.reminders.change(
        { id: In(plan.supersede.map((reminder) => reminder.id)), status: 'held' },
        { status: 'cancelled', note: SUPERSEDED_NOTE },
      );
    if (plan.resume.length) {
      await this.reminders.change(
        { id: In(plan.resume.map((reminder) => reminder.id)), status: 'held' },
        { status: 'scheduled', note: null },
      );
      for (const reminder of plan.resume) reminder.status = 'scheduled';
    }
    const created = await this.reminders.add(
      plan.create.map((item) => ({
        deadlineId: deadline.id,
        offset: item.offset,
        audience: item.audience,
        dueAt: deadline.dueAt,
        fireAt: item.fireAt,
        status: item.status,
        note: item.note,
      })),
    );
    this.enqueueAfterCommit(
      afterCommit,
      created.filter((reminder) => reminder.status === 'scheduled'),
      plan.dueJob ? [deadline] : [],
    );
    // A released chaser's old job may have run (and found it held): ensureJobs adds it again rather than trusting the
    // id.
    if (plan.resume.length) afterCommit(() => this.ensureJobs(plan.resume, []).then(() => undefined));
  }

  /**
   * `replan` of deadlines made in this transaction (no reminder rows to read or change yet), all of the caller's
   * authority: their reminders inserted with one statement, their jobs added with one addBulk after commit.
   */
  async planNew(deadlines: Deadline[], afterCommit: AfterCommit, calendar: AuthorityCalendar): Promise<void> {
    const now = this.clock.now();
    const rows: Omit<Partial<Reminder>, 'authorityId'>[] = [];
    const dueDeadlines: Deadline[] = [];
    for (const deadline of deadlines) {
      const plan = planReminderChanges({
        deadline,
        live: [],
        ofDueInstant: [],
        timeZone: calendar.timeZone,
        calendar,
        now,
      });
      for (const item of plan.create)
        rows.push({
          deadlineId: deadline.id,
          offset: item.offset,
          audience: item.audience,
          dueAt: deadline.dueAt,
          fireAt: item.fireAt,
          status: item.status,
          note: item.note,
        });
      if (plan.dueJob) dueDeadlines.push(deadline);
    }
    const created = await this.reminders.add(rows);
    this.enqueueAfterCommit(
      afterCommit,
      created.filter((reminder) => reminder.status === 'scheduled'),
      dueDeadlines,
    );
  }

  /**
   * The jobs of new reminders and due deadlines, added once the transaction has committed: one addBulk for all the
   * deadlines planned in it (a campaign's batch of letters), in the place of the first of them among its after-commit
   * tasks. Keyed by the transaction's (or savepoint's) `afterCommit`, so that a savepoint rolled back drops its jobs
   * with it.
   */
  private enqueueAfterCommit(afterCommit: AfterCommit, reminders: Reminder[], dueDeadlines: Deadline[]): void {
    if (!reminders.length && !dueDeadlines.length) return;
    const waiting = this.toEnqueue.get(afterCommit);
    if (waiting) {
      waiting.reminders.push(...reminders);
      waiting.dueDeadlines.push(...dueDeadlines);
      return;
    }
    const jobs = { reminders: [...reminders], dueDeadlines: [...dueDeadlines] };
    this.toEnqueue.set(afterCommit, jobs);
    afterCommit(() => {
      this.toEnqueue.delete(afterCommit);
      return this.enqueue(jobs.reminders, jobs.dueDeadlines);
    });
  }

  /** `retry` makes new job ids, for a reminder whose previous job has already run. */
  async enqueue(reminders: Reminder[], dueDeadlines: Deadline[] = [], retry?: string): Promise<void> {
    const now = this.clock.now().getTime();
    const jobs = [
      ...reminders.map((reminder) => ({
        name: JobName.FireReminder,
        data: { reminderId: reminder.id, fireAt: reminder.fireAt.toISOString() },
        opts: {
          jobId: reminderJobId(reminder, retry),
          delay: Math.max(0, reminder.fireAt.getTime() - now),
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
        },
      })),
      ...dueDeadlines.map((deadline) => ({
        name: JobName.DeadlineDue,
        data: { deadlineId: deadline.id, dueAt: deadline.dueAt.toISOString() },
        opts: {
          jobId: retry ? jobId(deadlineDueJobId(deadline), retry) : deadlineDueJobId(deadline),
          delay: Math.max(0, deadline.dueAt.getTime() - now + 1),
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
        },
      })),
    ];
    for (let start = 0; start < jobs.length; start += 1000) await this.queue.addBulk(jobs.slice(start, start + 1000));
  }

  /**
   * Makes sure each reminder and deadline has a live job: a missing one is added, one that already
   * ran (completed or failed) is removed and added again. Returns how many were put back.
   */
  async ensureJobs(reminders: Reminder[], dueDeadlines: Deadline[]): Promise<number> {
    const lostReminders = await this.lost(reminders, (reminder) => reminderJobId(reminder));
    const lostDeadlines = await this.lost(dueDeadlines, deadlineDueJobId);
    await this.enqueue(lostReminders, lostDeadlines);
    return lostReminders.length + lostDeadlines.length;
  }

  /**
   * The items whose job must be added (again), checked a few hundred at a time rather than one round trip after
   * another.
   */
  private async lost<T>(items: T[], idOf: (item: T) => string): Promise<T[]> {
    const lost: T[] = [];
    for (let start = 0; start < items.length; start += 200) {
      const chunk = items.slice(start, start + 200);
      const revived = await Promise.all(chunk.map((item) => jobNeedsAdding(this.queue, idOf(item))));
      chunk.forEach((item, index) => revived[index] && lost.push(item));
    }
    return lost;
  }
}
