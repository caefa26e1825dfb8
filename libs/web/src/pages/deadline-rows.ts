import { Duration } from 'luxon';
import { officeOffset, type OfficeOffset } from '#docket/calendar';
import { LanguageContext, t } from '#docket/i18n';
import {
  isOverdue,
  moveReasonText,
  parseMoveReason,
  responseLabelDate,
  type DeadlineRecord,
  type DeadlineRule,
} from '#docket/deadlines';
import { outcomeTypeOfWords } from '#docket/decisions';
import type { WorkItem } from '#docket/reporting';
import { daysBetween, formatDate, formatInstant, relativeDays, type DateSettings } from '../dates.js';

const KINDS = new Set(['response', 'compliance', 'follow_up_check', 'other']);

/** The kind of a deadline in the page's language ("Response deadline"). */
export const kindLabel = (kind: string): string => t(`deadlineKind.${KINDS.has(kind) ? kind : 'other'}`);

/** The labels libs/decisions gives an outcome's deadlines ("Compliance with the fine of 2026-11-27"). */
const COMPLIANCE_LABEL = /^Compliance with the (.+) of (\d{4}-\d{2}-\d{2})$/;
const FOLLOW_UP_LABEL = /^Follow-up check (\d+) of (\d+) of the (.+) of (\d{4}-\d{2}-\d{2})$/;

const ISO_DATE = /\b(\d{4}-\d{2}-\d{2})\b/g;

/** The notes libs/deadlines writes on a reminder (reminder-plan.ts, reminder-scheduler.ts, reminders.processor.ts). */
const REMINDER_NOTES: Record<string, string> = {
  'reply received, to be assessed': 'reminderNote.held',
  'its time passed while held; a later chaser went instead': 'reminderNote.superseded',
  'due instant changed': 'reminderNote.dueChanged',
  'nobody to send it to': 'reminderNote.nobody',
  'its message was sent again by an operator': 'reminderNote.resent',
};
const DEADLINE_NOTE = /^deadline (met|missed|waived|suspended|pending)$/;

/**
 * A reminder's note as staff read it: the notes Docket writes, in the reader's language (also those stored before);
 * anything else (a mail server's error) as it was written.
 */
export function reminderNote(note: string | null): string | null {
  if (!note) return note;
  const key = REMINDER_NOTES[note];
  if (key) return t(key);
  const settled = DEADLINE_NOTE.exec(note);
  return settled ? t('reminderNote.deadline', { status: t(`deadlineStatus.${settled[1]}`) }) : note;
}

/**
 * A reason in a deadline's history as staff read it: a move Docket made itself (a closure day, the calendar's
 * settings, new holiday data) in the reader's language, its day in the authority's words; a reason a person typed
 * as typed.
 */
export function historyReason(reason: string | null, locale: string): string | null {
  const move = reason ? parseMoveReason(reason) : null;
  return move ? moveReasonText(move, LanguageContext.language(), locale) : reason;
}

/**
 * The deadline's label as staff read it: the dates the system wrote into the labels it gives (an inquiry's,
 * an outcome's) shown in the authority's words ("Response to the inquiry of 28 gen 2025"); a label a person
 * typed stays as typed.
 */
export function deadlineLabel(deadline: Pick<DeadlineRecord, 'kind' | 'label'>, settings: DateSettings): string {
  if (deadline.kind === 'other') return deadline.label;
  // The label the system gives a response deadline (libs/deadlines responseDeadlineLabel), in the reader’s words.
  const response = responseLabelDate(deadline.label);
  if (response) return t('deadlineLabel.response', { date: formatDate(response, settings, 'short') });
  const compliance = COMPLIANCE_LABEL.exec(deadline.label);
  const complianceType = compliance && outcomeTypeOfWords(compliance[1]);
  if (compliance && complianceType) {
    return t('deadlineLabel.compliance', {
      outcome: t(`outcomeType.${complianceType}`),
      date: formatDate(compliance[2], settings, 'short'),
    });
  }
  const followUp = FOLLOW_UP_LABEL.exec(deadline.label);
  const followUpType = followUp && outcomeTypeOfWords(followUp[3]);
  if (followUp && followUpType) {
    return t('deadlineLabel.followUp', {
      index: Number(followUp[1]),
      count: Number(followUp[2]),
      outcome: t(`outcomeType.${followUpType}`),
      date: formatDate(followUp[4], settings, 'short'),
    });
  }
  return deadline.label.replace(ISO_DATE, (date) => formatDate(date, settings, 'short'));
}

