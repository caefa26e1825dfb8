import { DateTime, IANAZone } from 'luxon';
import { localDateOf as localDate } from './local-time.js';
import { normalizeRegion, publicHolidaysBetween, publicHolidaysOn, regionProblem } from './holidays.js';
import { HOLIDAY_DATA_VERSION } from './holiday-data-version.js';
import { holidayDataShortfalls, type HolidayDataShortfall } from './holiday-data-gaps.js';
import { DEFAULT_RULE_SET, ruleSetOf, type RuleSet } from './rule-sets.js';

export type PeriodUnit = 'calendar_days' | 'business_days' | 'weeks' | 'months' | 'hours';
export const PERIOD_UNITS: readonly PeriodUnit[] = ['calendar_days', 'business_days', 'weeks', 'months', 'hours'];

/** Largest count accepted per unit: about ten years each; hours up to one year (8,760). */
export const PERIOD_LIMITS: Readonly<Record<PeriodUnit, number>> = {
  calendar_days: 3660,
  business_days: 2600,
  weeks: 520,
  months: 120,
  hours: 8760,
};
export const MAX_STOPPED_DAYS = 3660;

export interface PeriodRule {
  count: number;
  unit: PeriodUnit;
  /** The rule set (legal instrument) the period is counted under; default `national`. */
  ruleSet?: string;
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
  /**
   * Receipt cut-off (HH:mm, local): an event at or after it, or on a day that is not a working day, counts as
   * received on the next working day. Null or absent: none.
   */
  receiptCutoff?: string | null;
}

export type ExplanationKind =
  | 'start'
  | 'weekend'
  | 'holiday'
  | 'closure'
  | 'rollover'
  | 'due'
  | 'cutoff'
  | 'minimum'
  | 'runs_through'
  /** The count ran through a year whose holiday data is known to be incomplete (holiday-data-gaps.ts). */
  | 'unverified';

/** A value of an explanation's parameters: ISO dates in `…Day`, instants in `…At`, counts, codes. */
export type ExplanationParam = string | number;

/**
 * One line of "why this date": `reason` in English (the API's words, kept as they were), and the same line as
 * structured data, `code` and `params`, which pages render in the reader's language (catalogue key
 * `explanation.<code>`). Parameters follow names: `…Day` an ISO date, `…At` an instant, `weekday` an ISO weekday
 * number, `ruleSet` a rule set id, `count` with `unit` a period, `causes` the reasons a day was not a working day.
 */
export interface ExplanationEntry {
  date: string;
  reason: string;
  kind: ExplanationKind;
  code?: string;
  params?: Record<string, ExplanationParam>;
  causes?: { code: string; params?: Record<string, ExplanationParam> }[];
}

export interface DueDateResult {
  dueDate: string;
  dueAt: string;
  explanation: ExplanationEntry[];
  /** The rule set the period was counted under. */
  ruleSet: string;
  /** Which holiday data (date-holidays release and Docket's reviewed corrections) gave the public holidays. */
  holidayDataVersion: string;
  /**
   * Why the due date may be wrong although computed by the rules: the count ran through a year whose public-holiday
   * data is known to be incomplete (India outside the verified years). Each is also an `unverified` explanation entry.
   */
  warnings?: string[];
}

export interface CalendarHoliday {
  date: string;
  name: string;
  source: 'date-holidays' | 'supplement' | 'closure';
}

/** Invalid input; the message says what to change and `field` names the offending input. */
export class CalendarError extends Error {
  field?: string;

