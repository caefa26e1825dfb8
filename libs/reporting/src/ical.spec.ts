import { deadlineCalendar, eventUid, isDateOnlyDeadline, type FeedDeadline } from './ical.js';

const deadline = (over: Partial<FeedDeadline> = {}): FeedDeadline => ({
  id: 'a7d3b6c2-0000-4000-8000-000000000001',
  caseId: 'c0ffee00-0000-4000-8000-000000000001',
  caseReference: 'GPDP-2025-0001',
  caseTitle: 'DeepSeek: processing of personal data of users in Italy',
  label: 'Response to the ai-inquiry letter',
  kind: 'response',
  status: 'pending',
  dueDate: '2025-02-17',
  dueAt: new Date('2025-02-17T22:59:59.999Z'),
  version: 3,
  updatedAt: new Date('2025-01-28T09:00:00Z'),
  explanation: [{ date: '2025-02-17', reason: 'day 20 of 20: due' }],
  ...over,
});

describe('deadlineCalendar', () => {
  const input = {
    language: 'en' as const,
    owner: 'Maria Rossi',
    authorityCode: 'GPDP',
    timeZone: 'Europe/Rome',
    publicUrl: 'https://docket.example',
    now: new Date('2025-01-29T08:00:00Z'),
  };
  const feed = deadlineCalendar({
    ...input,
    deadlines: [
      deadline(),
      deadline({
        id: 'a7d3b6c2-0000-4000-8000-000000000002',
        label: 'Compliance, with a long label that certainly needs folding because RFC 5545 lines stop at 75 octets',
        status: 'missed',
      }),
    ],
  });

  it('is an RFC 5545 calendar with CRLF lines of at most 75 octets', () => {
    expect(feed.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(feed.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(feed).toContain('VERSION:2.0\r\n');
    for (const line of feed.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('has one event per deadline, on its local due date, with a stable UID, the case reference and its URL', () => {
    expect(feed.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    // Due on 17 Feb in Rome (22:59:59.999 UTC): an all-day event on 17 Feb, whatever the reader's zone.
    expect(feed).toContain('DTSTART;VALUE=DATE:20250217\r\nDTEND;VALUE=DATE:20250218\r\n');
    expect(feed).not.toContain('DTSTART:');
    expect(feed).toContain(`UID:${eventUid('a7d3b6c2-0000-4000-8000-000000000001', 'https://docket.example')}`);
    expect(eventUid('x', 'https://docket.example/')).toBe('deadline-x@docket.example');
    expect(feed).toContain('SUMMARY:GPDP-2025-0001: Response to the ai-inquiry letter\r\n');
    expect(feed.replace(/\r\n /g, '')).toContain(
      'URL;VALUE=URI:https://docket.example/cases/c0ffee00-0000-4000-8000-000000000001',
    );
    expect(feed).toContain('SEQUENCE:3');
    expect(feed.replace(/\r\n /g, '')).toContain('(MISSED)');
  });

  it("writes its name, the events' status words and descriptions in the owner's language, dates as ISO", () => {
    const korean = deadlineCalendar({
      ...input,
      language: 'ko',
      owner: '김민지',
      authorityCode: 'PIPC',
      timeZone: 'Asia/Seoul',
      deadlines: [
        deadline({
          dueAt: new Date('2025-02-17T14:59:59.999Z'),
          explanation: [{ date: '2025-02-17', reason: '기한일: 2025년 2월 17일 월요일' }],
        }),
        deadline({ id: 'a7d3b6c2-0000-4000-8000-000000000002', kind: 'compliance', status: 'missed' }),
      ],
    }).replace(/\r\n /g, '');
    expect(korean).toContain('X-WR-CALNAME:Docket PIPC: 김민지의 처리기한');
    expect(korean).toContain('기한 2025-02-17(Asia/Seoul)\\, 상태: 진행 중\\, 회신 처리기한.');
    expect(korean).toContain('기한일: 2025년 2월 17일 월요일');
    expect(korean).toContain('(미준수)');
    expect(korean).not.toMatch(/Due |status |deadlines of/);
    expect(feed.replace(/\r\n /g, '')).toContain('status pending\\; Response deadline.');
  });

  // Zones at the edges: UTC+14 (Kiritimati), UTC-12, and a quarter-hour offset (Kathmandu, UTC+05:45). The last
  // millisecond of 22 Dec 2026 there is on 22 Dec UTC in Kiritimati and Kathmandu, on 23 Dec UTC at UTC-12.
  it.each([
    ['Pacific/Kiritimati', '2026-12-22T09:59:59.999Z'],
    ['Asia/Kathmandu', '2026-12-22T18:14:59.999Z'],
    ['Etc/GMT+12', '2026-12-23T11:59:59.999Z'],
  ])('in %s a deadline due on a date is an all-day event on that local date', (timeZone, dueAt) => {
    const due = deadline({ dueDate: '2026-12-22', dueAt: new Date(dueAt) });
    expect(isDateOnlyDeadline(due, timeZone)).toBe(true);
    const ics = deadlineCalendar({ ...input, timeZone, deadlines: [due] });
    expect(ics).toContain('DTSTART;VALUE=DATE:20261222\r\nDTEND;VALUE=DATE:20261223\r\n');
    expect(ics).toContain('TRANSP:TRANSPARENT');
    expect(ics.replace(/\r\n /g, '')).toContain(`Due 2026-12-22 (${timeZone})`);
  });

  it('writes a deadline due at an exact instant (a period in hours) at that instant in UTC', () => {
    // 72 hours from 2 Dec 2026 09:00 in Kathmandu: 5 Dec 09:00 +05:45 = 03:15 UTC.
    const due = deadline({ dueDate: '2026-12-05', dueAt: new Date('2026-12-05T03:15:00.000Z') });
    expect(isDateOnlyDeadline(due, 'Asia/Kathmandu')).toBe(false);
    const ics = deadlineCalendar({ ...input, timeZone: 'Asia/Kathmandu', deadlines: [due] });
    expect(ics).toContain('DTSTART:20261205T031500Z\r\n');
    expect(ics).not.toContain('VALUE=DATE');
    expect(ics.replace(/\r\n /g, '')).toContain('Due 2026-12-05 09:00 (Asia/Kathmandu)');
  });
});
