import { localDateOf } from '#docket/calendar';
import type { DeadlineRecord } from '#docket/deadlines';
import type { Attachment } from './attachment.entity.js';
import { assessmentCounts, followUpQuestionIds, formatFine } from './decision-rules.js';
import type { AttachmentView, DeadlineRefView, OutcomeView, ResponseView } from './dto.js';
import type { Outcome, OutcomeDeadline } from './outcome.entity.js';
import type { ResponseAnswer } from './response-answer.entity.js';
import type { InquiryResponse } from './response.entity.js';

export function deadlineRef(deadline: DeadlineRecord | undefined | null): DeadlineRefView | null {
  return deadline
    ? { id: deadline.id, dueDate: deadline.dueDate, dueAt: deadline.dueAt.toISOString(), status: deadline.status }
    : null;
}

export function attachmentView(attachment: Attachment): AttachmentView {
  return {
    id: attachment.id,
    responseId: attachment.responseId,
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: Number(attachment.size),
    sha256: attachment.sha256,
    url: `/api/v1/attachments/${attachment.id}`,
    scan: {
      status: attachment.scanStatus,
      detail: attachment.scanDetail,
      scannedAt: attachment.scannedAt?.toISOString() ?? null,
    },
    createdBy: attachment.createdBy,
    createdAt: attachment.createdAt.toISOString(),
  };
}

export function responseView(
  response: InquiryResponse,
  parts: {
    answers: ResponseAnswer[];
    attachments: Attachment[];
    deadline?: DeadlineRecord | null;
    questionTexts?: Map<string, string>;
  },
): ResponseView {
  const answers = [...parts.answers].sort((a, b) => a.questionNumber - b.questionNumber);
  return {
    id: response.id,
    caseId: response.caseId,
    inquiryId: response.inquiryId,
    receivedAt: response.receivedAt.toISOString(),
    channel: response.channel,
    summary: response.summary,
    onTime: response.onTime,
    lateByDays: response.lateByDays,
    daysToRespond: response.daysToRespond,
    metDeadline: response.metDeadline,
    deadline: deadlineRef(parts.deadline),
    answers: answers.map((answer) => ({
      questionId: answer.questionId,
      number: answer.questionNumber,
      topic: answer.topic,
      text: parts.questionTexts?.get(answer.questionId) ?? null,
      assessment: answer.assessment,
      note: answer.note,
    })),
    assessments: assessmentCounts(answers),
    followUpQuestionIds: followUpQuestionIds(answers),
    attachments: parts.attachments.map(attachmentView),
    createdBy: response.createdBy,
    createdAt: response.createdAt.toISOString(),
  };
}

export function outcomeView(
  outcome: Outcome,
  links: OutcomeDeadline[],
  deadlines: Map<string, DeadlineRecord>,
  timeZone = 'UTC',
): OutcomeView {
  const mine = links.filter((link) => link.outcomeId === outcome.id).sort((a, b) => a.position - b.position);
  const compliance = mine.find((link) => link.role === 'compliance');
  const amount = outcome.fineAmount === null ? null : Number(outcome.fineAmount);
  return {
    id: outcome.id,
    caseId: outcome.caseId,
    type: outcome.type,
    decidedAt: outcome.decidedAt.toISOString(),
    decidedDate: localDateOf(outcome.decidedAt, timeZone),
    summary: outcome.summary,
    legalBasis: outcome.legalBasis,
    published: outcome.published,
    fine:
      amount !== null && outcome.fineCurrency
        ? { amount, currency: outcome.fineCurrency, formatted: formatFine(amount, outcome.fineCurrency) }
        : null,
    referralTo: outcome.referralTo,
    noticeTo: outcome.noticeTo,
    documentId: outcome.documentId ?? null,
    attachments: outcome.attachments ?? [],
    compliance: compliance ? deadlineRef(deadlines.get(compliance.deadlineId)) : null,
    followUpChecks: mine
      .filter((link) => link.role === 'follow_up_check')
      .flatMap((link) => deadlineRef(deadlines.get(link.deadlineId)) ?? []),
    createdBy: outcome.createdBy,
    createdAt: outcome.createdAt.toISOString(),
  };
}