  /**
   * @param structured the same refusal as a catalogue message (`calendar.refusal.*`) for pages in the reader's
   *   language; the message stays the API's English.
   */
  constructor(
    message: string,
    field?: string,
    readonly structured?: { key: string; params?: Record<string, string | number> },
  ) {
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
/** The explanation code of each statutory rest day (catalogue key explanation.<code>). */
const STATUTORY_REST_CODES: Record<LegalSystem, Partial<Record<number, string>>> = {
  EU: {},
  other: {},
  KR: { 6: 'restKrSaturday', 7: 'restKrSunday' },
  JP: { 6: 'restJpSaturday', 7: 'restJpSunday' },
};

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
  cutoff: { hour: number; minute: number; text: string } | null;
  set: RuleSet;
}

const CUTOFF = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Why a receipt cut-off is unusable, or null: it must be a time of day written HH:mm (00:00–23:59). */
export function cutoffProblem(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || !CUTOFF.test(value))
    return `receiptCutoff must be a time of day written HH:mm, e.g. 18:00; got ${JSON.stringify(value)}`;
  return null;
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
      { key: 'calendar.refusal.dateFormat' },
    );
  }
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new CalendarError(`${field} ${value} is outside the supported years ${MIN_YEAR}-${MAX_YEAR}`, field, {
      key: 'calendar.refusal.years',
      params: { min: MIN_YEAR, max: MAX_YEAR },
    });
  }
  if (month < 1 || month > 12) {
    throw new CalendarError(`${field} ${value} does not exist: there is no month ${month}`, field, {
      key: 'calendar.refusal.noSuchDate',
    });
  }
  const first = DateTime.utc(year, month, 1);
  if (day < 1 || day > first.daysInMonth!) {
    throw new CalendarError(
      `${field} ${value} does not exist: ${MONTHS[month]} ${year} has ${first.daysInMonth} days`,
      field,
      { key: 'calendar.refusal.noSuchDate' },
    );
  }
  return first.set({ day });
}

function checkCount(value: unknown, field: string, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CalendarError(
      `${field} must be a whole number from ${min} to ${max} ${what}; got ${JSON.stringify(value)}`,
      field,
      { key: 'calendar.refusal.count', params: { min, max } },
    );
  }
  return value;
}

/**
 * Zone names found valid: luxon's check builds an Intl.DateTimeFormat each time, and every working-day question asks
 * it (a reminder plan, hundreds of times per deadline).
 */
const validZones = new Set<string>();

function checkTimeZone(timeZone: unknown, field: string): string {
  if (typeof timeZone === 'string' && validZones.has(timeZone)) return timeZone;
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    throw new CalendarError(
      `${field} ${JSON.stringify(timeZone)} is not an IANA time zone; use a name such as "Europe/Rome" or "Asia/Seoul"`,
      field,
      { key: 'calendar.refusal.timeZone' },
    );
  }
  validZones.add(timeZone);
  return timeZone;
}

function checkRule(rule: PeriodRule): PeriodRule {
  if (typeof rule !== 'object' || rule === null)
    throw new CalendarError('rule must be {count, unit}', 'rule', { key: 'calendar.refusal.rule' });
  if (!PERIOD_UNITS.includes(rule.unit)) {
    throw new CalendarError(
      `unit must be one of ${PERIOD_UNITS.join(', ')}; got ${JSON.stringify(rule.unit)}`,
      'unit',
      { key: 'calendar.refusal.unit' },
    );
  }
  checkCount(rule.count, 'count', 1, PERIOD_LIMITS[rule.unit], rule.unit.replace('_', ' '));
  checkRuleSet(rule.ruleSet);
  return rule;
}

function checkRuleSet(id: string | undefined): RuleSet {
  const set = ruleSetOf(id ?? DEFAULT_RULE_SET);
  if (!set)
    throw new CalendarError(`ruleSet ${JSON.stringify(id)} is not known; GET /api/v1/rule-sets lists them`, 'ruleSet', {
      key: 'calendar.refusal.ruleSet',
      params: { ruleSet: String(id) },
    });
  return set;
}

/** Checks an authority calendar; throws CalendarError naming the first bad field. */
export function validateCalendar(calendar: AuthorityCalendar): void {
  prepare(calendar);
}

