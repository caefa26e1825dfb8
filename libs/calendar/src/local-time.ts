import { DateTime, IANAZone } from 'luxon';

/**
 * The one place that turns instants into an authority's local dates and back. Every date-only value Docket reads
 * or writes (a decision date, a receipt date, a due date, a filter, a CSV cell, a page) is a civil date in the
 * authority's time zone: read with `instantOfLocalDate` / `parseDateOrInstant`, written with `localDateOf`.
 * Never `new Date('YYYY-MM-DD')` (midnight UTC: the previous day anywhere west of Greenwich).
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function zoneOf(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`"${timeZone}" is not an IANA time zone`);
  return zone;
}

/** The local civil date (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('localDateOf needs a valid instant');
  return DateTime.fromJSDate(instant, { zone: zoneOf(timeZone) }).toISODate()!;
}

/** The local date and time (YYYY-MM-DD HH:mm) of an instant in the zone. */
export function localDateTimeOf(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: zoneOf(timeZone) }).toFormat('yyyy-MM-dd HH:mm');
}

/** True when `value` is written YYYY-MM-DD (whether the day exists is checked where it is read). */
export function isDateOnly(value: string): boolean {
  return ISO_DATE.test(value);
}

/**
 * The first instant of a local date in the zone: normally 00:00, or the first minute that exists when the zone's
 * clocks jumped over midnight that day (São Paulo before 2019, Beirut, Havana). A date the zone skipped altogether
 * (Pacific/Apia 2011-12-30, when Samoa crossed the date line) has no instant: a RangeError says so.
 */
export function instantOfLocalDate(date: string, timeZone: string): Date {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date written YYYY-MM-DD`);
  const zone = zoneOf(timeZone);
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const local = DateTime.fromObject({ year, month, day }, { zone });
  if (!local.isValid) throw new RangeError(`${date} does not exist`);
  // fromObject puts a time inside a gap at the gap's end, so 00:00 lands on the first instant of the day, unless
  // the day itself was skipped: then the instant falls on a later date.
  if (local.toISODate() !== date) throw new RangeError(`${date} did not exist in ${timeZone}: its clocks skipped it`);
  return local.toJSDate();
}

/** The instant of a local date and time (HH:mm) in the zone; a time inside a summer-time gap moves to its end. */
export function instantOfLocalTime(date: string, time: string, timeZone: string): Date {
  instantOfLocalDate(date, timeZone);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return DateTime.fromObject({ year, month, day, hour, minute }, { zone: timeZone }).toJSDate();
}

/** The last millisecond of a local date in the zone, as a Date. */
export function endInstantOfLocalDate(date: string, timeZone: string): Date {
  const start = DateTime.fromJSDate(instantOfLocalDate(date, timeZone), { zone: timeZone });
  return start.endOf('day').toJSDate();
}

/** The local date `days` after (or before, negative) `date`; pure calendar arithmetic, no zone. */
export function addDays(date: string, days: number): string {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  // Asked for every day of a period and every reminder: plain UTC arithmetic rather than a luxon DateTime each time.
  if (parts) {
    const [year, month, dayOfMonth] = [Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])];
    const day = new Date(0);
    day.setUTCFullYear(year, month, dayOfMonth);
    // Only a real date (not 2024-02-30, which Date would roll over) within four-digit years.
    if (day.getUTCMonth() === month && day.getUTCDate() === dayOfMonth) {
      day.setUTCDate(dayOfMonth + days);
      const reached = day.getUTCFullYear();
      if (reached >= 1000 && reached <= 9999) return day.toISOString().slice(0, 10);
    }
  }
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/**
 * An API value that is either a date (the authority's local date, read as its first instant) or an ISO 8601
 * instant with offset. Returns null when it is neither.
 */
export function parseDateOrInstant(value: string, timeZone: string): Date | null {
  if (isDateOnly(value)) {
    try {
      return instantOfLocalDate(value, timeZone);
    } catch {
      return null;
    }
  }
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : null;
}
