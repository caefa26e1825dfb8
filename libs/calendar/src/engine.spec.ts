import {
  addStoppedDays,
  CalendarError,
  computeDueDate,
  dueAtEndOf,
  endOfLocalDay,
  extendDueDate,
  holidaysBetween,
  isWorkingDay,
  localDateOf,
  nonWorkingReasons,
  validateCalendar,
  type AuthorityCalendar,
  type Closure,
  type DueDateResult,
  type PeriodUnit,
} from './index.js';

function calendar(
  timeZone: string,
  holidayRegion: string,
  weekendDays = [6, 7],
  closures: Closure[] = [],
): AuthorityCalendar {
  return { timeZone, holidayRegion, weekendDays, closures };
}

const IT = calendar('Europe/Rome', 'IT');
const IE = calendar('Europe/Dublin', 'IE');
const FR = calendar('Europe/Paris', 'FR');
const BE = calendar('Europe/Berlin', 'DE-BE');
const DE = calendar('Europe/Berlin', 'DE');
const KR = calendar('Asia/Seoul', 'KR');
const JP = calendar('Asia/Tokyo', 'JP');
const IL = calendar('Asia/Jerusalem', 'IL', [5, 6]);

const SKIPPED_KINDS = new Set(['weekend', 'holiday', 'closure']);

/** Distinct dates the explanation says were skipped, in order. */
function skippedDates(result: DueDateResult): string[] {
  return [...new Set(result.explanation.filter((e) => SKIPPED_KINDS.has(e.kind)).map((e) => e.date))];
}

function expectWellFormed(result: DueDateResult, skipped: string[], unit?: PeriodUnit): void {
  const { explanation } = result;
  expect(explanation[0]!.kind).toBe('start');
  expect(explanation.at(-1)).toEqual(expect.objectContaining({ kind: 'due', date: result.dueDate }));
  expect(skippedDates(result)).toEqual(skipped);
  // business days skip days while counting; every other period only rolls its last day over
  const rolled = unit !== 'business_days' && skipped.length > 0;
  expect(explanation.some((e) => e.kind === 'rollover')).toBe(rolled);
}

type Row = [
  title: string,
  cal: AuthorityCalendar,
  event: string,
  count: number,
  unit: PeriodUnit,
  dueDate: string,
  dueAt: string,
  skipped: string[],
];

