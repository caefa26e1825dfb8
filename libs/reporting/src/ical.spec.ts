import { deadlineCalendar, eventUid, type FeedDeadline } from './ical.js';

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
  const feed = deadlineCalendar({
    owner: 'Maria Rossi',
    authorityCode: 'GPDP',
    timeZone: 'Europe/Rome',
    publicUrl: 'https://docket.example',
    now: new Date('2025-01-29T08:00:00Z'),
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

  it('has one event per deadline at its due instant in UTC, with a stable UID, the case reference and its URL', () => {
    expect(feed.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(feed).toContain('DTSTART:20250217T225959Z');
    expect(feed).toContain(`UID:${eventUid('a7d3b6c2-0000-4000-8000-000000000001', 'https://docket.example')}`);
    expect(eventUid('x', 'https://docket.example/')).toBe('deadline-x@docket.example');
    expect(feed).toContain('SUMMARY:GPDP-2025-0001: Response to the ai-inquiry letter\r\n');
    expect(feed.replace(/\r\n /g, '')).toContain(
      'URL;VALUE=URI:https://docket.example/cases/c0ffee00-0000-4000-8000-000000000001',
    );
    expect(feed).toContain('SEQUENCE:3');
    expect(feed.replace(/\r\n /g, '')).toContain('(MISSED)');
  });
});
