import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { InboundSmtpListener } from '#docket/inbound';
import { bearer, createTenant, startTestApp, sysadminToken, type Tenant, type TestApp } from './support/app.js';
import { createProvider } from './support/fixtures.js';
import { bounceReport, sendInquiry as sendInquiryTo } from './support/mail-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';

const MAX_BYTES = 64 * 1024;
const RATE = 4;

describe('replies by e-mail (real SMTP into the listener)', () => {
  let sink: SmtpSink;
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;
  let port: number;
  let mailer: Transporter;
  let sender = 0;

  const send = (raw: string, to: string[], from = `dpo${++sender}@provider.example`) =>
    mailer.sendMail({ envelope: { from, to }, raw });
  const message = (headers: Record<string, string>, body: string) =>
    `${Object.entries({
      'Message-ID': `<${Math.random().toString(36).slice(2)}@provider.example>`,
      Date: new Date().toUTCString(),
      'MIME-Version': '1.0',
      ...headers,
    })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n')}\r\n\r\n${body}`;
  const reply = (to: string, subject: string, text: string, extra: Record<string, string> = {}) =>
    message(
      {
        From: 'DPO <dpo@provider.example>',
        To: to,
        Subject: subject,
        'Content-Type': 'text/plain; charset=utf-8',
        ...extra,
      },
      text,
    );
  const list = async (token: string, status?: string) =>
    (
      await test
        .http()
        .get(`/api/v1/inbound${status ? `?status=${status}` : ''}`)
        .set(bearer(token))
        .expect(200)
    ).body as {
      id: string;
      subject: string;
      status: string;
      matchedBy: string | null;
      caseId: string | null;
      inquiryId: string | null;
    }[];
  const bySubject = async (token: string, subject: string) =>
    (await list(token)).find((item) => item.subject === subject);

  const sendInquiry = () => sendInquiryTo(test, gpdp, organisationId);

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({
      env: {
        SMTP_URL: sink.url,
        MAIL_FROM: 'Garante <protocollo@gpdp.example>',
        INBOUND_SMTP_PORT: '0',
        INBOUND_DOMAINS: 'gpdp.example=GPDP,docket.example',
        INBOUND_MAX_BYTES: String(MAX_BYTES),
        INBOUND_RATE_PER_MINUTE: String(RATE),
      },
    });
    port = test.app.get(InboundSmtpListener).port as number;
    mailer = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    gpdp = await createTenant(test, 'GPDP');
    // Test users are created reading English; the assignee told of replies reads Italian.
    await test.http().patch('/api/v1/me').set(bearer(gpdp.tokens.officer)).send({ language: 'it' }).expect(200);
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    organisationId = await createProvider(test, gpdp.tokens.officer);
  });
  afterAll(async () => {
    mailer?.close();
    await test.close();
    await sink.stop();
  });

  it('files a reply to the token address as a draft, sanitised, with evidence, and notifies the assignee; another authority sees nothing', async () => {
    expect(port).toBeGreaterThan(0);
    const inquiry = await sendInquiry();
    const attachment = Buffer.from("%PDF-1.4 the provider's answers");
    const boundary = 'b-1';
    const raw = message(
      {
        From: 'DPO <dpo@provider.example>',
        To: inquiry.replyTo,
        Subject: 'Our answers',
        'In-Reply-To': inquiry.messageId,
        'Content-Type': `multipart/mixed; boundary="${boundary}"`,
      },
      [
        `--${boundary}`,
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p onclick="steal()">We do not operate in Italy.</p><script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">link</a>',
        `--${boundary}`,
        'Content-Type: application/pdf; name="answers.pdf"',
        'Content-Disposition: attachment; filename="answers.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        attachment.toString('base64'),
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    const info = await send(raw, [inquiry.replyTo]);
    expect(info.response).toMatch(/^250 /);

    const drafts = await list(gpdp.tokens.officer, 'draft');
    const draft = drafts.find((item) => item.subject === 'Our answers');
    expect(draft).toMatchObject({ status: 'draft', matchedBy: 'token', inquiryId: inquiry.id, caseId: inquiry.caseId });
    const full = (await test.http().get(`/api/v1/inbound/${draft!.id}`).set(bearer(gpdp.tokens.viewer)).expect(200))
      .body;
    expect(full.html).toContain('We do not operate in Italy.');
    expect(full.html).not.toMatch(/<script|onerror|onclick|javascript:|alert\(/i);
    expect(full.text).toContain('We do not operate in Italy.');
    expect(full.attachments).toEqual([
      {
        filename: 'answers.pdf',
        contentType: 'application/pdf',
        size: attachment.length,
        sha256: createHash('sha256').update(attachment).digest('hex'),
        stored: true,
        // No CLAMD_URL in this test: the file says so, and its authority can download it.
        scan: {
          status: 'not_scanned',
          detail: 'no malware scanner is configured (CLAMD_URL)',
          engine: null,
          scannedAt: null,
        },
        url: `/api/v1/inbound/${full.id}/attachments/0`,
      },
    ]);
    const evidence = await readFile(join(test.runtime.config.DOCKET_DATA_DIR, 'inbound', `${full.raw.sha256}.eml`));
    expect(createHash('sha256').update(evidence).digest('hex')).toBe(full.raw.sha256);
    expect(evidence.length).toBe(full.raw.size);
    expect(evidence.toString()).toContain('<script>alert(1)</script>');

    // Not a response yet: the deadline runs until an officer confirms.
    expect(
      (await test.http().get(`/api/v1/deadlines/${inquiry.deadlineId}`).set(bearer(gpdp.tokens.viewer)).expect(200))
        .body.status,
    ).toBe('pending');
    const file = (await test.http().get(`/api/v1/cases/${inquiry.caseId}`).set(bearer(gpdp.tokens.viewer)).expect(200))
      .body;
    expect(file.inbound).toEqual([expect.objectContaining({ id: draft!.id, status: 'draft' })]);
    expect(file.responses).toEqual([]);
    const notices = await sink.waitFor((received) =>
      received.some(
        (mail) =>
          mail.envelopeTo.includes('officer@gpdp.test') &&
          /Risposta ricevuta: Our answers/.test(mail.parsed.subject ?? ''),
      ),
    );
    expect(notices.length).toBeGreaterThan(0);

    await test.http().get(`/api/v1/inbound/${draft!.id}`).set(bearer(pipc.tokens.manager)).expect(404);
    await test
      .http()
      .post(`/api/v1/inbound/${draft!.id}/confirm`)
      .set(bearer(pipc.tokens.officer))
      .send({ answers: [] })
      .expect(404);
    expect((await list(pipc.tokens.manager)).some((item) => item.id === draft!.id)).toBe(false);
    await test
      .http()
      .post(`/api/v1/inbound/${draft!.id}/confirm`)
      .set(bearer(gpdp.tokens.viewer))
      .send({ answers: [] })
      .expect(403);
  });

  it('confirming a draft records the response received at the arrival, by e-mail, and meets the deadline', async () => {
    const inquiry = await sendInquiry();
    await send(reply(inquiry.replyTo, 'Answers to confirm', 'Here are our answers.'), [inquiry.replyTo]);
    const draft = (await bySubject(gpdp.tokens.officer, 'Answers to confirm'))!;
    const arrived = (await test.http().get(`/api/v1/inbound/${draft.id}`).set(bearer(gpdp.tokens.officer)).expect(200))
      .body.receivedAt as string;
    await new Promise((resolve) => setTimeout(resolve, 50));

    const answers = inquiry.questions.map((question) => ({ questionId: question.id, assessment: 'answered' }));
    const confirmed = await test
      .http()
      .post(`/api/v1/inbound/${draft.id}/confirm`)
      .set(bearer(gpdp.tokens.officer))
      .send({ answers, summary: 'Full answers.' })
      .expect(201);
    expect(confirmed.body.message).toMatchObject({ status: 'confirmed', responseId: confirmed.body.response.id });
    expect(new Date(confirmed.body.response.receivedAt).getTime()).toBe(new Date(arrived).getTime());
    expect(confirmed.body.response).toMatchObject({
      channel: 'email',
      summary: 'Full answers.',
      inquiryId: inquiry.id,
    });
    expect(
      (await test.http().get(`/api/v1/deadlines/${inquiry.deadlineId}`).set(bearer(gpdp.tokens.viewer)).expect(200))
        .body.status,
    ).toBe('met');
    await test
      .http()
      .post(`/api/v1/inbound/${draft.id}/confirm`)
      .set(bearer(gpdp.tokens.officer))
      .send({ answers })
      .expect(409);
    const file = (await test.http().get(`/api/v1/cases/${inquiry.caseId}`).set(bearer(gpdp.tokens.viewer)).expect(200))
      .body;
    expect(file.responses).toHaveLength(1);
  });

  it('matches by the case reference in the subject when the token is missing', async () => {
    const inquiry = await sendInquiry();
    const subject = `Re: case ${inquiry.reference} – our reply`;
    await send(reply('protocollo@gpdp.example', subject, 'Reply without the token.'), ['protocollo@gpdp.example']);
    expect(await bySubject(gpdp.tokens.officer, subject)).toMatchObject({
      status: 'draft',
      matchedBy: 'reference',
      inquiryId: inquiry.id,
      caseId: inquiry.caseId,
    });
  });

  it('puts unmatched mail in the triage inbox of the authority owning the domain, or of the deployment, and files it on request', async () => {
    const inquiry = await sendInquiry();
    await send(reply('protocollo@gpdp.example', 'A question about something', 'No reference here.'), [
      'protocollo@gpdp.example',
    ]);
    const triaged = (await list(gpdp.tokens.officer, 'triage')).find(
      (item) => item.subject === 'A question about something',
    );
    expect(triaged).toMatchObject({ status: 'triage', matchedBy: null, caseId: null, inquiryId: null });

    await send(reply('info@docket.example', 'Unowned mail', 'Nobody owns this domain.'), ['info@docket.example']);
    const admin = await sysadminToken(test);
    const unowned = (await list(admin, 'triage')).find((item) => item.subject === 'Unowned mail');
    expect(unowned).toMatchObject({ status: 'triage' });
    expect(await bySubject(gpdp.tokens.officer, 'Unowned mail')).toBeUndefined();
    await test.http().get(`/api/v1/inbound/${unowned!.id}`).set(bearer(gpdp.tokens.officer)).expect(404);
    await test.http().get(`/api/v1/inbound/${triaged!.id}`).set(bearer(admin)).expect(404);
    await test
      .http()
      .post(`/api/v1/inbound/${unowned!.id}/dismiss`)
      .set(bearer(admin))
      .send({ reason: 'spam' })
      .expect(200);
    await send(reply('info@docket.example', 'For the Garante', 'Please forward.'), ['info@docket.example']);
    const forward = (await list(admin, 'triage')).find((item) => item.subject === 'For the Garante');
    await test
      .http()
      .post(`/api/v1/inbound/${forward!.id}/assign`)
      .set(bearer(admin))
      .send({ authority: 'GPDP' })
      .expect(200);
    expect(await bySubject(gpdp.tokens.officer, 'For the Garante')).toMatchObject({
      id: forward!.id,
      status: 'triage',
    });
    expect((await list(admin)).some((item) => item.id === forward!.id)).toBe(false);

    await test
      .http()
      .post(`/api/v1/inbound/${triaged!.id}/assign`)
      .set(bearer(pipc.tokens.officer))
      .send({ inquiryId: inquiry.id })
      .expect(404);
    const filed = await test
      .http()
      .post(`/api/v1/inbound/${triaged!.id}/assign`)
      .set(bearer(gpdp.tokens.officer))
      .send({ inquiryId: inquiry.id })
      .expect(200);
    expect(filed.body).toMatchObject({
      status: 'draft',
      matchedBy: 'assigned',
      inquiryId: inquiry.id,
      caseId: inquiry.caseId,
    });
    await test
      .http()
      .post(`/api/v1/inbound/${triaged!.id}/assign`)
      .set(bearer(gpdp.tokens.officer))
      .send({ inquiryId: inquiry.id })
      .expect(409);
  });

  it('records bounces and auto-replies on the inquiry, not as responses', async () => {
    const inquiry = await sendInquiry();
    const report = bounceReport(inquiry.messageId, 'Undelivered Mail Returned to Sender');
    const bounce = message(report.headers, report.body);
    await send(bounce, ['protocollo@gpdp.example'], '');
    await send(
      reply(inquiry.replyTo, 'Out of office', 'I am away until Monday.', { 'Auto-Submitted': 'auto-replied' }),
      [inquiry.replyTo],
    );
    await send(reply(inquiry.replyTo, 'Vacation', 'Away.', { 'X-Autoreply': 'yes' }), [inquiry.replyTo]);

    expect(await bySubject(gpdp.tokens.officer, 'Undelivered Mail Returned to Sender')).toMatchObject({
      status: 'bounce',
      matchedBy: 'message_id',
      inquiryId: inquiry.id,
    });
    expect(await bySubject(gpdp.tokens.officer, 'Out of office')).toMatchObject({
      status: 'auto_reply',
      inquiryId: inquiry.id,
    });
    expect(await bySubject(gpdp.tokens.officer, 'Vacation')).toMatchObject({
      status: 'auto_reply',
      inquiryId: inquiry.id,
    });
    const after = (
      await test.http().get(`/api/v1/inquiries/${inquiry.id}`).set(bearer(gpdp.tokens.officer)).expect(200)
    ).body;
    expect(after.deliveryNotes.map((note: { kind: string }) => note.kind)).toEqual([
      'bounce',
      'auto_reply',
      'auto_reply',
    ]);
    expect(after.deliveryNotes[0].detail).toContain('5.1.1');
    const file = (await test.http().get(`/api/v1/cases/${inquiry.caseId}`).set(bearer(gpdp.tokens.viewer)).expect(200))
      .body;
    expect(file.responses).toEqual([]);
    expect(file.status).toBe('awaiting_response');
    expect(
      (await test.http().get(`/api/v1/deadlines/${inquiry.deadlineId}`).set(bearer(gpdp.tokens.viewer)).expect(200))
        .body.status,
    ).toBe('pending');
    await test
      .http()
      .post(`/api/v1/inbound/${(await bySubject(gpdp.tokens.officer, 'Out of office'))!.id}/confirm`)
      .set(bearer(gpdp.tokens.officer))
      .send({ answers: [] })
      .expect(409);
  });

  it('refuses oversize messages, unknown recipient domains and senders over the rate, storing nothing', async () => {
    const before = (await list(gpdp.tokens.manager)).length;
    const big = reply('protocollo@gpdp.example', 'Too big', 'x'.repeat(MAX_BYTES + 1000));
    await expect(send(big, ['protocollo@gpdp.example'])).rejects.toMatchObject({ responseCode: 552 });
    await expect(
      send(reply('someone@elsewhere.example', 'Relay', 'relay me'), ['someone@elsewhere.example']),
    ).rejects.toMatchObject({ responseCode: 550 });

    const flooder = 'flood@provider.example';
    for (let i = 0; i < RATE; i++)
      await send(reply('protocollo@gpdp.example', `Flood ${i}`, `message ${i}`), ['protocollo@gpdp.example'], flooder);
    await expect(
      send(reply('protocollo@gpdp.example', 'Flood over', 'one too many'), ['protocollo@gpdp.example'], flooder),
    ).rejects.toMatchObject({ responseCode: 450 });
    await send(reply('protocollo@gpdp.example', 'Another sender', 'not limited'), ['protocollo@gpdp.example']);

    const subjects = (await list(gpdp.tokens.manager)).map((item) => item.subject);
    expect(subjects).not.toContain('Too big');
    expect(subjects).not.toContain('Flood over');
    expect(subjects).toContain('Another sender');
    expect(subjects.length - before).toBe(RATE + 1);
  });
});