function prepare(calendar: AuthorityCalendar, ruleSet?: string): Calendar {
  if (typeof calendar !== 'object' || calendar === null) {
    throw new CalendarError('calendar must be an object {timeZone, holidayRegion, weekendDays, closures}', 'calendar', {
      key: 'calendar.refusal.calendar',
    });
  }
  const timeZone = checkTimeZone(calendar.timeZone, 'timeZone');

  if (typeof calendar.holidayRegion !== 'string') {
    throw new CalendarError('holidayRegion must be a region code such as "IT" or "DE-BE"', 'holidayRegion', {
      key: 'calendar.refusal.region',
      params: { region: '' },
    });
  }
  const problem = regionProblem(calendar.holidayRegion);
  if (problem)
    throw new CalendarError(problem, 'holidayRegion', {
      key: 'calendar.refusal.region',
      params: { region: calendar.holidayRegion },
    });
  const region = normalizeRegion(calendar.holidayRegion);

  const days: unknown = calendar.weekendDays;
  if (!Array.isArray(days) || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new CalendarError(
      `weekendDays must list ISO weekday numbers 1 (Monday) to 7 (Sunday), e.g. [6, 7]; got ${JSON.stringify(days)}`,
      'weekendDays',
      { key: 'calendar.refusal.weekendDays' },
    );
  }
  const weekend = new Set<number>(days as number[]);
  if (weekend.size !== days.length) {
    throw new CalendarError(`weekendDays lists a day twice: ${JSON.stringify(days)}`, 'weekendDays', {
      key: 'calendar.refusal.weekendTwice',
    });
  }
  if (weekend.size === 7) {
    throw new CalendarError('weekendDays cannot hold all seven days: no day would be left to work', 'weekendDays', {
      key: 'calendar.refusal.wholeWeek',
    });
  }

  if (!Array.isArray(calendar.closures)) {
    throw new CalendarError('closures must be a list of {date, reason} (may be empty)', 'closures', {
      key: 'calendar.refusal.closures',
    });
  }
  const closures = new Map<string, string[]>();
  calendar.closures.forEach((closure, i) => {
    const field = `closures[${i}]`;
    if (typeof closure !== 'object' || closure === null)
      throw new CalendarError(`${field} must be {date, reason}`, field, { key: 'calendar.refusal.closures' });
    const date = iso(parseDate(closure.date, `${field}.date`));
    if (typeof closure.reason !== 'string' || !closure.reason.trim()) {
      throw new CalendarError(`${field}.reason must say why the authority is closed on ${date}`, `${field}.reason`, {
        key: 'calendar.refusal.closureReason',
        params: { closedDay: date },
      });
    }
    closures.set(date, [...(closures.get(date) ?? []), closure.reason.trim()]);
  });

  const problemOfCutoff = cutoffProblem(calendar.receiptCutoff);
  if (problemOfCutoff) throw new CalendarError(problemOfCutoff, 'receiptCutoff', { key: 'calendar.refusal.cutoff' });
  const cutoff = calendar.receiptCutoff
    ? {
        hour: Number(calendar.receiptCutoff.slice(0, 2)),
        minute: Number(calendar.receiptCutoff.slice(3, 5)),
        text: calendar.receiptCutoff,
      }
    : null;

  const set = checkRuleSet(ruleSet);
  const country = region.slice(0, 2);
  const national: LegalSystem =
    country === 'KR' || country === 'JP' ? country : EU_COUNTRIES.has(country) ? 'EU' : 'other';
  const legal: LegalSystem = set.legalSystem === 'EU' ? 'EU' : national;
  return { timeZone, region, legal, weekend, closures, cutoff, set };
}

