import type { ScanVerdict } from '#docket/scanning';
import type { InboundAttachment, InboundMessage, InboundStatus } from './inbound-message.entity.js';

const NOT_SCANNED_BEFORE: ScanVerdict = {
  status: 'not_scanned',
  detail: 'received before malware scanning was in place',
  engine: null,
  scannedAt: null,
};

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
  attachments: (InboundAttachment & { url: string | null; scan: ScanVerdict })[];
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
    attachments: row.attachments.map((attachment, index) => ({
      ...attachment,
      scan: attachment.scan ?? NOT_SCANNED_BEFORE,
      // Only what was kept and is not quarantined can be downloaded.
      url:
        attachment.stored && attachment.scan?.status !== 'infected'
          ? `/api/v1/inbound/${row.id}/attachments/${index}`
          : null,
    })),
    raw: { sha256: row.rawSha256, size: row.rawSize },
    responseId: row.responseId,
    handledBy: row.handledBy,
    handledAt: row.handledAt?.toISOString() ?? null,
    ...(withBody ? { text: row.textBody, html: row.htmlBody } : {}),
  };
}
