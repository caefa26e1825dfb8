/**
 * Reviewed corrections to the `date-holidays` package: days it misses ('add') or wrongly
 * reports as public holidays ('remove'). Every entry names its legal or official source.
 *
 * - `region` is a holiday region ('KR', 'DE-BE'); a country entry also applies to its states.
 * - `date` is 'YYYY-MM-DD' for one day or 'MM-DD' for a day that recurs every year (from year `from`, if set).
 * - 'remove' drops every date-holidays holiday on that date; 'add' adds a named holiday.
 *
 * holidays.spec.ts fails when an entry stops being needed (the library got fixed) and pins
 * the full public-holiday list of each reviewed region for SUPPLEMENTS_REVIEWED_YEARS.
 * Review again before the next year starts and whenever date-holidays is upgraded.
 */
export interface HolidaySupplement {
  region: string;
  date: string;
  from?: number;
  name: string;
  /** The official name in the country's language, shown to readers of other languages than English. */
  localName?: string;
  action: 'add' | 'remove';
  source: string;
  /** Applies to this region alone, not to its subdivisions (a federal holiday a province does not keep). */
  only?: boolean;
}

export const SUPPLEMENTS_REVIEWED_YEARS: readonly number[] = [2025, 2026];
export const SUPPLEMENTS_REVIEWED_REGIONS: readonly string[] = ['IT', 'IE', 'FR', 'DE-BE', 'KR', 'JP', 'IL'];

const KR_SEOLLAL =
  'Regulation on Public Holidays of Government Offices (관공서의 공휴일에 관한 규정) art. 2(4): the day before ' +
  'Seollal, Seollal and the day after; KASI almanac (월력요항). date-holidays anchors its 3-day span on Seollal ' +
  'itself, one day late (noted in its own KR.yaml, issue commenthol/date-holidays#640)';

const JP_GOVERNMENT_HOLIDAY =
  'Act on Holidays of Administrative Organs (行政機関の休日に関する法律, Act No. 91 of 1988) art. 1(1)(iii): ' +
  '29 Dec to 3 Jan are holidays of administrative organs; art. 2 moves a deadline for an act towards an ' +
  'administrative organ that falls on such a day to the next working day';

const TW_HOLIDAYS =
  'Regulations on the Implementation of Memorial Days and Holidays (紀念日及節日實施條例, amended 2025) arts. 3-5; ' +
  'DGPA government office calendar 2026 (行政院人事行政總處); a holiday on a Saturday is observed on the Friday before, on a Sunday on the Monday after';

const TW_SUBSTITUTES =
  '紀念日及節日實施條例 art. 8 (a holiday on a day of rest is made up); 政府機關配合紀念日與節日補假及調整放假處理要點 ' +
  'point 3, as amended by Executive Yuan letter 院授人培字第1143024631號 of 13 Jun 2025: a holiday on a Saturday is ' +
  'made up on the working day before, on a Sunday on the working day after';

const CA_HOLIDAYS =
  'Canada Labour Code, R.S.C. 1985, c. L-2, s. 166 (general holidays); Victoria Day: the Monday before 25 May; ' +
  'Thanksgiving: the second Monday of October (Holidays Act, R.S.C. 1985, c. H-5)';

const IN_HOLIDAYS_2026 =
  'DoPT (Ministry of Personnel, Public Grievances and Pensions) O.M. of 3 Jul 2025, "Holidays to be observed in ' +
  'Central Government Offices during the year 2026", Annexure-I: the 14 compulsory holidays (para 2) and, for ' +
  'offices at Delhi/New Delhi, Holi, Ram Navami and Janmashtami (para 3.1); Id-ul-Fitr, Id-ul-Zuha, Muharram and ' +
  'Milad-un-Nabi may be moved by moon sighting, re-notified by the government';

