import { IANAZone } from 'luxon';
import { regionProblem } from '#docket/calendar';
import type { FieldError } from '#docket/platform';

/** Field errors for an authority's calendar settings; empty when they are usable. */
export function calendarSettingErrors(input: {
  timezone: string;
  holidayRegion: string;
  weekendDays: number[];
}): FieldError[] {
  const errors: FieldError[] = [];
  if (!IANAZone.isValidZone(input.timezone))
    errors.push({
      field: 'timezone',
      message: `timezone "${input.timezone}" is not an IANA time zone (e.g. Europe/Rome)`,
      key: 'calendar.refusal.timeZone',
    });
  const region = regionProblem(input.holidayRegion);
  if (region)
    errors.push({
      field: 'holidayRegion',
      message: region,
      key: 'calendar.refusal.region',
      params: { region: input.holidayRegion },
    });
  if (input.weekendDays.length >= 7)
    errors.push({
      field: 'weekendDays',
      message: 'weekendDays cannot cover the whole week',
      key: 'calendar.refusal.wholeWeek',
    });
  return errors;
}
