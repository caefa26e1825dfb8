import { CASE_STATUSES, type CaseStatus } from '#docket/cases';

/** One counter's value: the sum of its deltas. */
export interface CounterValue {
  metric: string;
  key: string;
  value: number;
}

/** Pending deadlines counted by due instant relative to now. */
export interface DeadlineWindows {
  pendingPastDue: number;
  dueIn7Days: number;
  dueIn30Days: number;
}

const DAY_MS = 24 * 3600_000;

/** The counter of pending deadlines per UTC day of their due instant (migration 1764000020800). */
export const PENDING_DUE_DAY = 'pending.due_day';

/** The counter key of a due instant: its UTC day, as reporting_pending_due_counts (migration 1764000031500) writes. */
export const dueDayKey = (instant: Date): string => instant.toISOString().slice(0, 10);

/**
 * How to count the pending deadlines due in (now, now + days × 24 h] from the per-day counters: the rest of
 * today, (now, next UTC midnight), read from the deadlines; the whole days in between from the counters
 * (keys from `firstDay`, `untilDay` excluded); the last day's part, [its midnight, end], from the deadlines.
 * Both partial ranges are less than a day, so the partial index is read for at most two days' deadlines.
 */
export interface DueWindowPlan {
  head: { after: Date; before: Date };
  days: { firstDay: string; untilDay: string };
  tail: { from: Date; to: Date };
}

export function dueWindowPlan(now: Date, days: number): DueWindowPlan {
  if (days < 1) throw new RangeError('a window of whole days, at least one');
  const nextMidnight = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const end = new Date(now.getTime() + days * DAY_MS);
  const endMidnight = new Date(Math.floor(end.getTime() / DAY_MS) * DAY_MS);
  return {
    head: { after: now, before: nextMidnight },
    days: { firstDay: dueDayKey(nextMidnight), untilDay: dueDayKey(endMidnight) },
    tail: { from: endMidnight, to: end },
  };
}

/** Pending deadlines already past due (the sweep has not marked them missed yet), by case. */
export interface PastDueGroup {
  assigneeId: string | null;
  organisationId: string;
  count: number;
}

export interface OldestCaseRow {
  id: string;
  reference: string;
  title: string;
  status: CaseStatus;
  createdAt: Date;
  assigneeId: string | null;
  assigneeName: string | null;
  organisationId: string;
  organisationName: string;
}

export interface DashboardInput {
  now: Date;
  counters: CounterValue[];
  windows: DeadlineWindows;
  pastDue: PastDueGroup[];
  oldest: OldestCaseRow[];
  userNames: Map<string, string>;
  organisationNames: Map<string, string>;
  organisationLimit: number;
}

export interface AssigneeLine {
  assigneeId: string | null;
  name: string | null;
  openCases: number;
  overdueDeadlines: number;
}

export interface OrganisationLine {
  organisationId: string;
  name: string;
  openCases: number;
  overdueDeadlines: number;
}

export interface Dashboard {
  asOf: string;
  cases: { open: number; total: number; byStatus: Record<CaseStatus, number> };
  deadlines: { overdue: number; missed: number; pendingPastDue: number; dueIn7Days: number; dueIn30Days: number };
  byAssignee: AssigneeLine[];
  byOrganisation: OrganisationLine[];
  responses: {
    received: number;
    onTime: number;
    late: number;
    onTimeRate: number | null;
    medianDaysToRespond: number | null;
  };
  oldestOpenCases: {
    id: string;
    reference: string;
    title: string;
    status: CaseStatus;
    openedAt: string;
    ageDays: number;
    assignee: { id: string; name: string } | null;
    organisation: { id: string; name: string };
  }[];
}

/**
 * The median of values given as a histogram (value → how many times it occurs): the middle value, or
 * the mean of the two middle values when the count is even; null when there are none.
 */
export function medianFromHistogram(buckets: { value: number; count: number }[]): number | null {
  const sorted = buckets.filter((bucket) => bucket.count > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total === 0) return null;
  const valueAt = (position: number): number => {
    let seen = 0;
    for (const bucket of sorted) {
      seen += bucket.count;
      if (position < seen) return bucket.value;
    }
    return sorted[sorted.length - 1].value;
  };
  return total % 2 === 1 ? valueAt((total - 1) / 2) : (valueAt(total / 2 - 1) + valueAt(total / 2)) / 2;
}

/** Share of on-time responses, rounded to 4 decimals; null when nothing was received. */
export function onTimeRate(onTime: number, total: number): number | null {
  return total > 0 ? Math.round((onTime / total) * 10_000) / 10_000 : null;
}

const sumOf = (counters: CounterValue[], metric: string) =>
  counters.filter((counter) => counter.metric === metric).reduce((sum, counter) => sum + counter.value, 0);
const byKey = (counters: CounterValue[], metric: string) =>
  new Map(
    counters
      .filter((counter) => counter.metric === metric && counter.value !== 0)
      .map((counter) => [counter.key, counter.value]),
  );

