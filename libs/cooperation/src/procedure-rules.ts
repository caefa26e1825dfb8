import { DateTime } from 'luxon';
import {
  CalendarError,
  computeDueDate,
  DEFAULT_RULE_SET,
  endOfLocalDay,
  HOLIDAY_DATA_VERSION,
  isWorkingDay,
  localDateOf,
  nonWorkingReasons,
  type AuthorityCalendar,
  type DueDateResult,
  type ExplanationEntry,
  type PeriodRule,
} from '#docket/calendar';

/**
 * Cooperation procedures between supervisory authorities and their statutory clocks: GDPR Chapter VII, and the
 * procedural Regulation (EU) 2025/2518 whose clocks apply from 2 April 2027. Pure: no Nest, no database.
 */
export const PROCEDURE_TYPES = [
  'mutual_assistance',
  'joint_operation',
  'lead_authority',
  'urgency',
  'complaint_transmission',
  'investigation',
  'simple_cooperation',
] as const;
export type ProcedureType = (typeof PROCEDURE_TYPES)[number];

export const RULE_SETS = ['gdpr', 'eu-2025-2518'] as const;
export type ProcedureRuleSet = (typeof RULE_SETS)[number];

export type ParticipantRole = 'requesting' | 'requested' | 'lead' | 'concerned' | 'invited';

