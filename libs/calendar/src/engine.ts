import { DateTime, IANAZone } from 'luxon';
import { normalizeRegion, publicHolidaysBetween, publicHolidaysOn, regionProblem } from './holidays.js';

export type PeriodUnit = 'calendar_days' | 'business_days' | 'weeks' | 'months';
export const PERIOD_UNITS: readonly PeriodUnit[] = ['calendar_days', 'business_days', 'weeks', 'months'];

/** Largest count accepted per unit: about ten years each. */
export const PERIOD_LIMITS: Readonly<Record<PeriodUnit, number>> = {
  calendar_days: 3660,
  business_days: 2600,
  weeks: 520,
  months: 120,
};
export const MAX_STOPPED_DAYS = 3660;

export interface PeriodRule {
  count: number;
  unit: PeriodUnit;
}

export interface Closure {
  date: string;
  reason: string;
}

export interface AuthorityCalendar {
  timeZone: string;
  holidayRegion: string;
  weekendDays: number[];
  closures: Closure[];
}

export type ExplanationKind = 'start' | 'weekend' | 'holiday' | 'closure' | 'rollover' | 'due';

export interface ExplanationEntry {
  date: string;
  reason: string;
  kind: ExplanationKind;
}

export interface DueDateResult {
  dueDate: string;
  dueAt: string;
  explanation: ExplanationEntry[];
}

export interface CalendarHoliday {
  date: string;
  name: string;
  source: 'date-holidays' | 'supplement' | 'closure';
}

/** Invalid input; the message says what to change and `field` names the offending input. */
export class CalendarError extends Error {
  field?: string;

  constructor(message: string, field?: string) {
    super(message);
    this.name = 'CalendarError';
    this.field = field;
  }
}

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = [
  '',
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;
/** Longest run of consecutive non-working days tolerated before the calendar is deemed broken. */
const MAX_NON_WORKING_RUN = 366;

const EU_COUNTRIES = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

type LegalSystem = 'EU' | 'KR' | 'JP' | 'other';

const ROLLOVER_BASIS: Record<LegalSystem, string> = {
  EU: ' (Regulation (EEC, Euratom) No 1182/71, art. 3(4))',
  KR: ' (Korean Civil Act art. 161)',
  JP: ' (Japanese Civil Code art. 142; Act on Holidays of Administrative Organs art. 2)',
  other: '',
};

/**
 * In Korea and Japan Saturday and Sunday end no period whatever the authority's own weekend:
 * Korean Civil Act art. 161 names Saturday, Sunday is a public holiday by the Regulation on Public
 * Holidays of Government Offices art. 2(1); in Japan both are holidays of administrative organs.
 */
const STATUTORY_REST: Record<LegalSystem, Partial<Record<number, string>>> = {
  EU: {},
  other: {},
  KR: {
    6: 'Saturday: a period ending on a Saturday ends on the next day (Korean Civil Act art. 161)',
    7: 'Sunday: public holiday of government offices (관공서의 공휴일에 관한 규정 art. 2(1))',
  },
  JP: {
    6: 'Saturday: holiday of administrative organs (行政機関の休日に関する法律 art. 1)',
    7: 'Sunday: holiday of administrative organs (行政機関の休日に関する法律 art. 1; Civil Code art. 142)',
  },
};

interface Calendar {
  timeZone: string;
  region: string;
  legal: LegalSystem;
  weekend: Set<number>;
  closures: Map<string, string[]>;
}

type Day = DateTime;

function iso(day: Day): string {
  return day.toISODate()!;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function dayLabel(day: Day): string {
  return `${WEEKDAYS[day.weekday]} ${iso(day)}`;
}

function parseDate(value: unknown, field: string): Day {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) {
    throw new CalendarError(
      `${field} must be a date written YYYY-MM-DD, e.g. 2025-02-17; got ${JSON.stringify(value)}`,
      field,
    );
  }
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new CalendarError(`${field} ${value} is outside the supported years ${MIN_YEAR}-${MAX_YEAR}`, field);
  }
  if (month < 1 || month > 12) {
    throw new CalendarError(`${field} ${value} does not exist: there is no month ${month}`, field);
  }
  const first = DateTime.utc(year, month, 1);
  if (day < 1 || day > first.daysInMonth!) {
    throw new CalendarError(
      `${field} ${value} does not exist: ${MONTHS[month]} ${year} has ${first.daysInMonth} days`,
      field,
    );
  }
  return first.set({ day });
}