function reasonsFor(day: Day, cal: Calendar): ExplanationEntry[] {
  const date = iso(day);
  const entries: ExplanationEntry[] = [];
  const national = STATUTORY_REST[cal.legal][day.weekday];
  const statutory = national ?? cal.set.restDays[day.weekday];
  const weekday = day.weekday;
  if (cal.weekend.has(weekday)) {
    entries.push({
      date,
      kind: 'weekend',
      reason: `${WEEKDAYS[weekday]}: weekend`,
      code: 'weekend',
      params: { weekday },
    });
  } else if (statutory) {
    const code = national ? STATUTORY_REST_CODES[cal.legal][weekday]! : (cal.set.restDaysCode ?? 'restDay');
    entries.push({ date, kind: 'weekend', reason: statutory, code, params: { weekday } });
  }
  for (const holiday of publicHolidaysOn(cal.region, date)) {
    entries.push({
      date,
      kind: 'holiday',
      reason: `Public holiday: ${holiday.name}`,
      code: 'holiday',
      params: { name: holiday.name, region: cal.region, holidayDay: date },
    });
  }
  for (const reason of cal.closures.get(date) ?? []) {
    entries.push({ date, kind: 'closure', reason: `Authority closed: ${reason}`, code: 'closure', params: { reason } });
  }
  return entries;
}

function rolloverBasis(cal: Calendar): string {
  return cal.set.rolloverBasis ?? ROLLOVER_BASIS[cal.legal];
}

/** The legal basis of the roll-over as a code the catalogue selects on: eu, kr, jp or none. */
function rolloverBasisCode(cal: Calendar): string {
  const legal: LegalSystem = cal.set.legalSystem === 'EU' ? 'EU' : cal.legal;
  return legal === 'other' ? 'none' : legal.toLowerCase();
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
        rolloverBasis(cal),
      code: 'rollover',
      params: { lastDay: iso(last), basis: rolloverBasisCode(cal) },
    },
  ];
  let day = last;
  for (let run = 0; reasons.length > 0; run++) {
    if (run >= MAX_NON_WORKING_RUN) {
      throw new CalendarError(
        `No working day in the ${MAX_NON_WORKING_RUN} days after ${iso(last)}: check the authority's closures`,
        'closures',
        { key: 'calendar.refusal.noWorkingDay', params: { count: MAX_NON_WORKING_RUN, fromDay: iso(last) } },
      );
    }
    entries.push(...reasons);
    day = day.plus({ days: 1 });
    reasons = reasonsFor(day, cal);
  }
  return { due: day, entries };
}

const INSTANT_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSZZ";

/**
 * An instant written with the zone's offset; in UTC when that offset has seconds (local mean time before a zone
 * adopted standard time, e.g. Pacific/Kosrae +10:51:56 in 1900), which an ISO 8601 offset cannot carry.
 */
function instantText(local: DateTime): string {
  return Number.isInteger(local.offset) ? local.toFormat(INSTANT_FORMAT) : local.toUTC().toFormat(INSTANT_FORMAT);
}

/** ISO 8601 instant with offset at the last millisecond of `date` in `timeZone`. */
export function endOfLocalDay(date: string, timeZone: string): string {
  const day = parseDate(date, 'date');
  checkTimeZone(timeZone, 'timeZone');
  return endOfDay(day, timeZone);
}

function endOfDay(day: Day, timeZone: string): string {
  const end = DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone: timeZone }).endOf('day');
  return instantText(end);
}

/**
 * The result of a computation. `holidaysMatter` is false for a span of exact time (hours), which runs through days
 * off and so cannot be moved by a missing holiday.
 */
function result(
  dueDate: string,
  dueAt: string,
  cal: Calendar,
  entries: ExplanationEntry[],
  holidaysMatter = true,
): DueDateResult {
  const shortfalls = holidaysMatter ? shortfallsFor(cal, entries, dueDate) : [];
  for (const shortfall of shortfalls)
    entries.push({
      date: dueDate,
      kind: 'unverified',
      reason: shortfall.sentence,
      code: 'unverifiedHolidayData',
      params: { region: shortfall.region, years: shortfall.years.join(', ') },
    });
  const warnings = shortfalls.map((shortfall) => shortfall.sentence);
  return {
    dueDate,
    dueAt,
    explanation: entries,
    ruleSet: cal.set.id,
    holidayDataVersion: HOLIDAY_DATA_VERSION,
    warnings,
  };
}