export const STEP_KINDS = [
  'reply',
  'draft_decision',
  'revised_draft_decision',
  'objection',
  'decision',
  'transmission',
  'extension',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export type ClockKind =
  | 'reply'
  | 'objections'
  | 'measure_expiry'
  | 'urgent_opinion_request'
  | 'transmission'
  | 'investigation'
  | 'cooperation';

/** A clock to start: who must act, how long they have, and the legal basis the explanation cites. */
export interface ClockSpec {
  /**
   * The clock's name in the catalogue: pages show `coopClock.<id>.label` for its label and
   * `explanation.coopBasis.<id>` for its legal basis, in the reader's language.
   */
  id: string;
  kind: ClockKind;
  /** Which participants it runs for. */
  for: 'initiator' | 'others' | 'lead' | 'concerned';
  period: PeriodRule;
  legalBasis: string;
  label: string;
  /** What ends it: a step of this kind by the authority it runs for. */
  metBy: StepKind | null;
  /** When it runs out: `missed` is escalated; `lapsed` is the law's own consequence (no objection = agreement). */
  onExpiry: 'missed' | 'lapsed';
  /**
   * A validity that may last *at most* the period (provisional measures) ends on the period's last day even when that
   * is not a working day: moving it on would make the measure outlast what the law allows.
   */
  validity?: boolean;
}

export interface ProcedureTypeRule {
  ruleSet: ProcedureRuleSet;
  /** The first day (YYYY-MM-DD, Brussels) a procedure of this type may be opened under its rule set. */
  appliesFrom: string | null;
  title: string;
  /** Role of the initiating authority and of the others. */
  roles: { initiator: ParticipantRole; others: ParticipantRole };
  /** Clocks started when the procedure is opened. */
  opening: ClockSpec[];
}

const MONTH: PeriodRule = { count: 1, unit: 'months' };
export const EU_2025_2518_APPLIES_FROM = '2027-04-02';

export const PROCEDURE_RULES: Readonly<Record<ProcedureType, ProcedureTypeRule>> = {
  mutual_assistance: {
    ruleSet: 'gdpr',
    appliesFrom: null,
    title: 'Mutual assistance request (GDPR Art. 61)',
    roles: { initiator: 'requesting', others: 'requested' },
    opening: [
      {
        id: 'mutualAssistanceReply',
        kind: 'reply',
        for: 'others',
        period: MONTH,
        legalBasis: 'GDPR Art. 61(2): without undue delay and no later than one month after receiving the request',
        label: 'Reply to the mutual assistance request',
        metBy: 'reply',
        onExpiry: 'missed',
      },
    ],
  },
  joint_operation: {
    ruleSet: 'gdpr',
    appliesFrom: null,
    title: 'Joint operation (GDPR Art. 62)',
    roles: { initiator: 'requesting', others: 'invited' },
    opening: [
      {
        id: 'jointOperationReply',
        kind: 'reply',
        for: 'others',
        period: MONTH,
        legalBasis:
          'GDPR Art. 62(2) and 62(7): respond to the invitation without delay; after one month others may adopt provisional measures',
        label: 'Answer to the joint operation invitation',
        metBy: 'reply',
        onExpiry: 'missed',
      },
    ],
  },
  lead_authority: {
    ruleSet: 'gdpr',
    appliesFrom: null,
    title: 'Lead supervisory authority procedure (GDPR Art. 56 and 60)',
    roles: { initiator: 'lead', others: 'concerned' },
    opening: [],
  },
  urgency: {
    ruleSet: 'gdpr',
    appliesFrom: null,
    title: 'Urgency procedure (GDPR Art. 66)',
    roles: { initiator: 'requesting', others: 'concerned' },
    opening: [
      {
        id: 'measureExpiry',
        kind: 'measure_expiry',
        for: 'initiator',
        period: { count: 3, unit: 'months' },
        legalBasis: 'GDPR Art. 66(1): provisional measures with a specified period of validity of at most three months',
        label: 'Provisional measures expire',
        metBy: 'decision',
        onExpiry: 'lapsed',
        validity: true,
      },
    ],
  },
  complaint_transmission: {
    ruleSet: 'eu-2025-2518',
    appliesFrom: EU_2025_2518_APPLIES_FROM,
    title: 'Transmission of a complaint to the presumed lead authority (Regulation (EU) 2025/2518)',
    roles: { initiator: 'requesting', others: 'lead' },
    opening: [
      {
        id: 'complaintTransmission',
        kind: 'transmission',
        for: 'initiator',
        period: { count: 6, unit: 'weeks' },
        legalBasis: 'Regulation (EU) 2025/2518: transmission to the presumed lead authority within six weeks',
        label: 'Transmit the complaint to the presumed lead authority',
        metBy: 'transmission',
        onExpiry: 'missed',
      },
    ],
  },
  investigation: {
    ruleSet: 'eu-2025-2518',
    appliesFrom: EU_2025_2518_APPLIES_FROM,
    title: 'Cross-border investigation (Regulation (EU) 2025/2518)',
    roles: { initiator: 'lead', others: 'concerned' },
    opening: [
      {
        id: 'investigation',
        kind: 'investigation',
        for: 'lead',
        period: { count: 15, unit: 'months' },
        legalBasis: 'Regulation (EU) 2025/2518: investigation concluded within 15 months, extendable once by 12 months',
        label: 'Conclude the investigation',
        metBy: 'decision',
        onExpiry: 'missed',
      },
    ],
  },
  simple_cooperation: {
    ruleSet: 'eu-2025-2518',
    appliesFrom: EU_2025_2518_APPLIES_FROM,
    title: 'Simple cooperation (Regulation (EU) 2025/2518)',
    roles: { initiator: 'lead', others: 'concerned' },
    opening: [
      {
        id: 'simpleCooperation',
        kind: 'cooperation',
        for: 'lead',
        period: { count: 12, unit: 'months' },
        legalBasis: 'Regulation (EU) 2025/2518: simple cooperation concluded within 12 months',
        label: 'Conclude the simple cooperation',
        metBy: 'decision',
        onExpiry: 'missed',
      },
    ],
  },
};

/** Objection windows of Art. 60(4) and (5), started by the lead's draft. */
export const OBJECTION_WINDOWS: Readonly<Partial<Record<StepKind, ClockSpec>>> = {
  draft_decision: {
    id: 'objections',
    kind: 'objections',
    for: 'concerned',
    period: { count: 4, unit: 'weeks' },
    legalBasis: 'GDPR Art. 60(4): relevant and reasoned objections within four weeks of consultation on the draft',
    label: 'Relevant and reasoned objections to the draft decision',
    metBy: 'objection',
    onExpiry: 'lapsed',
  },
  revised_draft_decision: {
    id: 'revisedObjections',
    kind: 'objections',
    for: 'concerned',
    period: { count: 2, unit: 'weeks' },
    legalBasis: 'GDPR Art. 60(5): objections to the revised draft decision within two weeks',
    label: 'Relevant and reasoned objections to the revised draft decision',
    metBy: 'objection',
    onExpiry: 'lapsed',
  },
};

/** The request of Art. 66(2), due four weeks before provisional measures expire (urgentOpinionDue). */
export const URGENT_OPINION_REQUEST: ClockSpec = {
  id: 'urgentOpinionRequest',
  kind: 'urgent_opinion_request',
  for: 'initiator',
  period: { count: 4, unit: 'weeks' },
  legalBasis: 'GDPR Art. 66(2): request an urgent opinion or decision of the Board at least four weeks before',
  label: 'Request an urgent opinion or decision of the Board',
  metBy: null,
  onExpiry: 'lapsed',
};

/**
 * The catalogue id of the clock a stored label or legal basis belongs to (the spec's own text, stored with each
 * procedure deadline), null for one no spec gives.
 */
export function clockIdOf(text: string): string | null {
  const specs = [
    ...Object.values(PROCEDURE_RULES).flatMap((rule) => rule.opening),
    ...Object.values(OBJECTION_WINDOWS),
    URGENT_OPINION_REQUEST,
  ];
  return specs.find((spec) => spec.label === text || spec.legalBasis === text)?.id ?? null;
}

/** The 2025/2518 investigation may be extended once, by twelve months. */
export const INVESTIGATION_EXTENSION: PeriodRule = { count: 12, unit: 'months' };

/** Which roles may take which step; the procedure types where the step exists. */
export const STEP_RULES: Readonly<Record<StepKind, { roles: ParticipantRole[]; types: ProcedureType[] }>> = {
  reply: { roles: ['requested', 'invited'], types: ['mutual_assistance', 'joint_operation'] },
  draft_decision: { roles: ['lead'], types: ['lead_authority', 'investigation', 'simple_cooperation'] },
  revised_draft_decision: { roles: ['lead'], types: ['lead_authority', 'investigation', 'simple_cooperation'] },
  objection: { roles: ['concerned'], types: ['lead_authority', 'investigation', 'simple_cooperation'] },
  decision: {
    roles: ['lead', 'requesting'],
    types: ['lead_authority', 'urgency', 'investigation', 'simple_cooperation'],
  },
  transmission: { roles: ['requesting'], types: ['complaint_transmission'] },
  extension: { roles: ['lead'], types: ['investigation'] },
};

/** Why a participant may not take a step now, in words for the person trying; null when they may. */
export function stepRefusal(type: ProcedureType, role: ParticipantRole, kind: StepKind): string | null {
  const rule = STEP_RULES[kind];
  if (!rule.types.includes(type))
    return `A ${kind.replace(/_/g, ' ')} is not a step of a ${PROCEDURE_RULES[type].title}.`;
  if (!rule.roles.includes(role))
    return `In this procedure your authority is the ${role} authority; a ${kind.replace(/_/g, ' ')} is taken by the ${rule.roles.join(' or ')} authority.`;
  return null;
}

/** Null when a procedure of this type may be opened at `now`; otherwise why not. */
export function notYetApplicable(type: ProcedureType, now: Date): string | null {
  const from = PROCEDURE_RULES[type].appliesFrom;
  if (!from) return null;
  return localDateOf(now, 'Europe/Brussels') < from
    ? `A ${PROCEDURE_RULES[type].title} can be opened from ${from}, when the regulation's procedural clocks apply.`
    : null;
}

/** A statutory clock on the acting authority's calendar, its explanation citing the legal basis first. */
export function statutoryDue(event: Date, calendar: AuthorityCalendar, spec: ClockSpec): DueDateResult {
  if (spec.validity) return validityEnd(event, calendar, spec);
  const due = computeDueDate(event, calendar, spec.period);
  return {
    ...due,
    explanation: [
      { date: due.explanation[0].date, kind: 'start', reason: spec.legalBasis, code: `coopBasis.${spec.id}` },
      ...due.explanation,
    ],
  };
}

/** The last day of a validity of at most `spec.period` from the event's local date: never moved on. */
function validityEnd(event: Date, calendar: AuthorityCalendar, spec: ClockSpec): DueDateResult {
  const from = DateTime.fromISO(localDateOf(event, calendar.timeZone), { zone: 'utc' });
  const { count, unit } = spec.period;
  const last =
    unit === 'months' ? from.plus({ months: count }) : from.plus({ days: unit === 'weeks' ? count * 7 : count });
  const dueDate = last.toISODate()!;
  const dueAt = endOfLocalDay(dueDate, calendar.timeZone);
  return {
    dueDate,
    dueAt,
    ruleSet: DEFAULT_RULE_SET,
    holidayDataVersion: HOLIDAY_DATA_VERSION,
    explanation: [
      { date: from.toISODate()!, kind: 'start', reason: spec.legalBasis, code: `coopBasis.${spec.id}` },
      {
        date: dueDate,
        kind: 'due',
        reason: `Valid until the end of ${dueDate} (${calendar.timeZone}) at the latest; a validity is not moved to a working day`,
        code: 'validUntil',
        params: { dueDay: dueDate, timeZone: calendar.timeZone },
      },
    ],
  };
}

/**
 * The urgent-opinion request of Art. 66(2) must reach the Board at least four weeks before the provisional measures
 * expire: the last working day on or before that date, in the acting authority's calendar.
 */
export function urgentOpinionDue(expiryDate: string, calendar: AuthorityCalendar): DueDateResult {
  let day = DateTime.fromISO(expiryDate, { zone: 'utc' }).minus({ weeks: 4 });
  const explanation: ExplanationEntry[] = [
    {
      date: day.toISODate()!,
      kind: 'start',
      reason: `Provisional measures expire on ${expiryDate}; a request for an urgent opinion or decision of the Board (GDPR Art. 66(2)) is due at least four weeks before`,
      code: 'urgentOpinion',
      params: { expiryDay: expiryDate },
    },
  ];
  for (let guard = 0; guard < 60 && !isWorkingDay(day.toISODate()!, calendar); guard++) {
    explanation.push(...nonWorkingReasons(day.toISODate()!, calendar));
    day = day.minus({ days: 1 });
  }
  const dueDate = day.toISODate()!;
  const dueAt = endOfLocalDay(dueDate, calendar.timeZone);
  explanation.push({
    date: dueDate,
    kind: 'due',
    reason: `Due by the end of ${dueDate}: ${dueAt} (${calendar.timeZone})`,
    code: 'dueEndOfDay',
    params: { dueDay: dueDate, dueAt, timeZone: calendar.timeZone },
  });
  return { dueDate, dueAt, explanation, ruleSet: DEFAULT_RULE_SET, holidayDataVersion: HOLIDAY_DATA_VERSION };
}

/** A line of a joint deadline's explanation as a catalogue message. */
type JointLine = Pick<ExplanationEntry, 'code' | 'params' | 'causes'>;

export interface JointCalendar {
  code: string;
  calendar: AuthorityCalendar;
}

export interface JointDue {
  dueAt: string;
  perAuthority: { code: string; localDate: string; ownDueDate: string; explanation: string[]; lines: JointLine[] }[];
}

/**
 * One due instant for a coordinated letter: each authority's own period from `start`, then the latest of them,
 * moved on until its local date is a working day in every authority's calendar and zone.
 */
export function jointDueDate(start: string, rule: PeriodRule, authorities: JointCalendar[]): JointDue {
  const own = authorities.map(({ code, calendar }) => ({
    code,
    calendar,
    due: computeDueDate(eventInstant(start, calendar.timeZone), calendar, rule),
  }));
  const latest = own.reduce((a, b) => (Date.parse(b.due.dueAt) > Date.parse(a.due.dueAt) ? b : a));
  const notes = new Map<string, string[]>(own.map(({ code }) => [code, []]));
  const noteLines = new Map<string, JointLine[]>(own.map(({ code }) => [code, []]));
  let candidate = DateTime.fromISO(latest.due.dueAt, { setZone: true });
  let stable = false;
  let movedBy: string | null = null;
  for (let round = 0; round < 400; round++) {
    const blocker = own.find(
      ({ calendar }) => !isWorkingDay(localDateOf(candidate.toJSDate(), calendar.timeZone), calendar),
    );
    if (!blocker) {
      stable = true;
      break;
    }
    const blockedDate = localDateOf(candidate.toJSDate(), blocker.calendar.timeZone);
    const nonWorking = nonWorkingReasons(blockedDate, blocker.calendar);
    const reasons = nonWorking.map((entry) => entry.reason);
    notes.get(blocker.code)!.push(`${blockedDate} is not a working day here (${reasons.join('; ')})`);
    noteLines.get(blocker.code)!.push({
      code: 'jointBlocked',
      params: { blockedDay: blockedDate },
      causes: nonWorking.map((entry) => ({ code: entry.code!, params: entry.params })),
    });
    movedBy = blocker.code;
    // The end of the next local day of the authority that cannot act on this one.
    candidate = DateTime.fromISO(blockedDate, { zone: blocker.calendar.timeZone }).plus({ days: 1 }).endOf('day');
  }
  if (!stable)
    throw new CalendarError('These authorities share no working day within a year of the period', 'authorities');
  const dueAt = candidate.toUTC().toISO()!;
  return {
    dueAt,
    perAuthority: own.map(({ code, calendar, due }) => {
      const localDate = localDateOf(candidate.toJSDate(), calendar.timeZone);
      const explanation = [
        `Own period of ${rule.count} ${rule.unit.replace(/_/g, ' ')}: due ${due.dueDate} (${calendar.timeZone})`,
      ];
      const lines: JointLine[] = [
        {
          code: 'jointOwn',
          params: { count: rule.count, unit: rule.unit, ownDay: due.dueDate, timeZone: calendar.timeZone },
        },
      ];
      if (code === latest.code) {
        explanation.push('This is the latest of the participants’ own due dates.');
        lines.push({ code: 'jointLatest' });
      }
      explanation.push(...notes.get(code)!);
      lines.push(...noteLines.get(code)!);
      if (movedBy && code !== movedBy && notes.get(code)!.length === 0) {
        explanation.push('Moved on so that the due instant falls on a working day of every participant.');
        lines.push({ code: 'jointMoved' });
      }
      explanation.push(
        `Joint due instant ${candidate.setZone(calendar.timeZone).toFormat('yyyy-MM-dd HH:mm')} local (${localDate}), a working day here.`,
      );
      lines.push({
        code: 'jointDue',
        params: { dueAt: candidate.toISO()!, localDay: localDate, timeZone: calendar.timeZone },
      });
      return { code, localDate, ownDueDate: due.dueDate, explanation, lines };
    }),
  };
}

/**
 * The event of a period: an ISO 8601 instant as given, or a local date meaning noon of that day in the zone (so each
 * authority counts from the same calendar date wherever it is).
 */
export function eventInstant(start: string, timeZone: string): Date {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(start)
    ? DateTime.fromISO(`${start}T12:00`, { zone: timeZone })
    : DateTime.fromISO(start, { setZone: true });
  if (!parsed.isValid || !/^\d{4}-\d{2}-\d{2}/.test(start))
    throw new CalendarError(
      `start "${start}" is neither a date (YYYY-MM-DD) nor an ISO 8601 instant with offset`,
      'start',
    );
  return parsed.toJSDate();
}