/**
 * The dashboard from its parts. Definitions:
 * - open cases: every status but closed;
 * - overdue: missed deadlines (not met, waived or extended since) plus pending ones whose due instant
 *   has passed and that the sweep has not marked missed yet; suspended deadlines are never overdue;
 * - due in 7 / 30 days: pending deadlines due after now and at most 7 / 30 × 24 h from now
 *   (the 30-day count includes the 7-day one);
 * - responses: those that settled their deadline (supplements are left out); on time = received by
 *   the due instant; days to respond = calendar days from the letter to the response in the
 *   authority's time zone.
 */
export function assembleDashboard(input: DashboardInput): Dashboard {
  const { counters } = input;
  const byStatus = Object.fromEntries(CASE_STATUSES.map((status) => [status, 0])) as Record<CaseStatus, number>;
  for (const counter of counters)
    if (counter.metric === 'cases' && counter.key in byStatus) byStatus[counter.key as CaseStatus] = counter.value;
  const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);

  const missed = sumOf(counters, 'missed.assignee');
  const pendingPastDue = input.windows.pendingPastDue;

  const pastDueByAssignee = new Map<string, number>();
  const pastDueByOrganisation = new Map<string, number>();
  for (const group of input.pastDue) {
    const assignee = group.assigneeId ?? '';
    pastDueByAssignee.set(assignee, (pastDueByAssignee.get(assignee) ?? 0) + group.count);
    pastDueByOrganisation.set(
      group.organisationId,
      (pastDueByOrganisation.get(group.organisationId) ?? 0) + group.count,
    );
  }

  const openByAssignee = byKey(counters, 'open_cases.assignee');
  const missedByAssignee = byKey(counters, 'missed.assignee');
  const assignees = new Set([...openByAssignee.keys(), ...missedByAssignee.keys(), ...pastDueByAssignee.keys()]);
  const byAssignee = [...assignees]
    .map((key) => ({
      assigneeId: key || null,
      name: key ? (input.userNames.get(key) ?? null) : null,
      openCases: openByAssignee.get(key) ?? 0,
      overdueDeadlines: (missedByAssignee.get(key) ?? 0) + (pastDueByAssignee.get(key) ?? 0),
    }))
    .sort(
      (a, b) =>
        b.overdueDeadlines - a.overdueDeadlines ||
        b.openCases - a.openCases ||
        (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff'),
    );

  const openByOrganisation = byKey(counters, 'open_cases.organisation');
  const missedByOrganisation = byKey(counters, 'missed.organisation');
  const organisations = new Set([
    ...openByOrganisation.keys(),
    ...missedByOrganisation.keys(),
    ...pastDueByOrganisation.keys(),
  ]);
  const byOrganisation = [...organisations]
    .map((key) => ({
      organisationId: key,
      name: input.organisationNames.get(key) ?? '',
      openCases: openByOrganisation.get(key) ?? 0,
      overdueDeadlines: (missedByOrganisation.get(key) ?? 0) + (pastDueByOrganisation.get(key) ?? 0),
    }))
    // Open cases first: the dashboard's counters statement reads only the organisations this can list.
    .sort(
      (a, b) =>
        b.openCases - a.openCases ||
        b.overdueDeadlines - a.overdueDeadlines ||
        a.organisationId.localeCompare(b.organisationId),
    )
    .slice(0, input.organisationLimit);

  const histogram = (metric: string) =>
    counters
      .filter((counter) => counter.metric === metric)
      .map((counter) => ({ value: Number(counter.key), count: counter.value }));
  const onTimeBuckets = histogram('responses.on_time');
  const lateBuckets = histogram('responses.late');
  const onTime = onTimeBuckets.reduce((sum, bucket) => sum + bucket.count, 0);
  const late = lateBuckets.reduce((sum, bucket) => sum + bucket.count, 0);

  return {
    asOf: input.now.toISOString(),
    cases: { open: total - byStatus.closed, total, byStatus },
    deadlines: {
      overdue: missed + pendingPastDue,
      missed,
      pendingPastDue,
      dueIn7Days: input.windows.dueIn7Days,
      dueIn30Days: input.windows.dueIn30Days,
    },
    byAssignee,
    byOrganisation,
    responses: {
      received: onTime + late,
      onTime,
      late,
      onTimeRate: onTimeRate(onTime, onTime + late),
      medianDaysToRespond: medianFromHistogram([...onTimeBuckets, ...lateBuckets]),
    },
    oldestOpenCases: input.oldest.map((row) => ({
      id: row.id,
      reference: row.reference,
      title: row.title,
      status: row.status,
      openedAt: row.createdAt.toISOString(),
      ageDays: Math.floor((input.now.getTime() - row.createdAt.getTime()) / DAY_MS),
      assignee: row.assigneeId ? { id: row.assigneeId, name: row.assigneeName ?? '' } : null,
      organisation: { id: row.organisationId, name: row.organisationName },
    })),
  };
}
