import nodemailer, { type Transporter } from 'nodemailer';
import { InboundSmtpListener } from '#docket/inbound';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createProvider } from './support/fixtures.js';
import { sendInquiry as sendInquiryTo } from './support/mail-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';

interface Review {
  total: number;
  items: { id: string; caseId: string; caseReference: string; caseTitle: string; subject: string; from: string; receivedAt: string }[];
}

describe('replies by e-mail are seen (real SMTP into the listener)', () => {
  let sink: SmtpSink;
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;
  let mailer: Transporter;

  const reply = (to: string, subject: string, text: string) =>
    [`Message-ID: <${Math.random().toString(36).slice(2)}@provider.example>`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', 'From: DPO <dpo@provider.example>', `To: ${to}`, `Subject: ${subject}`, 'Content-Type: text/plain; charset=utf-8', '', text].join('\r\n');
  const send = (raw: string, to: string) => mailer.sendMail({ envelope: { from: 'dpo@provider.example', to: [to] }, raw });
  const review = async (token: string, query = '') => (await test.http().get(`/api/v1/inbound/replies-to-review${query}`).set(bearer(token)).expect(200)).body as Review;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Garante <protocollo@gpdp.example>', INBOUND_SMTP_PORT: '0', INBOUND_DOMAINS: 'gpdp.example=GPDP' } });
    mailer = nodemailer.createTransport({ host: '127.0.0.1', port: test.app.get(InboundSmtpListener).port as number, secure: false, ignoreTLS: true });
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', { country: 'KR', timezone: 'Asia/Seoul', locale: 'ko-KR', holidayRegion: 'KR' });
    organisationId = await createProvider(test, gpdp.tokens.officer);
  });
  afterAll(async () => {
    mailer?.close();
    await test?.close();
    await sink?.stop();
  });

  it('lists the drafts waiting for review with their case, by assignee, counted in total, scoped to the authority', async () => {
    const first = await sendInquiryTo(test, gpdp, organisationId);
    const second = await sendInquiryTo(test, gpdp, organisationId);
    const version = (await test.http().get(`/api/v1/cases/${second.caseId}`).set(bearer(gpdp.tokens.manager)).expect(200)).body.version as number;
    await test.http().patch(`/api/v1/cases/${second.caseId}`).set(bearer(gpdp.tokens.manager)).set('if-match', String(version)).send({ assigneeId: gpdp.userIds.manager }).expect(200);
    const before = await review(gpdp.tokens.officer);
    await send(reply(first.replyTo, 'Review one', 'Our answers.'), first.replyTo);
    await send(reply(second.replyTo, 'Review two', 'More answers.'), second.replyTo);

    const all = await review(gpdp.tokens.viewer, '?limit=50');
    expect(all.total).toBe(before.total + 2);
    const one = all.items.find((item) => item.subject === 'Review one');
    expect(one).toMatchObject({ caseId: first.caseId, caseReference: first.reference, caseTitle: 'Processing of personal data by an AI chatbot', from: '"DPO" <dpo@provider.example>' });
    expect(new Date(one!.receivedAt).toISOString()).toBe(one!.receivedAt);

    const limited = await review(gpdp.tokens.officer, '?limit=1');
    expect(limited).toMatchObject({ total: all.total });
    expect(limited.items).toHaveLength(1);
    expect((await review(gpdp.tokens.officer, '?limit=0')).items).toEqual([]);

    const mine = await review(gpdp.tokens.officer, `?assigneeId=${gpdp.userIds.officer}&limit=50`);
    expect(mine.items.some((item) => item.subject === 'Review one')).toBe(true);
    expect(mine.items.some((item) => item.subject === 'Review two')).toBe(false);
    expect(mine.total).toBe(all.total - 1);
    expect((await review(gpdp.tokens.manager, `?assigneeId=${gpdp.userIds.manager}`)).items.map((item) => item.subject)).toEqual(['Review two']);

    expect(await review(pipc.tokens.manager, '?limit=50')).toEqual({ total: 0, items: [] });
    await test.http().get('/api/v1/inbound/replies-to-review?limit=101').set(bearer(gpdp.tokens.officer)).expect(400);
    await test.http().get('/api/v1/inbound/replies-to-review?assigneeId=nope').set(bearer(gpdp.tokens.officer)).expect(400);

    // Dismissed: no longer waiting.
    await test.http().post(`/api/v1/inbound/${one!.id}/dismiss`).set(bearer(gpdp.tokens.officer)).send({}).expect(200);
    expect((await review(gpdp.tokens.officer, '?limit=50')).items.some((item) => item.id === one!.id)).toBe(false);
  });
});
