import type { DeadlineRecord } from '#docket/deadlines';
import type { OutboundMessageRecord } from '#docket/mailing';
import type { Inquiry } from './inquiry.entity.js';
import type { TemplateDefinition } from './templating/index.js';

export function inquiryView(inquiry: Inquiry, deadline?: DeadlineRecord | null) {
  return {
    id: inquiry.id,
    caseId: inquiry.caseId,
    status: inquiry.status,
    template: inquiry.templateKey,
    templateVersion: inquiry.templateVersion,
    locale: inquiry.locale,
    to: inquiry.to,
    cc: inquiry.cc,
    replyTo: inquiry.replyTo,
    subject: inquiry.subject,
    questions: inquiry.questions,
    documentId: inquiry.documentId ?? null,
    attachments: inquiry.attachments ?? [],
    sentAt: inquiry.sentAt?.toISOString() ?? null,
    messageId: inquiry.messageId,
    smtpResponse: inquiry.smtpResponse,
    lastError: inquiry.lastError,
    deliveryNotes: inquiry.deliveryNotes ?? [],
    createdAt: inquiry.createdAt.toISOString(),
    createdBy: inquiry.createdBy,
    deadline: deadline
      ? { id: deadline.id, dueDate: deadline.dueDate, dueAt: deadline.dueAt.toISOString(), status: deadline.status }
      : null,
  };
}

export function templateView(
  template: TemplateDefinition,
  bank: { questions: { id: string; topic: string; text: Record<string, string> }[] },
) {
  return {
    key: template.key,
    version: template.version,
    kind: template.kind,
    description: template.description,
    locales: template.locales,
    defaultQuestionIds: template.defaultQuestionIds,
    defaultReminders: template.defaultReminders,
    questions:
      template.kind === 'inquiry'
        ? bank.questions.map((q) => ({
            id: q.id,
            topic: q.topic,
            text: q.text.en ?? Object.values(q.text)[0],
            default: template.defaultQuestionIds.includes(q.id),
          }))
        : [],
  };
}

export function outboxView(message: OutboundMessageRecord, withBody = false) {
  return {
    id: message.id,
    kind: message.kind,
    caseId: message.caseId,
    to: message.to,
    cc: message.cc,
    subject: message.subject,
    status: message.status,
    attempts: message.attempts,
    lastError: message.lastError,
    messageId: message.messageId,
    smtpResponse: message.smtpResponse,
    createdAt: message.createdAt.toISOString(),
    sentAt: message.sentAt?.toISOString() ?? null,
    waitingSince: message.status === 'waiting' ? (message.waitingSince?.toISOString() ?? null) : null,
    nextAttemptAt: message.status === 'waiting' ? message.nextAttemptAt.toISOString() : null,
    accepted: message.accepted,
    refused: message.refused,
    partOf: message.parentId,
    envelopeTo: message.envelopeTo,
    resends: message.resends,
    ...(withBody ? { html: message.html, text: message.text, replyTo: message.replyTo } : {}),
  };
}
