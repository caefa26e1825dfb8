import { DateTime, Duration } from 'luxon';
import { isWorkingDay, type AuthorityCalendar } from './engine.js';
import { addDays, instantOfLocalTime } from './local-time.js';

const MAX_OFFSET_DAYS = 366;

/**
 * An offset in office terms: N calendar days (`D`) or working days (`WD`) before (`-`) or after the due date,
 * optionally at a local time (`-P1WD@09:00`: one working day before the due date, at 09:00 in the authority's zone).
 */
const OFFICE_OFFSET = /^([+-])?P(\d{1,3})(WD|D)(?:@([01]\d|2[0-3]):([0-5]\d))?$/;

export interface OfficeOffset {
  sign: 1 | -1;
  count: number;
  unit: 'D' | 'WD';
  time: string | null;
}

/** The parts of an office offset (`-P1WD@09:00`), or null for anything else. */
export function officeOffset(offset: string): OfficeOffset | null {
  const match = OFFICE_OFFSET.exec(offset.trim());
  if (!match) return null;
  return {
    sign: match[1] === '-' ? -1 : 1,
    count: Number(match[2]),
    unit: match[3] as 'D' | 'WD',
    time: match[4] ? `${match[4]}:${match[5]}` : null,
  };
}

/**
 * Parses a reminder offset: a signed ISO 8601 duration (`-P7D`, `PT0S`, `P3D`, `-PT30S`) or an office offset
 * (`-P1WD@09:00`, `-P7D@09:00`); null when it is neither. For an office offset the duration is its nominal length
 * (working days read as days), good for ordering and limits; `fireAt` gives the exact instant.
 */
export function parseOffset(offset: string): Duration | null {
  const office = officeOffset(offset);
  if (office) {
    const days = Duration.fromObject({ days: office.count });
    return office.sign < 0 ? days.negate() : days;
  }
  const match = /^([+-])?(P.+)$/.exec(offset.trim());
  if (!match) return null;
  const duration = Duration.fromISO(match[2]);
  if (!duration.isValid) return null;
  return match[1] === '-' ? duration.negate() : duration;
}

/** Why an offset is unusable, or null. */
export function offsetProblem(offset: string): string | null {
  const duration = parseOffset(offset);
  if (!duration)
    return `offset "${offset}" is not a signed ISO 8601 duration such as -P7D, PT0S or P3D, nor an office offset such as -P1WD@09:00 (one working day before the due date, at 09:00 local)`;
  if (Math.abs(duration.as('days')) > MAX_OFFSET_DAYS)
    return `offset "${offset}" is more than ${MAX_OFFSET_DAYS} days from the due instant`;
  return null;
}

/** Why an offset is unusable as a catalogue message (`calendar.refusal.offset*`), or null. */
export function offsetRefusal(offset: string): { key: string; params: Record<string, string | number> } | null {
  const duration = parseOffset(offset);
  if (!duration) return { key: 'calendar.refusal.offset', params: { offset } };
  if (Math.abs(duration.as('days')) > MAX_OFFSET_DAYS)
    return { key: 'calendar.refusal.offsetTooFar', params: { offset, max: MAX_OFFSET_DAYS } };
  return null;
}

/**
 * The instant a reminder fires: the due instant moved by the offset, days counted in the authority's zone. An office
 * offset counts calendar or working days (the authority's calendar: weekends, public holidays, closures) from the due
 * date and fires at the given local time, or at the due instant's time of day when none is given.
 */
export function fireAt(dueAt: string | Date, offset: string, timeZone: string, calendar?: AuthorityCalendar): Date {
  const due =
    typeof dueAt === 'string'
      ? DateTime.fromISO(dueAt, { zone: timeZone })
      : DateTime.fromJSDate(dueAt, { zone: timeZone });
  const office = officeOffset(offset);
  if (office) {
    let date = due.toISODate()!;
    if (office.unit === 'D') date = addDays(date, office.sign * office.count);
    else {
      const working = (day: string) =>
        calendar ? isWorkingDay(day, calendar) : ![6, 7].includes(DateTime.fromISO(day).weekday);
      for (let counted = 0; counted < office.count;) {
        date = addDays(date, office.sign);
        if (working(date)) counted++;
      }
    }
    const time = office.time ?? due.toFormat('HH:mm:ss.SSS');
    if (office.time) return instantOfLocalTime(date, time, timeZone);
    return DateTime.fromISO(`${date}T${time}`, { zone: timeZone }).toJSDate();
  }
  const duration = parseOffset(offset);
  if (!duration) throw new Error(offsetProblem(offset) ?? 'bad offset');
  return due.plus(duration).toJSDate();
}