describe('computeDueDate', () => {
  const rows: Row[] = [
    // ---------------------------------------------------------------- Italy (Europe/Rome)
    // The real case: Garante's request of 28 Jan 2025, 20 days. 28 Jan + 20 = 17 Feb, a Monday.
    [
      'IT Garante request 28 Jan + 20 days',
      IT,
      '2025-01-28T10:00:00+01:00',
      20,
      'calendar_days',
      '2025-02-17',
      '2025-02-17T23:59:59.999+01:00',
      [],
    ],
    // 23:30 UTC on 28 Jan is 00:30 on 29 Jan in Rome: counting starts on 30 Jan, 30 Jan + 19 = 18 Feb (Tuesday).
    [
      'IT event at 23:30 UTC is already the next day in Rome',
      IT,
      '2025-01-28T23:30:00Z',
      20,
      'calendar_days',
      '2025-02-18',
      '2025-02-18T23:59:59.999+01:00',
      [],
    ],
    // 3 Dec + 3 = Sat 6 Dec; Sun 7; Mon 8 Dec is the Immaculate Conception; Tuesday 9 Dec.
    [
      'IT holiday right after a weekend',
      IT,
      '2025-12-03T09:00:00+01:00',
      3,
      'calendar_days',
      '2025-12-09',
      '2025-12-09T23:59:59.999+01:00',
      ['2025-12-06', '2025-12-07', '2025-12-08'],
    ],
    // 15 Dec + 10 = Thu 25 Dec (Christmas), Fri 26 (St Stephen), Sat 27, Sun 28: Monday 29 Dec.
    [
      'IT Christmas and St Stephen then a weekend',
      IT,
      '2025-12-15T09:00:00+01:00',
      10,
      'calendar_days',
      '2025-12-29',
      '2025-12-29T23:59:59.999+01:00',
      ['2025-12-25', '2025-12-26', '2025-12-27', '2025-12-28'],
    ],
    // 31 Jan + 1 month: February has no 31st, so the month's last day, Fri 28 Feb 2025.
    [
      'IT 31 Jan + 1 month clamps to 28 Feb',
      IT,
      '2025-01-31T12:00:00+01:00',
      1,
      'months',
      '2025-02-28',
      '2025-02-28T23:59:59.999+01:00',
      [],
    ],
    // 2028 is a leap year: 31 Jan 2028 + 1 month = Tue 29 Feb 2028.
    [
      'IT leap year: 31 Jan 2028 + 1 month = 29 Feb',
      IT,
      '2028-01-31T12:00:00+01:00',
      1,
      'months',
      '2028-02-29',
      '2028-02-29T23:59:59.999+01:00',
      [],
    ],
    // 31 Oct + 1 month clamps to Sun 30 Nov, rolled to Monday 1 Dec.
    [
      'IT month-end clamp landing on a Sunday',
      IT,
      '2025-10-31T12:00:00+01:00',
      1,
      'months',
      '2025-12-01',
      '2025-12-01T23:59:59.999+01:00',
      ['2025-11-30'],
    ],
    // 20 Mar + 10 = Sun 30 Mar, the day summer time starts: due Mon 31 Mar, which ends at +02:00 not +01:00.
    [
      'IT DST: event at +01:00, due day ends at +02:00',
      IT,
      '2025-03-20T09:00:00+01:00',
      10,
      'calendar_days',
      '2025-03-31',
      '2025-03-31T23:59:59.999+02:00',
      ['2025-03-30'],
    ],
    // 11 Apr + 2 weeks = Fri 25 Apr (Liberation Day), Sat 26, Sun 27: Monday 28 Apr.
    [
      'IT 2 weeks ending on Liberation Day',
      IT,
      '2025-04-11T09:00:00+02:00',
      2,
      'weeks',
      '2025-04-28',
      '2025-04-28T23:59:59.999+02:00',
      ['2025-04-25', '2025-04-26', '2025-04-27'],
    ],
    // Working days after Thu 17 Apr: Fri 18 (1); Sat 19, Easter Sun 20, Easter Mon 21 skipped; 22, 23, 24 (2-4);
    // Fri 25 Liberation Day, Sat 26, Sun 27 skipped; Mon 28 (5).
    [
      'IT 5 working days across Easter and 25 April',
      IT,
      '2025-04-17T09:00:00+02:00',
      5,
      'business_days',
      '2025-04-28',
      '2025-04-28T23:59:59.999+02:00',
      ['2025-04-19', '2025-04-20', '2025-04-21', '2025-04-25', '2025-04-26', '2025-04-27'],
    ],
    // 27 Sep 2026 + 1 week = Sun 4 Oct 2026, St Francis (a national holiday again from 2026, Law 151/2025) and a
    // Sunday: Monday 5 Oct.
    [
      'IT St Francis 2026 falls on a Sunday',
      IT,
      '2026-09-27T09:00:00+02:00',
      1,
      'weeks',
      '2026-10-05',
      '2026-10-05T23:59:59.999+02:00',
      ['2026-10-04'],
    ],

    // ---------------------------------------------------------------- Ireland (Europe/Dublin)
    // DPC, 29 Jan 2025 + 5 = Mon 3 Feb, St Brigid's Day (first Monday of February): Tuesday 4 Feb. Winter offset
    // +00:00.
    [
      "IE St Brigid's Day 2025 (first Monday of February)",
      IE,
      '2025-01-29T12:00:00Z',
      5,
      'calendar_days',
      '2025-02-04',
      '2025-02-04T23:59:59.999+00:00',
      ['2025-02-03'],
    ],
    // 26 Jan 2026 + 1 week = Mon 2 Feb 2026, St Brigid's Day: Tuesday 3 Feb.
    [
      "IE St Brigid's Day 2026",
      IE,
      '2026-01-26T12:00:00Z',
      1,
      'weeks',
      '2026-02-03',
      '2026-02-03T23:59:59.999+00:00',
      ['2026-02-02'],
    ],
    // 19 May + 2 weeks = Mon 2 Jun, June bank holiday: Tuesday 3 Jun (Irish summer time, +01:00).
    [
      'IE June bank holiday',
      IE,
      '2025-05-19T12:00:00+01:00',
      2,
      'weeks',
      '2025-06-03',
      '2025-06-03T23:59:59.999+01:00',
      ['2025-06-02'],
    ],
    // 4 Jul 2026 + 30 = Mon 3 Aug 2026, August bank holiday: Tuesday 4 Aug.
    [
      'IE August bank holiday 2026',
      IE,
      '2026-07-04T12:00:00+01:00',
      30,
      'calendar_days',
      '2026-08-04',
      '2026-08-04T23:59:59.999+01:00',
      ['2026-08-03'],
    ],
    // 13 Oct + 14 = Mon 27 Oct, October bank holiday, the day after clocks go back: due Tue 28 Oct at +00:00.
    [
      'IE October bank holiday after the DST change',
      IE,
      '2025-10-13T12:00:00+01:00',
      14,
      'calendar_days',
      '2025-10-28',
      '2025-10-28T23:59:59.999+00:00',
      ['2025-10-27'],
    ],
    // Good Friday is not a public holiday in Ireland (date-holidays types it 'bank'): 11 Apr + 1 week = Fri 18 Apr
    // stands.
    [
      'IE Good Friday is a working day',
      IE,
      '2025-04-11T12:00:00+01:00',
      1,
      'weeks',
      '2025-04-18',
      '2025-04-18T23:59:59.999+01:00',
      [],
    ],
    // Working days after Fri 19 Dec: Sat 20/Sun 21 skipped; 22, 23, 24 (1-3; Christmas Eve is not a holiday);
    // 25, 26, 27, 28 skipped; 29, 30, 31 (4-6); 1 Jan skipped; Fri 2 Jan (7); 3/4 skipped; 5, 6, 7 Jan (8-10).
    [
      'IE 10 working days over Christmas and New Year',
      IE,
      '2025-12-19T12:00:00Z',
      10,
      'business_days',
      '2026-01-07',
      '2026-01-07T23:59:59.999+00:00',
      [
        '2025-12-20',
        '2025-12-21',
        '2025-12-25',
        '2025-12-26',
        '2025-12-27',
        '2025-12-28',
        '2026-01-01',
        '2026-01-03',
        '2026-01-04',
      ],
    ],

    // ---------------------------------------------------------------- France (Europe/Paris)
    // 24 Apr + 7 = Thu 1 May, Fête du Travail: Friday 2 May.
    [
      'FR 1 May',
      FR,
      '2025-04-24T10:00:00+02:00',
      7,
      'calendar_days',
      '2025-05-02',
      '2025-05-02T23:59:59.999+02:00',
      ['2025-05-01'],
    ],
    // Working days after Wed 30 Apr: 1 May skipped; Fri 2 (1); 3/4 skipped; 5, 6, 7 (2-4); Thu 8 May (Victoire 1945)
    // skipped; Fri 9 (5).
    [
      'FR 5 working days through the May holidays',
      FR,
      '2025-04-30T10:00:00+02:00',
      5,
      'business_days',
      '2025-05-09',
      '2025-05-09T23:59:59.999+02:00',
      ['2025-05-01', '2025-05-03', '2025-05-04', '2025-05-08'],
    ],
    // 6 Jun + 1 = Sat 7 Jun; Sun 8 (Pentecost); Mon 9 Jun Whit Monday: Tuesday 10 Jun.
    [
      'FR weekend followed by Whit Monday',
      FR,
      '2025-06-06T10:00:00+02:00',
      1,
      'calendar_days',
      '2025-06-10',
      '2025-06-10T23:59:59.999+02:00',
      ['2025-06-07', '2025-06-08', '2025-06-09'],
    ],
    // 30 Apr 2026 + 2 weeks = Thu 14 May 2026, Ascension: Friday 15 May.
    [
      'FR Ascension 2026',
      FR,
      '2026-04-30T10:00:00+02:00',
      2,
      'weeks',
      '2026-05-15',
      '2026-05-15T23:59:59.999+02:00',
      ['2026-05-14'],
    ],
    // 21 Oct (summer time) + 3 weeks = Tue 11 Nov, Armistice: Wed 12 Nov, which ends at +01:00.
    [
      'FR Armistice Day after the DST change',
      FR,
      '2025-10-21T10:00:00+02:00',
      3,
      'weeks',
      '2025-11-12',
      '2025-11-12T23:59:59.999+01:00',
      ['2025-11-11'],
    ],
    // 31 Dec 2027 + 2 months: no 31 Feb, so the last day of February 2028, a leap day (Tuesday).
    [
      'FR 31 Dec 2027 + 2 months = 29 Feb 2028',
      FR,
      '2027-12-31T16:00:00+01:00',
      2,
      'months',
      '2028-02-29',
      '2028-02-29T23:59:59.999+01:00',
      [],
    ],
    // 30 Jan + 1 month: February 2025 has no 30th, so its last day, Fri 28 Feb.
    [
      'FR 30 Jan + 1 month clamps to 28 Feb',
      FR,
      '2025-01-30T10:00:00+01:00',
      1,
      'months',
      '2025-02-28',
      '2025-02-28T23:59:59.999+01:00',
      [],
    ],

    // ---------------------------------------------------------------- Berlin (Europe/Berlin, DE-BE)
    // Berlin's commissioner, 6 May 2025 + 2 = Thu 8 May, the one-off Berlin holiday for the 80th anniversary of
    // liberation: Fri 9 May.
    [
      'DE-BE 8 May 2025 one-off Berlin holiday',
      BE,
      '2025-05-06T10:00:00+02:00',
      2,
      'calendar_days',
      '2025-05-09',
      '2025-05-09T23:59:59.999+02:00',
      ['2025-05-08'],
    ],
    // 22:30 UTC on 30 Apr is 00:30 on 1 May in Berlin: 1 May + 7 = Thu 8 May (holiday) -> Fri 9 May. Counting from 30
    // Apr would give 7 May.
    [
      'DE-BE event 22:30 UTC is 1 May in Berlin',
      BE,
      '2025-04-30T22:30:00Z',
      7,
      'calendar_days',
      '2025-05-09',
      '2025-05-09T23:59:59.999+02:00',
      ['2025-05-08'],
    ],
    // 22 Feb 2027 + 2 weeks = Mon 8 Mar 2027, International Women's Day, a holiday in Berlin only: Tuesday 9 Mar.
    [
      "DE-BE Women's Day 8 March is a Berlin holiday",
      BE,
      '2027-02-22T10:00:00+01:00',
      2,
      'weeks',
      '2027-03-09',
      '2027-03-09T23:59:59.999+01:00',
      ['2027-03-08'],
    ],
    // Same period with the federal calendar (DE): 8 March is an ordinary Monday.
    [
      'DE (federal) 8 March is a working day',
      DE,
      '2027-02-22T10:00:00+01:00',
      2,
      'weeks',
      '2027-03-08',
      '2027-03-08T23:59:59.999+01:00',
      [],
    ],
    // 22 Feb 2025 + 14 = Sat 8 Mar (also Women's Day), Sun 9: Monday 10 Mar.
    [
      "DE-BE Women's Day on a Saturday",
      BE,
      '2025-02-22T10:00:00+01:00',
      14,
      'calendar_days',
      '2025-03-10',
      '2025-03-10T23:59:59.999+01:00',
      ['2025-03-08', '2025-03-09'],
    ],
    // 27 Mar 2026 + 1 week = Good Friday 3 Apr; Sat 4; Easter Sun 5; Easter Mon 6: Tuesday 7 Apr.
    [
      'DE-BE Easter 2026',
      BE,
      '2026-03-27T10:00:00+01:00',
      1,
      'weeks',
      '2026-04-07',
      '2026-04-07T23:59:59.999+02:00',
      ['2026-04-03', '2026-04-04', '2026-04-05', '2026-04-06'],
    ],
    // 3 Sep + 1 month = Fri 3 Oct, German Unity Day; Sat 4; Sun 5: Monday 6 Oct.
    [
      'DE-BE German Unity Day before a weekend',
      BE,
      '2025-09-03T10:00:00+02:00',
      1,
      'months',
      '2025-10-06',
      '2025-10-06T23:59:59.999+02:00',
      ['2025-10-03', '2025-10-04', '2025-10-05'],
    ],
    // Working days after Mon 22 Dec: 23 (1), 24 (2; Christmas Eve afternoon is not a public holiday), 25-28 skipped,
    // Mon 29 (3).
    [
      'DE-BE 3 working days over Christmas',
      BE,
      '2025-12-22T10:00:00+01:00',
      3,
      'business_days',
      '2025-12-29',
      '2025-12-29T23:59:59.999+01:00',
      ['2025-12-25', '2025-12-26', '2025-12-27', '2025-12-28'],
    ],

    // ---------------------------------------------------------------- Korea (Asia/Seoul)
    // PIPC questionnaire: 23:30 UTC on 30 Jan is 08:30 on Fri 31 Jan in Seoul; 31 Jan + 10 = Mon 10 Feb.
    // Counting from the UTC date would have given Sun 9 Feb.
    [
      'KR event 23:30 UTC is the next morning in Seoul',
      KR,
      '2025-01-30T23:30:00Z',
      10,
      'calendar_days',
      '2025-02-10',
      '2025-02-10T23:59:59.999+09:00',
      [],
    ],
    // PIPC recommendations of 24 Apr 2025, 10 days: Sun 4 May; Mon 5 May Children's Day and Buddha's Birthday; Tue 6
    // May substitute: Wed 7 May.
    [
      'KR 10 days ending in the May holidays',
      KR,
      '2025-04-24T15:00:00+09:00',
      10,
      'calendar_days',
      '2025-05-07',
      '2025-05-07T23:59:59.999+09:00',
      ['2025-05-04', '2025-05-05', '2025-05-06'],
    ],
    // 24 Jan + 3 = Mon 27 Jan (temporary holiday), 28-30 Seollal: Fri 31 Jan, which date-holidays wrongly lists as
    // Seollal.
    [
      'KR Seollal 2025 with the 27 January temporary holiday',
      KR,
      '2025-01-24T10:00:00+09:00',
      3,
      'calendar_days',
      '2025-01-31',
      '2025-01-31T23:59:59.999+09:00',
      ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30'],
    ],
    // 12 Feb 2026 + 4 = Mon 16 Feb, the day before Seollal; 17 Seollal; 18 the day after: Thu 19 Feb is a working day.
    [
      'KR Seollal 2026 is 16-18 February',
      KR,
      '2026-02-12T10:00:00+09:00',
      4,
      'calendar_days',
      '2026-02-19',
      '2026-02-19T23:59:59.999+09:00',
      ['2026-02-16', '2026-02-17', '2026-02-18'],
    ],
    // 24 Feb + 5 = Sat 1 Mar (Independence Movement Day); Sun 2; Mon 3 Mar substitute holiday: Tuesday 4 Mar.
    [
      'KR 1 March on a Saturday and its substitute Monday',
      KR,
      '2025-02-24T10:00:00+09:00',
      5,
      'calendar_days',
      '2025-03-04',
      '2025-03-04T23:59:59.999+09:00',
      ['2025-03-01', '2025-03-02', '2025-03-03'],
    ],
    // 27 May + 1 week = Tue 3 Jun 2025, presidential election day: Wednesday 4 Jun.
    [
      'KR presidential election day 3 June 2025',
      KR,
      '2025-05-27T10:00:00+09:00',
      1,
      'weeks',
      '2025-06-04',
      '2025-06-04T23:59:59.999+09:00',
      ['2025-06-03'],
    ],
    // Working days after Thu 2 Oct: 3 (Foundation Day), 4-5 weekend, 5-7 Chuseok, 8 substitute, 9 Hangul Day all
    // skipped;
    // Fri 10 (1); 11-12 weekend; Mon 13 (2); Tue 14 (3).
    [
      'KR 3 working days across Chuseok 2025 (3-9 Oct)',
      KR,
      '2025-10-02T10:00:00+09:00',
      3,
      'business_days',
      '2025-10-14',
      '2025-10-14T23:59:59.999+09:00',
      [
        '2025-10-03',
        '2025-10-04',
        '2025-10-05',
        '2025-10-06',
        '2025-10-07',
        '2025-10-08',
        '2025-10-09',
        '2025-10-11',
        '2025-10-12',
      ],
    ],
    // Korean Civil Act art. 160: 28 Feb + 1 month counts from 1 Mar and ends the day before 1 Apr, Mon 31 Mar
    // (the EU rule gives 28 Mar, see the IT row below).
    [
      'KR months end the day before the corresponding day (art. 160)',
      KR,
      '2025-02-28T10:00:00+09:00',
      1,
      'months',
      '2025-03-31',
      '2025-03-31T23:59:59.999+09:00',
      [],
    ],
    // 31 Jan + 1 month: counting from 1 Feb, the day before 1 Mar is Fri 28 Feb (same as the EU rule here).
    [
      'KR 31 Jan + 1 month = 28 Feb',
      KR,
      '2025-01-31T10:00:00+09:00',
      1,
      'months',
      '2025-02-28',
      '2025-02-28T23:59:59.999+09:00',
      [],
    ],
    // 24 Apr 2026 + 7 = Fri 1 May 2026, Labour Day (public holiday from 2026); Sat 2; Sun 3: Monday 4 May.
    [
      'KR Labour Day 2026',
      KR,
      '2026-04-24T10:00:00+09:00',
      7,
      'calendar_days',
      '2026-05-04',
      '2026-05-04T23:59:59.999+09:00',
      ['2026-05-01', '2026-05-02', '2026-05-03'],
    ],
    // 10 Jul 2026 + 1 week = Fri 17 Jul, Constitution Day (a public holiday again from 2026); weekend: Monday 20 Jul.
    [
      'KR Constitution Day 2026',
      KR,
      '2026-07-10T10:00:00+09:00',
      1,
      'weeks',
      '2026-07-20',
      '2026-07-20T23:59:59.999+09:00',
      ['2026-07-17', '2026-07-18', '2026-07-19'],
    ],
    // 21 Sep 2026 + 3 = Thu 24 Sep; Chuseok 24-26 Sep (Saturday overlap gives no substitute); Sun 27: Monday 28 Sep.
    [
      'KR Chuseok 2026, no substitute for a Saturday overlap',
      KR,
      '2026-09-21T10:00:00+09:00',
      3,
      'calendar_days',
      '2026-09-28',
      '2026-09-28T23:59:59.999+09:00',
      ['2026-09-24', '2026-09-25', '2026-09-26', '2026-09-27'],
    ],
    // 27 May 2026 + 1 week = Wed 3 Jun 2026, local elections day: Thursday 4 Jun.
    [
      'KR local elections day 3 June 2026',
      KR,
      '2026-05-27T10:00:00+09:00',
      1,
      'weeks',
      '2026-06-04',
      '2026-06-04T23:59:59.999+09:00',
      ['2026-06-03'],
    ],
    // 26 Apr 2027 + 5 = Sat 1 May 2027, Labour Day; Sun 2; Mon 3 May its substitute holiday (KASI almanac 2027):
    // Tuesday 4 May.
    [
      'KR Labour Day 2027 on a Saturday and its substitute',
      KR,
      '2027-04-26T10:00:00+09:00',
      5,
      'calendar_days',
      '2027-05-04',
      '2027-05-04T23:59:59.999+09:00',
      ['2027-05-01', '2027-05-02', '2027-05-03'],
    ],
    // An authority that works Saturdays (weekendDays [7]): 5 Mar + 3 = Sat 8 Mar still ends no period in Korea
    // (Civil Act art. 161); Sun 9: Monday 10 Mar.
    [
      'KR Saturday ends no period even for a 6-day week',
      calendar('Asia/Seoul', 'KR', [7]),
      '2025-03-05T10:00:00+09:00',
      3,
      'calendar_days',
      '2025-03-10',
      '2025-03-10T23:59:59.999+09:00',
      ['2025-03-08', '2025-03-09'],
    ],

    // ---------------------------------------------------------------- Japan (Asia/Tokyo)
    // Working days after Mon 28 Apr: 29 Showa Day skipped; 30 (1); 1 May (2); 2 May (3); 3-6 May (Constitution Day,
    // Greenery Day,
    // Children's Day, substitute holiday 振替休日 for Sunday 4 May) skipped; Wed 7 (4); Thu 8 (5).
    [
      'JP 5 working days across Golden Week 2025',
      JP,
      '2025-04-28T10:00:00+09:00',
      5,
      'business_days',
      '2025-05-08',
      '2025-05-08T23:59:59.999+09:00',
      ['2025-04-29', '2025-05-03', '2025-05-04', '2025-05-05', '2025-05-06'],
    ],
    // 16 Feb + 1 week = Sun 23 Feb, Emperor's Birthday; Mon 24 its substitute holiday: Tuesday 25 Feb.
    [
      "JP Emperor's Birthday on a Sunday and its substitute",
      JP,
      '2025-02-16T10:00:00+09:00',
      1,
      'weeks',
      '2025-02-25',
      '2025-02-25T23:59:59.999+09:00',
      ['2025-02-23', '2025-02-24'],
    ],
    // Working days after Fri 18 Sep 2026: 19-20 weekend; 21 Respect for the Aged; 22 国民の休日 (between two holidays);
    // 23 Autumnal Equinox: Thursday 24 Sep is the first.
    [
      "JP Silver Week 2026 with the citizens' holiday",
      JP,
      '2026-09-18T10:00:00+09:00',
      1,
      'business_days',
      '2026-09-24',
      '2026-09-24T23:59:59.999+09:00',
      ['2026-09-19', '2026-09-20', '2026-09-21', '2026-09-22', '2026-09-23'],
    ],
    // 19 Dec + 10 = Mon 29 Dec; government offices close 29 Dec-3 Jan; Sun 4 Jan: Monday 5 Jan 2026.
    [
      'JP year-end government holidays',
      JP,
      '2025-12-19T10:00:00+09:00',
      10,
      'calendar_days',
      '2026-01-05',
      '2026-01-05T23:59:59.999+09:00',
      ['2025-12-29', '2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'],
    ],
    // Civil Code art. 143: 30 Apr + 1 month counts from 1 May and ends the day before 1 Jun, Sat 31 May; Sun 1 Jun:
    // Monday 2 Jun.
    [
      'JP months end the day before the corresponding day (art. 143)',
      JP,
      '2025-04-30T10:00:00+09:00',
      1,
      'months',
      '2025-06-02',
      '2025-06-02T23:59:59.999+09:00',
      ['2025-05-31', '2025-06-01'],
    ],
    // 15:30 UTC on 2 May is 00:30 on Sat 3 May in Tokyo: 3 May + 7 = Sat 10 May; Sun 11: Monday 12 May (from 2 May it
    // would be Fri 9 May).
    [
      'JP event 15:30 UTC is the next day in Tokyo',
      JP,
      '2025-05-02T15:30:00Z',
      7,
      'calendar_days',
      '2025-05-12',
      '2025-05-12T23:59:59.999+09:00',
      ['2025-05-10', '2025-05-11'],
    ],

    // ---------------------------------------------------------------- Israel (Asia/Jerusalem, Friday-Saturday weekend)
    // 3 Mar + 4 = Fri 7 Mar; Sat 8: Sunday 9 Mar is a working day.
    [
      'IL Friday-Saturday weekend',
      IL,
      '2025-03-03T10:00:00+02:00',
      4,
      'calendar_days',
      '2025-03-09',
      '2025-03-09T23:59:59.999+02:00',
      ['2025-03-07', '2025-03-08'],
    ],
    // Rosh Hashanah begins at sunset on Mon 22 Sep: the 22nd's daytime is a working day, so 15 Sep + 1 week = 22 Sep
    // stands.
    [
      'IL eve of Rosh Hashanah is a working day',
      IL,
      '2025-09-15T10:00:00+03:00',
      1,
      'weeks',
      '2025-09-22',
      '2025-09-22T23:59:59.999+03:00',
      [],
    ],
    // 16 Sep + 1 week = Tue 23 Sep, Rosh Hashanah; Wed 24 its second day: Thursday 25 Sep.
    [
      'IL Rosh Hashanah two days',
      IL,
      '2025-09-16T10:00:00+03:00',
      1,
      'weeks',
      '2025-09-25',
      '2025-09-25T23:59:59.999+03:00',
      ['2025-09-23', '2025-09-24'],
    ],
    // 10 Apr + 3 = Sun 13 Apr, first day of Pesach; Mon 14 is an intermediate day (chol hamoed), a working day.
    [
      'IL Pesach, intermediate days are working days',
      IL,
      '2025-04-10T10:00:00+03:00',
      3,
      'calendar_days',
      '2025-04-14',
      '2025-04-14T23:59:59.999+03:00',
      ['2025-04-13'],
    ],
    // 25 Sep + 1 week = Thu 2 Oct, Yom Kippur; Fri 3 and Sat 4 weekend: Sunday 5 Oct.
    [
      'IL Yom Kippur followed by the weekend',
      IL,
      '2025-09-25T10:00:00+03:00',
      1,
      'weeks',
      '2025-10-05',
      '2025-10-05T23:59:59.999+03:00',
      ['2025-10-02', '2025-10-03', '2025-10-04'],
    ],
    // Working days after Sun 5 Oct: 6 (1); 7 Sukkot skipped; 8, 9 (2-3); Fri 10, Sat 11 skipped; 12, 13 (4-5);
    // 14 Simchat Torah skipped; Wed 15 (6).
    [
      'IL 6 working days across Sukkot and Simchat Torah',
      IL,
      '2025-10-05T10:00:00+03:00',
      6,
      'business_days',
      '2025-10-15',
      '2025-10-15T23:59:59.999+03:00',
      ['2025-10-07', '2025-10-10', '2025-10-11', '2025-10-14'],
    ],
    // 16 Oct + 10 = Sun 26 Oct, the day Israel leaves summer time: the due day ends at +02:00.
    [
      'IL DST: due on the day summer time ends',
      IL,
      '2025-10-16T10:00:00+03:00',
      10,
      'calendar_days',
      '2025-10-26',
      '2025-10-26T23:59:59.999+02:00',
      [],
    ],
    // 21:30 UTC on 31 May is 00:30 on Sun 1 Jun in Jerusalem: 1 Jun + 1 = Mon 2 Jun, Shavuot: Tuesday 3 Jun.
    [
      'IL event 21:30 UTC is the next day in Jerusalem',
      IL,
      '2025-05-31T21:30:00Z',
      1,
      'calendar_days',
      '2025-06-03',
      '2025-06-03T23:59:59.999+03:00',
      ['2025-06-02'],
    ],
    // 15 Apr 2026 + 1 week = Wed 22 Apr 2026, Independence Day: Thursday 23 Apr.
    [
      'IL Independence Day 2026',
      IL,
      '2026-04-15T10:00:00+03:00',
      1,
      'weeks',
      '2026-04-23',
      '2026-04-23T23:59:59.999+03:00',
      ['2026-04-22'],
    ],

    // ---------------------------------------------------------------- closures
    // Garante's 17 Feb would be the due day, but the authority declared a closure that day: Tuesday 18 Feb.
    [
      'IT closure on the last day',
      calendar('Europe/Rome', 'IT', [6, 7], [{ date: '2025-02-17', reason: 'Office move' }]),
      '2025-01-28T10:00:00+01:00',
      20,
      'calendar_days',
      '2025-02-18',
      '2025-02-18T23:59:59.999+01:00',
      ['2025-02-17'],
    ],
    // Working days after Wed 30 Apr with a bridge-day closure on Fri 2 May: 1, 2, 3, 4 skipped; 5, 6, 7 (1-3); 8
    // skipped; 9 (4); 10, 11 skipped; 12 (5).
    [
      'FR closure counted out of working days',
      calendar('Europe/Paris', 'FR', [6, 7], [{ date: '2025-05-02', reason: 'Bridge day' }]),
      '2025-04-30T10:00:00+02:00',
      5,
      'business_days',
      '2025-05-12',
      '2025-05-12T23:59:59.999+02:00',
      ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-08', '2025-05-10', '2025-05-11'],
    ],
    // EU rule for the same 28 Feb + 1 month as the Korean row: same day number, Fri 28 Mar.
    [
      'IT 28 Feb + 1 month = 28 Mar (EU rule)',
      IT,
      '2025-02-28T10:00:00+01:00',
      1,
      'months',
      '2025-03-28',
      '2025-03-28T23:59:59.999+01:00',
      [],
    ],
  ];

  it.each(rows)('%s', (_title, cal, event, count, unit, dueDate, dueAt, skipped) => {
    const result = computeDueDate(new Date(event), cal, { count, unit });
    expect(result.dueDate).toBe(dueDate);
    expect(result.dueAt).toBe(dueAt);
    expectWellFormed(result, skipped, unit);
  });

  it('explains the Garante case in two lines: the event and the due day', () => {
    const result = computeDueDate(new Date('2025-01-28T10:00:00+01:00'), IT, { count: 20, unit: 'calendar_days' });
    expect(result.explanation).toEqual([
      {
        date: '2025-01-28',
        kind: 'start',
        reason: expect.stringContaining('20 calendar days counted from the next day, 2025-01-29'),
        // The same line as structured data, for pages in the reader's language (libs/web explanations.ts).
        code: 'start',
        params: {
          eventAt: '2025-01-28T10:00:00.000+01:00',
          timeZone: 'Europe/Rome',
          count: 20,
          unit: 'calendar_days',
          firstDay: '2025-01-29',
          ruleSet: 'national',
        },
      },
      {
        date: '2025-02-17',
        kind: 'due',
        reason: 'Due by the end of Monday 2025-02-17: 2025-02-17T23:59:59.999+01:00 (Europe/Rome; rule set national)',
        code: 'due',
        params: {
          dueDay: '2025-02-17',
          dueAt: '2025-02-17T23:59:59.999+01:00',
          timeZone: 'Europe/Rome',
          ruleSet: 'national',
        },
      },
    ]);
  });

  it('names every rolled-over day and why, with the legal basis', () => {
    const result = computeDueDate(new Date('2025-12-03T09:00:00+01:00'), IT, { count: 3, unit: 'calendar_days' });
    expect(result.explanation.slice(1)).toEqual([
      {
        date: '2025-12-06',
        kind: 'rollover',
        reason: expect.stringContaining('1182/71, art. 3(4)'),
        code: 'rollover',
        params: { lastDay: '2025-12-06', basis: 'eu' },
      },
      { date: '2025-12-06', kind: 'weekend', reason: 'Saturday: weekend', code: 'weekend', params: { weekday: 6 } },
      { date: '2025-12-07', kind: 'weekend', reason: 'Sunday: weekend', code: 'weekend', params: { weekday: 7 } },
      {
        date: '2025-12-08',
        kind: 'holiday',
        reason: 'Public holiday: Immaculate Conception',
        code: 'holiday',
        params: { name: 'Immaculate Conception', region: 'IT', holidayDay: '2025-12-08' },
      },
      expect.objectContaining({
        date: '2025-12-09',
        kind: 'due',
        reason: expect.stringContaining('Tuesday 2025-12-09'),
      }),
    ]);
  });

  it("records the local time of the event, converted to the authority's zone", () => {
    const result = computeDueDate(new Date('2025-01-30T23:30:00Z'), KR, { count: 10, unit: 'calendar_days' });
    expect(result.explanation[0]).toEqual({
      date: '2025-01-31',
      kind: 'start',
      reason: expect.stringContaining('Event at 2025-01-31 08:30 Asia/Seoul (Friday)'),
      code: 'start',
      params: expect.objectContaining({ eventAt: '2025-01-31T08:30:00.000+09:00', timeZone: 'Asia/Seoul' }),
    });
  });

  it('cites Korean Civil Act art. 161 when a Korean period rolls over', () => {
    const result = computeDueDate(new Date('2025-02-24T10:00:00+09:00'), KR, { count: 5, unit: 'calendar_days' });
    expect(result.explanation.find((e) => e.kind === 'rollover')?.reason).toContain('Korean Civil Act art. 161');
    expect(result.explanation.filter((e) => e.kind === 'holiday').map((e) => e.reason)).toEqual([
      'Public holiday: Independence Movement Day',
      'Public holiday: Independence Movement Day (substitute day)',
    ]);
  });

  it('lists each closure with its reason', () => {
    const cal = calendar('Europe/Rome', 'IT', [6, 7], [{ date: '2025-02-17', reason: 'Office move' }]);
    const result = computeDueDate(new Date('2025-01-28T10:00:00+01:00'), cal, { count: 20, unit: 'calendar_days' });
    expect(result.explanation).toContainEqual({
      date: '2025-02-17',
      kind: 'closure',
      reason: 'Authority closed: Office move',
      code: 'closure',
      params: { reason: 'Office move' },
    });
  });

  it("does not depend on the instant's offset, only on the instant", () => {
    const a = computeDueDate(new Date('2025-01-28T10:00:00+01:00'), KR, { count: 1, unit: 'months' });
    const b = computeDueDate(new Date('2025-01-28T09:00:00Z'), KR, { count: 1, unit: 'months' });
    expect(a).toEqual(b);
  });
});

