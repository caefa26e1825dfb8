import {
  addStoppedTime,
  CalendarError,
  computeDueDate,
  extendDueDate,
  fireAt,
  HOLIDAY_DATA_VERSION,
  instantOfLocalDate,
  offsetProblem,
  RULE_SETS,
  type AuthorityCalendar,
} from './index.js';

const calendar = (
  timeZone: string,
  holidayRegion: string,
  extra: Partial<AuthorityCalendar> = {},
): AuthorityCalendar => ({
  timeZone,
  holidayRegion,
  weekendDays: [6, 7],
  closures: [],
  ...extra,
});
const IT = calendar('Europe/Rome', 'IT');
const BR = calendar('America/Sao_Paulo', 'BR');
const KR = calendar('Asia/Seoul', 'KR');

describe('dates are the authority’s dates', () => {
  it('the Brazilian case: a decision of 2026-12-02 in São Paulo + 10 days is the same as calendar/compute gives', () => {
    const decided = instantOfLocalDate('2026-12-02', 'America/Sao_Paulo');
    const result = computeDueDate(decided, BR, { count: 10, unit: 'calendar_days' });
    // 12 December is a Saturday: Monday 14 December, not 11 December (what midnight UTC, 1 December locally, gave).
    expect(result.dueDate).toBe('2026-12-14');
    expect(result.explanation[0]).toMatchObject({ date: '2026-12-02', kind: 'start' });
  });
});

describe('periods in hours', () => {
  it('run exactly, through a change to summer time (Rome, 29 March 2026)', () => {
    const result = computeDueDate(new Date('2026-03-28T12:00:00+01:00'), IT, { count: 24, unit: 'hours' });
    // 24 elapsed hours: the clocks went forward at 02:00, so the wall clock shows 13:00.
    expect(result.dueAt).toBe('2026-03-29T13:00:00.000+02:00');
    expect(result.dueDate).toBe('2026-03-29');
    expect(new Date(result.dueAt).getTime() - new Date('2026-03-28T11:00:00Z').getTime()).toBe(24 * 3600_000);
  });

  it('run through a change back to winter time (Rome, 25 October 2026)', () => {
    const result = computeDueDate(new Date('2026-10-24T12:00:00+02:00'), IT, { count: 72, unit: 'hours' });
    expect(result.dueAt).toBe('2026-10-27T11:00:00.000+01:00');
  });

  it('run through weekends and holidays and list them, never rolled over (GDPR Art. 33: 72 hours)', () => {
    // Friday 4 December 2026 10:00 + 72 h = Monday 7 December 10:00: Saturday and Sunday are counted.
    const result = computeDueDate(new Date('2026-12-04T10:00:00+01:00'), IT, { count: 72, unit: 'hours' });
    expect(result.dueAt).toBe('2026-12-07T10:00:00.000+01:00');
    expect(result.explanation.filter((entry) => entry.kind === 'runs_through').map((entry) => entry.date)).toEqual([
      '2026-12-05',
      '2026-12-06',
    ]);
    // Ending on a holiday (8 December) does not move it either.
    const holiday = computeDueDate(new Date('2026-12-07T09:00:00+01:00'), IT, { count: 24, unit: 'hours' });
    expect(holiday.dueAt).toBe('2026-12-08T09:00:00.000+01:00');
  });

  it('under Reg. 1182/71 start at the beginning of the hour after the event (art. 3(1))', () => {
    const result = computeDueDate(new Date('2026-03-28T12:25:00+01:00'), IT, {
      count: 24,
      unit: 'hours',
      ruleSet: 'eu-1182-71',
    });
    expect(result.dueAt).toBe('2026-03-29T14:00:00.000+02:00');
    expect(result.ruleSet).toBe('eu-1182-71');
    expect(result.explanation.map((entry) => entry.reason).join(' ')).toContain('art. 3(1)');
  });

  it('accept 1 to 8760 hours only', () => {
    expect(() => computeDueDate(new Date(), IT, { count: 0, unit: 'hours' })).toThrow(CalendarError);
    expect(() => computeDueDate(new Date(), IT, { count: 8761, unit: 'hours' })).toThrow(/1 to 8760/);
    expect(computeDueDate(new Date('2026-01-01T00:00:00Z'), IT, { count: 8760, unit: 'hours' }).dueAt).toBe(
      '2027-01-01T01:00:00.000+01:00',
    );
  });

  it('extend from the previous due instant and add exactly the time stopped', () => {
    const extended = extendDueDate('2026-12-07', IT, { count: 24, unit: 'hours' }, '2026-12-07T10:00:00.000+01:00');
    expect(extended.dueAt).toBe('2026-12-08T10:00:00.000+01:00');
    expect(addStoppedTime('2026-12-07T10:00:00.000+01:00', 90 * 60_000, IT).dueAt).toBe(
      '2026-12-07T11:30:00.000+01:00',
    );
  });
});

