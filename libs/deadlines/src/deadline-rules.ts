import {
  addStoppedDays,
  addStoppedTime,
  CalendarError,
  computeDueDate,
  DEFAULT_RULE_SET,
  dueAtEndOf,
  extendDueDate,
  HOLIDAY_DATA_VERSION,
  localDateOf,
  ruleSetOf,
  type AuthorityCalendar,
  type DueDateResult,
  type ExplanationEntry,
  type PeriodRule,
} from '#docket/calendar';

/** How a deadline's first due date was set; `ruleSet` names the legal instrument it is counted under. */
export type DeadlineRule =
  | { type: 'period'; count: number; unit: PeriodRule['unit']; ruleSet?: string }
  | { type: 'date'; dueDate: string; ruleSet?: string }
  | { type: 'instant'; dueAt: string; ruleSet?: string };

/** What changed the due date afterwards, in order. */
export type Adjustment =
  | { type: 'extend'; to: DeadlineRule; reason: string; at: string; by: string }
  | {
      type: 'suspension';
      from: string;
      to: string;
      days: number;
      reason: string;
      by: string;
      /** The instants the clock stopped and restarted: a period in hours adds exactly the time between them. */
      fromAt?: string;
      toAt?: string;
    }
  | { type: 'restart'; eventAt: string; reason: string; at: string; by: string };

export type Derived = DueDateResult;

/** The rule set a deadline rule is counted under. */
export function ruleSetOfRule(rule: DeadlineRule): string {
  return rule.ruleSet ?? DEFAULT_RULE_SET;
}

/** Refuses an unknown rule set with a CalendarError naming the field. */
export function checkRuleSet(ruleSet: string | undefined, field = 'ruleSet'): void {
  if (ruleSet !== undefined && !ruleSetOf(ruleSet))
    throw new CalendarError(`ruleSet ${JSON.stringify(ruleSet)} is not known; GET /api/v1/rule-sets lists them`, field);
}

function fromInstant(dueAt: string, calendar: AuthorityCalendar, ruleSet: string): Derived {
  const instant = new Date(dueAt);
  if (Number.isNaN(instant.getTime())) throw new CalendarError(`dueAt "${dueAt}" is not an ISO 8601 instant`, 'dueAt');
  const local = localDateOf(instant, calendar.timeZone);
  return {
    dueDate: local,
    dueAt: instant.toISOString(),
    explanation: [
      {
        date: local,
        kind: 'due',
        reason: `due at the instant set by hand: ${dueAt}`,
        code: 'setByHand',
        params: { dueAt },
      },
    ],
    ruleSet,
    holidayDataVersion: HOLIDAY_DATA_VERSION,
  };
}

function baseDue(eventAt: Date, rule: DeadlineRule, calendar: AuthorityCalendar): Derived {
  const ruleSet = ruleSetOfRule(rule);
  switch (rule.type) {
    case 'period':
      return computeDueDate(eventAt, calendar, { count: rule.count, unit: rule.unit, ruleSet });
    case 'date':
      return dueAtEndOf(rule.dueDate, calendar, ruleSet);
    case 'instant':
      return fromInstant(rule.dueAt, calendar, ruleSet);
  }
}

function describeRule(rule: DeadlineRule): string {
  if (rule.type === 'period') return `${rule.count} ${rule.unit.replace('_', ' ')}`;
  return rule.type === 'date' ? `to ${rule.dueDate}` : `to ${rule.dueAt}`;
}

const inHours = (rule: DeadlineRule) => rule.type === 'period' && rule.unit === 'hours';

