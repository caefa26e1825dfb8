import { fireAt, offsetProblem, parseOffset } from './offsets.js';

describe('reminder offsets', () => {
  it.each([
    ['-P7D', -7 * 86400],
    ['PT0S', 0],
    ['P3D', 3 * 86400],
    ['-PT30S', -30],
    ['+P1DT2H', 86400 + 7200],
  ])('parses %s', (offset, seconds) => {
    expect(parseOffset(offset)?.as('seconds')).toBe(seconds);
  });

  it.each(['7 days', 'P', '-', 'P7X', ''])('refuses %p', (offset) => {
    expect(offsetProblem(offset)).toContain('is not a signed ISO 8601 duration');
  });

  it('refuses offsets beyond a year', () => {
    expect(offsetProblem('-P400D')).toContain('more than 366 days');
  });

  it('counts days in the authority zone across a DST change', () => {
    // Due at the end of Monday 31 March 2025 in Rome (CEST, +02:00); 7 days earlier is Monday 24 March
    // 23:59:59.999 CET (+01:00): 7 local days, but 167 hours, because clocks went forward on 30 March.
    const due = '2025-03-31T23:59:59.999+02:00';
    expect(fireAt(due, '-P7D', 'Europe/Rome').toISOString()).toBe('2025-03-24T22:59:59.999Z');
    expect(fireAt(due, 'PT0S', 'Europe/Rome').toISOString()).toBe('2025-03-31T21:59:59.999Z');
  });
});