/** The holiday-data gaps of the years the count ran through, from its first explained day to the due date. */
function shortfallsFor(cal: Calendar, entries: ExplanationEntry[], dueDate: string): HolidayDataShortfall[] {
  const dates = [...entries.map((entry) => entry.date), dueDate].sort();
  const years: number[] = [];
  for (let year = Number(dates[0]!.slice(0, 4)); year <= Number(dueDate.slice(0, 4)); year++) years.push(year);
  return holidayDataShortfalls(cal.region, years);
}

function finish(due: Day, cal: Calendar, entries: ExplanationEntry[]): DueDateResult {
  const dueAt = endOfDay(due, cal.timeZone);
  entries.push({
    date: iso(due),
    kind: 'due',
    reason: `Due by the end of ${dayLabel(due)}: ${dueAt} (${cal.timeZone}; rule set ${cal.set.id})`,
    code: 'due',
    params: { dueDay: iso(due), dueAt, timeZone: cal.timeZone, ruleSet: cal.set.id },
  });
  return result(iso(due), dueAt, cal, entries);
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
    case 'hours':
      return plural(rule.count, 'hour');
  }
}

/**
 * Reg. 1182/71 art. 3(5): a period of two days or more includes at least two working days. When fewer fell between
 * the first counted day and the due day, the period ends on the second working day after `from`.
 */
function applyMinimum(from: Day, due: Day, rule: PeriodRule, cal: Calendar, entries: ExplanationEntry[]): Day {
  const minimum = cal.set.minimumWorkingDays;
  if (!minimum) return due;
  const lengthInDays = Math.round(due.diff(from, 'days').days);
  const nominal = rule.unit === 'calendar_days' ? rule.count : rule.unit === 'weeks' ? rule.count * 7 : lengthInDays;
  if (nominal < 2) return due;
  let working = 0;
  for (let day = from.plus({ days: 1 }); day <= due; day = day.plus({ days: 1 })) {
    if (reasonsFor(day, cal).length === 0) working++;
  }
  if (working >= minimum) return due;
  let day = from;
  for (let counted = 0; counted < minimum;) {
    day = day.plus({ days: 1 });
    if (reasonsFor(day, cal).length === 0) counted++;
  }
  entries.push({
    date: iso(day),
    kind: 'minimum',
    reason:
      `Only ${plural(working, 'working day')} fell within the period up to ${dayLabel(due)}; a period of two days or ` +
      `more includes at least ${plural(minimum, 'working day')}, so it ends on ${dayLabel(day)}` +
      (cal.set.minimumBasis ? ` (${cal.set.minimumBasis})` : ''),
    code: 'minimum',
    params: { working, lastDay: iso(due), minimum, endDay: iso(day), ruleSet: cal.set.id },
  });
  return day;
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
  return finish(applyMinimum(from, rolled.due, rule, cal, entries), cal, entries);
}

/**
 * A period in hours runs from an instant through nights, weekends and holidays and ends at an exact instant; the
 * days off it runs through are listed. Under a rule set that says so (Reg. 1182/71 art. 3(1)) the hour during which
 * the event occurred is not counted: the period starts at the beginning of the next hour.
 */
