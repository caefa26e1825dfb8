import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { InboundService, MailboxPoller, TOO_LARGE_KEYWORD } from '#docket/inbound';
import { JobName, QueueName } from '#docket/platform';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createProvider } from './support/fixtures.js';
import { bounceReport, sendInquiry as sendInquiryTo } from './support/mail-fixtures.js';
import { ImapServer } from './support/imap-server.js';
import { SmtpSink } from './support/smtp-sink.js';

const MAX_BYTES = 64 * 1024;
const AUTHORITY_MAILBOX = 'protocollo@garante.example';

interface Listed {
  id: string;
  subject: string;
  status: string;
  matchedBy: string | null;
  caseId: string | null;
  inquiryId: string | null;
  receivedAt: string;
}

describe('replies taken from an IMAP mailbox (real Dovecot on loopback)', () => {
  let imap: ImapServer;
  let sink: SmtpSink;
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;
  let poller: MailboxPoller;
  let serial = 0;

  const message = (headers: Record<string, string>, body: string) =>
    `${Object.entries({
      'Message-ID': `<imap-${++serial}-${Date.now()}@provider.example>`,
      Date: new Date().toUTCString(),
      'MIME-Version': '1.0',
      From: 'DPO <dpo@provider.example>',
      'Content-Type': 'text/plain; charset=utf-8',
      ...headers,
    })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n')}\r\n\r\n${body}\r\n`;
  const list = async (token: string) =>
    (await test.http().get('/api/v1/inbound').set(bearer(token)).expect(200)).body as Listed[];
  const bySubject = async (token: string, subject: string) =>
    (await list(token)).find((item) => item.subject === subject);
  const seen = async (uid: number) => (await imap.flags()).get(uid)?.has('\\Seen') ?? false;

  const sendInquiry = () => sendInquiryTo(test, gpdp, organisationId);

  beforeAll(async () => {
    imap = await new ImapServer().start();
    sink = await new SmtpSink().start();
    test = await startTestApp({
      env: {
        SMTP_URL: sink.url,
        MAIL_FROM: 'Garante <protocollo@gpdp.example>',
        INBOUND_DOMAINS: 'gpdp.example=GPDP,docket.example',
        INBOUND_MAX_BYTES: String(MAX_BYTES),
        INBOUND_IMAP_URL: imap.url,
        INBOUND_IMAP_AUTHORITY: 'GPDP',
        // Long, so that the tests decide when a poll runs; the one at start-up finds the mailbox empty.
        INBOUND_IMAP_INTERVAL_SECONDS: '3600',
      },
    });
    poller = test.app.get(MailboxPoller);
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    organisationId = await createProvider(test, gpdp.tokens.officer);
  });
  afterAll(async () => {
    await test?.close();
    await sink?.stop();
    await imap?.stop();
  });

  it('schedules the poll on the inbound queue in the worker role, and the scheduled job files what it finds', async () => {
    const queue = test.app.get<Queue>(getQueueToken(QueueName.Inbound), { strict: false });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toEqual([expect.objectContaining({ key: 'poll-mailbox', every: 3_600_000 })]);

    const uid = await imap.deliver(
      message({ To: AUTHORITY_MAILBOX, Subject: 'Picked up by the scheduled job' }, 'Hello.'),
    );
    await queue.add(JobName.PollMailbox, {});
    const started = Date.now();
    while (!(await bySubject(gpdp.tokens.officer, 'Picked up by the scheduled job'))) {
      if (Date.now() - started > 15_000)
        throw new Error(`the poll job filed nothing: ${JSON.stringify(await queue.getJobCounts())}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await seen(uid)).toBe(true);
  });

  it('files a reply to the token address as a draft on its case, received at its arrival in the mailbox, and marks it seen', async () => {
    const inquiry = await sendInquiry();
    const arrived = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * 3600_000);
    const uid = await imap.deliver(
      message(
        { To: inquiry.replyTo, Subject: 'Answers by IMAP', 'In-Reply-To': inquiry.messageId },
        'We answer every question.',
      ),
      'INBOX',
      arrived,
    );
    expect(await seen(uid)).toBe(false);

    expect(await poller.poll()).toEqual({ filed: 1, failed: 0, tooLarge: 0 });
    const draft = await bySubject(gpdp.tokens.officer, 'Answers by IMAP');
    expect(draft).toMatchObject({
      status: 'draft',
      matchedBy: 'token',
      inquiryId: inquiry.id,
      caseId: inquiry.caseId,
      receivedAt: arrived.toISOString(),
    });
    expect(await seen(uid)).toBe(true);
    const file = (await test.http().get(`/api/v1/cases/${inquiry.caseId}`).set(bearer(gpdp.tokens.viewer)).expect(200))
      .body;
    expect(file.inbound).toEqual([expect.objectContaining({ id: draft!.id, status: 'draft' })]);
    expect((await list(pipc.tokens.manager)).some((item) => item.id === draft!.id)).toBe(false);

    // Seen messages are not taken again.
    expect(await poller.poll()).toEqual({ filed: 0, failed: 0, tooLarge: 0 });
    expect((await list(gpdp.tokens.officer)).filter((item) => item.subject === 'Answers by IMAP')).toHaveLength(1);
  });

  it("matches by the case reference in the subject, sends what matches nothing to the mailbox authority's triage inbox, and records bounces on the inquiry", async () => {
    const inquiry = await sendInquiry();
    const byReference = await imap.deliver(
      message({ To: AUTHORITY_MAILBOX, Subject: `Re: ${inquiry.reference} our reply` }, 'See attached.'),
    );
    const unmatched = await imap.deliver(
      message({ To: AUTHORITY_MAILBOX, Subject: 'A complaint about a chatbot' }, 'Please look into this.'),
    );
    const report = bounceReport(inquiry.messageId, 'Delivery Status Notification (Failure)');
    const bounce = await imap.deliver(message(report.headers, report.body));

    expect(await poller.poll()).toEqual({ filed: 3, failed: 0, tooLarge: 0 });
    expect(await bySubject(gpdp.tokens.officer, `Re: ${inquiry.reference} our reply`)).toMatchObject({
      status: 'draft',
      matchedBy: 'reference',
      caseId: inquiry.caseId,
      inquiryId: inquiry.id,
    });
    expect(await bySubject(gpdp.tokens.officer, 'A complaint about a chatbot')).toMatchObject({
      status: 'triage',
      matchedBy: null,
      caseId: null,
    });
    expect(await bySubject(pipc.tokens.manager, 'A complaint about a chatbot')).toBeUndefined();
    expect(await bySubject(gpdp.tokens.officer, 'Delivery Status Notification (Failure)')).toMatchObject({
      status: 'bounce',
      inquiryId: inquiry.id,
    });
    const after = (
      await test.http().get(`/api/v1/inquiries/${inquiry.id}`).set(bearer(gpdp.tokens.officer)).expect(200)
    ).body;
    expect(after.deliveryNotes).toEqual([
      expect.objectContaining({ kind: 'bounce', detail: expect.stringContaining('5.1.1') }),
    ]);
    for (const uid of [byReference, unmatched, bounce]) expect(await seen(uid)).toBe(true);
  });

  it('leaves a message whose filing fails unseen and files it at the next poll, once', async () => {
    const uid = await imap.deliver(
      message({ To: AUTHORITY_MAILBOX, Subject: 'Filed at the second try' }, 'Second time lucky.'),
    );
    const inbound = test.app.get(InboundService);
    const ingest = jest.spyOn(inbound, 'ingest').mockRejectedValueOnce(new Error('database unavailable'));
    try {
      expect(await poller.poll()).toEqual({ filed: 0, failed: 1, tooLarge: 0 });
      expect(await seen(uid)).toBe(false);
      expect(await bySubject(gpdp.tokens.officer, 'Filed at the second try')).toBeUndefined();

      expect(await poller.poll()).toEqual({ filed: 1, failed: 0, tooLarge: 0 });
      expect(await seen(uid)).toBe(true);
      expect(
        (await list(gpdp.tokens.officer)).filter((item) => item.subject === 'Filed at the second try'),
      ).toHaveLength(1);
    } finally {
      ingest.mockRestore();
    }
  });

  it('takes the same message twice (seen flag lost) as one filing', async () => {
    const raw = message({ To: AUTHORITY_MAILBOX, Subject: 'Delivered twice' }, 'Same bytes.');
    await imap.deliver(raw);
    await imap.deliver(raw);
    expect(await poller.poll()).toEqual({ filed: 2, failed: 0, tooLarge: 0 });
    expect((await list(gpdp.tokens.officer)).filter((item) => item.subject === 'Delivered twice')).toHaveLength(1);
  });

  it('does not download a message over the size limit: it stays in the mailbox, unseen and flagged, and later polls skip it', async () => {
    const uid = await imap.deliver(
      message({ To: AUTHORITY_MAILBOX, Subject: 'Far too large' }, 'x'.repeat(MAX_BYTES + 1024)),
    );
    expect(await poller.poll()).toEqual({ filed: 0, failed: 0, tooLarge: 1 });
    const flags = (await imap.flags()).get(uid);
    expect(flags?.has('\\Seen')).toBe(false);
    expect(flags?.has('\\Flagged')).toBe(true);
    expect(flags?.has(TOO_LARGE_KEYWORD)).toBe(true);
    expect(await bySubject(gpdp.tokens.officer, 'Far too large')).toBeUndefined();
    expect(await poller.poll()).toEqual({ filed: 0, failed: 0, tooLarge: 0 });
  });
});