function checkCount(value: unknown, field: string, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CalendarError(
      `${field} must be a whole number from ${min} to ${max} ${what}; got ${JSON.stringify(value)}`,
      field,
    );
  }
  return value;
}

function checkTimeZone(timeZone: unknown, field: string): string {
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    throw new CalendarError(
      `${field} ${JSON.stringify(timeZone)} is not an IANA time zone; use a name such as "Europe/Rome" or "Asia/Seoul"`,
      field,
    );
  }
  return timeZone;
}

function checkRule(rule: PeriodRule): PeriodRule {
  if (typeof rule !== 'object' || rule === null) throw new CalendarError('rule must be {count, unit}', 'rule');
  if (!PERIOD_UNITS.includes(rule.unit)) {
    throw new CalendarError(`unit must be one of ${PERIOD_UNITS.join(', ')}; got ${JSON.stringify(rule.unit)}`, 'unit');
  }
  checkCount(rule.count, 'count', 1, PERIOD_LIMITS[rule.unit], rule.unit.replace('_', ' '));
  return rule;
}

/** Checks an authority calendar; throws CalendarError naming the first bad field. */
export function validateCalendar(calendar: AuthorityCalendar): void {
  prepare(calendar);
}

function prepare(calendar: AuthorityCalendar): Calendar {
  if (typeof calendar !== 'object' || calendar === null) {
    throw new CalendarError('calendar must be an object {timeZone, holidayRegion, weekendDays, closures}', 'calendar');
  }
  const timeZone = checkTimeZone(calendar.timeZone, 'timeZone');

  if (typeof calendar.holidayRegion !== 'string') {
    throw new CalendarError('holidayRegion must be a region code such as "IT" or "DE-BE"', 'holidayRegion');
  }
  const problem = regionProblem(calendar.holidayRegion);
  if (problem) throw new CalendarError(problem, 'holidayRegion');
  const region = normalizeRegion(calendar.holidayRegion);

  const days: unknown = calendar.weekendDays;
  if (!Array.isArray(days) || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new CalendarError(
      `weekendDays must list ISO weekday numbers 1 (Monday) to 7 (Sunday), e.g. [6, 7]; got ${JSON.stringify(days)}`,
      'weekendDays',
    );
  }
  const weekend = new Set<number>(days as number[]);
  if (weekend.size !== days.length) {
    throw new CalendarError(`weekendDays lists a day twice: ${JSON.stringify(days)}`, 'weekendDays');
  }
  if (weekend.size === 7) {
    throw new CalendarError('weekendDays cannot hold all seven days: no day would be left to work', 'weekendDays');
  }

  if (!Array.isArray(calendar.closures)) {
    throw new CalendarError('closures must be a list of {date, reason} (may be empty)', 'closures');
  }
  const closures = new Map<string, string[]>();
  calendar.closures.forEach((closure, i) => {
    const field = `closures[${i}]`;
    if (typeof closure !== 'object' || closure === null)
      throw new CalendarError(`${field} must be {date, reason}`, field);
    const date = iso(parseDate(closure.date, `${field}.date`));
    if (typeof closure.reason !== 'string' || !closure.reason.trim()) {
      throw new CalendarError(`${field}.reason must say why the authority is closed on ${date}`, `${field}.reason`);
    }
    closures.set(date, [...(closures.get(date) ?? []), closure.reason.trim()]);
  });

  const country = region.slice(0, 2);
  const legal: LegalSystem =
    country === 'KR' || country === 'JP' ? country : EU_COUNTRIES.has(country) ? 'EU' : 'other';
  return { timeZone, region, legal, weekend, closures };
}

function reasonsFor(day: Day, cal: Calendar): ExplanationEntry[] {
  const date = iso(day);
  const entries: ExplanationEntry[] = [];
  const statutory = STATUTORY_REST[cal.legal][day.weekday];
  if (cal.weekend.has(day.weekday)) {
    entries.push({ date, kind: 'weekend', reason: `${WEEKDAYS[day.weekday]}: weekend` });
  } else if (statutory) {
    entries.push({ date, kind: 'weekend', reason: statutory });
  }
  for (const holiday of publicHolidaysOn(cal.region, date)) {
    entries.push({ date, kind: 'holiday', reason: `Public holiday: ${holiday.name}` });
  }
  for (const reason of cal.closures.get(date) ?? []) {
    entries.push({ date, kind: 'closure', reason: `Authority closed: ${reason}` });
  }
  return entries;
}