describe('rule sets', () => {
  it('are listed with eu-1182-71 among them', () => {
    expect(RULE_SETS.map((set) => set.id)).toEqual(expect.arrayContaining(['national', 'eu-1182-71']));
  });

  it('refuse an unknown one', () => {
    expect(() => computeDueDate(new Date(), IT, { count: 2, unit: 'calendar_days', ruleSet: 'nope' })).toThrow(
      /ruleSet "nope" is not known/,
    );
  });

  it('Reg. 1182/71 art. 3(5): a period of two days or more includes at least two working days', () => {
    // Wednesday 24 December 2025 + 2 days: Christmas and St Stephen's, then the weekend: the roll-over (art. 3(4))
    // gives Monday 29, with one working day in the period; art. 3(5) makes it Tuesday 30.
    const event = new Date('2025-12-24T10:00:00+01:00');
    const national = computeDueDate(event, IT, { count: 2, unit: 'calendar_days' });
    expect(national.dueDate).toBe('2025-12-29');
    const eu = computeDueDate(event, IT, { count: 2, unit: 'calendar_days', ruleSet: 'eu-1182-71' });
    expect(eu.dueDate).toBe('2025-12-30');
    const minimum = eu.explanation.find((entry) => entry.kind === 'minimum');
    expect(minimum?.reason).toContain('art. 3(5)');
    expect(minimum?.reason).toContain('Only 1 working day');
    // A period that already holds two working days is not moved, and the explanation has no such entry.
    const plain = computeDueDate(new Date('2026-03-02T10:00:00+01:00'), IT, {
      count: 2,
      unit: 'calendar_days',
      ruleSet: 'eu-1182-71',
    });
    expect(plain.dueDate).toBe('2026-03-04');
    expect(plain.explanation.some((entry) => entry.kind === 'minimum')).toBe(false);
  });

  it('a one-day period is not subject to art. 3(5)', () => {
    const one = computeDueDate(new Date('2025-12-24T10:00:00+01:00'), IT, {
      count: 1,
      unit: 'calendar_days',
      ruleSet: 'eu-1182-71',
    });
    expect(one.dueDate).toBe('2025-12-29');
  });

  it('every result names its rule set and the holiday data it used', () => {
    const result = computeDueDate(new Date('2026-03-02T10:00:00+01:00'), IT, { count: 2, unit: 'calendar_days' });
    expect(result.ruleSet).toBe('national');
    expect(result.holidayDataVersion).toBe(HOLIDAY_DATA_VERSION);
    expect(HOLIDAY_DATA_VERSION).toMatch(/^date-holidays@\d+\.\d+\.\d+\+supplements\.[0-9a-f]{12}$/);
  });
});