/** A deadline as a row of a list: dates already in the authority's zone and locale. */
export function deadlineRow(deadline: DeadlineRecord, today: string, settings: DateSettings) {
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

const UNITS = new Set(['calendar_days', 'business_days', 'weeks', 'months', 'hours']);

/** A period in words, "20 calendar days", in the page's language (plural rules of ICU MessageFormat). */
export function unitWords(count: number, unit: string): string {
  return UNITS.has(unit) ? t(`periodUnit.${unit}`, { count }) : `${count} ${unit}`;
}

/** The name of a unit for a select ("calendar days"). */
export const unitName = (unit: string): string => (UNITS.has(unit) ? t(`periodUnitName.${unit}`) : unit);

/** How the first due date was set, in words. */
export function describeRule(rule: DeadlineRule, eventAt: Date, settings: DateSettings): string {
  switch (rule.type) {
    case 'period':
      return `${t('rule.period', { period: unitWords(rule.count, rule.unit), from: formatInstant(eventAt, settings) })}${
        rule.ruleSet && rule.ruleSet !== 'national' ? ` (${t('rule.ruleSet', { ruleSet: rule.ruleSet })})` : ''
      }`;
    case 'date':
      return t('rule.date', { date: formatDate(rule.dueDate, settings) });
    case 'instant':
      return t('rule.instant', { time: formatInstant(rule.dueAt, settings) });
  }
}

/** A reminder of a plan as one form value (a checkbox's): "-P7D assignee". */
export const planKey = (item: { offset: string; audience: string }): string => `${item.offset} ${item.audience}`;

/** A reminder offset such as -P7D in words: "7 days before the due time". */
export function describeOffset(offset: string): string {
  // A plain signed duration (-P3D) still reads as before, in the reader's language; only working days or a local
  // time (-P1WD@09:00) need the office wording.
  const office = /WD|@/.test(offset) ? officeOffset(offset) : null;
  if (office) return describeOffice(office);
  const match = /^([+-])?P(.+)$/.exec(offset.trim());
  if (!match) return offset;
  const parsed = Duration.fromISO(`P${match[2]}`);
  if (!parsed.isValid) return offset;
  if (parsed.as('seconds') === 0) return t('offset.atDue');
  const duration = readableDuration(parsed);
  const human = duration.reconfigure({ locale: LanguageContext.language() }).toHuman({ listStyle: 'long' });
  return t(match[1] === '-' ? 'offset.before' : 'offset.after', { duration: human });
}

/**
 * An offset given in hours only (the demo fires its reminders at instants of the 2025 story: -PT114H13M) reads in days
 * and hours ("4 days, 18 hours, 13 minutes"), without the units that are zero; other offsets read as written.
 */
function readableDuration(duration: Duration): Duration {
  if (duration.years || duration.months || duration.weeks || duration.days || Math.abs(duration.hours) < 24)
    return duration;
  const shifted = duration.shiftTo('days', 'hours', 'minutes', 'seconds').toObject();
  return Duration.fromObject(Object.fromEntries(Object.entries(shifted).filter(([, value]) => value !== 0)));
}

/** An office offset in the reader's language: "1 working day before the due date, at 09:00". */
function describeOffice(office: OfficeOffset): string {
  const { count } = office;
  const before = office.sign < 0;
  const when =
    count === 0
      ? t('offset.onDueDate')
      : office.unit === 'WD'
        ? before
          ? t('offset.workingDaysBefore', { count })
          : t('offset.workingDaysAfter', { count })
        : before
          ? t('offset.daysBefore', { count })
          : t('offset.daysAfter', { count });
  return office.time ? t('offset.atLocalTime', { when, time: office.time }) : when;
}
