import { bearer, type Tenant, type TestApp } from './app.js';
import { createCase } from './fixtures.js';

export interface SentInquiry {
  id: string;
  replyTo: string;
  messageId: string;
  caseId: string;
  reference: string;
  deadlineId: string;
  questions: { id: string }[];
}

/** Opens a case against the organisation and sends it the AI inquiry (20 days), waiting until the letter is out. */
export async function sendInquiry(test: TestApp, tenant: Tenant, organisationId: string): Promise<SentInquiry> {
  const kase = await createCase(test, tenant, organisationId);
  const created = await test
    .http()
    .post(`/api/v1/cases/${kase.id}/inquiries`)
    .set(bearer(tenant.tokens.officer))
    .send({
      template: 'ai-inquiry',
      locale: 'en',
      to: ['dpo@provider.example'],
      deadline: { count: 20, unit: 'calendar_days' },
    })
    .expect(202);
  const started = Date.now();
  for (;;) {
    const inquiry = await test
      .http()
      .get(`/api/v1/inquiries/${created.body.id}`)
      .set(bearer(tenant.tokens.officer))
      .expect(200);
    if (inquiry.body.status === 'sent')
      return { ...inquiry.body, caseId: kase.id, reference: kase.reference, deadlineId: inquiry.body.deadline.id };
    if (Date.now() - started > 20000) throw new Error(`inquiry stayed ${inquiry.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The headers and body of a bounce (RFC 3464 delivery status report, 550 5.1.1) of the message `originalMessageId`. */
export function bounceReport(
  originalMessageId: string,
  subject: string,
): { headers: Record<string, string>; body: string } {
  const boundary = 'report-1';
  return {
    headers: {
      From: 'Mail Delivery System <MAILER-DAEMON@mx.provider.example>',
      To: 'protocollo@gpdp.example',
      Subject: subject,
      'Content-Type': `multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    },
    body: [
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.provider.example',
      '',
      'Final-Recipient: rfc822; dpo@provider.example',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${originalMessageId}`,
      'Subject: the inquiry',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  };
}
