import Holidays from 'date-holidays';
import { IANAZone } from 'luxon';

/** Field errors for an authority's calendar settings; empty when they are usable. */
export function calendarSettingErrors(input: { timezone: string; holidayRegion: string; weekendDays: number[] }): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (!IANAZone.isValidZone(input.timezone)) errors.push({ field: 'timezone', message: `timezone "${input.timezone}" is not an IANA time zone (e.g. Europe/Rome)` });
  const [country, state] = input.holidayRegion.split('-');
  const holidays = new Holidays();
  const countries = holidays.getCountries() ?? {};
  if (!countries[country]) {
    errors.push({ field: 'holidayRegion', message: `holidayRegion "${input.holidayRegion}": no public-holiday calendar for country ${country}` });
  } else if (state && !(holidays.getStates(country) ?? {})[state]) {
    errors.push({ field: 'holidayRegion', message: `holidayRegion "${input.holidayRegion}": ${country} has no region ${state}` });
  }
  if (input.weekendDays.length >= 7) errors.push({ field: 'weekendDays', message: 'weekendDays cannot cover the whole week' });
  return errors;
}