describe('extendDueDate', () => {
  const rows: Row[] = [
    // Garante's 17 Feb extended by 10 days: counted from 18 Feb, ends Thu 27 Feb.
    ['IT 17 Feb + 10 days', IT, '2025-02-17', 10, 'calendar_days', '2025-02-27', '2025-02-27T23:59:59.999+01:00', []],
    // Fri 26 Sep + 1 week = Fri 3 Oct, and 3-9 Oct are all holidays or weekend in Korea: Friday 10 Oct.
    [
      'KR extension into the 2025 Chuseok week',
      KR,
      '2025-09-26',
      1,
      'weeks',
      '2025-10-10',
      '2025-10-10T23:59:59.999+09:00',
      ['2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08', '2025-10-09'],
    ],
    // Fri 26 Sep + 1 month = Sun 26 Oct; Mon 27 Oct bank holiday: Tuesday 28 Oct (after the DST change, +00:00).
    [
      'IE extension by a month into the October bank holiday',
      IE,
      '2025-09-26',
      1,
      'months',
      '2025-10-28',
      '2025-10-28T23:59:59.999+00:00',
      ['2025-10-26', '2025-10-27'],
    ],
    // Working days after Wed 24 Dec 2025 in Japan: 25, 26 (1-2); 27-28 weekend; 29 Dec-4 Jan closed; Mon 5 Jan (3).
    [
      'JP extension by 3 working days over the year end',
      JP,
      '2025-12-24',
      3,
      'business_days',
      '2026-01-05',
      '2026-01-05T23:59:59.999+09:00',
      [
        '2025-12-27',
        '2025-12-28',
        '2025-12-29',
        '2025-12-30',
        '2025-12-31',
        '2026-01-01',
        '2026-01-02',
        '2026-01-03',
        '2026-01-04',
      ],
    ],
  ];

  it.each(rows)('%s', (_title, cal, previous, count, unit, dueDate, dueAt, skipped) => {
    const result = extendDueDate(previous, cal, { count, unit });
    expect(result.dueDate).toBe(dueDate);
    expect(result.dueAt).toBe(dueAt);
    expect(result.explanation[0]).toEqual(expect.objectContaining({ date: previous, kind: 'start' }));
    expectWellFormed(result, skipped, unit);
  });
});

