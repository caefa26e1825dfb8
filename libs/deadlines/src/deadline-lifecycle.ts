/**
 * The deadline life cycle as pure functions and the one place that says what "running" and "overdue" mean, in
 * TypeScript and in SQL (the fragments are generated from the same sets, so a query cannot drift from the rule).
 *
 * pending ─suspend→ suspended ─resume→ pending; pending ─miss→ missed (its due instant passed, by the sweep);
 * pending, suspended or missed ─meet→ met (a response), ─waive→ waived (by hand, or the case closed);
 * an extension keeps pending and suspended as they are and reopens a missed deadline (→ pending); a restart (the
 * period counted again from a new event) makes any running deadline pending (the service then marks it missed at
 * once if the new count is over too); a suspension backdated to before the due instant first reopens a missed one.
 * met and waived are settled: nothing more happens to them.
 */
export const DEADLINE_STATUSES = ['pending', 'suspended', 'met', 'missed', 'waived'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export const DEADLINE_ACTIONS = ['extend', 'suspend', 'resume', 'restart', 'reopen', 'waive', 'meet', 'miss'] as const;
export type DeadlineAction = (typeof DEADLINE_ACTIONS)[number];

const MOVES: Record<DeadlineStatus, Partial<Record<DeadlineAction, DeadlineStatus>>> = {
  pending: {
    extend: 'pending',
    suspend: 'suspended',
    restart: 'pending',
    waive: 'waived',
    meet: 'met',
    miss: 'missed',
  },
  suspended: { extend: 'suspended', resume: 'pending', restart: 'pending', waive: 'waived', meet: 'met' },
  missed: { extend: 'pending', restart: 'pending', reopen: 'pending', waive: 'waived', meet: 'met' },
  met: {},
  waived: {},
};

/** The participle of each action, as the refusal says it ("cannot be extended"). */
const DONE: Record<DeadlineAction, string> = {
  extend: 'extended',
  suspend: 'suspended',
  resume: 'resumed',
  restart: 'restarted',
  reopen: 'reopened',
  waive: 'waived',
  meet: 'met',
  miss: 'missed',
};

export type DeadlineMove =
  | { ok: true; from: DeadlineStatus; to: DeadlineStatus }
  | { ok: false; from: DeadlineStatus; allowedFrom: DeadlineStatus[]; message: string };

/** The statuses from which `action` may happen, in the order of DEADLINE_STATUSES. */
export function statusesAllowing(action: DeadlineAction): DeadlineStatus[] {
  return DEADLINE_STATUSES.filter((status) => MOVES[status][action] !== undefined);
}

export function canApply(status: DeadlineStatus, action: DeadlineAction): boolean {
  return MOVES[status][action] !== undefined;
}

export function applyDeadlineAction(status: DeadlineStatus, action: DeadlineAction): DeadlineMove {
  const to = MOVES[status][action];
  if (to) return { ok: true, from: status, to };
  const allowedFrom = statusesAllowing(action);
  return {
    ok: false,
    from: status,
    allowedFrom,
    message: `A ${status} deadline cannot be ${DONE[action]}; only a ${allowedFrom.join(' or ')} one can.`,
  };
}

/**
 * Running: not settled yet, so a response still meets it, the case's closing waives it, an extension may move it
 * and its reminders may still go out (a missed deadline keeps escalating).
 */
export const RUNNING_STATUSES: readonly DeadlineStatus[] = DEADLINE_STATUSES.filter(
  (status) => MOVES[status].waive !== undefined,
);
export const isRunning = (status: DeadlineStatus): boolean => RUNNING_STATUSES.includes(status);

/**
 * Ahead: running and not missed: its due date is still to come, so the authority's calendar (a closure day added)
 * moves it, and it is the next deadline of its case.
 */
export const AHEAD_STATUSES: readonly DeadlineStatus[] = RUNNING_STATUSES.filter((status) => status !== 'missed');
export const isAhead = (status: DeadlineStatus): boolean => AHEAD_STATUSES.includes(status);

/**
 * Overdue: missed, or pending with its due instant passed (the sweep has not marked it missed yet). A suspended
 * deadline is never overdue.
 */
export function isOverdue(deadline: { status: DeadlineStatus; dueAt: Date }, now: Date): boolean {
  return deadline.status === 'missed' || isPastDue(deadline, now);
}

/** Pending with its due instant passed: what the overdue sweep marks missed. */
export function isPastDue(deadline: { status: DeadlineStatus; dueAt: Date }, now: Date): boolean {
  return deadline.status === 'pending' && deadline.dueAt.getTime() <= now.getTime();
}

/** The SQL expressions of a deadline's columns: `d.status` and `d.due_at`, or TypeORM's `deadline.dueAt`. */
export interface DeadlineColumns {
  status: string;
  dueAt: string;
}

const literal = (status: DeadlineStatus) => `'${status}'`;

/** `<status> IN ('pending', …)` for a set of statuses. */
export function statusInSql(column: string, statuses: readonly DeadlineStatus[]): string {
  return `${column} IN (${statuses.map(literal).join(', ')})`;
}

/** `isPastDue` in SQL; `now` is the parameter (or expression) of the instant. */
export function pastDueSql(columns: DeadlineColumns, now: string): string {
  return `${columns.status} = ${literal('pending')} AND ${columns.dueAt} <= ${now}`;
}

/** `isOverdue` in SQL, parenthesised. */
export function overdueSql(columns: DeadlineColumns, now: string): string {
  return `(${columns.status} = ${literal('missed')} OR (${pastDueSql(columns, now)}))`;
}
