import { t } from '#docket/i18n';
import type { CaseView, TimelineEventView, TimelineMessage } from '#docket/cases';
import type { inquiryView } from '#docket/correspondence';
import { replyPending, type DeadlineRecord, type ReminderRecord } from '#docket/deadlines';
import { ASSESSMENTS, DEFAULTED_NOTE, type OutcomeView, type ResponseView } from '#docket/decisions';
import type { InboundView } from '#docket/inbound';
import { explanationText } from '../explanations.js';
import { timelineText } from '../timeline-lines.js';
import { formatDate, formatInstant, formatMoney, type DateSettings } from '../dates.js';
import { labelsOf } from '../labels.js';
import { AUDIENCE_LABELS, eventLabel, INBOUND_STATUS_LABELS, RISK_FLAG_LABELS, TYPE_LABELS } from './case-labels.js';
import { deadlineLabel, describeOffset, describeRule, kindLabel, reminderNote } from './deadline-rows.js';
import { fileRow } from './file-rows.js';

type InquiryView = ReturnType<typeof inquiryView>;

export interface CaseFileSources {
  file: CaseView;
  timeline: (TimelineEventView & { message?: TimelineMessage | null })[];
  deadlines: DeadlineRecord[];
  reminders: ReminderRecord[];
  settings: DateSettings;
  canWrite: boolean;
  /** Admins and managers may share the case with other authorities. */
  canShare?: boolean;
  /** The start of the text of the case's received e-mails, by message id. */
  inboundPreviews?: Map<string, string>;
}

