import type { InboundAttachment, InboundMessage, InboundStatus } from './inbound-message.entity.js';

export interface InboundView {
  id: string;
  status: InboundStatus;
  matchedBy: string | null;
  caseId: string | null;
  inquiryId: string | null;
  receivedAt: string;
  from: string;
  envelopeFrom: string;
  to: string[];
  subject: string;
  messageId: string | null;
  attachments: InboundAttachment[];
  raw: { sha256: string; size: number };
  responseId: string | null;
  handledBy: string | null;
  handledAt: string | null;
  text?: string;
  /** Sanitised; the raw message is kept as evidence only. */
  html?: string | null;
}

export function inboundView(row: InboundMessage, withBody: boolean): InboundView {
  return {
    id: row.id,
    status: row.status,
    matchedBy: row.matchedBy,
    caseId: row.caseId,
    inquiryId: row.inquiryId,
    receivedAt: row.receivedAt.toISOString(),
    from: row.fromAddress,
    envelopeFrom: row.envelopeFrom,
    to: row.envelopeTo,
    subject: row.subject,
    messageId: row.messageId,
    attachments: row.attachments,
    raw: { sha256: row.rawSha256, size: row.rawSize },
    responseId: row.responseId,
    handledBy: row.handledBy,
    handledAt: row.handledAt?.toISOString() ?? null,
    ...(withBody ? { text: row.textBody, html: row.htmlBody } : {}),
  };
}