function rollForward(last: Day, cal: Calendar): { due: Day; entries: ExplanationEntry[] } {
  let reasons = reasonsFor(last, cal);
  if (reasons.length === 0) return { due: last, entries: [] };
  const entries: ExplanationEntry[] = [
    {
      date: iso(last),
      kind: 'rollover',
      reason:
        `The period's last day, ${dayLabel(last)}, is not a working day, so the period ends on the next working day` +
        ROLLOVER_BASIS[cal.legal],
    },
  ];
  let day = last;
  for (let run = 0; reasons.length > 0; run++) {
    if (run >= MAX_NON_WORKING_RUN) {
      throw new CalendarError(
        `No working day in the ${MAX_NON_WORKING_RUN} days after ${iso(last)}: check the authority's closures`,
        'closures',
      );
    }
    entries.push(...reasons);
    day = day.plus({ days: 1 });
    reasons = reasonsFor(day, cal);
  }
  return { due: day, entries };
}

/** ISO 8601 instant with offset at the last millisecond of `date` in `timeZone`. */
export function endOfLocalDay(date: string, timeZone: string): string {
  const day = parseDate(date, 'date');
  checkTimeZone(timeZone, 'timeZone');
  return endOfDay(day, timeZone);
}

function endOfDay(day: Day, timeZone: string): string {
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone: timeZone })
    .endOf('day')
    .toFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZZ");
}

function finish(due: Day, cal: Calendar, entries: ExplanationEntry[]): DueDateResult {
  const dueAt = endOfDay(due, cal.timeZone);
  entries.push({
    date: iso(due),
    kind: 'due',
    reason: `Due by the end of ${dayLabel(due)}: ${dueAt} (${cal.timeZone})`,
  });
  return { dueDate: iso(due), dueAt, explanation: entries };
}

/**
 * Last day of a months period counted from the day after `from`. EU and most laws: the same day
 * number N months later, or that month's last day. Korea (Civil Act art. 160) and Japan (Civil Code
 * art. 143): the day before the day corresponding to the first counted day, or that month's last
 * day when it has no such day; the two differ only when `from` is a month's last day.
 */
function addMonths(from: Day, months: number, legal: LegalSystem): Day {
  if (legal !== 'KR' && legal !== 'JP') return from.plus({ months });
  const first = from.plus({ days: 1 });
  const corresponding = first.plus({ months });
  return corresponding.day === first.day ? corresponding.minus({ days: 1 }) : corresponding;
}

function ruleText(rule: PeriodRule): string {
  switch (rule.unit) {
    case 'calendar_days':
      return plural(rule.count, 'calendar day');
    case 'business_days':
      return plural(rule.count, 'working day');
    case 'weeks':
      return `${plural(rule.count, 'week')} (${rule.count * 7} days)`;
    case 'months':
      return plural(rule.count, 'month');
  }
}

function countPeriod(from: Day, rule: PeriodRule, cal: Calendar, entries: ExplanationEntry[]): DueDateResult {
  if (rule.unit === 'business_days') {
    let day = from;
    for (let counted = 0; counted < rule.count;) {
      day = day.plus({ days: 1 });
      const reasons = reasonsFor(day, cal);
      if (reasons.length === 0) counted++;
      else entries.push(...reasons);
    }
    return finish(day, cal, entries);
  }
  const last =
    rule.unit === 'calendar_days'
      ? from.plus({ days: rule.count })
      : rule.unit === 'weeks'
        ? from.plus({ days: rule.count * 7 })
        : addMonths(from, rule.count, cal.legal);
  const rolled = rollForward(last, cal);
  entries.push(...rolled.entries);
  return finish(rolled.due, cal, entries);
}

/** The local civil date (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  checkTimeZone(timeZone, 'timeZone');
  return iso(checkInstant(instant, 'instant', timeZone));
}

function checkInstant(instant: unknown, field: string, timeZone: string): DateTime {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new CalendarError(`${field} must be a valid instant, e.g. 2025-01-28T10:00:00Z`, field);
  }
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (local.year < MIN_YEAR || local.year > MAX_YEAR) {
    throw new CalendarError(
      `${field} ${instant.toISOString()} is outside the supported years ${MIN_YEAR}-${MAX_YEAR}`,
      field,
    );
  }
  return local;
}

/**
 * Due date of a period that starts with an event: counting begins the day after the event's local
 * date in the authority's time zone; a last day that is not a working day moves to the next one.
 */
