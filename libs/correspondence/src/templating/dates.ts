import { DateTime, IANAZone } from 'luxon';
import { dateLocale } from '#docket/i18n';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The Intl locale used for dates in letters (a bare `en` is `en-GB`, see dateLocale). */
export function intlLocale(locale: string): string {
  try {
    return dateLocale(locale);
  } catch {
    throw new RangeError(`Invalid locale "${locale}"`);
  }
}

/** Whether `timeZone` is a known IANA zone; luxon keeps one zone object per name, so each is checked once. */
export function isKnownTimeZone(timeZone: string): boolean {
  return Boolean(timeZone) && IANAZone.create(timeZone).isValid;
}

export function assertTimeZone(timeZone: string): void {
  if (!isKnownTimeZone(timeZone)) throw new RangeError(`Unknown time zone "${timeZone}"`);
}

/** An instant (ISO string with offset, or Date) seen in `timeZone`, or a `YYYY-MM-DD` calendar date. */
export function toZonedDateTime(value: string | Date, timeZone: string): DateTime {
  assertTimeZone(timeZone);
  let dt: DateTime;
  if (value instanceof Date) dt = DateTime.fromJSDate(value, { zone: timeZone });
  else if (DATE_ONLY.test(value)) dt = DateTime.fromISO(value, { zone: timeZone });
  else dt = DateTime.fromISO(value, { setZone: true }).setZone(timeZone);
  if (!dt.isValid)
    throw new RangeError(`Invalid date "${String(value)}": ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt;
}

/**
 * The long local date of a deadline as written in a letter: "17 febbraio 2025",
 * "2025년 2월 17일", "2025年2月17日", "17 February 2025". `dueAt` is the due instant
 * (shown as the date it falls on in the authority's time zone) or a `YYYY-MM-DD` date.
 */
export function formatDeadline(dueAt: string | Date, locale: string, timeZone: string): string {
  return toZonedDateTime(dueAt, timeZone).setLocale(intlLocale(locale)).toLocaleString(DateTime.DATE_FULL);
}
