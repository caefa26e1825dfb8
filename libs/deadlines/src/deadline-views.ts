import { isRunning } from './deadline-lifecycle.js';
import type { DeadlineRecord } from './deadline.entity.js';
import type { DeadlineEvent } from './deadline-event.entity.js';
import type { ReminderRecord } from './reminder.entity.js';

export function deadlineView(
  deadline: DeadlineRecord,
  extra: { history?: DeadlineEvent[]; reminders?: ReminderRecord[] } = {},
) {
  return {
    id: deadline.id,
    caseId: deadline.caseId,
    inquiryId: deadline.inquiryId,
    kind: deadline.kind,
    label: deadline.label,
    eventAt: deadline.eventAt.toISOString(),
    dueDate: deadline.dueDate,
    dueAt: deadline.dueAt.toISOString(),
    status: deadline.status,
    suspendedAt: deadline.suspendedAt?.toISOString() ?? null,
    settledAt: deadline.settledAt?.toISOString() ?? null,
    /**
     * A reply by e-mail awaits staff's assessment ("reply received, to be assessed"): chasers to the respondent are
     * held.
     */
    replyPending: replyPending(deadline),
    replyPendingSince: replyPending(deadline) ? (deadline.replyPendingSince as Date).toISOString() : null,
    rule: deadline.rule,
    /** The rule set (legal instrument) the deadline is counted under. */
    ruleSet: deadline.ruleSet,
    /** The holiday data its due date was computed with. */
    holidayDataVersion: deadline.holidayDataVersion,
    explanation: deadline.explanation,
    /**
     * Why the due date may be wrong although computed by the rules (the count ran through a year whose holiday data
     * is known to be incomplete: India outside 2026); [] when none.
     */
    warnings: [
      ...new Set(deadline.explanation.filter((entry) => entry.kind === 'unverified').map((entry) => entry.reason)),
    ],
    version: deadline.version,
    ...(extra.history ? { history: extra.history.map(historyView) } : {}),
    ...(extra.reminders
      ? { reminders: extra.reminders.filter((r) => r.deadlineId === deadline.id).map(reminderView) }
      : {}),
  };
}

export function historyView(event: DeadlineEvent) {
  return {
    at: event.at.toISOString(),
    action: event.action,
    actor: event.actorLabel,
    reason: event.reason,
    previousDueAt: event.previousDueAt?.toISOString() ?? null,
    dueAt: event.dueAt?.toISOString() ?? null,
  };
}

export function reminderView(reminder: ReminderRecord) {
  return {
    id: reminder.id,
    offset: reminder.offset,
    audience: reminder.audience,
    fireAt: reminder.fireAt.toISOString(),
    status: reminder.status,
    sentAt: reminder.sentAt?.toISOString() ?? null,
    note: reminder.note,
  };
}

/** Whether a reply by e-mail awaits staff's assessment on a deadline that still runs. */
export function replyPending(deadline: Pick<DeadlineRecord, 'status' | 'replyPendingSince'>): boolean {
  return Boolean(deadline.replyPendingSince) && isRunning(deadline.status);
}
