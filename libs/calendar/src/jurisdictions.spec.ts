import { HOLIDAY_SUPPLEMENTS } from './holiday-supplements.js';
import { libraryPublicHolidays, publicHolidaysBetween, regionProblem, supplementDate } from './holidays.js';

/**
 * The public holidays of 2026 and 2027 Docket counts for the jurisdictions added by issue 21, pinned day by day.
 * Each list was checked against the official source named in its comment (what was checked, and what could not be,
 * is in libs/calendar/README.md). Holidays falling on a weekend stay listed where date-holidays lists them; they
 * change nothing for a Monday-to-Friday authority. A date-holidays upgrade that changes any of them fails here.
 */
const TABLE: Record<string, Record<number, string[]>> = {
  // England and Wales: Banking and Financial Dealings Act 1971 Sch. 1 (bank holidays), Christmas Day and Good Friday
  // (common-law holidays); gov.uk/bank-holidays. Substitute days: 28 Dec 2026, 27 and 28 Dec 2027.
  'GB-ENG': {
    2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-26', '12-28'],
    2027: ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-25', '12-26', '12-27', '12-28'],
  },
  // Spain, national holidays: Real Decreto 2001/1983 art. 45 and the yearly resolution of the Dirección General de
  // Trabajo (BOE); regional holidays (Jueves Santo, a region's own day) are not national: add them as closures.
  ES: {
    2026: ['01-01', '01-06', '04-03', '05-01', '08-15', '10-12', '11-01', '12-06', '12-08', '12-25'],
    2027: ['01-01', '01-06', '03-26', '05-01', '08-15', '10-12', '11-01', '12-06', '12-08', '12-25'],
  },
  // Taiwan: 紀念日及節日實施條例 (amended 2025) and the DGPA office calendar 2026: Lunar New Year 16–20 Feb,
  // 228 observed 27 Feb, Children's Day observed 3 Apr, Labour Day, Teachers' Day, National Day observed 9 Oct,
  // Retrocession Day observed 26 Oct, Constitution Day. 2027: the substitute rule of the 處理要點 point 3 (2025):
  // Children's Day (Sun 4 Apr, Tomb-Sweeping Mon 5 Apr) made up on Tue 6 Apr, Labour Day (Sat 1 May) on Fri 30 Apr,
  // Constitution Day (Sat 25 Dec) on Fri 24 Dec; not compared with the DGPA's 2027 calendar.
  TW: {
    2026: [
      '01-01',
      '02-16',
      '02-17',
      '02-18',
      '02-19',
      '02-20',
      '02-21',
      '02-27',
      '02-28',
      '04-03',
      '04-04',
      '04-05',
      '04-06',
      '05-01',
      '06-19',
      '09-25',
      '09-28',
      '10-09',
      '10-10',
      '10-25',
      '10-26',
      '12-25',
    ],
    2027: [
      '01-01',
      '02-04',
      '02-05',
      '02-06',
      '02-07',
      '02-08',
      '02-09',
      '02-10',
      '02-28',
      '03-01',
      '04-04',
      '04-05',
      '04-06',
      '04-30',
      '05-01',
      '06-09',
      '09-15',
      '09-28',
      '10-10',
      '10-11',
      '10-25',
      '12-24',
      '12-25',
      '12-31',
    ],
  },
  // India (central government offices at Delhi/New Delhi). 2026: the 17 holidays of DoPT O.M. of 3 Jul 2025,
  // Annexure-I (the 14 compulsory holidays of para 2 with Holi, Ram Navami and Janmashtami chosen under para 3.1):
  // Republic Day 26 Jan, Holi 4 Mar, Id-ul-Fitr 21 Mar, Ram Navami 26 Mar, Mahavir Jayanti 31 Mar, Good Friday 3 Apr,
  // Buddha Purnima 1 May, Id-ul-Zuha 27 May, Muharram 26 Jun, Independence Day 15 Aug, Milad-un-Nabi 26 Aug,
  // Janmashtami 4 Sep, Gandhi Jayanti 2 Oct, Dussehra 20 Oct, Diwali 8 Nov, Guru Nanak's Birthday 24 Nov, Christmas
  // 25 Dec; and Ambedkar Jayanti 14 Apr as date-holidays has it (declared closed holiday by a DoPT O.M. each year).
  // The four Islamic holidays follow moon sighting and may be moved by the government. 2027: the fixed-date
  // holidays and Good Friday only; the 2027 DoPT list was not checked (README).
  IN: {
    2026: [
      '01-26',
      '03-04',
      '03-21',
      '03-26',
      '03-31',
      '04-03',
      '04-14',
      '05-01',
      '05-27',
      '06-26',
      '08-15',
      '08-26',
      '09-04',
      '10-02',
      '10-20',
      '11-08',
      '11-24',
      '12-25',
    ],
    2027: ['01-26', '03-26', '04-14', '08-15', '10-02', '12-25'],
  },
  // Australia (Commonwealth): New Year's Day, Australia Day, Easter, Anzac Day, Christmas, Boxing Day
  // (Fair Work Act 2009 s. 115(1)(a)); Easter Saturday and Sunday as date-holidays lists them (weekend days).
  AU: {
    2026: ['01-01', '01-26', '04-03', '04-04', '04-05', '04-06', '04-25', '12-25', '12-26', '12-28'],
    2027: ['01-01', '01-26', '03-26', '03-27', '03-28', '03-29', '04-25', '12-25', '12-26', '12-27', '12-28'],
  },
  // New South Wales: Public Holidays Act 2010 (NSW): adds King's Birthday (2nd Monday of June) and Labour Day
  // (1st Monday of October); no substitute day for Anzac Day (date-holidays' 27 Apr 2026 / 26 Apr 2027 removed).
  'AU-NSW': {
    2026: ['01-01', '01-26', '04-03', '04-04', '04-05', '04-06', '04-25', '06-08', '10-05', '12-25', '12-26', '12-28'],
    2027: [
      '01-01',
      '01-26',
      '03-26',
      '03-27',
      '03-28',
      '03-29',
      '04-25',
      '06-14',
      '10-04',
      '12-25',
      '12-26',
      '12-27',
      '12-28',
    ],
  },
  // Brazil (national): Lei 662/1949 (as amended by Lei 10.607/2002), Lei 6.802/1980 (12 Oct), Lei 14.759/2023
  // (20 Nov), Paixão de Cristo as listed by the federal administration's yearly portaria; election Sundays
  // (Código Eleitoral art. 380). Carnival and Corpus Christi are optional days (ponto facultativo), not holidays.
  BR: {
    2026: ['01-01', '04-03', '04-21', '05-01', '09-07', '10-04', '10-12', '10-25', '11-02', '11-15', '11-20', '12-25'],
    2027: ['01-01', '03-26', '04-21', '05-01', '09-07', '10-12', '11-02', '11-15', '11-20', '12-25'],
  },
  // Canada (federal): Canada Labour Code s. 166 general holidays, with the observed day of a holiday falling on a
  // weekend at Christmas (Treasury Board agreements); provinces keep their own lists.
  CA: {
    2026: ['01-01', '04-03', '05-18', '07-01', '09-07', '09-30', '10-12', '11-11', '12-25', '12-26', '12-28'],
    2027: ['01-01', '03-26', '05-24', '07-01', '09-06', '09-30', '10-11', '11-11', '12-25', '12-26', '12-27', '12-28'],
  },
  // USA (federal): 5 U.S.C. 6103(a); a holiday on a Saturday is observed the Friday before, on a Sunday the Monday
  // after (5 U.S.C. 6103(b), Executive Order 11582); OPM's federal holiday list. 31 Dec 2027: New Year's Day 2028.
  US: {
    2026: ['01-01', '01-19', '02-16', '05-25', '06-19', '07-03', '07-04', '09-07', '10-12', '11-11', '11-26', '12-25'],
    2027: [
      '01-01',
      '01-18',
      '02-15',
      '05-31',
      '06-18',
      '06-19',
      '07-04',
      '07-05',
      '09-06',
      '10-11',
      '11-11',
      '11-25',
      '12-24',
      '12-25',
      '12-31',
    ],
  },
};

