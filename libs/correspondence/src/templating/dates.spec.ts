import { formatDeadline, intlLocale } from './dates.js';

describe('formatDeadline', () => {
  // Garante, 28 Jan 2025 + 20 days: the end of 17 February 2025 in Rome.
  const rome = '2025-02-17T23:59:59.999+01:00';

  it.each([
    ['it', 'Europe/Rome', rome, '17 febbraio 2025'],
    ['en', 'Europe/Dublin', '2025-02-17T23:59:59.999Z', '17 February 2025'],
    ['en-US', 'America/New_York', '2025-02-17T23:59:59.999-05:00', 'February 17, 2025'],
    ['fr', 'Europe/Paris', rome, '17 février 2025'],
    ['ko', 'Asia/Seoul', '2025-02-17T23:59:59.999+09:00', '2025년 2월 17일'],
    ['ja', 'Asia/Tokyo', '2025-02-17T23:59:59.999+09:00', '2025年2月17日'],
  ])('writes %s dates as the regulator does (%s)', (locale, zone, dueAt, expected) => {
    expect(formatDeadline(dueAt, locale, zone)).toBe(expected);
  });

  it("shows the date in the authority's time zone, not the server's", () => {
    const instant = '2025-02-17T20:00:00Z';
    expect(formatDeadline(instant, 'it', 'Europe/Rome')).toBe('17 febbraio 2025');
    expect(formatDeadline(instant, 'ko', 'Asia/Seoul')).toBe('2025년 2월 18일');
    expect(formatDeadline(new Date(instant), 'ja', 'Asia/Tokyo')).toBe('2025年2月18日');
  });

  it('takes a calendar date as it is', () => {
    expect(formatDeadline('2025-02-17', 'ko', 'Asia/Seoul')).toBe('2025년 2월 17일');
    expect(formatDeadline('2025-02-17', 'en', 'Pacific/Kiritimati')).toBe('17 February 2025');
  });

  it('refuses what it cannot read', () => {
    expect(() => formatDeadline(rome, 'it', 'Europe/Atlantis')).toThrow('Unknown time zone "Europe/Atlantis"');
    expect(() => formatDeadline('17/02/2025', 'it', 'Europe/Rome')).toThrow(/Invalid date "17\/02\/2025"/);
    expect(() => formatDeadline(rome, 'not a locale!', 'Europe/Rome')).toThrow('Invalid locale "not a locale!"');
  });
});

describe('intlLocale', () => {
  it('dates English letters the European way and keeps other locales', () => {
    expect(intlLocale('en')).toBe('en-GB');
    expect(intlLocale('en-IE')).toBe('en-IE');
    expect(intlLocale('ko')).toBe('ko');
    expect(intlLocale('pt-br')).toBe('pt-BR');
  });
});
