import { createHash } from 'node:crypto';
import { ruleSetOf, type AuthorityCalendar, type ExplanationEntry } from '#docket/calendar';
import type { Adjustment, DeadlineRule } from './deadline-rules.js';

/** JSON with object keys sorted at every level: the same document always gives the same bytes and hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface CertificateInput {
  deadline: {
    id: string;
    label: string;
    kind: string;
    status: string;
    eventAt: Date;
    eventDate: string;
    rule: DeadlineRule;
    ruleSet: string;
    adjustments: Adjustment[];
    holidayDataVersion: string | null;
    dueDate: string;
    dueAt: Date;
    explanation: ExplanationEntry[];
  };
  caseReference: string;
  authority: { code: string; name: string };
  calendar: AuthorityCalendar;
  /** Whether replaying the rule now, against the current calendar and holiday data, gives the same due instant. */
  reproduced: boolean;
}

const SKIPPED = new Set(['weekend', 'holiday', 'closure', 'rollover', 'cutoff', 'minimum']);

/**
 * The computation of a deadline as a stable document a court can follow: the event, the rule and its rule set, the
 * holiday data, each day skipped or moved and why, and the due instant. Nothing in it depends on when it is asked
 * for, so the same deadline gives the same document and the same SHA-256 until it changes.
 */
export function deadlineCertificate(input: CertificateInput) {
  const set = ruleSetOf(input.deadline.ruleSet);
  const document = {
    type: 'docket.deadline-certificate',
    version: 1,
    deadline: {
      id: input.deadline.id,
      case: input.caseReference,
      label: input.deadline.label,
      kind: input.deadline.kind,
      status: input.deadline.status,
    },
    authority: {
      code: input.authority.code,
      name: input.authority.name,
      timeZone: input.calendar.timeZone,
      holidayRegion: input.calendar.holidayRegion,
      weekendDays: input.calendar.weekendDays,
      receiptCutoff: input.calendar.receiptCutoff ?? null,
    },
    event: { at: input.deadline.eventAt.toISOString(), localDate: input.deadline.eventDate },
    rule: input.deadline.rule,
    ruleSet: {
      id: input.deadline.ruleSet,
      name: set?.name ?? null,
      instrument: set?.instrument ?? null,
    },
    holidayDataVersion: input.deadline.holidayDataVersion,
    adjustments: input.deadline.adjustments,
    daysSkipped: input.deadline.explanation.filter((entry) => SKIPPED.has(entry.kind)),
    explanation: input.deadline.explanation,
    due: { date: input.deadline.dueDate, at: input.deadline.dueAt.toISOString() },
    reproducedWithCurrentData: input.reproduced,
  };
  const sha256 = createHash('sha256').update(canonicalJson(document)).digest('hex');
  return { certificate: document, sha256, canonical: canonicalJson(document) };
}
