import type { TimelineDescription, TimelineSource } from '#docket/cases';
import { ASSESSMENTS, outcomeWords } from './decision-rules.js';

type Fields = Record<string, unknown>;
const fields = (event: TimelineSource): Fields =>
  event.after !== null && typeof event.after === 'object' ? (event.after as Fields) : {};
const clip = (text: string, length = 160) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/** "1 answered, 6 insufficient" from the counts of a recorded response. */
export function assessmentLine(counts: unknown): string {
  if (counts === null || typeof counts !== 'object') return '';
  const byAssessment = counts as Record<string, number>;
  return ASSESSMENTS.filter((assessment) => byAssessment[assessment] > 0)
    .map((assessment) => `${byAssessment[assessment]} ${assessment.replace('_', ' ')}`)
    .join(', ');
}

export function summariseResponse(event: TimelineSource): string {
  const after = fields(event);
  const day = String(after.receivedAt ?? '').slice(0, 10);
  const timing = after.onTime
    ? 'on time'
    : `late by ${String(after.lateByDays ?? 0)} day${after.lateByDays === 1 ? '' : 's'}`;
  return clip(
    `Response received by ${String(after.channel)} on ${day} (${timing}): ${assessmentLine(after.assessments)}`,
  );
}

export function summariseOutcome(event: TimelineSource): string {
  const after = fields(event);
  const extra = after.fine
    ? ` ${String(after.fine)}`
    : after.referralTo
      ? ` to ${String(after.referralTo)}`
      : after.noticeTo
        ? ` to ${String(after.noticeTo)}`
        : '';
  const deadlines =
    Array.isArray(after.deadlines) && after.deadlines.length
      ? ` (${after.deadlines.length} deadline${after.deadlines.length === 1 ? '' : 's'} to watch)`
      : '';
  return clip(
    `Outcome: ${outcomeWords(String(after.type))}${extra} decided ${String(after.decidedAt ?? '').slice(0, 10)}${deadlines}: ${String(after.summary ?? '')}`,
    240,
  );
}

/**
 * The counts of a recorded response as message parameters (`answered: 2, partial: 1 …`, 0 for none): pages list
 * them in the reader's language.
 */
function assessmentParams(counts: unknown): Record<string, number> {
  const byAssessment = (counts !== null && typeof counts === 'object' ? counts : {}) as Record<string, number>;
  return Object.fromEntries(ASSESSMENTS.map((assessment) => [assessment, Number(byAssessment[assessment] ?? 0)]));
}

/** How the decisions context's audit actions read on the case timeline (and as catalogue messages, for pages). */
export const DECISION_TIMELINE: Record<string, TimelineDescription> = {
  'response.recorded': {
    summary: summariseResponse,
    message: (event) => {
      const after = fields(event);
      return {
        key: after.onTime ? 'timeline.responseOnTime' : 'timeline.responseLate',
        params: {
          channel: String(after.channel ?? ''),
          receivedDay: String(after.receivedAt ?? '').slice(0, 10),
          lateDays: Number(after.lateByDays ?? 0),
          ...assessmentParams(after.assessments),
        },
      };
    },
  },
  'response.followed_up': {
    summary: (event) =>
      `Follow-up inquiry on ${((fields(event).questionIds as unknown[]) ?? []).length} question(s) not answered in full`,
    message: (event) => ({
      key: 'timeline.followUp',
      params: { count: ((fields(event).questionIds as unknown[]) ?? []).length },
    }),
  },
  'attachment.added': {
    summary: (event) => {
      const after = fields(event);
      return clip(`Attachment added: ${String(after.filename)} (${Math.ceil(Number(after.size ?? 0) / 1024)} KB)`);
    },
    message: (event) => ({
      key: 'timeline.attachment',
      params: { filename: String(fields(event).filename ?? ''), kb: Math.ceil(Number(fields(event).size ?? 0) / 1024) },
    }),
  },
  'attachment.quarantined': (event) => ({
    key: 'timeline.attachmentQuarantined',
    params: { filename: String(fields(event).filename ?? ''), signature: String(fields(event).signature ?? '') },
  }),
  'outcome.recorded': {
    summary: summariseOutcome,
    message: (event) => {
      const after = fields(event);
      return {
        key: 'timeline.outcome',
        params: {
          outcome: String(after.type ?? ''),
          decidedDay: String(after.decidedAt ?? '').slice(0, 10),
          watched: Array.isArray(after.deadlines) ? after.deadlines.length : 0,
          summary: clip(String(after.summary ?? ''), 160),
        },
      };
    },
  },
};
