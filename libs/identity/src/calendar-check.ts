import { IANAZone } from 'luxon';
import { regionProblem } from '#docket/calendar';

/** Field errors for an authority's calendar settings; empty when they are usable. */
export function calendarSettingErrors(input: {
  timezone: string;
  holidayRegion: string;
  weekendDays: number[];
}): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (!IANAZone.isValidZone(input.timezone))
    errors.push({
      field: 'timezone',
      message: `timezone "${input.timezone}" is not an IANA time zone (e.g. Europe/Rome)`,
    });
  const region = regionProblem(input.holidayRegion);
  if (region) errors.push({ field: 'holidayRegion', message: region });
  if (input.weekendDays.length >= 7)
    errors.push({ field: 'weekendDays', message: 'weekendDays cannot cover the whole week' });
  return errors;
}
