import { daysBetween, formatDate, formatInstant, localDate, relativeDays, weekdayNames } from './dates.js';

const rome = { timezone: 'Europe/Rome', locale: 'it-IT' };
const seoul = { timezone: 'Asia/Seoul', locale: 'ko-KR' };

describe('dates in the authority zone and locale', () => {
  it('writes calendar dates in the locale, without shifting them by a zone', () => {
    expect(formatDate('2025-02-17', rome)).toBe('lunedì 17 febbraio 2025');
    expect(formatDate('2025-02-17', rome, 'short')).toBe('17 feb 2025');
    expect(formatDate('2025-02-07', seoul)).toBe('2025년 2월 7일 금요일');
    expect(formatDate('2025-02-17', { timezone: 'Pacific/Kiritimati', locale: 'en-GB' })).toBe(
      'Monday, 17 February 2025',
    );
  });

  it('writes instants in the zone with its abbreviation, summer time included', () => {
    expect(formatInstant('2025-02-17T22:59:59.999Z', rome)).toBe('17 feb 2025, 23:59 CET');
    expect(formatInstant('2025-07-01T21:59:59.999Z', rome)).toBe('1 lug 2025, 23:59 CEST');
    expect(formatInstant(new Date('2025-01-28T09:00:00Z'), { timezone: 'Asia/Seoul', locale: 'en-GB' })).toBe(
      '28 Jan 2025, 18:00 GMT+9',
    );
  });

  it('takes the local date of an instant and counts days between dates', () => {
    expect(localDate(new Date('2025-01-30T23:30:00Z'), 'Asia/Seoul')).toBe('2025-01-31');
    expect(localDate(new Date('2025-01-30T23:30:00Z'), 'Europe/Rome')).toBe('2025-01-31');
    expect(localDate(new Date('2025-01-30T22:30:00Z'), 'Europe/Rome')).toBe('2025-01-30');
    expect(daysBetween('2025-01-28', '2025-02-17')).toBe(20);
    expect(daysBetween('2025-03-28', '2025-03-31')).toBe(3);
    expect(daysBetween('2025-01-28', '2025-01-13')).toBe(-15);
    expect([relativeDays(-15, rome), relativeDays(0, rome), relativeDays(1, { ...rome, locale: 'en-GB' })]).toEqual([
      '15 giorni fa',
      'oggi',
      'tomorrow',
    ]);
  });

  it('names weekend days in the locale', () => {
    expect(weekdayNames([6, 7], rome)).toEqual(['sabato', 'domenica']);
    expect(weekdayNames([5], { ...rome, locale: 'en-GB' })).toEqual(['Friday']);
  });
});