describe('dueAtEndOf', () => {
  it.each([
    // Christmas Day given directly: 25, 26 holidays, 27-28 weekend: Monday 29 Dec.
    [
      'IT Christmas Day',
      IT,
      '2025-12-25',
      '2025-12-29',
      '2025-12-29T23:59:59.999+01:00',
      ['2025-12-25', '2025-12-26', '2025-12-27', '2025-12-28'],
    ],
    // A Friday in Israel is weekend, and so is Saturday: Sunday 12 Oct.
    ['IL Friday', IL, '2025-10-10', '2025-10-12', '2025-10-12T23:59:59.999+03:00', ['2025-10-10', '2025-10-11']],
    // Tuesday 15 Jul 2025 is an ordinary working day in France: kept as given.
    ['FR ordinary Tuesday', FR, '2025-07-15', '2025-07-15', '2025-07-15T23:59:59.999+02:00', []],
    // Korea 8 Oct 2025 is the Chuseok substitute holiday, 9 Oct Hangul Day: Friday 10 Oct.
    [
      'KR Chuseok substitute holiday',
      KR,
      '2025-10-08',
      '2025-10-10',
      '2025-10-10T23:59:59.999+09:00',
      ['2025-10-08', '2025-10-09'],
    ],
  ] as const)('%s', (_title, cal, date, dueDate, dueAt, skipped) => {
    const result = dueAtEndOf(date, cal);
    expect(result.dueDate).toBe(dueDate);
    expect(result.dueAt).toBe(dueAt);
    expectWellFormed(result, [...skipped]);
  });
});

