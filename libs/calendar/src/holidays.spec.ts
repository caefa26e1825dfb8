import {
  HOLIDAY_SUPPLEMENTS,
  SUPPLEMENTS_REVIEWED_REGIONS,
  SUPPLEMENTS_REVIEWED_YEARS,
} from './holiday-supplements.js';
import { libraryPublicHolidays, publicHolidaysBetween, regionProblem, supplementDate } from './holidays.js';

/**
 * Public holidays checked by hand against the official calendars, supplements applied.
 * A date-holidays upgrade that changes any of them fails here: check the change against the
 * official source, then fix the list or holiday-supplements.ts.
 * Run with PRINT_HOLIDAYS=1 to print what date-holidays returns, for the yearly review.
 */
const OFFICIAL: Record<string, Record<number, string[]>> = {
  // Legge 27 maggio 1949 n. 260 as amended; Easter Sunday counts; St Francis (4 Oct) from 2026 by Legge 8 ottobre 2025
  // n. 151.
  IT: {
    2025: ['01-01', '01-06', '04-20', '04-21', '04-25', '05-01', '06-02', '08-15', '11-01', '12-08', '12-25', '12-26'],
    2026: [
      '01-01',
      '01-06',
      '04-05',
      '04-06',
      '04-25',
      '05-01',
      '06-02',
      '08-15',
      '10-04',
      '11-01',
      '12-08',
      '12-25',
      '12-26',
    ],
  },
  // Organisation of Working Time Act 1997, Sched. 2 (St Brigid's Day since 2023: first Monday of February, or 1 Feb if
  // a Friday).
  // Good Friday and the 28 Dec 2026 bank holiday are not public holidays.
  IE: {
    2025: ['01-01', '02-03', '03-17', '04-21', '05-05', '06-02', '08-04', '10-27', '12-25', '12-26'],
    2026: ['01-01', '02-02', '03-17', '04-06', '05-04', '06-01', '08-03', '10-26', '12-25', '12-26'],
  },
  // Code du travail art. L3133-1 (the 11 jours fériés); Alsace-Moselle extras are not national.
  FR: {
    2025: ['01-01', '04-21', '05-01', '05-08', '05-29', '06-09', '07-14', '08-15', '11-01', '11-11', '12-25'],
    2026: ['01-01', '04-06', '05-01', '05-08', '05-14', '05-25', '07-14', '08-15', '11-01', '11-11', '12-25'],
  },
  // Berlin Feiertagsgesetz: federal days plus Women's Day (8 Mar) and, once, 8 May 2025 (80th anniversary of
  // liberation).
  'DE-BE': {
    2025: ['01-01', '03-08', '04-18', '04-21', '05-01', '05-08', '05-29', '06-09', '10-03', '12-25', '12-26'],
    2026: ['01-01', '03-08', '04-03', '04-06', '05-01', '05-14', '05-25', '10-03', '12-25', '12-26'],
  },
  // 관공서의 공휴일에 관한 규정 and the KASI almanac, with the temporary and election holidays and the 2026 laws
  // (Constitution Day again from 2026, Labour Day from 1 May 2026).
  KR: {
    2025: [
      '01-01',
      '01-27',
      '01-28',
      '01-29',
      '01-30',
      '03-01',
      '03-03',
      '05-05',
      '05-06',
      '06-03',
      '06-06',
      '08-15',
      '10-03',
      '10-05',
      '10-06',
      '10-07',
      '10-08',
      '10-09',
      '12-25',
    ],
    2026: [
      '01-01',
      '02-16',
      '02-17',
      '02-18',
      '03-01',
      '03-02',
      '05-01',
      '05-05',
      '05-24',
      '05-25',
      '06-03',
      '06-06',
      '07-17',
      '08-15',
      '08-17',
      '09-24',
      '09-25',
      '09-26',
      '10-03',
      '10-05',
      '10-09',
      '12-25',
    ],
  },
  // Cabinet Office list of national holidays (国民の祝日, 振替休日, 国民の休日) plus the government's 29 Dec-3 Jan holidays.
  JP: {
    2025: [
      '01-01',
      '01-02',
      '01-03',
      '01-13',
      '02-11',
      '02-23',
      '02-24',
      '03-20',
      '04-29',
      '05-03',
      '05-04',
      '05-05',
      '05-06',
      '07-21',
      '08-11',
      '09-15',
      '09-23',
      '10-13',
      '11-03',
      '11-23',
      '11-24',
      '12-29',
      '12-30',
      '12-31',
    ],
    2026: [
      '01-01',
      '01-02',
      '01-03',
      '01-12',
      '02-11',
      '02-23',
      '03-20',
      '04-29',
      '05-03',
      '05-04',
      '05-05',
      '05-06',
      '07-20',
      '08-11',
      '09-21',
      '09-22',
      '09-23',
      '10-12',
      '11-03',
      '11-23',
      '12-29',
      '12-30',
      '12-31',
    ],
  },
  // Days of rest (Law and Administration Ordinance s. 18A) and Independence Day (Independence Day Law 1949): Pesach 1st
  // and
  // 7th days, Shavuot, Rosh Hashanah (2 days), Yom Kippur, Sukkot, Shemini Atzeret; each the civil date whose daytime
  // it covers.
  IL: {
    2025: ['04-13', '04-19', '05-01', '06-02', '09-23', '09-24', '10-02', '10-07', '10-14'],
    2026: ['04-02', '04-08', '04-22', '05-22', '09-12', '09-13', '09-21', '09-26', '10-03'],
  },
};

