import {
  AHEAD_STATUSES,
  applyDeadlineAction,
  canApply,
  DEADLINE_ACTIONS,
  DEADLINE_STATUSES,
  isAhead,
  isOverdue,
  isPastDue,
  isRunning,
  overdueSql,
  pastDueSql,
  RUNNING_STATUSES,
  statusesAllowing,
  statusInSql,
  type DeadlineAction,
  type DeadlineStatus,
} from './deadline-lifecycle.js';

const NOW = new Date('2025-02-10T12:00:00Z');
const before = new Date(NOW.getTime() - 1);
const after = new Date(NOW.getTime() + 1);

describe('deadline life cycle', () => {
  // The whole table, spelled out: every status × every action, and where it leads (or null: refused).
  const TABLE: Record<DeadlineStatus, Record<DeadlineAction, DeadlineStatus | null>> = {
    pending: {
      extend: 'pending',
      suspend: 'suspended',
      resume: null,
      restart: 'pending',
      reopen: null,
      waive: 'waived',
      meet: 'met',
      miss: 'missed',
    },
    suspended: {
      extend: 'suspended',
      suspend: null,
      resume: 'pending',
      restart: 'pending',
      reopen: null,
      waive: 'waived',
      meet: 'met',
      miss: null,
    },
    missed: {
      extend: 'pending',
      suspend: null,
      resume: null,
      restart: 'pending',
      reopen: 'pending',
      waive: 'waived',
      meet: 'met',
      miss: null,
    },
    met: {
      extend: null,
      suspend: null,
      resume: null,
      restart: null,
      reopen: null,
      waive: null,
      meet: null,
      miss: null,
    },
    waived: {
      extend: null,
      suspend: null,
      resume: null,
      restart: null,
      reopen: null,
      waive: null,
      meet: null,
      miss: null,
    },
  };

  it.each(DEADLINE_STATUSES.flatMap((status) => DEADLINE_ACTIONS.map((action) => [status, action] as const)))(
    'from %s, %s goes where the table says',
    (status, action) => {
      const to = TABLE[status][action];
      const move = applyDeadlineAction(status, action);
      expect(move.ok ? move.to : null).toBe(to);
      expect(canApply(status, action)).toBe(to !== null);
    },
  );

  it('walks pending → suspended → pending → missed → (extended) pending → met', () => {
    let status: DeadlineStatus = 'pending';
    for (const [action, expected] of [
      ['suspend', 'suspended'],
      ['resume', 'pending'],
      ['miss', 'missed'],
      ['extend', 'pending'],
      ['meet', 'met'],
    ] as const) {
      const move = applyDeadlineAction(status, action);
      expect(move).toEqual({ ok: true, from: status, to: expected });
      if (move.ok) status = move.to;
    }
  });

  it('refuses with the message the API has always given, naming the statuses it could happen from', () => {
    expect(applyDeadlineAction('met', 'extend')).toEqual({
      ok: false,
      from: 'met',
      allowedFrom: ['pending', 'suspended', 'missed'],
      message: 'A met deadline cannot be extended; only a pending or suspended or missed one can.',
    });
    expect(applyDeadlineAction('missed', 'suspend')).toMatchObject({
      message: 'A missed deadline cannot be suspended; only a pending one can.',
    });
    expect(applyDeadlineAction('pending', 'resume')).toMatchObject({
      message: 'A pending deadline cannot be resumed; only a suspended one can.',
    });
    expect(applyDeadlineAction('met', 'restart')).toMatchObject({
      message: 'A met deadline cannot be restarted; only a pending or suspended or missed one can.',
    });
    expect(applyDeadlineAction('waived', 'meet')).toMatchObject({
      message: 'A waived deadline cannot be met; only a pending or suspended or missed one can.',
    });
  });

  it('settled deadlines (met, waived) allow nothing; running ones can always be waived and met', () => {
    for (const status of ['met', 'waived'] as const)
      expect(DEADLINE_ACTIONS.filter((a) => canApply(status, a))).toEqual([]);
    expect(statusesAllowing('waive')).toEqual(['pending', 'suspended', 'missed']);
    expect(statusesAllowing('meet')).toEqual(['pending', 'suspended', 'missed']);
    expect(statusesAllowing('miss')).toEqual(['pending']);
  });

  it('running = not settled; ahead = running and not missed', () => {
    expect(RUNNING_STATUSES).toEqual(['pending', 'suspended', 'missed']);
    expect(AHEAD_STATUSES).toEqual(['pending', 'suspended']);
    expect(DEADLINE_STATUSES.filter(isRunning)).toEqual(RUNNING_STATUSES);
    expect(DEADLINE_STATUSES.filter(isAhead)).toEqual(AHEAD_STATUSES);
  });

  describe('overdue', () => {
    it.each<[DeadlineStatus, Date, boolean]>([
      ['pending', before, true],
      ['pending', NOW, true], // due at this very instant: past due
      ['pending', after, false],
      ['missed', after, true], // missed stays overdue even if the instant reads later (never after an extension)
      ['suspended', before, false], // the clock is stopped
      ['met', before, false],
      ['waived', before, false],
    ])('%s due %s → %s', (status, dueAt, overdue) => {
      expect(isOverdue({ status, dueAt }, NOW)).toBe(overdue);
    });

    it('past due is pending only', () => {
      expect(isPastDue({ status: 'pending', dueAt: before }, NOW)).toBe(true);
      expect(isPastDue({ status: 'missed', dueAt: before }, NOW)).toBe(false);
    });
  });

  describe('SQL generated from the same rules', () => {
    const columns = { status: 'd.status', dueAt: 'd.due_at' };

    it('writes the overdue, past-due and status-set conditions', () => {
      expect(overdueSql(columns, '$3')).toBe("(d.status = 'missed' OR (d.status = 'pending' AND d.due_at <= $3))");
      expect(pastDueSql({ status: 'status', dueAt: 'due_at' }, '$2')).toBe("status = 'pending' AND due_at <= $2");
      expect(statusInSql('d.status', AHEAD_STATUSES)).toBe("d.status IN ('pending', 'suspended')");
      expect(statusInSql('status', RUNNING_STATUSES)).toBe("status IN ('pending', 'suspended', 'missed')");
    });

    // The SQL and the predicate agree on every status and on either side of the instant (evaluated here by a tiny
    // interpreter of the generated condition, so that a change to one without the other fails).
    it.each(DEADLINE_STATUSES.flatMap((status) => [before, NOW, after].map((dueAt) => [status, dueAt] as const)))(
      'overdueSql agrees with isOverdue for %s due %s',
      (status, dueAt) => {
        const sql = overdueSql(columns, '$now');
        const js = sql
          .replace(/d\.status = '(\w+)'/g, (_, value) => JSON.stringify(status === value))
          .replace(/d\.due_at <= \$now/g, String(dueAt.getTime() <= NOW.getTime()))
          .replace(/ OR /g, ' || ')
          .replace(/ AND /g, ' && ');
        expect(js).toMatch(/^[()truefals|& ]+$/);
        expect(new Function(`return ${js};`)()).toBe(isOverdue({ status, dueAt }, NOW));
      },
    );
  });
});
