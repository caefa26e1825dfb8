import {
  assembleDashboard,
  dueDayKey,
  dueWindowPlan,
  medianFromHistogram,
  onTimeRate,
  type DashboardInput,
} from './dashboard-stats.js';

describe('medianFromHistogram', () => {
  it('takes the middle value of an odd count, repeated values included', () => {
    // 1, 2, 2, 2, 9 → 2
    expect(
      medianFromHistogram([
        { value: 9, count: 1 },
        { value: 2, count: 3 },
        { value: 1, count: 1 },
      ]),
    ).toBe(2);
  });

  it('averages the two middle values of an even count, across buckets', () => {
    // 2, 2, 5, 30 → (2 + 5) / 2
    expect(
      medianFromHistogram([
        { value: 2, count: 2 },
        { value: 5, count: 1 },
        { value: 30, count: 1 },
      ]),
    ).toBe(3.5);
    // 4, 4 → 4 (both middles in one bucket)
    expect(medianFromHistogram([{ value: 4, count: 2 }])).toBe(4);
  });

  it('ignores empty buckets and is null without values', () => {
    expect(medianFromHistogram([])).toBeNull();
    expect(medianFromHistogram([{ value: 3, count: 0 }])).toBeNull();
    expect(
      medianFromHistogram([
        { value: 3, count: 0 },
        { value: 7, count: 1 },
      ]),
    ).toBe(7);
  });

  it('agrees with sorting the values out', () => {
    const values = [0, 2, 2, 3, 7, 7, 7, 10, 19, 20, 20, 45];
    const buckets = [...new Set(values)].map((value) => ({ value, count: values.filter((v) => v === value).length }));
    expect(medianFromHistogram(buckets)).toBe((values[5] + values[6]) / 2);
  });
});

describe('onTimeRate', () => {
  it('is a share with four decimals, null when nothing came in', () => {
    expect(onTimeRate(2, 3)).toBe(0.6667);
    expect(onTimeRate(0, 4)).toBe(0);
    expect(onTimeRate(0, 0)).toBeNull();
  });
});

describe('assembleDashboard', () => {
  const now = new Date('2025-02-10T12:00:00Z');
  const officer = '11111111-1111-4111-8111-111111111111';
  const org = '22222222-2222-4222-8222-222222222222';
  const other = '33333333-3333-4333-8333-333333333333';
  const input = (over: Partial<DashboardInput> = {}): DashboardInput => ({
    now,
    counters: [
      { metric: 'cases', key: 'awaiting_response', value: 3 },
      { metric: 'cases', key: 'under_review', value: 1 },
      { metric: 'cases', key: 'closed', value: 5 },
      { metric: 'open_cases.assignee', key: officer, value: 3 },
      { metric: 'open_cases.assignee', key: '', value: 1 },
      { metric: 'open_cases.organisation', key: org, value: 3 },
      { metric: 'open_cases.organisation', key: other, value: 1 },
      { metric: 'missed.assignee', key: officer, value: 2 },
      { metric: 'missed.organisation', key: org, value: 2 },
      { metric: 'responses.on_time', key: '2', value: 2 },
      { metric: 'responses.late', key: '10', value: 1 },
    ],
    windows: { pendingPastDue: 1, dueIn7Days: 2, dueIn30Days: 4 },
    pastDue: [{ assigneeId: null, organisationId: other, count: 1 }],
    oldest: [
      {
        id: 'c1',
        reference: 'GPDP-2025-0001',
        title: 'T',
        status: 'awaiting_response',
        createdAt: new Date('2025-01-28T09:00:00Z'),
        assigneeId: officer,
        assigneeName: 'Maria',
        organisationId: org,
        organisationName: 'Hangzhou DeepSeek',
      },
    ],
    userNames: new Map([[officer, 'Maria']]),
    organisationNames: new Map([[org, 'Hangzhou DeepSeek']]),
    organisationLimit: 20,
    ...over,
  });

  it('adds up cases, overdue deadlines and responses as documented', () => {
    const dashboard = assembleDashboard(input());
    expect(dashboard.cases).toEqual({
      open: 4,
      total: 9,
      byStatus: { open: 0, awaiting_response: 3, under_review: 1, decided: 0, closed: 5 },
    });
    expect(dashboard.deadlines).toEqual({ overdue: 3, missed: 2, pendingPastDue: 1, dueIn7Days: 2, dueIn30Days: 4 });
    expect(dashboard.responses).toEqual({
      received: 3,
      onTime: 2,
      late: 1,
      onTimeRate: 0.6667,
      medianDaysToRespond: 2,
    });
    expect(dashboard.oldestOpenCases[0]).toMatchObject({
      reference: 'GPDP-2025-0001',
      ageDays: 13,
      assignee: { id: officer, name: 'Maria' },
    });
  });

  it('lists assignees and organisations with open cases and overdue deadlines, most overdue first', () => {
    const dashboard = assembleDashboard(input());
    expect(dashboard.byAssignee).toEqual([
      { assigneeId: officer, name: 'Maria', openCases: 3, overdueDeadlines: 2 },
      { assigneeId: null, name: null, openCases: 1, overdueDeadlines: 1 },
    ]);
    expect(dashboard.byOrganisation).toEqual([
      { organisationId: org, name: 'Hangzhou DeepSeek', openCases: 3, overdueDeadlines: 2 },
      { organisationId: other, name: '', openCases: 1, overdueDeadlines: 1 },
    ]);
    expect(assembleDashboard(input({ organisationLimit: 1 })).byOrganisation).toHaveLength(1);
  });

  it('is all zeros and nulls for a new authority', () => {
    const dashboard = assembleDashboard(
      input({ counters: [], windows: { pendingPastDue: 0, dueIn7Days: 0, dueIn30Days: 0 }, pastDue: [], oldest: [] }),
    );
    expect(dashboard.cases.open).toBe(0);
    expect(dashboard.deadlines.overdue).toBe(0);
    expect(dashboard.responses).toEqual({
      received: 0,
      onTime: 0,
      late: 0,
      onTimeRate: null,
      medianDaysToRespond: null,
    });
    expect(dashboard.byAssignee).toEqual([]);
  });
});