function countHours(start: DateTime, hours: number, cal: Calendar, entries: ExplanationEntry[]): DueDateResult {
  let from = start;
  if (cal.set.hoursFromNextHour && (start.minute || start.second || start.millisecond)) {
    from = start.startOf('hour').plus({ hours: 1 });
    entries.push({
      date: from.toISODate()!,
      kind: 'start',
      reason: `The hour during which the event occurred is not counted: the period starts at ${from.toFormat('yyyy-MM-dd HH:mm')} (${cal.set.hoursBasis ?? cal.set.name})`,
      code: 'nextHour',
      params: { startAt: instantText(from), ruleSet: cal.set.id },
    });
  }
  // luxon adds hours as elapsed time: 24 hours across a change to summer time end at 13:00 for a start at 12:00.
  const due = from.plus({ hours });
  const seen = new Set<string>();
  for (let day = from.startOf('day'); day <= due; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    if (seen.has(date)) continue;
    seen.add(date);
    const reasons = reasonsFor(DateTime.utc(day.year, day.month, day.day), cal);
    for (const reason of reasons)
      entries.push({
        date,
        kind: 'runs_through',
        reason: `${reason.reason} (counted: a period in hours runs through days off)`,
        code: reason.code,
        params: reason.params,
      });
  }
  const dueAt = instantText(due);
  entries.push({
    date: due.toISODate()!,
    kind: 'due',
    reason:
      `Due at ${dueAt} (${cal.timeZone}; rule set ${cal.set.id}): exactly ${plural(hours, 'hour')} after ` +
      `${from.toFormat('yyyy-MM-dd HH:mm')}, counted through nights, weekends and public holidays` +
      (cal.set.hoursNote ? ` (${cal.set.hoursNote})` : ''),
    code: 'dueHours',
    params: {
      dueAt,
      timeZone: cal.timeZone,
      ruleSet: cal.set.id,
      count: hours,
      unit: 'hours',
      startAt: instantText(from),
    },
  });
  return result(due.toISODate()!, dueAt, cal, entries, false);
}

/** The local civil date (YYYY-MM-DD) of an instant in an IANA time zone; the checked face of `local-time`. */
export function localDateOf(instant: Date, timeZone: string): string {
  checkTimeZone(timeZone, 'timeZone');
  checkInstant(instant, 'instant', timeZone);
  return localDate(instant, timeZone);
}

function checkInstant(instant: unknown, field: string, timeZone: string): DateTime {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new CalendarError(`${field} must be a valid instant, e.g. 2025-01-28T10:00:00Z`, field, {
      key: 'calendar.refusal.instant',
    });
  }
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (local.year < MIN_YEAR || local.year > MAX_YEAR) {
    throw new CalendarError(
      `${field} ${instant.toISOString()} is outside the supported years ${MIN_YEAR}-${MAX_YEAR}`,
      field,
      { key: 'calendar.refusal.years', params: { min: MIN_YEAR, max: MAX_YEAR } },
    );
  }
  return local;
}

/**
 * The day an event counts from: its local date, or, with a receipt cut-off, the next working day when the event
 * came at or after the cut-off or on a day that is not a working day.
 */
function effectiveEventDay(local: DateTime, cal: Calendar, entries: ExplanationEntry[]): Day {
  const eventDay = DateTime.utc(local.year, local.month, local.day);
  if (!cal.cutoff) return eventDay;
  const late = local.hour * 60 + local.minute >= cal.cutoff.hour * 60 + cal.cutoff.minute;
  const dayOff = reasonsFor(eventDay, cal);
  if (!late && dayOff.length === 0) return eventDay;
  let day = eventDay.plus({ days: 1 });
  for (let run = 0; reasonsFor(day, cal).length > 0; run++) {
    if (run >= MAX_NON_WORKING_RUN)
      throw new CalendarError('No working day after the event: check the closures', 'closures', {
        key: 'calendar.refusal.noWorkingDayAfterEvent',
      });
    day = day.plus({ days: 1 });
  }
  const why = late
    ? `at or after the authority's receipt cut-off of ${cal.cutoff.text}`
    : `on a day that is not a working day (${dayOff.map((entry) => entry.reason).join('; ')})`;
  entries.push({
    date: iso(day),
    kind: 'cutoff',
    reason: `The event came ${why}, so it counts as received on the next working day, ${dayLabel(day)}; the period is counted from the day after it`,
    code: late ? 'cutoffLate' : 'cutoffDayOff',
    params: { cutoff: cal.cutoff.text, receivedDay: iso(day) },
    ...(late ? {} : { causes: dayOff.map((entry) => ({ code: entry.code!, params: entry.params })) }),
  });
  return day;
}

/**
 * Due date of a period that starts with an event: counting begins the day after the event's local
 * date in the authority's time zone; a last day that is not a working day moves to the next one.
 * A period in hours runs from the event's instant and ends at an exact instant.
 */
