import fc from 'fast-check';
import { DateTime } from 'luxon';
import { endOfLocalDay, localDateOf } from './engine.js';
import { addDays, endInstantOfLocalDate, instantOfLocalDate, parseDateOrInstant } from './local-time.js';

/** Every IANA zone this runtime knows, and the extremes named on purpose (UTC−12 is Etc/GMT+12 in IANA's signs). */
const ZONES = [
  ...new Set([
    ...Intl.supportedValuesOf('timeZone'),
    'UTC',
    'Etc/GMT+12',
    'Etc/GMT-14',
    'Pacific/Kiritimati',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/Sao_Paulo',
    'Australia/Sydney',
    'Pacific/Auckland',
    'America/Santiago',
  ]),
];

const dateArbitrary = fc
  .date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('2199-12-30T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

/** A date a zone's clocks skipped whole (Samoa crossed the date line on 2011-12-30): nothing to round-trip. */
function skipped(date: string, zone: string): boolean {
  const before = DateTime.fromISO(addDays(date, -1), { zone }).endOf('day');
  return before.plus({ milliseconds: 1 }).toISODate() === addDays(date, 1);
}

describe('local dates of an authority: no date round-trips to another day', () => {
  it('knows the zones it is asked about', () => {
    expect(ZONES.length).toBeGreaterThan(300);
    for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'Etc/GMT+12', 'America/Sao_Paulo'])
      expect(ZONES).toContain(zone);
  });

  it('date → first instant, last instant, the API reading → the same date, in every IANA zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), dateArbitrary, (zone, date) => {
        if (skipped(date, zone)) {
          expect(() => instantOfLocalDate(date, zone)).toThrow(/skipped/);
          return;
        }
        const start = instantOfLocalDate(date, zone);
        expect(localDateOf(start, zone)).toBe(date);
        expect(localDateOf(new Date(start.getTime() - 1), zone)).toBe(addDays(date, -1));
        expect(localDateOf(endInstantOfLocalDate(date, zone), zone)).toBe(date);
        expect(localDateOf(new Date(endOfLocalDay(date, zone)), zone)).toBe(date);
        expect(localDateOf(parseDateOrInstant(date, zone)!, zone)).toBe(date);
      }),
      { seed: 21, numRuns: 4000 },
    );
  });

  it('instant → local date → first instant is at or before it, and the next day starts after it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('1900-01-03T00:00:00Z'), max: new Date('2199-12-29T00:00:00Z'), noInvalidDate: true }),
        (zone, instant) => {
          const date = localDateOf(instant, zone);
          expect(instantOfLocalDate(date, zone).getTime()).toBeLessThanOrEqual(instant.getTime());
          const next = addDays(date, 1);
          if (!skipped(next, zone)) expect(instantOfLocalDate(next, zone).getTime()).toBeGreaterThan(instant.getTime());
        },
      ),
      { seed: 21, numRuns: 4000 },
    );
  });

  it.each([
    // The Brazilian case of issue 21: a decision dated 2026-12-02 is 03:00 UTC that day, never 1 December.
    ['America/Sao_Paulo', '2026-12-02', '2026-12-02T03:00:00.000Z'],
    ['Asia/Kolkata', '2026-12-02', '2026-12-01T18:30:00.000Z'],
    ['Asia/Kathmandu', '2026-12-02', '2026-12-01T18:15:00.000Z'],
    ['Pacific/Kiritimati', '2026-12-02', '2026-12-01T10:00:00.000Z'],
    ['Etc/GMT+12', '2026-12-02', '2026-12-02T12:00:00.000Z'],
    // Southern summer time: Sydney is +11:00 in December.
    ['Australia/Sydney', '2026-12-02', '2026-12-01T13:00:00.000Z'],
    // São Paulo's clocks jumped from 00:00 to 01:00 on 2018-11-04: the day began at 01:00 (-02:00).
    ['America/Sao_Paulo', '2018-11-04', '2018-11-04T03:00:00.000Z'],
  ])('%s: %s begins at %s', (zone, date, instant) => {
    expect(instantOfLocalDate(date, zone).toISOString()).toBe(instant);
    expect(localDateOf(new Date(instant), zone)).toBe(date);
  });

  it('reads a date-only API value as the local date, an instant as itself', () => {
    expect(parseDateOrInstant('2026-12-02', 'America/Sao_Paulo')?.toISOString()).toBe('2026-12-02T03:00:00.000Z');
    expect(parseDateOrInstant('2026-12-02T10:00:00+09:00', 'America/Sao_Paulo')?.toISOString()).toBe(
      '2026-12-02T01:00:00.000Z',
    );
    expect(parseDateOrInstant('2026-02-30', 'UTC')).toBeNull();
    expect(parseDateOrInstant('nonsense', 'UTC')).toBeNull();
  });

  it('refuses a day that a zone skipped', () => {
    expect(() => instantOfLocalDate('2011-12-30', 'Pacific/Apia')).toThrow(/skipped/);
  });
});
