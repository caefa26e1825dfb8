import {
  addStoppedDays,
  CalendarError,
  computeDueDate,
  dueAtEndOf,
  extendDueDate,
  type AuthorityCalendar,
  type DueDateResult,
  type ExplanationEntry,
  type PeriodRule,
} from '#docket/calendar';

/** How a deadline's first due date was set. */
export type DeadlineRule =
  | { type: 'period'; count: number; unit: PeriodRule['unit'] }
  | { type: 'date'; dueDate: string }
  | { type: 'instant'; dueAt: string };

/** What changed the due date afterwards, in order. */
export type Adjustment =
  | { type: 'extend'; to: DeadlineRule; reason: string; at: string; by: string }
  | { type: 'suspension'; from: string; to: string; days: number; reason: string; by: string };

export type Derived = DueDateResult;

function fromInstant(dueAt: string, calendar: AuthorityCalendar): Derived {
  const instant = new Date(dueAt);
  if (Number.isNaN(instant.getTime())) throw new CalendarError(`dueAt "${dueAt}" is not an ISO 8601 instant`, 'dueAt');
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone: calendar.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
  return {
    dueDate: local,
    dueAt: instant.toISOString(),
    explanation: [{ date: local, kind: 'due', reason: `due at the instant set by hand: ${dueAt}` }],
  };
}

function baseDue(eventAt: Date, rule: DeadlineRule, calendar: AuthorityCalendar): Derived {
  switch (rule.type) {
    case 'period':
      return computeDueDate(eventAt, calendar, { count: rule.count, unit: rule.unit });
    case 'date':
      return dueAtEndOf(rule.dueDate, calendar);
    case 'instant':
      return fromInstant(rule.dueAt, calendar);
  }
}

function describeRule(rule: DeadlineRule): string {
  if (rule.type === 'period') return `${rule.count} ${rule.unit.replace('_', ' ')}`;
  return rule.type === 'date' ? `to ${rule.dueDate}` : `to ${rule.dueAt}`;
}

function applyAdjustment(current: Derived, adjustment: Adjustment, calendar: AuthorityCalendar): Derived {
  if (adjustment.type === 'suspension') {
    const result = addStoppedDays(current.dueDate, adjustment.days, calendar);
    const note: ExplanationEntry = {
      date: adjustment.to,
      kind: 'start',
      reason: `clock stopped ${adjustment.from} – ${adjustment.to} (${adjustment.days} day${adjustment.days === 1 ? '' : 's'} added): ${adjustment.reason}`,
    };
    return { ...result, explanation: [...current.explanation, note, ...result.explanation] };
  }
  const target = adjustment.to;
  const result =
    target.type === 'period'
      ? extendDueDate(current.dueDate, calendar, { count: target.count, unit: target.unit })
      : target.type === 'date'
        ? dueAtEndOf(target.dueDate, calendar)
        : fromInstant(target.dueAt, calendar);
  const note: ExplanationEntry = {
    date: adjustment.at.slice(0, 10),
    kind: 'start',
    reason: `extended ${describeRule(target)}: ${adjustment.reason}`,
  };
  return { ...result, explanation: [...current.explanation, note, ...result.explanation] };
}

/**
 * The due date of a deadline, replayed from its rule and every later adjustment against the
 * authority's current calendar: a closure day added later moves open deadlines the same way.
 */
export function deriveDue(
  eventAt: Date,
  rule: DeadlineRule,
  adjustments: Adjustment[],
  calendar: AuthorityCalendar,
): Derived {
  return adjustments.reduce(
    (current, adjustment) => applyAdjustment(current, adjustment, calendar),
    baseDue(eventAt, rule, calendar),
  );
}