/** What the case page shows, with every date already in the authority's zone and locale. */
export function caseFileView({
  file,
  timeline,
  deadlines,
  reminders,
  settings,
  canWrite,
  canShare = false,
  inboundPreviews = new Map(),
}: CaseFileSources) {
  const at = (instant: string | Date | null | undefined) =>
    instant
      ? { iso: instant instanceof Date ? instant.toISOString() : instant, text: formatInstant(instant, settings) }
      : null;
  const canRespond = canWrite && file.allowedActions.some((action) => action.event === 'record_response');
  const inquiries = (Array.isArray(file.inquiries) ? (file.inquiries as InquiryView[]) : []).map((inquiry) => ({
    id: inquiry.id,
    respondHref: canRespond ? `/inquiries/${inquiry.id}/responses/new` : null,
    subject: inquiry.subject,
    to: inquiry.to.join(', '),
    cc: inquiry.cc.join(', '),
    status: inquiry.status,
    error: inquiry.lastError,
    questions: inquiry.questions.length,
    template: `${inquiry.template} v${inquiry.templateVersion} (${inquiry.locale})`,
    created: at(inquiry.createdAt),
    sent: at(inquiry.sentAt),
    deadline: inquiry.deadline
      ? {
          href: `/deadlines/${inquiry.deadline.id}`,
          dueDate: inquiry.deadline.dueDate,
          dueDateText: formatDate(inquiry.deadline.dueDate, settings, 'short'),
        }
      : null,
  }));
  const labels = new Map(deadlines.map((deadline) => [deadline.id, deadlineLabel(deadline, settings)]));
  const allowed = file.allowedActions.map((action) => ({
    event: action.event,
    label: eventLabel(action.event),
    to: t(`caseStatus.${action.to}`),
    href: !canWrite
      ? null
      : action.event === 'send_inquiry'
        ? `/cases/${file.id}/inquiries/new`
        : action.event === 'close'
          ? '#close-form'
          : action.event === 'decide'
            ? `/cases/${file.id}/outcomes/new`
            : action.event === 'record_response'
              ? '#inquiries-title'
              : null,
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
      shared: file.sharedForCoordination,
      coordinationHref: `/coordination?organisationId=${file.organisation.id}`,
    },
    canShare: canShare && file.status !== 'closed',
    canDecide: canWrite && file.allowedActions.some((action) => action.event === 'decide'),
    canFollowUp: canWrite && file.allowedActions.some((action) => action.event === 'send_inquiry'),
    allowed,
    canSendInquiry: canWrite && file.allowedActions.some((action) => action.event === 'send_inquiry'),
    canClose: canWrite && file.allowedActions.some((action) => action.event === 'close'),
    canWrite,
    timeline: timeline.map((event) => ({
      at: at(event.at),
      actor: event.actor.label,
      summary: timelineText(event, settings),
    })),
    inquiries,
    deadlines: deadlines.map((deadline) => ({
      id: deadline.id,
      href: `/deadlines/${deadline.id}`,
      label: deadlineLabel(deadline, settings),
      kind: kindLabel(deadline.kind),
      status: deadline.status,
      replyPending: replyPending(deadline),
      dueDate: deadline.dueDate,
      dueDateText: formatDate(deadline.dueDate, settings),
      dueAt: at(deadline.dueAt),
      rule: describeRule(deadline.rule, deadline.eventAt, settings),
      explanation: deadline.explanation.map((entry) => ({
        date: entry.date,
        dateText: formatDate(entry.date, settings, 'short'),
        reason: explanationText(entry, settings),
        kind: entry.kind,
      })),
    })),
    reminders: reminders.map((reminder) => ({
      deadline: labels.get(reminder.deadlineId) ?? '',
      deadlineHref: `/deadlines/${reminder.deadlineId}`,
      when: describeOffset(reminder.offset),
      audience: AUDIENCE_LABELS[reminder.audience] ?? reminder.audience,
      fireAt: at(reminder.fireAt),
      status: reminder.status,
      note: reminderNote(reminder.note),
    })),
    notes: file.notes.map((note) => ({ author: note.author, at: at(note.createdAt), text: note.text })),
    // Responses and outcomes belong to the decisions context; shown as they come in the case file, when it has them.
    responses: Array.isArray(file.responses)
      ? (file.responses as ResponseView[]).map((response) => responseRow(response, settings))
      : null,
    outcomes: Array.isArray(file.outcomes)
      ? (file.outcomes as OutcomeView[]).map((outcome) => outcomeRow(outcome, settings))
      : null,
    // Received e-mails belong to the inbound context; drafts first, each as text only (the HTML is on the message's
    // page).
    inbound: Array.isArray(file.inbound)
      ? inboundRows(file.inbound as InboundView[], inboundPreviews, settings, canWrite)
      : null,
  };
}

const ASSESSMENT_WORDS = labelsOf('assessmentWord.', ASSESSMENTS);

function responseRow(response: ResponseView, settings: DateSettings) {
  const deadlineRef = (ref: { id: string; dueDate: string } | null) =>
    ref
      ? { href: `/deadlines/${ref.id}`, dueDate: ref.dueDate, dueDateText: formatDate(ref.dueDate, settings, 'short') }
      : null;
  return {
    id: response.id,
    received: formatInstant(response.receivedAt, settings),
    receivedIso: response.receivedAt,
    channel: t(`channel.${response.channel}`),
    summary: response.summary,
    timing: !response.metDeadline
      ? t('response.supplement')
      : response.onTime
        ? t('response.onTime')
        : t('response.late', { days: response.lateByDays ?? 0 }),
    late: response.metDeadline && !response.onTime,
    daysToRespond: response.daysToRespond,
    deadline: deadlineRef(response.deadline),
    answers: response.answers.map((answer) => ({
      number: answer.number,
      text: answer.text ?? answer.questionId,
      assessment: answer.assessment,
      assessmentText: ASSESSMENT_WORDS[answer.assessment] ?? answer.assessment,
      // The note Docket writes on a question left without assessment, in the reader's language.
      note: answer.note === DEFAULTED_NOTE ? t('response.defaultedNote') : answer.note,
    })),
    counts: Object.entries(response.assessments)
      .filter(([, count]) => count > 0)
      .map(([assessment, count]) =>
        t('response.count', { count, assessment: ASSESSMENT_WORDS[assessment] ?? assessment }),
      )
      .join(', '),
    openQuestions: response.followUpQuestionIds.length,
    // Each file with its type, size, SHA-256 and scan; it opens under the session unless quarantined.
    attachments: response.attachments.map((attachment) =>
      fileRow(attachment, attachment.scan.status === 'infected' ? null : `/attachments/${attachment.id}`),
    ),
    recordedBy: response.createdBy,
  };
}

function outcomeRow(outcome: OutcomeView, settings: DateSettings) {
  const deadlineRef = (ref: { id: string; dueDate: string; status: string } | null) =>
    ref
      ? {
          href: `/deadlines/${ref.id}`,
          dueDate: ref.dueDate,
          dueDateText: formatDate(ref.dueDate, settings, 'short'),
          status: ref.status,
        }
      : null;
  return {
    id: outcome.id,
    type: t(`outcomeType.${outcome.type}`),
    typeKey: outcome.type,
    decided: formatInstant(outcome.decidedAt, settings),
    decidedIso: outcome.decidedAt,
    summary: outcome.summary,
    legalBasis: outcome.legalBasis,
    published: outcome.published,
    fine: outcome.fine ? formatMoney(outcome.fine.amount, outcome.fine.currency, settings) : null,
    referralTo: outcome.referralTo,
    noticeTo: outcome.noticeTo,
    compliance: deadlineRef(outcome.compliance),
    checks: outcome.followUpChecks.map(deadlineRef),
    recordedBy: outcome.createdBy,
  };
}

function inboundRows(
  messages: InboundView[],
  previews: Map<string, string>,
  settings: DateSettings,
  canWrite: boolean,
) {
  const rows = messages.map((message) => ({
    id: message.id,
    href: `/inbox/${message.id}`,
    confirmHref: canWrite && message.status === 'draft' ? `/inbox/${message.id}/confirm` : null,
    from: message.from,
    subject: message.subject || t('replies.noSubject'),
    status: message.status,
    statusText: INBOUND_STATUS_LABELS[message.status] ?? message.status,
    draft: message.status === 'draft',
    received: formatInstant(message.receivedAt, settings),
    receivedIso: message.receivedAt,
    preview: previews.get(message.id) ?? '',
    attachments: message.attachments.length,
    files: message.attachments.map((attachment, index) =>
      fileRow(attachment, attachment.url ? `/inbox/${message.id}/attachments/${index}` : null),
    ),
  }));
  return [...rows.filter((row) => row.draft), ...rows.filter((row) => !row.draft)];
}