describe('addStoppedDays', () => {
  it.each([
    // 17 Feb + 12 stopped days = Sat 1 Mar; Sun 2: Monday 3 Mar.
    [
      'IT 12 stopped days',
      IT,
      '2025-02-17',
      12,
      '2025-03-03',
      '2025-03-03T23:59:59.999+01:00',
      ['2025-03-01', '2025-03-02'],
    ],
    // Tue 30 Sep + 3 = Fri 3 Oct, then the Korean 3-9 Oct holidays: Friday 10 Oct.
    [
      'KR resumed into Chuseok',
      KR,
      '2025-09-30',
      3,
      '2025-10-10',
      '2025-10-10T23:59:59.999+09:00',
      ['2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08', '2025-10-09'],
    ],
    // Zero stopped days but a closure added meanwhile on the due day: moved to Tuesday 18 Feb.
    [
      'IT 0 days onto a new closure',
      calendar('Europe/Rome', 'IT', [6, 7], [{ date: '2025-02-17', reason: 'Strike' }]),
      '2025-02-17',
      0,
      '2025-02-18',
      '2025-02-18T23:59:59.999+01:00',
      ['2025-02-17'],
    ],
    // Sun 2 Mar 2025 in Israel is a working day: 27 Feb (Thu) + 3 = Sun 2 Mar stands.
    ['IL Sunday is a working day', IL, '2025-02-27', 3, '2025-03-02', '2025-03-02T23:59:59.999+02:00', []],
  ] as const)('%s', (_title, cal, due, stopped, dueDate, dueAt, skipped) => {
    const result = addStoppedDays(due, stopped, cal);
    expect(result.dueDate).toBe(dueDate);
    expect(result.dueAt).toBe(dueAt);
    expect(result.explanation[0]!.reason).toContain(`stopped for ${stopped} calendar day`);
    expectWellFormed(result, [...skipped]);
  });
});

