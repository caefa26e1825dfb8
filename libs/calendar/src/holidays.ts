import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { HOLIDAY_SUPPLEMENTS, type HolidaySupplement } from './holiday-supplements.js';

export type HolidaySource = 'date-holidays' | 'supplement';

export interface PublicHoliday {
  date: string;
  name: string;
  source: HolidaySource;
}

/**
 * The name of a public holiday for a reader of `language` (an interface language code such as 'ko'): in that
 * language when the holiday data has it, else the official name in the country's own language (what the
 * authority's staff find in their own calendar and gazette); English readers read the English name. `englishName`
 * is the name `publicHolidaysOn`/`publicHolidaysBetween` gave; an unknown holiday keeps it.
 */
export function publicHolidayName(region: string, date: string, englishName: string, language: string): string {
  if (language === 'en') return englishName;
  const r = regionOf(region);
  const year = Number(date.slice(0, 4));
  const supplement = HOLIDAY_SUPPLEMENTS.find(
    (s) =>
      s.action === 'add' &&
      s.name === englishName &&
      r.lineage.includes(normalizeRegion(s.region)) &&
      supplementDate(s, year) === date,
  );
  if (supplement) return supplement.localName ?? englishName;
  return localNames(r, year, language).get(`${date}|${englishName}`) ?? englishName;
}

const localNameCache = new Map<string, Map<string, string>>();

/**
 * `date|English name` → the name in `language` (or the country's own), for the library's holidays of a year. A
 * fresh date-holidays instance per language: one instance asked in turn for several languages falls back to the
 * one asked before rather than to the country's own.
 */
function localNames(r: Region, year: number, language: string): Map<string, string> {
  const key = `${r.key}|${year}|${language}`;
  let names = localNameCache.get(key);
  if (names) return names;
  names = new Map();
  const [country, state, area] = r.key.split('-');
  const options = { languages: [language] };
  const local = area
    ? new Holidays(country!, state!, area, options)
    : state
      ? new Holidays(country!, state, options)
      : new Holidays(country!, options);
  for (const y of [year - 1, year, year + 1]) {
    const byRule = new Map(local.getHolidays(y).map((holiday) => [`${holiday.rule}|${holiday.date}`, holiday.name]));
    for (const holiday of r.holidays.getHolidays(y, 'en')) {
      const name = byRule.get(`${holiday.rule}|${holiday.date}`);
      if (name === undefined) continue;
      for (const date of datesCovered(holiday.start, holiday.end, r.zone)) names.set(`${date}|${holiday.name}`, name);
    }
  }
  localNameCache.set(key, names);
  return names;
}

interface Region {
  key: string;
  /** The region and its ancestors, e.g. ['IT', 'IT-62', 'IT-62-RM']: supplements of any of them apply. */
  lineage: string[];
  holidays: Holidays;
  zone: string;
  years: Map<number, Map<string, PublicHoliday[]>>;
}

const REGION_SHAPE = /^([A-Z]{2})(?:-([A-Z0-9]{1,3})(?:-([A-Z0-9]{1,3}))?)?$/;
const regions = new Map<string, Region>();
const supported = new Set<string>();

export function normalizeRegion(region: string): string {
  return region.trim().toUpperCase();
}

/** A sentence saying why `region` cannot be used, or undefined when date-holidays supports it. */
export function regionProblem(region: string): string | undefined {
  if (supported.has(region)) return undefined;
  const problem = findRegionProblem(region);
  if (!problem) supported.add(region);
  return problem;
}

function findRegionProblem(region: string): string | undefined {
  const match = REGION_SHAPE.exec(normalizeRegion(region));
  if (!match) {
    return `"${region}" is not a holiday region: use an ISO country code such as "IT", or country-state such as "DE-BE"`;
  }
  const [, country, state, area] = match as unknown as [string, string, string | undefined, string | undefined];
  const catalogue = new Holidays();
  if (!(country in catalogue.getCountries())) {
    return `"${region}" is not a known holiday region: no public-holiday data for country "${country}"`;
  }
  if (state) {
    const states = catalogue.getStates(country) ?? {};
    if (!(state in states)) {
      const known = Object.keys(states);
      return (
        `"${region}" is not a known holiday region: ${country} has no state "${state}"` +
        (known.length ? ` (known: ${known.join(', ')})` : ' (only the whole country is supported)')
      );
    }
    if (area && !(area in (catalogue.getRegions(country, state) ?? {}))) {
      return `"${region}" is not a known holiday region: ${country}-${state} has no region "${area}"`;
    }
  }
  return undefined;
}

