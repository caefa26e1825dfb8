import { DateTime, Duration } from 'luxon';

const MAX_OFFSET_DAYS = 366;

/** Parses a signed ISO 8601 duration (`-P7D`, `PT0S`, `P3D`, `-PT30S`); null when it is not one. */
export function parseOffset(offset: string): Duration | null {
  const match = /^([+-])?(P.+)$/.exec(offset.trim());
  if (!match) return null;
  const duration = Duration.fromISO(match[2]);
  if (!duration.isValid) return null;
  return match[1] === '-' ? duration.negate() : duration;
}

/** Why an offset is unusable, or null. */
export function offsetProblem(offset: string): string | null {
  const duration = parseOffset(offset);
  if (!duration) return `offset "${offset}" is not a signed ISO 8601 duration such as -P7D, PT0S or P3D`;
  if (Math.abs(duration.as('days')) > MAX_OFFSET_DAYS)
    return `offset "${offset}" is more than ${MAX_OFFSET_DAYS} days from the due instant`;
  return null;
}

/** The instant a reminder fires: the due instant moved by the offset, days counted in the authority's zone. */
export function fireAt(dueAt: string | Date, offset: string, timeZone: string): Date {
  const duration = parseOffset(offset);
  if (!duration) throw new Error(offsetProblem(offset) ?? 'bad offset');
  const due =
    typeof dueAt === 'string'
      ? DateTime.fromISO(dueAt, { zone: timeZone })
      : DateTime.fromJSDate(dueAt, { zone: timeZone });
  return due.plus(duration).toJSDate();
}
