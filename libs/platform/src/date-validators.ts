import { isISO8601, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * The years a date or instant given to the API may fall in. Wider than any inquiry needs (letters from 1900,
 * deadlines to 2199) and narrow enough that every computation on it (business days, time zones, the
 * database's date types) stays well defined.
 */
export const DATE_RANGE = { fromYear: 1900, toYear: 2199 } as const;

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RANGE_TEXT = `between ${DATE_RANGE.fromYear} and ${DATE_RANGE.toYear}`;

/** True for a real day of the Gregorian calendar written YYYY-MM-DD, within DATE_RANGE. */
export function isCalendarDate(value: unknown): value is string {
  const match = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < DATE_RANGE.fromYear || year > DATE_RANGE.toYear || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for an ISO 8601 instant (or date, with `dateAllowed`) that names a real moment within DATE_RANGE. */
export function isInstant(value: unknown, dateAllowed = false): value is string {
  if (typeof value !== 'string' || value.length > 40) return false;
  if (CALENDAR_DATE.test(value)) return dateAllowed && isCalendarDate(value);
  if (!isISO8601(value, { strict: true, strictSeparator: true })) return false;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  const local = /^(\d{4})-(\d{2})-(\d{2})T/.exec(value);
  if (!local || !isCalendarDate(`${local[1]}-${local[2]}-${local[3]}`)) return false;
  const year = new Date(time).getUTCFullYear();
  return year >= DATE_RANGE.fromYear - 1 && year <= DATE_RANGE.toYear + 1;
}

/** A calendar date, `YYYY-MM-DD`, that exists and lies between 1900 and 2199. */
export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value) => isCalendarDate(value),
        defaultMessage: (args) => `${args?.property} must be a date written YYYY-MM-DD ${RANGE_TEXT}, e.g. 2025-02-17`,
      },
    },
    options,
  );

/** An ISO 8601 instant (date and time, best with an offset) that exists and lies between 1900 and 2199. */
export const IsInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value) => isInstant(value),
        defaultMessage: (args) =>
          `${args?.property} must be an ISO 8601 instant with offset ${RANGE_TEXT}, e.g. 2025-01-30T16:20:00+01:00`,
      },
    },
    options,
  );

/** Either a calendar date or an instant, each as above. */
export const IsDateOrInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDateOrInstant',
      validator: {
        validate: (value) => isInstant(value, true),
        defaultMessage: (args) =>
          `${args?.property} must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset, ${RANGE_TEXT}`,
      },
    },
    options,
  );
