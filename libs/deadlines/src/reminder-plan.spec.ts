import type { DeadlineStatus } from './deadline-lifecycle.js';
import type { ReminderPlanItem } from './reminder-offsets.js';
import {
  HELD_NOTE,
  planReminderChanges,
  plannedReminders,
  remindersLive,
  remindersPlanned,
  type ReminderLike,
} from './reminder-plan.js';

const ZONE = 'Europe/Rome';
const DUE = new Date('2025-03-31T21:59:59.999Z'); // end of Monday 31 March 2025 in Rome (summer time since the 30th)
const NOW = new Date('2025-03-20T09:00:00Z');
const PLAN: ReminderPlanItem[] = [
  { offset: '-P7D', audience: 'assignee' },
  { offset: '-PT1H', audience: 'respondent' },
  { offset: 'PT0S', audience: 'manager' },
  { offset: 'P2D', audience: 'respondent' },
];

interface Row extends ReminderLike {
  id: string;
}
let ids = 0;
const row = (overrides: Partial<Row> & Pick<Row, 'fireAt'>): Row => ({
  id: `r${++ids}`,
  status: 'scheduled',
  audience: 'assignee',
  offset: '-P7D',
  dueAt: DUE,
  ...overrides,
});

const deadline = (status: DeadlineStatus, replyPendingSince: Date | null = null, dueAt = DUE) => ({
  status,
  dueAt,
  reminderPlan: PLAN,
  replyPendingSince,
});

