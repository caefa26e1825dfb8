import { normalizeRegion } from './holidays.js';

/**
 * Regions whose public-holiday data is known to be incomplete outside the years a reviewer verified against the
 * official list. Docket does not guess the missing days: every computation whose count touches such a year says so
 * (an `unverified` explanation entry and a warning), so nobody takes the due date for checked.
 */
export interface HolidayDataGap {
  /** A country ('IN'); it also covers the country's subdivisions. */
  region: string;
  /** Years whose list was verified day by day (libs/calendar/README.md); every other year is incomplete. */
  verifiedYears: readonly number[];
  /** What the data lacks outside those years. */
  missing: string;
  /** What the authority does about it. */
  advice: string;
}

export const HOLIDAY_DATA_GAPS: readonly HolidayDataGap[] = [
  {
    region: 'IN',
    verifiedYears: [2026],
    missing:
      'the holidays of the central government list (DoPT office memorandum, Annexure-I) that follow the lunar or ' +
      "lunisolar calendar or moon sighting: Holi, Ram Navami, Mahavir Jayanti, Buddha Purnima, Id-ul-Fitr, Id-ul-Zuha, Muharram, Milad-un-Nabi, Janmashtami, Dussehra, Diwali and Guru Nanak's Birthday. " +
      'Only the fixed-date holidays (Republic Day, Ambedkar Jayanti, Independence Day, Gandhi Jayanti, Christmas) and Good Friday are counted',
    advice: "enter that year's holidays from the DoPT office memorandum as closure days, then check this due date",
  },
];

/** A gap met by a computation: the country, its unverified years and the sentence that says so in English. */
export interface HolidayDataShortfall {
  region: string;
  years: number[];
  sentence: string;
}

/** The gaps of `region`'s holiday data in `years`; [] when the data is complete there. */
export function holidayDataShortfalls(region: string, years: Iterable<number>): HolidayDataShortfall[] {
  const key = normalizeRegion(region);
  const shortfalls: HolidayDataShortfall[] = [];
  for (const gap of HOLIDAY_DATA_GAPS) {
    if (key !== gap.region && !key.startsWith(`${gap.region}-`)) continue;
    const unverified = [...new Set(years)].filter((year) => !gap.verifiedYears.includes(year)).sort((a, b) => a - b);
    if (unverified.length === 0) continue;
    shortfalls.push({
      region: gap.region,
      years: unverified,
      sentence: `The ${gap.region} holiday data for ${unverified.join(', ')} is not verified and is incomplete: it lacks ${gap.missing}; ${gap.advice}`,
    });
  }
  return shortfalls;
}

/** The gaps of `region`'s holiday data in `years`, each as one sentence; [] when the data is complete there. */
export function holidayDataWarnings(region: string, years: Iterable<number>): string[] {
  return holidayDataShortfalls(region, years).map((shortfall) => shortfall.sentence);
}