describe('nonWorkingReasons', () => {
  it.each([
    // An ordinary Monday.
    ['IT Monday 17 Feb 2025', IT, '2025-02-17', []],
    // St Francis 2026 is a national holiday and a Sunday: both reasons.
    [
      'IT 4 Oct 2026',
      IT,
      '2026-10-04',
      [
        ['weekend', 'Sunday: weekend'],
        ['holiday', 'Public holiday: National Day of Saint Francis of Assisi'],
      ],
    ],
    // Two holidays share 5 May 2025 in Korea.
    [
      'KR 5 May 2025',
      KR,
      '2025-05-05',
      [
        ['holiday', "Public holiday: Children's Day"],
        ['holiday', "Public holiday: Buddha's Birthday"],
      ],
    ],
    // Chuseok 2025 is 5-7 Oct: the 6th is covered by the 3-day span.
    ['KR 6 Oct 2025', KR, '2025-10-06', [['holiday', 'Public holiday: Korean Thanksgiving']]],
    // Labour Day became a public holiday only in 2026: Thu 1 May 2025 was a working day for government offices.
    ['KR 1 May 2025', KR, '2025-05-01', []],
    // Erev Rosh Hashanah: the holiday only begins at sunset.
    ['IL 22 Sep 2025', IL, '2025-09-22', []],
    // Friday of Pesach week: weekend, chol hamoed itself is not a rest day.
    ['IL 18 Apr 2025', IL, '2025-04-18', [['weekend', 'Friday: weekend']]],
    // Berlin's Women's Day on a Saturday.
    [
      'DE-BE 8 Mar 2025',
      BE,
      '2025-03-08',
      [
        ['weekend', 'Saturday: weekend'],
        ['holiday', "Public holiday: International Women's Day"],
      ],
    ],
    // Not a holiday in the federal list.
    ['DE 8 Mar 2025', DE, '2025-03-08', [['weekend', 'Saturday: weekend']]],
    // Japanese government offices are closed from 29 Dec (supplement).
    ['JP 29 Dec 2025', JP, '2025-12-29', [['holiday', 'Public holiday: Government year-end holiday (行政機関の休日)']]],
    // Dutch time limits skip 5 May every year (Algemene termijnenwet), a 'school' day in date-holidays.
    [
      'NL 5 May 2026',
      calendar('Europe/Amsterdam', 'NL'),
      '2026-05-05',
      [['holiday', 'Public holiday: Liberation Day (Bevrijdingsdag)']],
    ],
    // Saturday in Korea for an authority working Saturdays: still no due day (Civil Act art. 161).
    [
      'KR Saturday, 6-day week',
      calendar('Asia/Seoul', 'KR', [7]),
      '2025-03-08',
      [['weekend', 'Saturday: a period ending on a Saturday ends on the next day (Korean Civil Act art. 161)']],
    ],
    // Good Friday in Ireland is a bank holiday at most, not a public holiday.
    ['IE Good Friday 2025', IE, '2025-04-18', []],
    // Rome's patron saints (Monday 29 Jun 2026) count only with the Rome region IT-62-RM.
    [
      'IT-62-RM 29 Jun 2026',
      calendar('Europe/Rome', 'IT-62-RM'),
      '2026-06-29',
      [['holiday', 'Public holiday: Saints Peter and Paul']],
    ],
  ] as const)('%s', (_title, cal, date, expected) => {
    const reasons = nonWorkingReasons(date, cal);
    expect(reasons.map((r) => [r.kind, r.reason])).toEqual(expected);
    expect(reasons.every((r) => r.date === date)).toBe(true);
    expect(isWorkingDay(date, cal)).toBe(expected.length === 0);
  });
});

