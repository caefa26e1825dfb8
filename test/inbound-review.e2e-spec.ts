import nodemailer, { type Transporter } from 'nodemailer';
import { Reconciler } from '#docket/deadlines';
import { InboundSmtpListener } from '#docket/inbound';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createProvider } from './support/fixtures.js';
import { sendInquiry as sendInquiryTo } from './support/mail-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';

interface ReminderRow {
  offset: string;
  audience: string;
  status: string;
  fireAt: string;
  note: string | null;
}

const PUBLIC_URL = 'https://docket.gpdp.example';
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

interface Review {
  total: number;
  items: {
    id: string;
    caseId: string;
    caseReference: string;
    caseTitle: string;
    subject: string;
    from: string;
    receivedAt: string;
  }[];
}

describe('replies by e-mail are seen (real SMTP into the listener)', () => {
  let sink: SmtpSink;
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;
  let mailer: Transporter;

  const reply = (to: string, subject: string, text: string) =>
    [
      `Message-ID: <${Math.random().toString(36).slice(2)}@provider.example>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'From: DPO <dpo@provider.example>',
      `To: ${to}`,
      `Subject: ${subject}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
    ].join('\r\n');
  const send = (raw: string, to: string) =>
    mailer.sendMail({ envelope: { from: 'dpo@provider.example', to: [to] }, raw });
  const deadlineOf = async (id: string) =>
    (await test.http().get(`/api/v1/deadlines/${id}`).set(bearer(gpdp.tokens.viewer)).expect(200)).body as {
      status: string;
      replyPending: boolean;
      replyPendingSince: string | null;
      reminders: ReminderRow[];
    };
  const statuses = (reminders: ReminderRow[]) =>
    reminders.map((reminder) => `${reminder.audience} ${reminder.offset} ${reminder.status}`);
  const draftOf = async (subject: string) =>
    (
      (await test.http().get('/api/v1/inbound?status=draft').set(bearer(gpdp.tokens.officer)).expect(200)).body as {
        id: string;
        subject: string;
      }[]
    ).find((item) => item.subject === subject);
  /** An inquiry due in `dueInSeconds` with the given reminder plan, once its letter is out. */
  const inquiryWith = async (dueInSeconds: number, reminders: { offset: string; audience: string }[]) => {
    const kase = (
      await test
        .http()
        .post('/api/v1/cases')
        .set(bearer(gpdp.tokens.officer))
        .send({ organisationId, title: 'Chatbot training data', type: 'ex_officio', assigneeId: gpdp.userIds.officer })
        .expect(201)
    ).body as { id: string; reference: string };
    const created = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'en',
        to: ['dpo@provider.example'],
        deadline: { dueAt: inSeconds(dueInSeconds) },
        reminders,
      })
      .expect(202);
    await sink.waitFor((received) =>
      received.some(
        (mail) =>
          mail.envelopeTo.includes('dpo@provider.example') && (mail.parsed.subject ?? '').includes(kase.reference),
      ),
    );
    const inquiry = (
      await test.http().get(`/api/v1/inquiries/${created.body.id}`).set(bearer(gpdp.tokens.officer)).expect(200)
    ).body as { id: string; replyTo: string; questions: { id: string }[]; deadline: { id: string } };
    return { ...inquiry, caseId: kase.id, reference: kase.reference, deadlineId: inquiry.deadline.id };
  };
  /** Mails to the provider about a case after its inquiry letter: the chasers. */
  const chasers = (reference: string) =>
    sink
      .to('dpo@provider.example')
      .filter((mail) => (mail.parsed.subject ?? '').includes(reference))
      .slice(1);
  /** The assignee's notices of a reply (in the authority's language: GPDP writes Italian). */
  const notices = (subject: string) =>
    sink
      .to('officer@gpdp.test')
      .filter((mail) => (mail.parsed.subject ?? '').endsWith(`Risposta ricevuta: ${subject}`));

  const review = async (token: string, query = '') =>
    (await test.http().get(`/api/v1/inbound/replies-to-review${query}`).set(bearer(token)).expect(200)).body as Review;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({
      env: {
        SMTP_URL: sink.url,
        MAIL_FROM: 'Garante <protocollo@gpdp.example>',
        INBOUND_SMTP_PORT: '0',
        INBOUND_DOMAINS: 'gpdp.example=GPDP',
        PUBLIC_URL,
      },
    });
    mailer = nodemailer.createTransport({
      host: '127.0.0.1',
      port: test.app.get(InboundSmtpListener).port as number,
      secure: false,
      ignoreTLS: true,
    });
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
    await test?.close();
    await sink?.stop();
  });

  it('lists the drafts waiting for review with their case, by assignee, counted in total, scoped to the authority', async () => {
    const first = await sendInquiryTo(test, gpdp, organisationId);
    const second = await sendInquiryTo(test, gpdp, organisationId);
    const version = (
      await test.http().get(`/api/v1/cases/${second.caseId}`).set(bearer(gpdp.tokens.manager)).expect(200)
    ).body.version as number;
    await test
      .http()
      .patch(`/api/v1/cases/${second.caseId}`)
      .set(bearer(gpdp.tokens.manager))
      .set('if-match', String(version))
      .send({ assigneeId: gpdp.userIds.manager })
      .expect(200);
    const before = await review(gpdp.tokens.officer);
    await send(reply(first.replyTo, 'Review one', 'Our answers.'), first.replyTo);
    await send(reply(second.replyTo, 'Review two', 'More answers.'), second.replyTo);

    const all = await review(gpdp.tokens.viewer, '?limit=50');
    expect(all.total).toBe(before.total + 2);
    const one = all.items.find((item) => item.subject === 'Review one');
    expect(one).toMatchObject({
      caseId: first.caseId,
      caseReference: first.reference,
      caseTitle: 'Processing of personal data by an AI chatbot',
      from: '"DPO" <dpo@provider.example>',
    });
    expect(new Date(one!.receivedAt).toISOString()).toBe(one!.receivedAt);

    const limited = await review(gpdp.tokens.officer, '?limit=1');
    expect(limited).toMatchObject({ total: all.total });
    expect(limited.items).toHaveLength(1);
    expect((await review(gpdp.tokens.officer, '?limit=0')).items).toEqual([]);

    const mine = await review(gpdp.tokens.officer, `?assigneeId=${gpdp.userIds.officer}&limit=50`);
    expect(mine.items.some((item) => item.subject === 'Review one')).toBe(true);
    expect(mine.items.some((item) => item.subject === 'Review two')).toBe(false);
    expect(mine.total).toBe(all.total - 1);
    expect(
      (await review(gpdp.tokens.manager, `?assigneeId=${gpdp.userIds.manager}`)).items.map((item) => item.subject),
    ).toEqual(['Review two']);

    expect(await review(pipc.tokens.manager, '?limit=50')).toEqual({ total: 0, items: [] });
    await test.http().get('/api/v1/inbound/replies-to-review?limit=101').set(bearer(gpdp.tokens.officer)).expect(400);
    await test
      .http()
      .get('/api/v1/inbound/replies-to-review?assigneeId=nope')
      .set(bearer(gpdp.tokens.officer))
      .expect(400);

    // Dismissed: no longer waiting.
    await test.http().post(`/api/v1/inbound/${one!.id}/dismiss`).set(bearer(gpdp.tokens.officer)).send({}).expect(200);
    expect((await review(gpdp.tokens.officer, '?limit=50')).items.some((item) => item.id === one!.id)).toBe(false);
  });

  it('a reply notifies the assignee once, holds the chasers (not the staff reminders), and its dismissal resumes them', async () => {
    // Chaser at +8 s, officer's reminder at +14 s, chaser at +26 s, due at +32 s.
    const inquiry = await inquiryWith(32, [
      { offset: '-PT24S', audience: 'respondent' },
      { offset: '-PT18S', audience: 'assignee' },
      { offset: '-PT6S', audience: 'respondent' },
    ]);
    const raw = reply(inquiry.replyTo, 'Held answers', 'Our answers are attached.');
    expect((await send(raw, inquiry.replyTo)).response).toMatch(/^250 /);
    const draft = (await draftOf('Held answers'))!;

    const held = await deadlineOf(inquiry.deadlineId);
    expect(held).toMatchObject({ status: 'pending', replyPending: true });
    expect(statuses(held.reminders)).toEqual([
      'respondent -PT24S held',
      'assignee -PT18S scheduled',
      'respondent -PT6S held',
    ]);

    // The assignee's notice: rendered from the template, linking to the message at the public URL.
    await sink.waitFor(() => notices('Held answers').length === 1);
    const mail = notices('Held answers')[0];
    expect(mail.parsed.subject).toBe(`[${inquiry.reference}] Risposta ricevuta: Held answers`);
    expect(mail.parsed.text).toContain(`${PUBLIC_URL}/inbox/${draft.id}`);
    expect(mail.parsed.html).toContain(`href="${PUBLIC_URL}/inbox/${draft.id}"`);
    // Delivered again (the same bytes, then with a relay's extra header): still one draft per bytes, one notice.
    await send(raw, inquiry.replyTo);
    await send(`Received: from relay.provider.example by mx.gpdp.example\r\n${raw}`, inquiry.replyTo);

    // A whole reconciliation pass neither sends nor revives a held chaser.
    await test.app.get(Reconciler).reconcile(Infinity);
    expect(statuses((await deadlineOf(inquiry.deadlineId)).reminders)).toEqual([
      'respondent -PT24S held',
      'assignee -PT18S scheduled',
      'respondent -PT6S held',
    ]);

    // The staff reminder runs; by the time it arrives the first chaser's time has passed, unsent.
    await sink.waitFor(
      () =>
        sink
          .to('officer@gpdp.test')
          .some(
            (m) =>
              (m.parsed.subject ?? '').includes(inquiry.reference) &&
              !(m.parsed.subject ?? '').includes('Risposta ricevuta'),
          ),
      30000,
    );
    const afterStaff = await deadlineOf(inquiry.deadlineId);
    expect(new Date(afterStaff.reminders[0].fireAt).getTime()).toBeLessThan(Date.now());
    expect(statuses(afterStaff.reminders)).toEqual([
      'respondent -PT24S held',
      'assignee -PT18S sent',
      'respondent -PT6S held',
    ]);
    expect(chasers(inquiry.reference)).toHaveLength(0);
    expect(notices('Held answers')).toHaveLength(1);
    expect(
      (await review(gpdp.tokens.officer, '?limit=100')).items.filter((item) => item.subject === 'Held answers'),
    ).toHaveLength(2);

    // Dismissing one copy keeps them held (the other still awaits); dismissing the last resumes them: the chaser
    // whose time passed goes at once, the later one keeps its time.
    const copies = (await review(gpdp.tokens.officer, '?limit=100')).items.filter(
      (item) => item.subject === 'Held answers',
    );
    await test
      .http()
      .post(`/api/v1/inbound/${copies[0].id}/dismiss`)
      .set(bearer(gpdp.tokens.officer))
      .send({ reason: 'duplicate' })
      .expect(200);
    expect((await deadlineOf(inquiry.deadlineId)).replyPending).toBe(true);
    await test
      .http()
      .post(`/api/v1/inbound/${copies[1].id}/dismiss`)
      .set(bearer(gpdp.tokens.officer))
      .send({ reason: 'not an answer: an out-of-office text' })
      .expect(200);
    const resumed = await deadlineOf(inquiry.deadlineId);
    expect(resumed).toMatchObject({ replyPending: false, replyPendingSince: null });
    expect(resumed.reminders[2].status).toBe('scheduled');
    await sink.waitFor(() => chasers(inquiry.reference).length === 1, 15000);
    const sentFirst = await deadlineOf(inquiry.deadlineId);
    expect(statuses(sentFirst.reminders)).toEqual([
      'respondent -PT24S sent',
      'assignee -PT18S sent',
      'respondent -PT6S scheduled',
    ]);
    expect((await test.app.get(Reconciler).reconcile(Infinity)).remindersRequeued).toBe(0);
    await sink.waitFor(() => chasers(inquiry.reference).length === 2, 30000);
    expect(statuses((await deadlineOf(inquiry.deadlineId)).reminders)).toEqual([
      'respondent -PT24S sent',
      'assignee -PT18S sent',
      'respondent -PT6S sent',
    ]);
  }, 90_000);

  it('confirming the reply meets the deadline and cancels the held chasers', async () => {
    const inquiry = await inquiryWith(3600, [
      { offset: '-PT30M', audience: 'respondent' },
      { offset: '-PT10M', audience: 'assignee' },
    ]);
    await send(reply(inquiry.replyTo, 'Answers to meet it', 'All answers.'), inquiry.replyTo);
    const draft = (await draftOf('Answers to meet it'))!;
    expect(statuses((await deadlineOf(inquiry.deadlineId)).reminders)).toEqual([
      'respondent -PT30M held',
      'assignee -PT10M scheduled',
    ]);
    const answers = inquiry.questions.map((question) => ({ questionId: question.id, assessment: 'answered' }));
    await test
      .http()
      .post(`/api/v1/inbound/${draft.id}/confirm`)
      .set(bearer(gpdp.tokens.officer))
      .send({ answers })
      .expect(201);
    const met = await deadlineOf(inquiry.deadlineId);
    expect(met).toMatchObject({ status: 'met', replyPending: false });
    expect(statuses(met.reminders)).toEqual(['respondent -PT30M cancelled', 'assignee -PT10M cancelled']);
    expect((await review(gpdp.tokens.officer, '?limit=100')).items.some((item) => item.id === draft.id)).toBe(false);
  });

  it('files a reply quoting the case reference as an extension request: evidence on the case, chasers resume, the deadline to extend', async () => {
    const inquiry = await inquiryWith(3600, [{ offset: '-PT30M', audience: 'respondent' }]);
    const subject = `Re: ${inquiry.reference} – request for more time`;
    await send(
      reply(
        'protocollo@gpdp.example',
        subject,
        'We need four more weeks to collect the answers from our engineering team.',
      ),
      'protocollo@gpdp.example',
    );
    const draft = (await draftOf(subject))!;
    expect(draft).toBeDefined();
    expect((await deadlineOf(inquiry.deadlineId)).replyPending).toBe(true);

    await test.http().post(`/api/v1/inbound/${draft.id}/extension-request`).set(bearer(gpdp.tokens.viewer)).expect(403);
    const filed = await test
      .http()
      .post(`/api/v1/inbound/${draft.id}/extension-request`)
      .set(bearer(gpdp.tokens.officer))
      .expect(200);
    expect(filed.body).toMatchObject({
      deadlineId: inquiry.deadlineId,
      message: { id: draft.id, status: 'extension_request', caseId: inquiry.caseId },
    });
    await test
      .http()
      .post(`/api/v1/inbound/${draft.id}/extension-request`)
      .set(bearer(gpdp.tokens.officer))
      .expect(409);
    await test
      .http()
      .post(`/api/v1/inbound/${draft.id}/confirm`)
      .set(bearer(gpdp.tokens.officer))
      .send({ answers: [] })
      .expect(409);

    const deadline = await deadlineOf(inquiry.deadlineId);
    expect(deadline).toMatchObject({ status: 'pending', replyPending: false });
    expect(statuses(deadline.reminders)).toEqual(['respondent -PT30M scheduled']);
    const file = (await test.http().get(`/api/v1/cases/${inquiry.caseId}`).set(bearer(gpdp.tokens.viewer)).expect(200))
      .body;
    expect(file.responses).toEqual([]);
    expect(file.inbound).toEqual([expect.objectContaining({ id: draft.id, status: 'extension_request' })]);
    expect((await review(gpdp.tokens.officer, '?limit=100')).items.some((item) => item.id === draft.id)).toBe(false);

    const extended = await test
      .http()
      .post(`/api/v1/deadlines/${inquiry.deadlineId}/extend`)
      .set(bearer(gpdp.tokens.officer))
      .send({ count: 28, unit: 'calendar_days', reason: 'extension requested by e-mail' })
      .expect(200);
    expect(extended.body.status).toBe('pending');
  });
});