function applyAdjustment(
  current: Derived,
  adjustment: Adjustment,
  rule: DeadlineRule,
  calendar: AuthorityCalendar,
): Derived {
  const ruleSet = ruleSetOfRule(rule);
  if (adjustment.type === 'restart') return current;
  if (adjustment.type === 'suspension') {
    const exact = inHours(rule) && adjustment.fromAt && adjustment.toAt;
    if (!exact && adjustment.days === 0) {
      // Stopped and restarted the same day: the due date and instant stay where they were (an instant set by hand
      // is not moved to the end of its day).
      const same: ExplanationEntry = {
        date: adjustment.to,
        kind: 'start',
        reason: `clock stopped and restarted on ${adjustment.to} (no day added): ${adjustment.reason}`,
        code: 'stoppedSameDay',
        params: { stopDay: adjustment.to, reason: adjustment.reason },
      };
      return { ...current, explanation: [...current.explanation, same] };
    }
    const result = exact
      ? addStoppedTime(
          current.dueAt,
          Math.max(0, new Date(adjustment.toAt!).getTime() - new Date(adjustment.fromAt!).getTime()),
          calendar,
          ruleSet,
        )
      : addStoppedDays(current.dueDate, adjustment.days, calendar, ruleSet);
    const note: ExplanationEntry = {
      date: adjustment.to,
      kind: 'start',
      reason: `clock stopped ${adjustment.fromAt ?? adjustment.from} – ${adjustment.toAt ?? adjustment.to} (${
        exact ? 'the time stopped' : `${adjustment.days} day${adjustment.days === 1 ? '' : 's'}`
      } added): ${adjustment.reason}`,
      ...(exact
        ? {
            code: 'suspendedTime',
            params: { fromAt: adjustment.fromAt!, toAt: adjustment.toAt!, reason: adjustment.reason },
          }
        : {
            code: 'suspendedDays',
            params: {
              fromDay: adjustment.from,
              toDay: adjustment.to,
              days: adjustment.days,
              reason: adjustment.reason,
            },
          }),
    };
    return { ...result, explanation: [...current.explanation, note, ...result.explanation] };
  }
  const target = adjustment.to;
  const result =
    target.type === 'period'
      ? extendDueDate(current.dueDate, calendar, { count: target.count, unit: target.unit, ruleSet }, current.dueAt)
      : target.type === 'date'
        ? dueAtEndOf(target.dueDate, calendar, ruleSet)
        : fromInstant(target.dueAt, calendar, ruleSet);
  const note: ExplanationEntry = {
    date: adjustment.at.slice(0, 10),
    kind: 'start',
    reason: `extended ${describeRule(target)}: ${adjustment.reason}`,
    ...(target.type === 'period'
      ? { code: 'extendedPeriod', params: { count: target.count, unit: target.unit, reason: adjustment.reason } }
      : target.type === 'date'
        ? { code: 'extendedDate', params: { toDay: target.dueDate, reason: adjustment.reason } }
        : { code: 'extendedInstant', params: { toAt: target.dueAt, reason: adjustment.reason } }),
  };
  return { ...result, explanation: [...current.explanation, note, ...result.explanation] };
}

/**
 * The due date of a deadline, replayed from its rule and every later adjustment against the
 * authority's current calendar: a closure day added later moves open deadlines the same way.
 * A restart (a clarification received) counts the period again from its new event; what came before it stays in
 * the history but no longer moves the date.
 */
export function deriveDue(
  eventAt: Date,
  rule: DeadlineRule,
  adjustments: Adjustment[],
  calendar: AuthorityCalendar,
): Derived {
  const restartIndex = adjustments.map((adjustment) => adjustment.type).lastIndexOf('restart');
  const restart = restartIndex >= 0 ? (adjustments[restartIndex] as Extract<Adjustment, { type: 'restart' }>) : null;
  let base = baseDue(restart ? new Date(restart.eventAt) : eventAt, rule, calendar);
  if (restart) {
    base = {
      ...base,
      explanation: [
        {
          date: localDateOf(new Date(restart.eventAt), calendar.timeZone),
          kind: 'start',
          reason: `Period restarted from a new event (${restart.eventAt}): ${restart.reason}; the earlier count is in the history`,
          code: 'restarted',
          params: { eventAt: restart.eventAt, reason: restart.reason },
        },
        ...base.explanation,
      ],
    };
  }
  return adjustments
    .slice(restartIndex + 1)
    .reduce((current, adjustment) => applyAdjustment(current, adjustment, rule, calendar), base);
}
