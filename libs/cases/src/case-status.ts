/**
 * The case life cycle as a pure function: open → awaiting_response → under_review → decided → closed.
 * A follow-up inquiry returns an under-review or decided case to awaiting_response; a case closes
 * from any status, with a reason. Moves onto the same status (a second inquiry while awaiting a
 * response, another outcome) are allowed and change nothing.
 */
export const CASE_STATUSES = ['open', 'awaiting_response', 'under_review', 'decided', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_EVENTS = ['send_inquiry', 'record_response', 'decide', 'close'] as const;
export type CaseEvent = (typeof CASE_EVENTS)[number];

// An authority may decide before any answer (an urgent order, Art. 66 GDPR; PIPC's suspension of
// downloads), and an answer may still arrive after a decision: it is recorded, the case stays decided.
const MOVES: Record<CaseStatus, Partial<Record<CaseEvent, CaseStatus>>> = {
  open: { send_inquiry: 'awaiting_response', decide: 'decided', close: 'closed' },
  awaiting_response: {
    send_inquiry: 'awaiting_response',
    record_response: 'under_review',
    decide: 'decided',
    close: 'closed',
  },
  under_review: {
    send_inquiry: 'awaiting_response',
    record_response: 'under_review',
    decide: 'decided',
    close: 'closed',
  },
  decided: { send_inquiry: 'awaiting_response', record_response: 'decided', decide: 'decided', close: 'closed' },
  closed: {},
};

const EVENT_WORDS: Record<CaseEvent, string> = {
  send_inquiry: 'send an inquiry',
  record_response: 'record a response',
  decide: 'record an outcome',
  close: 'close the case',
};

export interface AllowedMove {
  event: CaseEvent;
  to: CaseStatus;
}

export type MoveResult =
  | { ok: true; from: CaseStatus; to: CaseStatus; changed: boolean }
  | { ok: false; from: CaseStatus; allowed: AllowedMove[]; message: string };

export function allowedMoves(status: CaseStatus): AllowedMove[] {
  return (Object.entries(MOVES[status]) as [CaseEvent, CaseStatus][]).map(([event, to]) => ({ event, to }));
}

export function applyCaseEvent(status: CaseStatus, event: CaseEvent): MoveResult {
  const to = MOVES[status][event];
  if (to) return { ok: true, from: status, to, changed: to !== status };
  const allowed = allowedMoves(status);
  const options = allowed.map((move) => `${EVENT_WORDS[move.event]} (${move.event} → ${move.to})`).join(', ');
  const message =
    allowed.length === 0
      ? `The case is ${status}: nothing more can happen to it, so you cannot ${EVENT_WORDS[event]}.`
      : `A case that is ${status} cannot ${EVENT_WORDS[event]} (${event}). From ${status} you can: ${options}.`;
  return { ok: false, from: status, allowed, message };
}