function regionOf(region: string): Region {
  const key = normalizeRegion(region);
  let found = regions.get(key);
  if (!found) {
    const parts = key.split('-');
    const [country, state, area] = parts;
    const holidays = area
      ? new Holidays(country!, state!, area)
      : state
        ? new Holidays(country!, state)
        : new Holidays(country!);
    found = {
      key,
      lineage: parts.map((_, i) => parts.slice(0, i + 1).join('-')),
      holidays,
      zone: holidays.getTimezones()[0] ?? 'UTC',
      years: new Map(),
    };
    regions.set(key, found);
  }
  return found;
}

/**
 * Civil dates whose daytime a holiday covers. A date counts when the holiday is in force at 12:00
 * local time on it: a Jewish holiday running 18:00 on the 12th to 18:00 on the 13th is the 13th,
 * a 3-day span from midnight covers three dates, and a holiday starting at 14:00 covers none.
 */
function datesCovered(start: Date, end: Date, zone: string): string[] {
  const dates: string[] = [];
  const from = start.getTime();
  const until = end.getTime();
  let day = DateTime.fromJSDate(start, { zone }).startOf('day');
  const last = DateTime.fromJSDate(end, { zone });
  while (day <= last) {
    const noon = day.set({ hour: 12 }).toMillis();
    if (noon >= from && noon < until) dates.push(day.toISODate()!);
    day = day.plus({ days: 1 });
  }
  return dates;
}

/** What date-holidays itself says for `year`: type 'public' only, before any supplement. */
export function libraryPublicHolidays(region: string, year: number): PublicHoliday[] {
  const r = regionOf(region);
  const found: PublicHoliday[] = [];
  for (const y of [year - 1, year, year + 1]) {
    for (const holiday of r.holidays.getHolidays(y, 'en')) {
      if (holiday.type !== 'public') continue;
      for (const date of datesCovered(holiday.start, holiday.end, r.zone)) {
        if (Number(date.slice(0, 4)) === year) found.push({ date, name: holiday.name, source: 'date-holidays' });
      }
    }
  }
  return sortAndDedupe(found);
}

function sortAndDedupe(list: PublicHoliday[]): PublicHoliday[] {
  const seen = new Set<string>();
  return list
    .filter((h) => {
      const key = `${h.date}|${h.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The date a supplement falls on in `year`, if it applies that year. */
export function supplementDate(supplement: HolidaySupplement, year: number): string | undefined {
  const { date, from } = supplement;
  if (date.length === 5) return from === undefined || year >= from ? `${year}-${date}` : undefined;
  return Number(date.slice(0, 4)) === year ? date : undefined;
}

function yearOf(r: Region, year: number): Map<string, PublicHoliday[]> {
  let byDate = r.years.get(year);
  if (byDate) return byDate;
  let list = libraryPublicHolidays(r.key, year);
  const supplements = HOLIDAY_SUPPLEMENTS.filter(
    (s) => r.lineage.includes(normalizeRegion(s.region)) && (!s.only || normalizeRegion(s.region) === r.key),
  );
  const removed = new Set(
    supplements
      .filter((s) => s.action === 'remove')
      .map((s) => supplementDate(s, year))
      .filter(Boolean),
  );
  list = list.filter((h) => !removed.has(h.date));
  for (const s of supplements) {
    const date = supplementDate(s, year);
    if (s.action === 'add' && date) list.push({ date, name: s.name, source: 'supplement' });
  }
  byDate = new Map();
  for (const holiday of sortAndDedupe(list)) {
    byDate.set(holiday.date, [...(byDate.get(holiday.date) ?? []), holiday]);
  }
  r.years.set(year, byDate);
  return byDate;
}

/** Public holidays on one civil date (YYYY-MM-DD), supplements applied; [] when none. */
export function publicHolidaysOn(region: string, date: string): PublicHoliday[] {
  return yearOf(regionOf(region), Number(date.slice(0, 4))).get(date) ?? [];
}

/** Public holidays from `from` to `to` inclusive (YYYY-MM-DD), supplements applied, by date. */
export function publicHolidaysBetween(region: string, from: string, to: string): PublicHoliday[] {
  const r = regionOf(region);
  const found: PublicHoliday[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const [date, holidays] of yearOf(r, year)) {
      if (date >= from && date <= to) found.push(...holidays);
    }
  }
  return found;
}
