import { Duration } from 'luxon';
import { describeOfficeOffset } from '#docket/calendar';
import { isOverdue, type Deadline, type DeadlineRule } from '#docket/deadlines';
import type { WorkItem } from '#docket/reporting';
import { daysBetween, formatDate, formatInstant, relativeDays, type DateSettings } from '../dates.js';

const KIND_LABELS: Record<string, string> = {
  response: 'Response deadline',
  compliance: 'Compliance deadline',
  follow_up_check: 'Follow-up check',
  other: 'Deadline',
};

export const kindLabel = (kind: string): string => KIND_LABELS[kind] ?? 'Deadline';

const ISO_DATE = /\b(\d{4}-\d{2}-\d{2})\b/g;

/**
 * The deadline's label as staff read it: the dates the system wrote into the labels it gives (an inquiry's,
 * an outcome's) shown in the authority's words ("Response to the inquiry of 28 gen 2025"); a label a person
 * typed stays as typed.
 */
export function deadlineLabel(deadline: Pick<Deadline, 'kind' | 'label'>, settings: DateSettings): string {
  if (deadline.kind === 'other') return deadline.label;
  return deadline.label.replace(ISO_DATE, (date) => formatDate(date, settings, 'short'));
}

/** A deadline as a row of a list: dates already in the authority's zone and locale. */
export function deadlineRow(deadline: Deadline, today: string, settings: DateSettings) {
  const days = daysBetween(today, deadline.dueDate);
  return {
    id: deadline.id,
    href: `/deadlines/${deadline.id}`,
    label: deadlineLabel(deadline, settings),
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

/** A deadline with its case, as a row of the dashboard, My work and the deadline list. */
export function workRow(item: WorkItem, today: string, now: Date, settings: DateSettings) {
  const row = deadlineRow(item.deadline, today, settings);
  const kase = item.case;
  return {
    ...row,
    overdue: isOverdue(item.deadline, now),
    daysLate: Math.max(0, -row.days),
    case: kase
      ? {
          href: `/cases/${kase.id}`,
          reference: kase.reference,
          title: kase.title,
          organisation: kase.organisation,
          assignee: kase.assignee,
          priority: kase.priority,
        }
      : null,
  };
}

export type WorkRow = ReturnType<typeof workRow>;

const UNIT_WORDS: Record<string, [string, string]> = {
  calendar_days: ['calendar day', 'calendar days'],
  business_days: ['working day', 'working days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
  hours: ['hour', 'hours'],
};

export function unitWords(count: number, unit: string): string {
  const words = UNIT_WORDS[unit] ?? [unit, unit];
  return `${count} ${count === 1 ? words[0] : words[1]}`;
}

/** How the first due date was set, in words. */
export function describeRule(rule: DeadlineRule, eventAt: Date, settings: DateSettings): string {
  switch (rule.type) {
    case 'period':
      return `${unitWords(rule.count, rule.unit)} from ${formatInstant(eventAt, settings)}${
        rule.ruleSet && rule.ruleSet !== 'national' ? ` (rule set ${rule.ruleSet})` : ''
      }`;
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
  const office = describeOfficeOffset(offset);
  if (office) return office;
  const match = /^([+-])?P(.+)$/.exec(offset.trim());
  if (!match) return offset;
  const duration = Duration.fromISO(`P${match[2]}`);
  if (!duration.isValid) return offset;
  if (duration.as('seconds') === 0) return 'at the due time';
  return `${duration.toHuman({ listStyle: 'long' })} ${match[1] === '-' ? 'before' : 'after'} the due time`;
}
