import { Duration } from 'luxon';
import type { Deadline, DeadlineRule } from '#docket/deadlines';
import { daysBetween, formatDate, formatInstant, relativeDays, type DateSettings } from '../dates.js';

const KIND_LABELS: Record<string, string> = { response: 'Response deadline', compliance: 'Compliance deadline', follow_up_check: 'Follow-up check', other: 'Deadline' };

export const kindLabel = (kind: string): string => KIND_LABELS[kind] ?? 'Deadline';

/** A deadline as a row of a list: dates already in the authority's zone and locale. */
export function deadlineRow(deadline: Deadline, today: string, settings: DateSettings) {
  const days = daysBetween(today, deadline.dueDate);
  return {
    id: deadline.id,
    href: `/deadlines/${deadline.id}`,
    label: deadline.label,
    kind: deadline.kind,
    kindLabel: deadline.kind === 'other' ? null : kindLabel(deadline.kind),
    status: deadline.status,
    dueDate: deadline.dueDate,
    dueDateText: formatDate(deadline.dueDate, settings, 'short'),
    dueAt: deadline.dueAt.toISOString(),
    dueAtText: formatInstant(deadline.dueAt, settings),
    relative: relativeDays(days, settings),
    days,
  };
}

export type DeadlineRow = ReturnType<typeof deadlineRow>;

const UNIT_WORDS: Record<string, [string, string]> = {
  calendar_days: ['calendar day', 'calendar days'],
  business_days: ['working day', 'working days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
};

export function unitWords(count: number, unit: string): string {
  const words = UNIT_WORDS[unit] ?? [unit, unit];
  return `${count} ${count === 1 ? words[0] : words[1]}`;
}

/** How the first due date was set, in words. */
export function describeRule(rule: DeadlineRule, eventAt: Date, settings: DateSettings): string {
  switch (rule.type) {
    case 'period':
      return `${unitWords(rule.count, rule.unit)} from ${formatInstant(eventAt, settings)}`;
    case 'date':
      return `Fixed date: ${formatDate(rule.dueDate, settings)}`;
    case 'instant':
      return `Fixed time: ${formatInstant(rule.dueAt, settings)}`;
  }
}

/** A reminder of a plan as one form value (a checkbox's): "-P7D assignee". */
export const planKey = (item: { offset: string; audience: string }): string => `${item.offset} ${item.audience}`;

/** A reminder offset such as -P7D in words: "7 days before the due time". */
export function describeOffset(offset: string): string {
  const match = /^([+-])?P(.+)$/.exec(offset.trim());
  if (!match) return offset;
  const duration = Duration.fromISO(`P${match[2]}`);
  if (!duration.isValid) return offset;
  if (duration.as('seconds') === 0) return 'at the due time';
  return `${duration.toHuman({ listStyle: 'long' })} ${match[1] === '-' ? 'before' : 'after'} the due time`;
}