export function computeDueDate(event: Date, calendar: AuthorityCalendar, rule: PeriodRule): DueDateResult {
  checkRule(rule);
  const cal = prepare(calendar, rule.ruleSet);
  const local = checkInstant(event, 'event', cal.timeZone);
  const eventDay = DateTime.utc(local.year, local.month, local.day);
  const entries: ExplanationEntry[] = [];
  if (rule.unit === 'hours') {
    entries.push({
      date: iso(eventDay),
      kind: 'start',
      reason: `Event at ${local.toFormat('yyyy-MM-dd HH:mm:ss')} ${cal.timeZone} (${WEEKDAYS[eventDay.weekday]}); ${ruleText(rule)} under rule set ${cal.set.id} (${cal.set.name})`,
      code: 'startHours',
      params: {
        eventAt: instantText(local),
        timeZone: cal.timeZone,
        count: rule.count,
        unit: rule.unit,
        ruleSet: cal.set.id,
      },
    });
    return countHours(local, rule.count, cal, entries);
  }
  entries.push({
    date: iso(eventDay),
    kind: 'start',
    reason:
      `Event at ${local.toFormat('yyyy-MM-dd HH:mm')} ${cal.timeZone} (${WEEKDAYS[eventDay.weekday]}); ` +
      `${ruleText(rule)} counted from the next day, ${iso(eventDay.plus({ days: 1 }))}, under rule set ${cal.set.id} (${cal.set.name})`,
    code: 'start',
    params: {
      eventAt: instantText(local),
      timeZone: cal.timeZone,
      count: rule.count,
      unit: rule.unit,
      firstDay: iso(eventDay.plus({ days: 1 })),
      ruleSet: cal.set.id,
    },
  });
  const from = effectiveEventDay(local, cal, entries);
  return countPeriod(from, rule, cal, entries);
}

/**
 * New due date of an extension by count+unit, counted from the day after the previous due date; an extension in
 * hours runs from the previous due instant (`previousDueAt`).
 */
export function extendDueDate(
  previousDueDate: string,
  calendar: AuthorityCalendar,
  rule: PeriodRule,
  previousDueAt?: string,
): DueDateResult {
  checkRule(rule);
  const cal = prepare(calendar, rule.ruleSet);
  const from = parseDate(previousDueDate, 'previousDueDate');
  if (rule.unit === 'hours') {
    const start = previousDueAt
      ? DateTime.fromISO(previousDueAt, { zone: cal.timeZone })
      : DateTime.fromObject({ year: from.year, month: from.month, day: from.day }, { zone: cal.timeZone }).endOf('day');
    const entries: ExplanationEntry[] = [
      {
        date: iso(from),
        kind: 'start',
        reason: `Previous due instant ${start.toFormat(INSTANT_FORMAT)}; extension of ${ruleText(rule)} from it`,
        code: 'extendHours',
        params: { previousAt: start.toFormat(INSTANT_FORMAT), count: rule.count, unit: rule.unit },
      },
    ];
    return countHours(start, rule.count, { ...cal, set: { ...cal.set, hoursFromNextHour: false } }, entries);
  }
  const entries: ExplanationEntry[] = [
    {
      date: iso(from),
      kind: 'start',
      reason: `Previous due date ${dayLabel(from)}; extension of ${ruleText(rule)} counted from the next day`,
      code: 'extend',
      params: { previousDay: iso(from), count: rule.count, unit: rule.unit },
    },
  ];
  return countPeriod(from, rule, cal, entries);
}

