import type { AuthorityCalendar } from '#docket/calendar';
import {
  eventInstant,
  jointDueDate,
  notYetApplicable,
  PROCEDURE_RULES,
  statutoryDue,
  stepRefusal,
  urgentOpinionDue,
} from './procedure-rules.js';

const rome: AuthorityCalendar = { timeZone: 'Europe/Rome', holidayRegion: 'IT', weekendDays: [6, 7], closures: [] };
const seoul: AuthorityCalendar = { timeZone: 'Asia/Seoul', holidayRegion: 'KR', weekendDays: [6, 7], closures: [] };

describe('cooperation procedure rules', () => {
  it('lets only the role the law names take a step', () => {
    expect(stepRefusal('lead_authority', 'lead', 'draft_decision')).toBeNull();
    expect(stepRefusal('lead_authority', 'concerned', 'objection')).toBeNull();
    expect(stepRefusal('lead_authority', 'concerned', 'draft_decision')).toContain('taken by the lead authority');
    expect(stepRefusal('mutual_assistance', 'requesting', 'reply')).toContain('requested or invited');
    expect(stepRefusal('mutual_assistance', 'requested', 'objection')).toContain('is not a step of');
  });

  it('opens the 2025/2518 kinds from 2 April 2027 (Brussels time), the GDPR kinds at any time', () => {
    expect(notYetApplicable('investigation', new Date('2027-04-01T21:59:59Z'))).toContain('2027-04-02');
    expect(notYetApplicable('investigation', new Date('2027-04-01T22:00:00Z'))).toBeNull();
    expect(notYetApplicable('mutual_assistance', new Date('2020-01-01T00:00:00Z'))).toBeNull();
  });

  it('counts the Art. 61 month on the acting authority’s calendar and cites the article first', () => {
    const spec = PROCEDURE_RULES.mutual_assistance.opening[0];
    const due = statutoryDue(new Date('2026-02-02T10:00:00Z'), seoul, spec);
    expect(due.dueDate).toBe('2026-03-03');
    expect(due.explanation[0].reason).toContain('GDPR Art. 61(2)');
  });

  it('ends a provisional measure on the last day of its three months even when that day is a Sunday', () => {
    const spec = PROCEDURE_RULES.urgency.opening[0];
    expect(statutoryDue(new Date('2026-08-08T09:00:00Z'), rome, spec).dueDate).toBe('2026-11-08');
  });

  it('moves the urgent-opinion request back to the last working day four weeks before expiry', () => {
    expect(urgentOpinionDue('2026-11-08', rome).dueDate).toBe('2026-10-09');
    // 4 weeks before 3 Jan 2027 is Sun 6 Dec 2026; Tue 8 Dec (Immacolata) does not matter, Fri 4 Dec does.
    expect(urgentOpinionDue('2027-01-03', rome).dueDate).toBe('2026-12-04');
  });

  it('reads a start date as the same calendar date in every zone', () => {
    expect(eventInstant('2026-04-24', 'Pacific/Kiritimati').toISOString()).toBe('2026-04-23T22:00:00.000Z');
    expect(eventInstant('2026-04-24', 'Pacific/Pago_Pago').toISOString()).toBe('2026-04-24T23:00:00.000Z');
    expect(() => eventInstant('24/04/2026', 'Europe/Rome')).toThrow('neither a date');
  });

  it('gives one joint instant that is a working day for everyone', () => {
    const joint = jointDueDate('2026-04-29', { count: 2, unit: 'calendar_days' }, [
      { code: 'GPDP', calendar: rome },
      { code: 'PIPC', calendar: seoul },
    ]);
    // Fri 1 May is Labour Day in Italy and in Korea → Mon 4 May for both; Rome's end of the 4th is Tue 5 May 06:59 in
    // Seoul, Children's Day → the end of Wed 6 May in Seoul.
    expect(joint.dueAt).toBe('2026-05-06T14:59:59.999Z');
    expect(joint.perAuthority.map((entry) => [entry.code, entry.ownDueDate, entry.localDate])).toEqual([
      ['GPDP', '2026-05-04', '2026-05-06'],
      ['PIPC', '2026-05-04', '2026-05-06'],
    ]);
  });
});