describe('holidaysBetween', () => {
  it('lists holidays and closures with their source', () => {
    const cal = calendar('Europe/Rome', 'IT', [6, 7], [{ date: '2025-12-24', reason: 'Christmas Eve closure' }]);
    expect(holidaysBetween(cal, '2025-12-01', '2025-12-31')).toEqual([
      { date: '2025-12-08', name: 'Immaculate Conception', source: 'date-holidays' },
      { date: '2025-12-24', name: 'Christmas Eve closure', source: 'closure' },
      { date: '2025-12-25', name: 'Christmas Day', source: 'date-holidays' },
      { date: '2025-12-26', name: 'Boxing Day', source: 'date-holidays' },
    ]);
  });

  it('marks supplements and leaves out days they remove', () => {
    expect(holidaysBetween(KR, '2025-01-25', '2025-02-05')).toEqual([
      { date: '2025-01-27', name: 'Temporary public holiday (임시공휴일)', source: 'supplement' },
      { date: '2025-01-28', name: 'Day before Seollal (설날 전날)', source: 'supplement' },
      { date: '2025-01-29', name: 'Korean New Year', source: 'date-holidays' },
      { date: '2025-01-30', name: 'Korean New Year', source: 'date-holidays' },
    ]);
  });

  it('includes both ends of the range', () => {
    expect(holidaysBetween(FR, '2025-07-14', '2025-07-14')).toEqual([
      { date: '2025-07-14', name: 'Bastille Day', source: 'date-holidays' },
    ]);
  });
});

describe('localDateOf and endOfLocalDay', () => {
  it.each([
    // 23:30 UTC is 08:30 next morning in Seoul (UTC+9).
    ['2025-01-30T23:30:00Z', 'Asia/Seoul', '2025-01-31'],
    // ... and still 18:30 the same day in New York (UTC-5).
    ['2025-01-30T23:30:00Z', 'America/New_York', '2025-01-30'],
    // 00:59:59 UTC on 30 Mar 2025 is 01:59:59 CET, one second before the clocks jump.
    ['2025-03-30T00:59:59Z', 'Europe/Rome', '2025-03-30'],
    // Kiribati's Line Islands are UTC+14.
    ['2025-01-01T10:00:00Z', 'Pacific/Kiritimati', '2025-01-02'],
  ])('%s in %s is %s', (instant, zone, date) => {
    expect(localDateOf(new Date(instant), zone)).toBe(date);
  });

  it('ends a UTC day with an explicit +00:00 offset', () => {
    expect(endOfLocalDay('2025-02-17', 'UTC')).toBe('2025-02-17T23:59:59.999+00:00');
  });

  it('ends the day summer time starts at the summer offset', () => {
    expect(endOfLocalDay('2025-03-30', 'Europe/Rome')).toBe('2025-03-30T23:59:59.999+02:00');
  });
});