describe('dueWindowPlan', () => {
  const HOUR = 3600_000;
  // Every instant of a window falls in exactly one of head, the whole days, or tail, and nothing outside it does.
  const partOf = (plan: ReturnType<typeof dueWindowPlan>, due: Date): string | null => {
    const inHead = due > plan.head.after && due < plan.head.before;
    const day = dueDayKey(due);
    const inDays = day >= plan.days.firstDay && day < plan.days.untilDay;
    const inTail = due >= plan.tail.from && due <= plan.tail.to;
    const parts = [inHead && 'head', inDays && 'days', inTail && 'tail'].filter(Boolean);
    if (parts.length > 1) throw new Error(`${due.toISOString()} counted twice: ${parts.join(', ')}`);
    return (parts[0] as string | undefined) ?? null;
  };

  it('covers (now, now + n days] exactly once, from any instant of the day', () => {
    for (const now of [
      new Date('2025-03-30T00:00:00Z'),
      new Date('2025-03-30T00:00:00.001Z'),
      new Date('2025-03-30T13:17:05.250Z'),
      new Date('2025-12-31T23:59:59.999Z'),
    ]) {
      for (const days of [1, 7, 30]) {
        const plan = dueWindowPlan(now, days);
        const end = now.getTime() + days * 24 * HOUR;
        for (let t = now.getTime() - 2 * HOUR; t <= end + 2 * HOUR; t += 17 * 60_000 + 333) {
          const due = new Date(t);
          expect([due.toISOString(), partOf(plan, due) !== null]).toEqual([
            due.toISOString(),
            t > now.getTime() && t <= end,
          ]);
        }
        for (const edge of [now.getTime(), now.getTime() + 1, end, end + 1])
          expect(partOf(plan, new Date(edge)) !== null).toBe(edge > now.getTime() && edge <= end);
      }
    }
  });

  it('reads at most a day from the deadlines at each end', () => {
    const plan = dueWindowPlan(new Date('2025-03-30T13:17:05Z'), 30);
    expect(plan.head.before.toISOString()).toBe('2025-03-31T00:00:00.000Z');
    expect(plan.days).toEqual({ firstDay: '2025-03-31', untilDay: '2025-04-29' });
    expect(plan.tail).toEqual({ from: new Date('2025-04-29T00:00:00Z'), to: new Date('2025-04-29T13:17:05Z') });
  });
});
