import { Injectable } from '@nestjs/common';
import { CASE_FILE, type CaseFileContribution, type TimelineDescription } from '#docket/cases';
import { Contributes } from '#docket/platform';

/** What the audit trail keeps of a deadline change (see summary() in deadlines.service.ts). */
interface DeadlineAudit {
  label?: string;
  dueDate?: string;
  reason?: string | null;
  onTime?: boolean;
  kind?: string;
}

const because = (after: DeadlineAudit) => (after.reason ? ` (${after.reason})` : '');

const LINES: Record<string, (after: DeadlineAudit) => string> = {
  'deadline.created': (after) => `Deadline set: ${after.label}, due ${after.dueDate}`,
  'deadline.extended': (after) => `Deadline extended: ${after.label}, now due ${after.dueDate}${because(after)}`,
  'deadline.suspended': (after) => `Clock stopped: ${after.label}${because(after)}`,
  'deadline.resumed': (after) => `Clock restarted: ${after.label}, now due ${after.dueDate}${because(after)}`,
  'deadline.recomputed': (after) => `Deadline recomputed: ${after.label}, now due ${after.dueDate}${because(after)}`,
  'deadline.met': (after) => `Deadline met${after.onTime === false ? ' late' : ''}: ${after.label}`,
  'deadline.missed': (after) => `Deadline missed: ${after.label} (due ${after.dueDate})`,
  'deadline.waived': (after) => `Deadline waived: ${after.label}${because(after)}`,
};

/** The same lines as catalogue messages (timeline.deadline.<event>), for pages in the reader's language. */
const message = (action: string, after: DeadlineAudit) => ({
  key: `timeline.deadline.${action.slice('deadline.'.length)}${action === 'deadline.met' && after.onTime === false ? 'Late' : ''}`,
  params: {
    deadlineLabel: after.label ?? '',
    deadlineKind: after.kind ?? '',
    dueDay: after.dueDate ?? '',
    reason: after.reason ?? '',
  },
});

const afterOf = (event: { after: unknown }) => (event.after ?? {}) as DeadlineAudit;

/** How the deadlines context's audit actions read on the case timeline. */
@Injectable()
@Contributes(CASE_FILE)
export class DeadlinesCaseFile implements CaseFileContribution {
  readonly timeline: Record<string, TimelineDescription> = {
    ...Object.fromEntries(
      Object.entries(LINES).map(([action, line]) => [
        action,
        { summary: (event) => line(afterOf(event)), message: (event) => message(action, afterOf(event)) },
      ]),
    ),
    'deadline.certificate_issued': (event) => ({
      key: 'timeline.deadline.certificateIssued',
      params: { sha256: String((event.after as { sha256?: string } | null)?.sha256 ?? '').slice(0, 16) },
    }),
  };
}
