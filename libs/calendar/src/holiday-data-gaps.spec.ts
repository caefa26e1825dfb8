import { computeDueDate, dueAtEndOf, extendDueDate, type AuthorityCalendar } from './engine.js';
import { holidayDataWarnings } from './holiday-data-gaps.js';
import { publicHolidaysBetween } from './holidays.js';

/**
 * India's central-government holidays are verified for 2026 only (DoPT O.M. of 3 Jul 2025). For 2027 the DoPT list
 * could not be checked, so its lunar and lunisolar holidays are not in the data: Docket does not guess them, it says
 * so on every computation whose count runs through 2027 (README, "Jurisdictions added in issue 21").
 */
const delhi: AuthorityCalendar = {
  timeZone: 'Asia/Kolkata',
  holidayRegion: 'IN',
  weekendDays: [6, 7],
  closures: [],
};
const rome: AuthorityCalendar = { timeZone: 'Europe/Rome', holidayRegion: 'IT', weekendDays: [6, 7], closures: [] };
const at = (text: string) => new Date(text);

describe('holiday data known to be incomplete (India outside 2026)', () => {
  it('computes a 2026 Indian period with no warning: the 2026 DoPT list is verified', () => {
    // Id-ul-Fitr 21 Mar 2026 (Saturday) is in the data; 10 days from 11 Mar end on Saturday 21 → Monday 23 Mar.
    const due = computeDueDate(at('2026-03-11T10:00:00+05:30'), delhi, { count: 10, unit: 'calendar_days' });
    expect(due.dueDate).toBe('2026-03-23');
    expect(due.warnings).toEqual([]);
    expect(due.explanation.some((entry) => entry.kind === 'unverified')).toBe(false);
  });

  it('warns on a 2027 period and names what is missing, without guessing a lunar holiday', () => {
    // Holi 2027 is not in the data (not verified): 10 days from 12 Mar 2027 end on Monday 22 Mar, left as it is.
    const due = computeDueDate(at('2027-03-12T10:00:00+05:30'), delhi, { count: 10, unit: 'calendar_days' });
    expect(due.dueDate).toBe('2027-03-22');
    expect(due.warnings).toHaveLength(1);
    expect(due.warnings![0]).toContain('IN holiday data for 2027 is not verified');
    expect(due.warnings![0]).toContain('Diwali');
    expect(due.warnings![0]).toContain('closure days');
    const unverified = due.explanation.filter((entry) => entry.kind === 'unverified');
    expect(unverified.map((entry) => entry.reason)).toEqual(due.warnings);
  });

  it('still counts the 2027 holidays fixed by date: Republic Day (Tuesday 26 Jan 2027) moves a deadline', () => {
    const due = dueAtEndOf('2027-01-26', delhi);
    expect(due.dueDate).toBe('2027-01-27');
    expect(due.explanation.some((entry) => entry.reason === 'Public holiday: Republic Day')).toBe(true);
    expect(due.warnings).toHaveLength(1);
    const fixed = publicHolidaysBetween('IN', '2027-01-01', '2027-12-31').map((holiday) => holiday.date);
    expect(fixed).toEqual(
      expect.arrayContaining(['2027-01-26', '2027-03-26', '2027-04-14', '2027-08-15', '2027-10-02', '2027-12-25']),
    );
  });

  it('warns when a 2026 period runs into 2027, and names 2027 only', () => {
    const due = computeDueDate(at('2026-12-20T10:00:00+05:30'), delhi, { count: 20, unit: 'business_days' });
    expect(due.dueDate.startsWith('2027-01')).toBe(true);
    expect(due.warnings).toHaveLength(1);
    expect(due.warnings![0]).toContain('for 2027 is');
    expect(due.warnings![0]).not.toContain('2026');
  });

  it('warns on an extension that ends in 2027', () => {
    const due = extendDueDate('2026-12-28', delhi, { count: 1, unit: 'months' });
    expect(due.dueDate.startsWith('2027-01')).toBe(true);
    expect(due.warnings).toHaveLength(1);
  });

  it('gives no warning for a period in hours, which runs through days off whatever they are', () => {
    const due = computeDueDate(at('2027-03-12T10:00:00+05:30'), delhi, { count: 72, unit: 'hours' });
    expect(due.dueAt).toBe('2027-03-15T10:00:00.000+05:30');
    expect(due.warnings).toEqual([]);
  });

  it('gives no warning for a region whose data has no known gap', () => {
    const due = computeDueDate(at('2027-03-12T10:00:00+01:00'), rome, { count: 10, unit: 'calendar_days' });
    expect(due.warnings).toEqual([]);
  });

  it.each([
    ['IN', [2026], 0],
    ['IN', [2025], 1],
    ['IN', [2026, 2027, 2028], 1],
    ['in', [2027], 1],
    ['IT', [2027], 0],
    ['ID', [2027], 0],
  ] as const)('%s in %j: %i warning(s)', (region, years, count) => {
    expect(holidayDataWarnings(region, years)).toHaveLength(count);
  });

  it('names every unverified year in one sentence', () => {
    expect(holidayDataWarnings('IN', [2026, 2027, 2028])[0]).toContain('for 2027, 2028 is not verified');
  });
});