describe('receipt cut-off', () => {
  const CUT = calendar('Europe/Rome', 'IT', { receiptCutoff: '18:00' });

  it('an event after the cut-off counts from the next working day', () => {
    // Friday 4 December 2026 19:00: received Monday 7 December; + 10 days = Thursday 17 December.
    const late = computeDueDate(new Date('2026-12-04T19:00:00+01:00'), CUT, { count: 10, unit: 'calendar_days' });
    expect(late.dueDate).toBe('2026-12-17');
    const entry = late.explanation.find((item) => item.kind === 'cutoff');
    expect(entry).toMatchObject({ date: '2026-12-07' });
    expect(entry?.reason).toContain('18:00');
    // Without a cut-off: Monday 14 December.
    expect(
      computeDueDate(new Date('2026-12-04T19:00:00+01:00'), IT, { count: 10, unit: 'calendar_days' }).dueDate,
    ).toBe('2026-12-14');
  });

  it('an event before the cut-off on a working day counts from its own day', () => {
    const early = computeDueDate(new Date('2026-12-04T17:59:00+01:00'), CUT, { count: 10, unit: 'calendar_days' });
    expect(early.dueDate).toBe('2026-12-14');
    expect(early.explanation.some((item) => item.kind === 'cutoff')).toBe(false);
  });

  it('an event on a day off counts from the next working day', () => {
    // Tuesday 8 December 2026 is a public holiday in Italy: received Wednesday 9; + 10 = Saturday 19 → Monday 21.
    const holiday = computeDueDate(new Date('2026-12-08T10:00:00+01:00'), CUT, { count: 10, unit: 'calendar_days' });
    expect(holiday.dueDate).toBe('2026-12-21');
    expect(holiday.explanation.find((item) => item.kind === 'cutoff')?.reason).toContain('Immaculate Conception');
  });

  it.each(['25:00', '18', '6pm', '18:60', ''])('refuses the cut-off %p', (cutoff) => {
    expect(() =>
      computeDueDate(new Date(), { ...IT, receiptCutoff: cutoff }, { count: 1, unit: 'calendar_days' }),
    ).toThrow(/receiptCutoff must be a time of day/);
  });
});

describe('reminders in office hours', () => {
  it.each([
    // Due Monday 14 December 2026 (end of day); one working day before at 09:00 local is Friday 11 December 09:00.
    ['Asia/Seoul', KR, '2026-12-14T23:59:59.999+09:00', '2026-12-11T00:00:00.000Z'],
    ['Europe/Rome', IT, '2026-12-14T23:59:59.999+01:00', '2026-12-11T08:00:00.000Z'],
    ['America/Sao_Paulo', BR, '2026-12-14T23:59:59.999-03:00', '2026-12-11T12:00:00.000Z'],
  ])('-P1WD@09:00 in %s fires at 09:00 local on the working day before', (_zone, cal, dueAt, expected) => {
    expect(fireAt(dueAt, '-P1WD@09:00', cal.timeZone, cal).toISOString()).toBe(expected);
  });

  it('skips public holidays when counting working days back', () => {
    // Due Wednesday 9 December 2026 in Rome; Tuesday 8 is the Immaculate Conception: Monday 7 at 09:00.
    expect(fireAt('2026-12-09T23:59:59.999+01:00', '-P1WD@09:00', 'Europe/Rome', IT).toISOString()).toBe(
      '2026-12-07T08:00:00.000Z',
    );
  });

  it('counts calendar days with a time, the due day itself with 0, and keeps signed durations working', () => {
    expect(fireAt('2026-12-14T23:59:59.999+01:00', '-P7D@09:00', 'Europe/Rome', IT).toISOString()).toBe(
      '2026-12-07T08:00:00.000Z',
    );
    expect(fireAt('2026-12-14T23:59:59.999+01:00', 'P0WD@09:00', 'Europe/Rome', IT).toISOString()).toBe(
      '2026-12-14T08:00:00.000Z',
    );
    expect(fireAt('2026-12-14T23:59:59.999+01:00', '-P1D', 'Europe/Rome').toISOString()).toBe(
      '2026-12-13T22:59:59.999Z',
    );
    expect(fireAt('2026-12-14T23:59:59.999+01:00', 'P1WD@09:00', 'Europe/Rome', IT).toISOString()).toBe(
      '2026-12-15T08:00:00.000Z',
    );
  });

  it('refuses malformed office offsets', () => {
    expect(offsetProblem('-P1WD@25:00')).toContain('office offset');
    expect(offsetProblem('-P1WD@9:00')).toContain('office offset');
    expect(offsetProblem('-P1WD')).toBeNull();
    expect(offsetProblem('-P400WD@09:00')).toContain('more than 366 days');
  });
});
