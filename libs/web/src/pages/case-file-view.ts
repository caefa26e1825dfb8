import type { CaseView, TimelineEventView } from '#docket/cases';
import type { inquiryView } from '#docket/correspondence';
import type { Deadline, Reminder } from '#docket/deadlines';
import { formatDate, formatInstant, type DateSettings } from '../dates.js';
import { AUDIENCE_LABELS, eventLabel, RISK_FLAG_LABELS, TYPE_LABELS } from './case-labels.js';
import { describeOffset, describeRule, kindLabel } from './deadline-rows.js';

type InquiryView = ReturnType<typeof inquiryView>;
type Loose = Record<string, unknown>;

export interface CaseFileSources {
  file: CaseView;
  timeline: TimelineEventView[];
  deadlines: Deadline[];
  reminders: Reminder[];
  settings: DateSettings;
  canWrite: boolean;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null);

/** What the case page shows, with every date already in the authority's zone and locale. */
export function caseFileView({ file, timeline, deadlines, reminders, settings, canWrite }: CaseFileSources) {
  const at = (instant: string | Date | null | undefined) => (instant ? { iso: instant instanceof Date ? instant.toISOString() : instant, text: formatInstant(instant, settings) } : null);
  const inquiries = (Array.isArray(file.inquiries) ? (file.inquiries as InquiryView[]) : []).map((inquiry) => ({
    id: inquiry.id,
    subject: inquiry.subject,
    to: inquiry.to.join(', '),
    cc: inquiry.cc.join(', '),
    status: inquiry.status,
    error: inquiry.lastError,
    questions: inquiry.questions.length,
    template: `${inquiry.template} v${inquiry.templateVersion} (${inquiry.locale})`,
    created: at(inquiry.createdAt),
    sent: at(inquiry.sentAt),
    deadline: inquiry.deadline ? { href: `/deadlines/${inquiry.deadline.id}`, dueDate: inquiry.deadline.dueDate, dueDateText: formatDate(inquiry.deadline.dueDate, settings, 'short') } : null,
  }));
  const labels = new Map(deadlines.map((deadline) => [deadline.id, deadline.label]));
  const allowed = file.allowedActions.map((action) => ({
    event: action.event,
    label: eventLabel(action.event),
    to: action.to.replace(/_/g, ' '),
    href: !canWrite ? null : action.event === 'send_inquiry' ? `/cases/${file.id}/inquiries/new` : action.event === 'close' ? '#close-form' : null,
  }));
  return {
    case: {
      id: file.id,
      reference: file.reference,
      title: file.title,
      status: file.status,
      type: TYPE_LABELS[file.type] ?? file.type,
      priority: file.priority,
      organisation: file.organisation,
      organisationHref: `/cases?organisationId=${file.organisation.id}`,
      assignee: file.assignee?.name ?? null,
      legalBasis: file.legalBasis,
      products: file.products,
      tags: file.tags,
      riskFlags: file.riskFlags.map((flag) => RISK_FLAG_LABELS[flag] ?? flag),
      opened: at(file.createdAt),
      closed: at(file.closedAt),
      closeReason: file.closeReason,
      version: file.version,
    },
    allowed,
    canSendInquiry: canWrite && file.allowedActions.some((action) => action.event === 'send_inquiry'),
    canClose: canWrite && file.allowedActions.some((action) => action.event === 'close'),
    canWrite,
    timeline: timeline.map((event) => ({ at: at(event.at), actor: event.actor.label, summary: event.summary })),
    inquiries,
    deadlines: deadlines.map((deadline) => ({
      id: deadline.id,
      href: `/deadlines/${deadline.id}`,
      label: deadline.label,
      kind: kindLabel(deadline.kind),
      status: deadline.status,
      dueDate: deadline.dueDate,
      dueDateText: formatDate(deadline.dueDate, settings),
      dueAt: at(deadline.dueAt),
      rule: describeRule(deadline.rule, deadline.eventAt, settings),
      explanation: deadline.explanation.map((entry) => ({ date: entry.date, dateText: formatDate(entry.date, settings, 'short'), reason: entry.reason, kind: entry.kind })),
    })),
    reminders: reminders.map((reminder) => ({
      deadline: labels.get(reminder.deadlineId) ?? '',
      deadlineHref: `/deadlines/${reminder.deadlineId}`,
      when: describeOffset(reminder.offset),
      audience: AUDIENCE_LABELS[reminder.audience] ?? reminder.audience,
      fireAt: at(reminder.fireAt),
      status: reminder.status,
      note: reminder.note,
    })),
    notes: file.notes.map((note) => ({ author: note.author, at: at(note.createdAt), text: note.text })),
    // Responses and outcomes belong to the decisions context; shown as they come in the case file, when it has them.
    responses: Array.isArray(file.responses) ? (file.responses as Loose[]).map((response) => responseRow(response, settings)) : null,
    outcomes: Array.isArray(file.outcomes) ? (file.outcomes as Loose[]).map((outcome) => outcomeRow(outcome, settings)) : null,
  };
}

function responseRow(response: Loose, settings: DateSettings) {
  const counts = response.assessments && typeof response.assessments === 'object' ? (response.assessments as Record<string, unknown>) : {};
  return {
    received: text(response.receivedAt) ? formatInstant(response.receivedAt as string, settings) : '',
    receivedIso: text(response.receivedAt),
    channel: text(response.channel)?.replace(/_/g, ' ') ?? '',
    summary: text(response.summary) ?? '',
    onTime: response.onTime === true ? 'on time' : response.onTime === false ? 'late' : '',
    assessments: Object.entries(counts)
      .filter(([, count]) => typeof count === 'number' && count > 0)
      .map(([assessment, count]) => `${String(count)} ${assessment.replace(/_/g, ' ')}`)
      .join(', '),
  };
}

function outcomeRow(outcome: Loose, settings: DateSettings) {
  const fine = outcome.fine && typeof outcome.fine === 'object' ? (outcome.fine as Loose) : null;
  return {
    type: text(outcome.type)?.replace(/_/g, ' ') ?? '',
    decided: text(outcome.decidedAt) ? formatInstant(outcome.decidedAt as string, settings) : '',
    decidedIso: text(outcome.decidedAt),
    summary: text(outcome.summary) ?? '',
    fine: fine ? (text(fine.formatted) ?? `${text(fine.amount) ?? ''} ${text(fine.currency) ?? ''}`.trim()) : null,
  };
}
