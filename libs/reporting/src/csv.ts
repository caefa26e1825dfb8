import { localDateOf } from '#docket/calendar';
import { isOverdue, type DeadlineStatus } from '#docket/deadlines';

/** Cells a spreadsheet would read as a formula (or that hide one behind a tab or carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Makes a cell safe to open in a spreadsheet (OWASP CSV injection): text starting with = + - @, a tab or
 * a carriage return gets a leading single quote, so it is shown as text and never evaluated.
 */
export function csvSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export const DEADLINE_CSV_COLUMNS = [
  'case_reference',
  'case_title',
  'case_status',
  'organisation',
  'assignee',
  'deadline_label',
  'kind',
  'status',
  'due_date',
  'due_at',
  'overdue',
  'event_at',
  'settled_at',
  'deadline_id',
  'case_id',
  'case_url',
  'event_date',
  'rule_set',
  'holiday_data_version',
] as const;

export interface DeadlineCsvInput {
  deadline: {
    id: string;
    caseId: string;
    label: string;
    kind: string;
    status: DeadlineStatus;
    dueDate: string;
    dueAt: Date;
    eventAt: Date;
    settledAt: Date | null;
    ruleSet?: string;
    holidayDataVersion?: string | null;
  };
  case: { reference: string; title: string; status: string; organisation: string; assignee: string | null } | undefined;
  now: Date;
  publicUrl: string;
  /** The authority's zone: `event_date` is the event's local date there. */
  timeZone?: string;
}

/** One CSV line of a deadline, every cell made safe. */
export function deadlineCsvRow({ deadline, case: kase, now, publicUrl, timeZone }: DeadlineCsvInput): string[] {
  const overdue = isOverdue(deadline, now);
  return [
    kase?.reference,
    kase?.title,
    kase?.status,
    kase?.organisation,
    kase?.assignee,
    deadline.label,
    deadline.kind,
    deadline.status,
    deadline.dueDate,
    deadline.dueAt,
    overdue ? 'yes' : 'no',
    deadline.eventAt,
    deadline.settledAt,
    deadline.id,
    deadline.caseId,
    `${publicUrl.replace(/\/$/, '')}/cases/${deadline.caseId}`,
    timeZone ? localDateOf(deadline.eventAt, timeZone) : '',
    deadline.ruleSet ?? 'national',
    deadline.holidayDataVersion ?? '',
  ].map(csvSafe);
}