describe('validation', () => {
  function errorOf(run: () => unknown): CalendarError {
    try {
      run();
    } catch (error) {
      if (error instanceof CalendarError) return error;
      throw error;
    }
    throw new Error('expected a CalendarError');
  }

  const event = new Date('2025-01-28T10:00:00+01:00');
  const days = { count: 20, unit: 'calendar_days' } as const;

  it.each([
    [
      'unknown time zone',
      () => validateCalendar({ ...IT, timeZone: 'Europe/Atlantis' }),
      'timeZone',
      /"Europe\/Atlantis" is not an IANA time zone/,
    ],
    ['empty time zone', () => validateCalendar({ ...IT, timeZone: '' }), 'timeZone', /not an IANA time zone/],
    [
      'unknown country',
      () => validateCalendar({ ...IT, holidayRegion: 'XX' }),
      'holidayRegion',
      /no public-holiday data for country "XX"/,
    ],
    [
      'unknown state',
      () => validateCalendar({ ...IT, holidayRegion: 'DE-XX' }),
      'holidayRegion',
      /DE has no state "XX" \(known: .*BE/,
    ],
    [
      'state of a country without states',
      () => validateCalendar({ ...IT, holidayRegion: 'KR-11' }),
      'holidayRegion',
      /only the whole country/,
    ],
    [
      'country name instead of a code',
      () => validateCalendar({ ...IT, holidayRegion: 'Germany' }),
      'holidayRegion',
      /use an ISO country code/,
    ],
    [
      'weekend day 0',
      () => validateCalendar({ ...IT, weekendDays: [0, 6] }),
      'weekendDays',
      /1 \(Monday\) to 7 \(Sunday\)/,
    ],
    [
      'weekend day 8',
      () => validateCalendar({ ...IT, weekendDays: [8] }),
      'weekendDays',
      /1 \(Monday\) to 7 \(Sunday\)/,
    ],
    [
      'fractional weekend day',
      () => validateCalendar({ ...IT, weekendDays: [6.5] }),
      'weekendDays',
      /ISO weekday numbers/,
    ],
    [
      'all seven days',
      () => validateCalendar({ ...IT, weekendDays: [1, 2, 3, 4, 5, 6, 7] }),
      'weekendDays',
      /all seven days/,
    ],
    ['weekend day twice', () => validateCalendar({ ...IT, weekendDays: [6, 6] }), 'weekendDays', /lists a day twice/],
    [
      'closure on 30 February',
      () => validateCalendar({ ...IT, closures: [{ date: '2025-02-30', reason: 'x' }] }),
      'closures[0].date',
      /2025-02-30 does not exist: February 2025 has 28 days/,
    ],
    [
      'closure without reason',
      () => validateCalendar({ ...IT, closures: [{ date: '2025-03-03', reason: ' ' }] }),
      'closures[0].reason',
      /must say why/,
    ],
    [
      'count 0',
      () => computeDueDate(event, IT, { count: 0, unit: 'calendar_days' }),
      'count',
      /whole number from 1 to 3660/,
    ],
    ['negative count', () => computeDueDate(event, IT, { count: -5, unit: 'weeks' }), 'count', /from 1 to 520/],
    ['fractional count', () => computeDueDate(event, IT, { count: 1.5, unit: 'months' }), 'count', /whole number/],
    [
      'too many days',
      () => computeDueDate(event, IT, { count: 3661, unit: 'calendar_days' }),
      'count',
      /from 1 to 3660 calendar days/,
    ],
    [
      'too many working days',
      () => computeDueDate(event, IT, { count: 2601, unit: 'business_days' }),
      'count',
      /from 1 to 2600 business days/,
    ],
    ['too many weeks', () => computeDueDate(event, IT, { count: 521, unit: 'weeks' }), 'count', /from 1 to 520 weeks/],
    [
      'too many months',
      () => computeDueDate(event, IT, { count: 121, unit: 'months' }),
      'count',
      /from 1 to 120 months/,
    ],
    [
      'unknown unit',
      () => computeDueDate(event, IT, { count: 1, unit: 'years' as never }),
      'unit',
      /calendar_days, business_days, weeks, months/,
    ],
    ['invalid event instant', () => computeDueDate(new Date('not a date'), IT, days), 'event', /valid instant/],
    [
      'previous due date on 30 February',
      () => extendDueDate('2025-02-30', IT, days),
      'previousDueDate',
      /February 2025 has 28 days/,
    ],
    ['29 February in a common year', () => dueAtEndOf('2027-02-29', IT), 'date', /February 2027 has 28 days/],
    ['month 13', () => dueAtEndOf('2025-13-01', IT), 'date', /no month 13/],
    ['date in day/month/year form', () => dueAtEndOf('17/02/2025', IT), 'date', /YYYY-MM-DD/],
    ['negative stopped days', () => addStoppedDays('2025-02-17', -1, IT), 'stoppedCalendarDays', /from 0 to 3660/],
    ['fractional stopped days', () => addStoppedDays('2025-02-17', 2.5, IT), 'stoppedCalendarDays', /whole number/],
    ['reversed range', () => holidaysBetween(IT, '2025-12-31', '2025-01-01'), 'to', /must not be before/],
    ['local date in an unknown zone', () => localDateOf(event, 'CET+1'), 'timeZone', /IANA time zone/],
    [
      'nonWorkingReasons with a bad calendar',
      () => nonWorkingReasons('2025-02-17', { ...IT, holidayRegion: 'ZZ' }),
      'holidayRegion',
      /ZZ/,
    ],
  ])('%s', (_title, run, field, message) => {
    const error = errorOf(run);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.name).toBe('CalendarError');
  });

  it('gives up with a clear error when closures leave no working day for over a year', () => {
    // Only Sundays are working days, and every Sunday of 2025 is closed.
    const sundays: Closure[] = [];
    for (
      let day = new Date('2025-01-05T00:00:00Z');
      day.getUTCFullYear() === 2025;
      day = new Date(day.getTime() + 7 * 86_400_000)
    ) {
      sundays.push({ date: day.toISOString().slice(0, 10), reason: 'Closed' });
    }
    const cal = calendar('Europe/Rome', 'IT', [1, 2, 3, 4, 5, 6], sundays);
    const error = errorOf(() => dueAtEndOf('2025-01-01', cal));
    expect(error.field).toBe('closures');
    expect(error.message).toMatch(/No working day in the 366 days after 2025-01-01/);
  });

  it('accepts a lower-case region and an empty weekend', () => {
    expect(() => validateCalendar(calendar('Europe/Berlin', 'de-be', []))).not.toThrow();
    expect(dueAtEndOf('2025-03-08', calendar('Europe/Berlin', 'de-be', [])).dueDate).toBe('2025-03-09');
  });
});