export function computeDueDate(event: Date, calendar: AuthorityCalendar, rule: PeriodRule): DueDateResult {
  const cal = prepare(calendar);
  checkRule(rule);
  const local = checkInstant(event, 'event', cal.timeZone);
  const eventDay = DateTime.utc(local.year, local.month, local.day);
  const entries: ExplanationEntry[] = [
    {
      date: iso(eventDay),
      kind: 'start',
      reason:
        `Event at ${local.toFormat('yyyy-MM-dd HH:mm')} ${cal.timeZone} (${WEEKDAYS[eventDay.weekday]}); ` +
        `${ruleText(rule)} counted from the next day, ${iso(eventDay.plus({ days: 1 }))}`,
    },
  ];
  return countPeriod(eventDay, rule, cal, entries);
}

/** New due date of an extension by count+unit, counted from the day after the previous due date. */
export function extendDueDate(previousDueDate: string, calendar: AuthorityCalendar, rule: PeriodRule): DueDateResult {
  const cal = prepare(calendar);
  checkRule(rule);
  const from = parseDate(previousDueDate, 'previousDueDate');
  const entries: ExplanationEntry[] = [
    {
      date: iso(from),
      kind: 'start',
      reason: `Previous due date ${dayLabel(from)}; extension of ${ruleText(rule)} counted from the next day`,
    },
  ];
  return countPeriod(from, rule, cal, entries);
}

/** A due date given directly: kept when a working day, otherwise moved to the next working day. */
export function dueAtEndOf(date: string, calendar: AuthorityCalendar): DueDateResult {
  const cal = prepare(calendar);
  const day = parseDate(date, 'date');
  const entries: ExplanationEntry[] = [
    { date: iso(day), kind: 'start', reason: `Due date set directly: ${dayLabel(day)}` },
  ];
  const rolled = rollForward(day, cal);
  entries.push(...rolled.entries);
  return finish(rolled.due, cal, entries);
}

/** Resuming after a suspension: the stopped calendar days are added, then the date moves to a working day. */
export function addStoppedDays(
  dueDate: string,
  stoppedCalendarDays: number,
  calendar: AuthorityCalendar,
): DueDateResult {
  const cal = prepare(calendar);
  const from = parseDate(dueDate, 'dueDate');
  const stopped = checkCount(stoppedCalendarDays, 'stoppedCalendarDays', 0, MAX_STOPPED_DAYS, 'days');
  const entries: ExplanationEntry[] = [
    {
      date: iso(from),
      kind: 'start',
      reason: `Due date before the suspension: ${dayLabel(from)}; the clock was stopped for ${plural(stopped, 'calendar day')}, which are added`,
    },
  ];
  const rolled = rollForward(from.plus({ days: stopped }), cal);
  entries.push(...rolled.entries);
  return finish(rolled.due, cal, entries);
}

/** Why `date` is not a working day for this authority: weekend, public holidays, closures; [] when it is one. */
export function nonWorkingReasons(date: string, calendar: AuthorityCalendar): ExplanationEntry[] {
  return reasonsFor(parseDate(date, 'date'), prepare(calendar));
}

export function isWorkingDay(date: string, calendar: AuthorityCalendar): boolean {
  return nonWorkingReasons(date, calendar).length === 0;
}

/** Public holidays (supplements applied) and the authority's closures from `from` to `to` inclusive. */
export function holidaysBetween(calendar: AuthorityCalendar, from: string, to: string): CalendarHoliday[] {
  const cal = prepare(calendar);
  const start = parseDate(from, 'from');
  const end = parseDate(to, 'to');
  if (end < start) throw new CalendarError(`to (${to}) must not be before from (${from})`, 'to');
  if (end.year - start.year > 20) throw new CalendarError('from and to may be at most 20 years apart', 'to');
  const found: CalendarHoliday[] = publicHolidaysBetween(cal.region, from, to);
  for (const [date, reasons] of cal.closures) {
    if (date >= from && date <= to) found.push(...reasons.map((name) => ({ date, name, source: 'closure' as const })));
  }
  // stable sort: on one date, public holidays stay ahead of closures
  return found.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
