import type { AuthorityCalendar } from '#docket/calendar';
import { deriveDue, type Adjustment } from './deadline-rules.js';

const rome: AuthorityCalendar = { timeZone: 'Europe/Rome', holidayRegion: 'IT', weekendDays: [6, 7], closures: [] };
const by = 'tester';

describe('deriveDue', () => {
  it('counts the Garante request of 28 Jan 2025: 20 days end on Monday 17 Feb', () => {
    const due = deriveDue(
      new Date('2025-01-28T10:00:00+01:00'),
      { type: 'period', count: 20, unit: 'calendar_days' },
      [],
      rome,
    );
    expect(due.dueDate).toBe('2025-02-17');
    expect(due.dueAt).toBe('2025-02-17T23:59:59.999+01:00');
  });

  it('applies an extension by a period from the previous due date', () => {
    const extension: Adjustment = {
      type: 'extend',
      to: { type: 'period', count: 10, unit: 'calendar_days' },
      reason: 'asked for time',
      at: '2025-02-10T09:00:00Z',
      by,
    };
    const due = deriveDue(
      new Date('2025-01-28T10:00:00+01:00'),
      { type: 'period', count: 20, unit: 'calendar_days' },
      [extension],
      rome,
    );
    // 17 Feb + 10 days = Thursday 27 Feb 2025.
    expect(due.dueDate).toBe('2025-02-27');
    expect(due.explanation.some((entry) => entry.reason.includes('extended 10 calendar days: asked for time'))).toBe(
      true,
    );
  });

  it('keeps an instant set by hand where it was when the clock is stopped and restarted the same day', () => {
    const sameDay: Adjustment = {
      type: 'suspension',
      from: '2025-02-10',
      to: '2025-02-10',
      days: 0,
      reason: 'asked by mistake',
      by,
    };
    const rule = { type: 'instant' as const, dueAt: '2025-02-14T12:00:00.000Z' };
    const due = deriveDue(new Date('2025-01-28T10:00:00+01:00'), rule, [sameDay], rome);
    expect(due.dueAt).toBe('2025-02-14T12:00:00.000Z');
    expect(due.dueDate).toBe('2025-02-14');
    expect(due.explanation.at(-1)?.reason).toContain('no day added');
  });

  it('adds the stopped days of a suspension and rolls off a weekend', () => {
    const suspension: Adjustment = {
      type: 'suspension',
      from: '2025-02-03',
      to: '2025-02-08',
      days: 5,
      reason: 'waiting for a translation',
      by,
    };
    const due = deriveDue(
      new Date('2025-01-28T10:00:00+01:00'),
      { type: 'period', count: 20, unit: 'calendar_days' },
      [suspension],
      rome,
    );
    // 17 Feb + 5 = Saturday 22 Feb → Monday 24 Feb.
    expect(due.dueDate).toBe('2025-02-24');
    expect(due.explanation.map((entry) => entry.kind)).toContain('weekend');
  });

  it('moves with a closure day added later', () => {
    const closed = { ...rome, closures: [{ date: '2025-02-17', reason: 'office move' }] };
    const due = deriveDue(
      new Date('2025-01-28T10:00:00+01:00'),
      { type: 'period', count: 20, unit: 'calendar_days' },
      [],
      closed,
    );
    expect(due.dueDate).toBe('2025-02-18');
    expect(due.explanation.find((entry) => entry.kind === 'closure')?.reason).toContain('office move');
  });

  it('keeps an instant set by hand', () => {
    const due = deriveDue(
      new Date('2025-01-28T10:00:00Z'),
      { type: 'instant', dueAt: '2025-02-15T18:00:00+09:00' },
      [],
      { ...rome, timeZone: 'Asia/Seoul', holidayRegion: 'KR' },
    );
    expect(due).toMatchObject({ dueDate: '2025-02-15', dueAt: '2025-02-15T09:00:00.000Z' });
  });
});

describe('deadline certificate', () => {
  it('is canonical JSON: key order never changes the hash', async () => {
    const { canonicalJson } = await import('./certificate.js');
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