const cases = Object.entries(TABLE).flatMap(([region, years]) =>
  Object.entries(years).map(([year, dates]) => [region, Number(year), dates] as const),
);

describe('public holidays of the jurisdictions added in issue 21', () => {
  it.each(Object.keys(TABLE))('%s is a known region (ISO country or country-subdivision code)', (region) => {
    expect(regionProblem(region)).toBeUndefined();
  });

  it.each(cases)('%s %i', (region, year, dates) => {
    const found = [
      ...new Set(publicHolidaysBetween(region, `${year}-01-01`, `${year}-12-31`).map((h) => h.date.slice(5))),
    ];
    expect(found).toEqual(dates);
  });

  it('keeps the federal Canadian additions out of the provinces', () => {
    const quebec = publicHolidaysBetween('CA-QC', '2026-01-01', '2026-12-31').map((h) => h.date);
    expect(quebec).not.toContain('2026-11-11');
    expect(quebec).toContain('2026-06-24');
  });

  const added = HOLIDAY_SUPPLEMENTS.filter((s) => Object.keys(TABLE).includes(s.region)).flatMap((s) =>
    [2026, 2027]
      .map((year) => supplementDate(s, year))
      .filter((date): date is string => date !== undefined)
      .map((date) => [`${s.region} ${date} ${s.action}`, s.region, date, s.action] as const),
  );

  it.each(added)('%s is still needed', (_title, region, date, action) => {
    const library = libraryPublicHolidays(region, Number(date.slice(0, 4))).map((h) => h.date);
    expect(library.includes(date)).toBe(action === 'remove');
  });
});
