import { In, type EntityManager } from 'typeorm';
import { Inquiry, type InquiryRecord } from './inquiry.entity.js';

// A reply by e-mail arrives before anything says whose it is: inbound's matching finds its inquiry in any authority.

/** The inquiry whose reply address carries this token. */
export function inquiryOfReplyToken(manager: EntityManager, token: string): Promise<InquiryRecord | null> {
  return manager.findOne(Inquiry, { where: { replyToken: token } });
}

/** The newest inquiry sent as one of these Message-IDs (a reply's In-Reply-To and References). */
export function newestInquiryOfMessages(manager: EntityManager, messageIds: string[]): Promise<InquiryRecord | null> {
  return manager.findOne(Inquiry, { where: { messageId: In(messageIds) }, order: { createdAt: 'DESC' } });
}

/** The newest inquiry of the case (of its authority). */
export function newestInquiryOfCase(
  manager: EntityManager,
  kase: { id: string; authorityId: string },
): Promise<InquiryRecord | null> {
  return manager.findOne(Inquiry, {
    where: { caseId: kase.id, authorityId: kase.authorityId },
    order: { createdAt: 'DESC' },
  });
}