if (process.env.PRINT_HOLIDAYS) {
  for (const region of SUPPLEMENTS_REVIEWED_REGIONS) {
    for (const year of SUPPLEMENTS_REVIEWED_YEARS) {
      const lines = libraryPublicHolidays(region, year).map((h) => `  ${h.date}  ${h.name}`);
      console.log(`date-holidays ${region} ${year} (public, before supplements):\n${lines.join('\n')}`);
    }
  }
}

describe('verified public holidays', () => {
  it('covers every reviewed region and year', () => {
    expect(Object.keys(OFFICIAL).sort()).toEqual([...SUPPLEMENTS_REVIEWED_REGIONS].sort());
    for (const years of Object.values(OFFICIAL)) {
      expect(Object.keys(years).map(Number)).toEqual([...SUPPLEMENTS_REVIEWED_YEARS]);
    }
  });

  const cases = Object.entries(OFFICIAL).flatMap(([region, years]) =>
    Object.entries(years).map(([year, dates]) => [region, Number(year), dates] as const),
  );

  it.each(cases)('%s %i', (region, year, dates) => {
    const found = publicHolidaysBetween(region, `${year}-01-01`, `${year}-12-31`).map((h) => h.date);
    expect([...new Set(found)]).toEqual(dates.map((d) => `${year}-${d}`));
  });
});

describe('date-holidays as the engine reads it', () => {
  it('dates a holiday that begins at sunset by the day it covers', () => {
    // Rosh Hashanah 5786 runs from sunset on 22 Sep 2025; the 22nd itself is a working day.
    const dates = libraryPublicHolidays('IL', 2025).map((h) => h.date);
    expect(dates).toContain('2025-09-23');
    expect(dates).not.toContain('2025-09-22');
  });

  it('spreads a multi-day holiday over each day of its span', () => {
    // Chuseok 2025 is one entry in date-holidays, 5 Oct 00:00 to 8 Oct 00:00 KST.
    const chuseok = libraryPublicHolidays('KR', 2025)
      .filter((h) => h.name === 'Korean Thanksgiving')
      .map((h) => h.date);
    expect(chuseok).toEqual(['2025-10-05', '2025-10-06', '2025-10-07']);
  });

  it('ignores bank holidays, observances and school holidays', () => {
    const names = libraryPublicHolidays('DE-BE', 2025).map((h) => h.name);
    expect(names).not.toContain('Christmas Eve');
    expect(names).not.toContain('Easter Sunday');
    expect(libraryPublicHolidays('IE', 2025).map((h) => h.date)).not.toContain('2025-04-18');
  });
});

describe('holiday supplements', () => {
  it.each(HOLIDAY_SUPPLEMENTS.map((s) => [`${s.region} ${s.date} ${s.action}`, s] as const))(
    '%s is well formed',
    (_title, s) => {
      expect(regionProblem(s.region)).toBeUndefined();
      expect(s.date).toMatch(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
      expect(s.name.trim()).not.toBe('');
      expect(s.source.trim().length).toBeGreaterThan(10);
      if (s.from !== undefined) expect(s.date).toHaveLength(5);
    },
  );

  // When date-holidays catches up, the supplement becomes dead weight: this tells you to delete it.
  const instances = HOLIDAY_SUPPLEMENTS.flatMap((s) =>
    SUPPLEMENTS_REVIEWED_YEARS.map((year) => supplementDate(s, year))
      .filter((date): date is string => date !== undefined)
      .map((date) => [`${s.region} ${date} ${s.action}`, s.region, date, s.action] as const),
  );

  it.each(instances)('%s is still needed', (_title, region, date, action) => {
    const libraryDates = libraryPublicHolidays(region, Number(date.slice(0, 4))).map((h) => h.date);
    expect(libraryDates.includes(date)).toBe(action === 'remove');
  });
});