/** A due date given directly: kept when a working day, otherwise moved to the next working day. */
export function dueAtEndOf(date: string, calendar: AuthorityCalendar, ruleSet?: string): DueDateResult {
  const cal = prepare(calendar, ruleSet);
  const day = parseDate(date, 'date');
  const entries: ExplanationEntry[] = [
    {
      date: iso(day),
      kind: 'start',
      reason: `Due date set directly: ${dayLabel(day)}`,
      code: 'setDirectly',
      params: { setDay: iso(day) },
    },
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
  ruleSet?: string,
): DueDateResult {
  const cal = prepare(calendar, ruleSet);
  const from = parseDate(dueDate, 'dueDate');
  const stopped = checkCount(stoppedCalendarDays, 'stoppedCalendarDays', 0, MAX_STOPPED_DAYS, 'days');
  const entries: ExplanationEntry[] = [
    {
      date: iso(from),
      kind: 'start',
      reason: `Due date before the suspension: ${dayLabel(from)}; the clock was stopped for ${plural(stopped, 'calendar day')}, which are added`,
      code: 'stoppedDays',
      params: { previousDay: iso(from), days: stopped },
    },
  ];
  const rolled = rollForward(from.plus({ days: stopped }), cal);
  entries.push(...rolled.entries);
  return finish(rolled.due, cal, entries);
}

/** Resuming a period in hours: the exact time the clock was stopped is added to the due instant. */
export function addStoppedTime(
  dueAt: string,
  stoppedMilliseconds: number,
  calendar: AuthorityCalendar,
  ruleSet?: string,
): DueDateResult {
  const cal = prepare(calendar, ruleSet);
  if (
    !Number.isInteger(stoppedMilliseconds) ||
    stoppedMilliseconds < 0 ||
    stoppedMilliseconds > MAX_STOPPED_DAYS * 86_400_000
  )
    throw new CalendarError('the stopped time must be between 0 and 3660 days', 'stopped', {
      key: 'calendar.refusal.stopped',
      params: { max: MAX_STOPPED_DAYS },
    });
  const previous = DateTime.fromISO(dueAt, { zone: cal.timeZone });
  const due = previous.plus({ milliseconds: stoppedMilliseconds });
  const text = instantText(due);
  const hours = Math.round((stoppedMilliseconds / 3_600_000) * 100) / 100;
  return result(
    due.toISODate()!,
    text,
    cal,
    [
      {
        date: previous.toISODate()!,
        kind: 'start',
        reason: `Due instant before the suspension: ${previous.toFormat(INSTANT_FORMAT)}; the clock was stopped for ${hours} hours, which are added`,
        code: 'stoppedTime',
        params: { previousAt: previous.toFormat(INSTANT_FORMAT), hours },
      },
      {
        date: due.toISODate()!,
        kind: 'due',
        reason: `Due at ${text} (${cal.timeZone})`,
        code: 'dueAtInstant',
        params: { dueAt: text, timeZone: cal.timeZone },
      },
    ],
    false,
  );
}

/** Why `date` is not a working day for this authority: weekend, public holidays, closures; [] when it is one. */
export function nonWorkingReasons(date: string, calendar: AuthorityCalendar, ruleSet?: string): ExplanationEntry[] {
  return reasonsFor(parseDate(date, 'date'), prepare(calendar, ruleSet));
}

export function isWorkingDay(date: string, calendar: AuthorityCalendar, ruleSet?: string): boolean {
  return nonWorkingReasons(date, calendar, ruleSet).length === 0;
}

/** Public holidays (supplements applied) and the authority's closures from `from` to `to` inclusive. */
export function holidaysBetween(calendar: AuthorityCalendar, from: string, to: string): CalendarHoliday[] {
  const cal = prepare(calendar);
  const start = parseDate(from, 'from');
  const end = parseDate(to, 'to');
  if (end < start)
    throw new CalendarError(`to (${to}) must not be before from (${from})`, 'to', {
      key: 'calendar.refusal.toBeforeFrom',
      params: { fromDay: from },
    });
  if (end.year - start.year > 20)
    throw new CalendarError('from and to may be at most 20 years apart', 'to', {
      key: 'calendar.refusal.range',
      params: { years: 20 },
    });
  const found: CalendarHoliday[] = publicHolidaysBetween(cal.region, from, to);
  for (const [date, reasons] of cal.closures) {
    if (date >= from && date <= to) found.push(...reasons.map((name) => ({ date, name, source: 'closure' as const })));
  }
  // stable sort: on one date, public holidays stay ahead of closures
  return found.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