export const HOLIDAY_SUPPLEMENTS: readonly HolidaySupplement[] = [
  // Korea 2025
  {
    region: 'KR',
    date: '2025-01-27',
    action: 'add',
    name: 'Temporary public holiday (임시공휴일)',
    localName: '임시공휴일',
    source:
      'Temporary public holiday designated by Cabinet decision of 8 Jan 2025 (관공서의 공휴일에 관한 규정 art. 2(11))',
  },
  {
    region: 'KR',
    date: '2025-01-28',
    action: 'add',
    name: 'Day before Seollal (설날 전날)',
    localName: '설날 전날',
    source: KR_SEOLLAL,
  },
  {
    region: 'KR',
    date: '2025-01-31',
    action: 'remove',
    name: 'Korean New Year (not a holiday: day after the 3-day span)',
    source: KR_SEOLLAL,
  },
  {
    region: 'KR',
    date: '2025-06-03',
    action: 'add',
    name: '21st presidential election day (제21대 대통령선거)',
    localName: '제21대 대통령선거일',
    source:
      'Election day designated a temporary public holiday by Cabinet decision of 8 Apr 2025 (관공서의 공휴일에 관한 규정 art. 2(11))',
  },

  // Korea 2026
  {
    region: 'KR',
    date: '2026-02-16',
    action: 'add',
    name: 'Day before Seollal (설날 전날)',
    localName: '설날 전날',
    source: KR_SEOLLAL,
  },
  {
    region: 'KR',
    date: '2026-02-19',
    action: 'remove',
    name: 'Korean New Year (not a holiday: day after the 3-day span)',
    source: KR_SEOLLAL,
  },
  {
    region: 'KR',
    date: '05-01',
    from: 2026,
    action: 'add',
    name: 'Labour Day (노동절)',
    localName: '노동절',
    source:
      'Act on Public Holidays (공휴일에 관한 법률) as amended by the National Assembly on 31 Mar 2026 and promulgated in Apr 2026, applying from 1 May 2026',
  },
  {
    region: 'KR',
    date: '2026-06-03',
    action: 'add',
    name: '9th nationwide local elections day (제9회 전국동시지방선거)',
    localName: '제9회 전국동시지방선거일',
    source:
      '관공서의 공휴일에 관한 규정 art. 2(10): election day of an election held at the end of the term (Public Official Election Act art. 34)',
  },

  // Korea 2027 (KASI almanac 2027): Seollal 6-8 Feb with 9 Feb as its substitute, Labour Day on a Saturday
  {
    region: 'KR',
    date: '2027-02-06',
    action: 'add',
    name: 'Day before Seollal (설날 전날)',
    localName: '설날 전날',
    source: KR_SEOLLAL,
  },
  {
    region: 'KR',
    date: '2027-05-03',
    action: 'add',
    name: 'Labour Day (substitute day) (대체공휴일)',
    localName: '노동절 대체공휴일',
    source:
      'Act on Public Holidays (공휴일에 관한 법률) art. 3 substitute holidays, as amended in 2026; KASI almanac (월력요항) 2027',
  },

  // Japan: government year-end and New Year holidays, every year (1 January is already a national holiday)
  {
    region: 'JP',
    date: '12-29',
    action: 'add',
    name: 'Government year-end holiday (行政機関の休日)',
    localName: '年末の行政機関の休日',
    source: JP_GOVERNMENT_HOLIDAY,
  },
  {
    region: 'JP',
    date: '12-30',
    action: 'add',
    name: 'Government year-end holiday (行政機関の休日)',
    localName: '年末の行政機関の休日',
    source: JP_GOVERNMENT_HOLIDAY,
  },
  {
    region: 'JP',
    date: '12-31',
    action: 'add',
    name: 'Government year-end holiday (行政機関の休日)',
    localName: '年末の行政機関の休日',
    source: JP_GOVERNMENT_HOLIDAY,
  },
  {
    region: 'JP',
    date: '01-02',
    action: 'add',
    name: 'Government New Year holiday (行政機関の休日)',
    localName: '年始の行政機関の休日',
    source: JP_GOVERNMENT_HOLIDAY,
  },
  {
    region: 'JP',
    date: '01-03',
    action: 'add',
    name: 'Government New Year holiday (行政機関の休日)',
    localName: '年始の行政機関の休日',
    source: JP_GOVERNMENT_HOLIDAY,
  },

  // Netherlands: date-holidays types 5 May as 'school', but it is a recognised holiday for every statutory time limit
  {
    region: 'NL',
    date: '05-05',
    action: 'add',
    name: 'Liberation Day (Bevrijdingsdag)',
    localName: 'Bevrijdingsdag',
    source: 'Algemene termijnenwet art. 3(1): "de vijfde mei" is a generally recognised holiday for time limits',
  },

  // Taiwan 2026: the Regulations on the Implementation of Memorial Days and Holidays as amended in May 2025 and the
  // DGPA's 2026 office calendar (行政院人事行政總處 115年政府行政機關辦公日曆表)
  ...(
    [
      ['2026-02-27', 'Peace Memorial Day (observed: 28 February is a Saturday)'],
      ['2026-04-03', "Children's Day (observed: 4 April is a Saturday)"],
      ['2026-10-09', 'National Day (observed: 10 October is a Saturday)'],
      ['2026-10-26', 'Taiwan Retrocession Day (observed: 25 October is a Sunday)'],
      ['2027-02-04', "Day before Lunar New Year's Eve (除夕前一日)"],
    ] as const
  ).map(([date, name]) => ({ region: 'TW', date, action: 'add' as const, name, source: TW_HOLIDAYS })),
  // Taiwan 2027: substitute days the rule gives for the holidays date-holidays does not move (its own substitutes of
  // 1 Mar, 11 Oct and 31 Dec 2027 agree with the rule). Derived from the rule, not compared with the DGPA's 2027
  // calendar (README).
  ...(
    [
      ['2027-04-06', "Children's Day (observed: 4 April is a Sunday and 5 April Tomb-Sweeping Day)"],
      ['2027-04-30', 'Labour Day (observed: 1 May is a Saturday)'],
      ['2027-12-24', 'Constitution Day (observed: 25 December is a Saturday)'],
    ] as const
  ).map(([date, name]) => ({ region: 'TW', date, action: 'add' as const, name, source: TW_SUBSTITUTES })),
  ...(
    [
      ['05-01', 'Labour Day (勞動節)'],
      ['09-28', "Confucius' Birthday / Teachers' Day (孔子誕辰紀念日)"],
      ['10-25', 'Taiwan Retrocession Day (臺灣光復暨金門古寧頭大捷紀念日)'],
      ['12-25', 'Constitution Day (行憲紀念日)'],
    ] as const
  ).map(([date, name]) => ({ region: 'TW', date, from: 2026, action: 'add' as const, name, source: TW_HOLIDAYS })),

  // India (central government, offices at Delhi/New Delhi) 2026: the holidays of the DoPT list date-holidays does
  // not have (lunar and lunisolar calendars). 2027's were not pinned: see libs/calendar/README.md.
  ...(
    [
      ['2026-03-04', 'Holi'],
      ['2026-03-21', 'Id-ul-Fitr (moon sighting)'],
      ['2026-03-26', 'Ram Navami'],
      ['2026-03-31', 'Mahavir Jayanti'],
      ['2026-05-01', 'Buddha Purnima'],
      ['2026-05-27', 'Id-ul-Zuha (Bakrid) (moon sighting)'],
      ['2026-06-26', 'Muharram (moon sighting)'],
      ['2026-08-26', 'Milad-un-Nabi or Id-e-Milad (moon sighting)'],
      ['2026-09-04', 'Janmashtami (Vaishnavi)'],
      ['2026-10-20', 'Dussehra (Vijaya Dashami)'],
      ['2026-11-08', 'Diwali (Deepavali)'],
      ['2026-11-24', "Guru Nanak's Birthday"],
    ] as const
  ).map(([date, name]) => ({ region: 'IN', date, action: 'add' as const, name, source: IN_HOLIDAYS_2026 })),

  // Australia, New South Wales: the Public Holidays Act 2010 (NSW) gives no extra day when Anzac Day falls on a weekend
  {
    region: 'AU-NSW',
    date: '2026-04-27',
    action: 'remove',
    name: 'Anzac Day substitute (none in NSW)',
    source:
      'Public Holidays Act 2010 (NSW) s. 4 and Sch.: Anzac Day is 25 April only; NSW Industrial Relations list 2026',
  },
  {
    region: 'AU-NSW',
    date: '2027-04-26',
    action: 'remove',
    name: 'Anzac Day substitute (none in NSW)',
    source:
      'Public Holidays Act 2010 (NSW) s. 4 and Sch.: Anzac Day is 25 April only; NSW Industrial Relations list 2027',
  },

  // Canada (federal): the general holidays of the Canada Labour Code s. 166; date-holidays types most of them as
  // provincial. `only`: a province's own list (CA-QC …) is not changed.
  ...(
    [
      ['2026-05-18', 'Victoria Day'],
      ['2027-05-24', 'Victoria Day'],
      ['2026-10-12', 'Thanksgiving Day'],
      ['2027-10-11', 'Thanksgiving Day'],
    ] as const
  ).map(([date, name]) => ({ region: 'CA', date, only: true, action: 'add' as const, name, source: CA_HOLIDAYS })),
  ...(
    [
      ['09-30', 'National Day for Truth and Reconciliation'],
      ['11-11', 'Remembrance Day'],
      ['12-26', 'Boxing Day'],
    ] as const
  ).map(([date, name]) => ({
    region: 'CA',
    date,
    from: 2022,
    only: true,
    action: 'add' as const,
    name,
    source: CA_HOLIDAYS,
  })),
  ...(
    [
      ['2026-12-28', 'Boxing Day (observed: 26 December is a Saturday)'],
      ['2027-12-27', 'Christmas Day (observed: 25 December is a Saturday)'],
      ['2027-12-28', 'Boxing Day (observed: 26 December is a Sunday)'],
    ] as const
  ).map(([date, name]) => ({
    region: 'CA',
    date,
    only: true,
    action: 'add' as const,
    name,
    source: `${CA_HOLIDAYS}; a holiday on a day of rest moves to the next working day (Treasury Board collective agreements, designated paid holidays)`,
  })),
];
