import { DateTime } from 'luxon';
import { localDateOf } from '#docket/calendar';

/** Where and how dates are shown: the authority's time zone and locale. */
export interface DateSettings {
  timezone: string;
  locale: string;
}

export const DEFAULT_DATE_SETTINGS: DateSettings = { timezone: 'UTC', locale: 'en-GB' };

/** A calendar date (YYYY-MM-DD) in words, e.g. "lunedì 17 febbraio 2025"; a date has no zone to convert. */
export function formatDate(
  date: string | null | undefined,
  settings: DateSettings,
  style: 'long' | 'short' = 'long',
): string {
  if (!date) return '';
  const parsed = DateTime.fromISO(date, { zone: 'UTC' });
  if (!parsed.isValid) return date;
  return parsed
    .setLocale(settings.locale)
    .toLocaleString(
      style === 'long'
        ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
        : { day: 'numeric', month: 'short', year: 'numeric' },
    );
}

/** An instant as date and time in the authority's zone, with the zone's abbreviation, e.g. "17 feb 2025, 23:59 CET". */
export function formatInstant(instant: string | Date | null | undefined, settings: DateSettings): string {
  if (!instant) return '';
  const parsed = instant instanceof Date ? DateTime.fromJSDate(instant) : DateTime.fromISO(instant, { setZone: true });
  if (!parsed.isValid) return String(instant);
  return parsed.setZone(settings.timezone).setLocale(settings.locale).toLocaleString({
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    // The 24-hour clock of official notices in every language (Korean otherwise reads "AM 10:00").
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
}

/** The local date (YYYY-MM-DD) of an instant in the zone: libs/calendar's one helper. */
export function localDate(instant: Date, timezone: string): string {
  return localDateOf(instant, timezone);
}

/** Whole days from `today` to `date` (both YYYY-MM-DD); negative when `date` is past. */
export function daysBetween(today: string, date: string): number {
  return Math.round(
    DateTime.fromISO(date, { zone: 'UTC' }).diff(DateTime.fromISO(today, { zone: 'UTC' }), 'days').days,
  );
}

/** "in 3 days", "yesterday", "today" … in the authority's locale. */
export function relativeDays(days: number, settings: DateSettings): string {
  return new Intl.RelativeTimeFormat(settings.locale, { numeric: 'auto' }).format(days, 'day');
}

/** Weekday names (ISO numbers, 1 = Monday) in the locale. */
export function weekdayNames(days: number[], settings: DateSettings): string[] {
  // 2024-01-01 was a Monday.
  return days.map((day) =>
    DateTime.fromISO(`2024-01-0${day}`, { zone: 'UTC' }).setLocale(settings.locale).toLocaleString({ weekday: 'long' }),
  );
}

/** An amount of money in the page's locale through Intl ("15.000.000,00 €", "₩3,000,000"). */
export function formatMoney(amount: number, currency: string, settings: DateSettings): string {
  try {
    return new Intl.NumberFormat(settings.locale, { style: 'currency', currency }).format(amount);
  } catch {
    return `${currency} ${amount}`;
  }
}