describe('reminder plan', () => {
  it('places each offset from the due instant in the authority’s zone (days keep the local time across DST)', () => {
    const planned = plannedReminders(DUE, PLAN, ZONE, NOW);
    expect(planned.map((item) => [item.audience, item.offset, item.fireAt.toISOString()])).toEqual([
      // Seven days earlier is 24 March 23:59:59.999 in Rome, winter time (UTC+1): 22:59:59.999Z.
      ['assignee', '-P7D', '2025-03-24T22:59:59.999Z'],
      ['respondent', '-PT1H', '2025-03-31T20:59:59.999Z'],
      ['manager', 'PT0S', '2025-03-31T21:59:59.999Z'],
      ['respondent', 'P2D', '2025-04-02T21:59:59.999Z'],
    ]);
  });

  it('leaves out the reminders whose time has passed', () => {
    const late = new Date('2025-03-31T21:00:00Z');
    expect(plannedReminders(DUE, PLAN, ZONE, late).map((item) => item.offset)).toEqual(['PT0S', 'P2D']);
  });

  it('only a pending deadline gets new reminders; a missed one keeps escalating with those it has', () => {
    expect((['pending', 'suspended', 'missed', 'met', 'waived'] as const).map(remindersPlanned)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
    expect((['pending', 'suspended', 'missed', 'met', 'waived'] as const).map(remindersLive)).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
  });

  it('plans every reminder of a new pending deadline, scheduled, and its due job', () => {
    const changes = planReminderChanges({
      deadline: deadline('pending'),
      live: [],
      ofDueInstant: [],
      timeZone: ZONE,
      now: NOW,
    });
    expect(changes.create.map((item) => [item.offset, item.status, item.note])).toEqual([
      ['-P7D', 'scheduled', null],
      ['-PT1H', 'scheduled', null],
      ['PT0S', 'scheduled', null],
      ['P2D', 'scheduled', null],
    ]);
    expect(changes).toMatchObject({ cancel: [], hold: [], supersede: [], resume: [], dueJob: true });
  });

  it('does not plan again what the due instant already has, whatever became of it (sent, cancelled)', () => {
    const changes = planReminderChanges({
      deadline: deadline('pending'),
      live: [],
      ofDueInstant: [
        { offset: '-P7D', audience: 'assignee' },
        { offset: '-PT1H', audience: 'respondent' },
      ],
      timeZone: ZONE,
      now: NOW,
    });
    expect(changes.create.map((item) => item.offset)).toEqual(['PT0S', 'P2D']);
  });

  it('cancels the reminders of the old due instant when the deadline moves, and plans the new ones', () => {
    const oldDue = new Date('2025-03-28T22:59:59.999Z');
    const old = row({ fireAt: new Date('2025-03-21T22:59:59.999Z'), dueAt: oldDue });
    const changes = planReminderChanges({
      deadline: deadline('pending'),
      live: [old],
      ofDueInstant: [],
      timeZone: ZONE,
      now: NOW,
    });
    expect(changes.cancel).toEqual([old]);
    expect(changes.cancelNote).toBe('due instant changed');
    expect(changes.create).toHaveLength(4);
  });

  it.each(['suspended', 'met', 'waived'] as const)(
    'cancels every live reminder of a %s deadline, and plans none',
    (status) => {
      const live = [
        row({ fireAt: new Date('2025-03-24T22:59:59.999Z') }),
        row({ fireAt: DUE, status: 'held', audience: 'respondent', offset: 'PT0S' }),
      ];
      const changes = planReminderChanges({
        deadline: deadline(status),
        live,
        ofDueInstant: [],
        timeZone: ZONE,
        now: NOW,
      });
      expect(changes).toMatchObject({ cancel: live, cancelNote: `deadline ${status}`, create: [], dueJob: false });
    },
  );

  it('keeps the reminders of a missed deadline (the escalation still goes), without planning new ones', () => {
    const escalation = row({ fireAt: new Date('2025-04-02T21:59:59.999Z'), audience: 'manager', offset: 'P2D' });
    const changes = planReminderChanges({
      deadline: deadline('missed'),
      live: [escalation],
      ofDueInstant: [],
      timeZone: ZONE,
      now: NOW,
    });
    expect(changes).toMatchObject({ cancel: [], create: [], dueJob: false });
  });

  it('holds the chasers to the respondent while a reply awaits assessment, never the staff reminders', () => {
    const staff = row({ fireAt: new Date('2025-03-24T22:59:59.999Z') });
    const chaser = row({ fireAt: new Date('2025-03-31T20:59:59.999Z'), audience: 'respondent', offset: '-PT1H' });
    const changes = planReminderChanges({
      deadline: deadline('pending', NOW),
      live: [staff, chaser],
      ofDueInstant: [staff, chaser],
      timeZone: ZONE,
      now: NOW,
    });
    expect(changes.hold).toEqual([chaser]);
    expect(changes.create.map((item) => [item.audience, item.offset, item.status, item.note])).toEqual([
      ['manager', 'PT0S', 'scheduled', null],
      ['respondent', 'P2D', 'held', HELD_NOTE],
    ]);
  });

  it('releases held chasers once no reply awaits: of those whose time passed only the latest goes, at once', () => {
    const later = new Date('2025-04-03T09:00:00Z');
    const first = row({
      fireAt: new Date('2025-03-31T20:59:59.999Z'),
      status: 'held',
      audience: 'respondent',
      offset: '-PT1H',
    });
    const second = row({
      fireAt: new Date('2025-04-02T21:59:59.999Z'),
      status: 'held',
      audience: 'respondent',
      offset: 'P2D',
    });
    const future = row({
      fireAt: new Date('2025-04-05T21:59:59.999Z'),
      status: 'held',
      audience: 'respondent',
      offset: 'P5D',
    });
    const changes = planReminderChanges({
      deadline: deadline('missed'),
      live: [second, future, first],
      ofDueInstant: [],
      timeZone: ZONE,
      now: later,
    });
    expect(changes.supersede).toEqual([first]);
    expect(changes.resume).toEqual([second, future]);
    expect(changes.hold).toEqual([]);
  });

  it('changes nothing when everything is in step', () => {
    const rows = plannedReminders(DUE, PLAN, ZONE, NOW).map((item) => row({ ...item }));
    const changes = planReminderChanges({
      deadline: deadline('pending'),
      live: rows,
      ofDueInstant: rows,
      timeZone: ZONE,
      now: NOW,
    });
    expect(changes).toMatchObject({ cancel: [], hold: [], supersede: [], resume: [], create: [], dueJob: true });
  });
});
