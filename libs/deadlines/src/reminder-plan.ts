import { fireAt, type AuthorityCalendar } from '#docket/calendar';
import type { DeadlineStatus } from './deadline-lifecycle.js';
import type { ReminderAudience, ReminderPlanItem } from './reminder-offsets.js';

/**
 * The reminder plan as pure functions: which reminders a deadline should have for its due instant and offsets, and
 * what must change in the reminders it has so that they match (ReminderScheduler applies the result to the rows and
 * the queue).
 */

/** Reminders still go out for a pending deadline and keep escalating for a missed one; others' are cancelled. */
export const remindersLive = (status: DeadlineStatus): boolean => status === 'pending' || status === 'missed';

/** New reminders are planned for a pending deadline only (a missed one keeps those it has). */
export const remindersPlanned = (status: DeadlineStatus): boolean => status === 'pending';

export interface PlannedReminder {
  offset: string;
  audience: ReminderAudience;
  fireAt: Date;
}

/**
 * The reminders of a due instant: one per plan item, at its offset from the due instant in the authority's zone
 * (a day offset keeps the local time across a daylight-saving change), except those whose time is already past.
 */
export function plannedReminders(
  dueAt: Date,
  plan: ReminderPlanItem[],
  timeZone: string,
  now: Date,
  calendar?: AuthorityCalendar,
): PlannedReminder[] {
  return plan.flatMap((item) => {
    const at = fireAt(dueAt, item.offset, timeZone, calendar);
    return at.getTime() < now.getTime() ? [] : [{ offset: item.offset, audience: item.audience, fireAt: at }];
  });
}

/** What the plan needs to know of a reminder row. */
export interface ReminderLike {
  status: 'scheduled' | 'held' | string;
  audience: ReminderAudience;
  offset: string;
  dueAt: Date;
  fireAt: Date;
}

export interface ReminderPlanInput<T extends ReminderLike> {
  deadline: {
    status: DeadlineStatus;
    dueAt: Date;
    reminderPlan: ReminderPlanItem[];
    /** Since when a reply awaits staff's assessment (chasers to the respondent are held meanwhile). */
    replyPendingSince: Date | null;
  };
  /** The deadline's reminders that are scheduled or held. */
  live: T[];
  /**
   * The deadline's reminders for its current due instant that are not cancelled (none is planned twice; a deadline
   * suspended and resumed the same day plans those it had again).
   */
  ofDueInstant: Pick<ReminderLike, 'offset' | 'audience'>[];
  timeZone: string;
  /** The authority's calendar, for offsets in office hours (absent: plain offsets only). */
  calendar?: AuthorityCalendar;
  now: Date;
}

export interface ReminderPlanChanges<T> {
  /** Live reminders of another due instant, or of a deadline whose reminders no longer go out. */
  cancel: T[];
  cancelNote: string;
  /** Scheduled chasers to the respondent, held while a reply awaits assessment. */
  hold: T[];
  /** Held chasers whose time passed while held, but for the latest: cancelled (one chaser, not a burst). */
  supersede: T[];
  /** Held reminders scheduled again (no reply awaits any more); the latest of those past due goes at once. */
  resume: T[];
  /** Reminders to add, each scheduled, or held if it is a chaser while a reply awaits. */
  create: (PlannedReminder & { status: 'scheduled' | 'held'; note: string | null })[];
  /** Whether the deadline's due job must be queued (it runs: the sweep marks it missed at its due instant). */
  dueJob: boolean;
}

export const HELD_NOTE = 'reply received, to be assessed';
export const SUPERSEDED_NOTE = 'its time passed while held; a later chaser went instead';

/**
 * The changes that bring a deadline's reminders in step with its due instant, status and reply state. Staff
 * reminders are never held.
 */
export function planReminderChanges<T extends ReminderLike>(input: ReminderPlanInput<T>): ReminderPlanChanges<T> {
  const { deadline, live, now } = input;
  const live_ = remindersLive(deadline.status);
  const planned = remindersPlanned(deadline.status);
  const holding = Boolean(deadline.replyPendingSince) && live_;
  const cancel = live.filter((reminder) => !live_ || reminder.dueAt.getTime() !== deadline.dueAt.getTime());
  const current = live.filter((reminder) => !cancel.includes(reminder));
  const hold = current.filter(
    (reminder) => holding && reminder.status === 'scheduled' && reminder.audience === 'respondent',
  );
  const released = current.filter((reminder) => !holding && reminder.status === 'held');
  const passed = released
    .filter((reminder) => reminder.fireAt.getTime() <= now.getTime())
    .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
  const supersede = passed.slice(0, -1);
  const resume = released.filter((reminder) => !supersede.includes(reminder));
  const create = planned
    ? plannedReminders(deadline.dueAt, deadline.reminderPlan, input.timeZone, now, input.calendar)
        .filter(
          (item) =>
            !input.ofDueInstant.some(
              (reminder) => reminder.offset === item.offset && reminder.audience === item.audience,
            ),
        )
        .map((item) => {
          const held = holding && item.audience === 'respondent';
          return { ...item, status: held ? ('held' as const) : ('scheduled' as const), note: held ? HELD_NOTE : null };
        })
    : [];
  return {
    cancel,
    cancelNote: planned ? 'due instant changed' : `deadline ${deadline.status}`,
    hold,
    supersede,
    resume,
    create,
    dueJob: planned,
  };
}
