import { DateTime } from 'luxon';

/** `<CODE>-<YYYY>-<NNNN>`: four digits at least, more once an authority opens its 10,000th case of a year. */
export function formatCaseReference(authorityCode: string, year: number, number: number): string {
  if (!Number.isInteger(number) || number < 1) throw new RangeError(`case numbers start at 1 (got ${number})`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    throw new RangeError(`year must have four digits (got ${year})`);
  return `${authorityCode}-${year}-${String(number).padStart(4, '0')}`;
}

/** The reference prefix `<CODE>-<YYYY>-`. */
export const referencePrefix = (authorityCode: string, year: number): string => `${authorityCode}-${year}-`;

/** formatCaseReference in SQL, for the statement that takes the number and inserts the case at once. */
export const referenceSql = (prefix: string, number: string): string =>
  `${prefix} || CASE WHEN ${number} < 10000 THEN lpad(${number}::text, 4, '0') ELSE ${number}::text END`;

/** Per time zone, the instants of the last local year asked for (every case opened asks; the year seldom changes). */
const yearSpans = new Map<string, { from: number; to: number; year: number }>();

/** The calendar year of an instant in the authority's time zone: the year its reference counter belongs to. */
export function referenceYear(instant: Date, timezone: string): number {
  const time = instant.getTime();
  const span = yearSpans.get(timezone);
  if (span && time >= span.from && time < span.to) return span.year;
  const local = DateTime.fromJSDate(instant, { zone: timezone });
  if (!local.isValid) throw new RangeError(`unknown time zone ${timezone}`);
  const start = local.startOf('year');
  yearSpans.set(timezone, { from: start.toMillis(), to: start.plus({ years: 1 }).toMillis(), year: local.year });
  return local.year;
}
