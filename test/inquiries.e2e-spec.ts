import { DataSource } from 'typeorm';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';
import { pdfText } from './support/pdf.js';
import { SmtpSink } from './support/smtp-sink.js';

async function count(test: TestApp, table: string): Promise<number> {
  const [row] = await test.app.get(DataSource).query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n as number;
}

async function waitForInquiry(test: TestApp, token: string, id: string, status: string, timeoutMs = 20000) {
  const started = Date.now();
  for (;;) {
    const response = await test.http().get(`/api/v1/inquiries/${id}`).set(bearer(token)).expect(200);
    if (response.body.status === status) return response.body;
    if (Date.now() - started > timeoutMs) throw new Error(`inquiry stayed ${response.body.status}, expected ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('inquiries sent by e-mail (real SMTP on loopback)', () => {
  let sink: SmtpSink;
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Garante <protocollo@gpdp.example>' } });
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
    await test.close();
    await sink.stop();
  });

  it('lists the templates with their questions', async () => {
    const response = await test.http().get('/api/v1/templates').set(bearer(gpdp.tokens.viewer)).expect(200);
    const inquiry = response.body.find((t: { key: string }) => t.key === 'ai-inquiry');
    expect(inquiry).toMatchObject({ version: 2, kind: 'inquiry' });
    expect([...inquiry.locales].sort()).toEqual(['de', 'en', 'fr', 'it', 'ja', 'ko', 'nl']);
    expect(inquiry.questions.map((q: { id: string }) => q.id)).toContain('ai.training_use.prompts');
  });

  it('previews, sends an Italian inquiry, records the delivery and moves the case', async () => {
    const kase = await createCase(test, gpdp, organisationId);
    const questionIds = ['ai.collection.categories', 'ai.sources.origin', 'ai.storage_location.countries'];
    const preview = await test
      .http()
      .post('/api/v1/templates/ai-inquiry/preview')
      .set(bearer(gpdp.tokens.officer))
      .send({ caseId: kase.id, locale: 'it', questionIds, deadline: { count: 20, unit: 'calendar_days' } })
      .expect(200);
    expect(preview.body.subject).toContain(kase.reference);

    const created = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'it',
        to: ['dpo@provider.example'],
        cc: ['legal@provider.example'],
        questionIds,
        deadline: { count: 20, unit: 'calendar_days' },
      })
      .expect(202);
    expect(created.body).toMatchObject({
      status: 'queued',
      deadline: { dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    });
    expect(created.body.subject).toBe(preview.body.subject);

    const sent = await waitForInquiry(test, gpdp.tokens.officer, created.body.id, 'sent');
    expect(sent.messageId).toMatch(/^<.+>$/);
    expect(sent.sentAt).toBeTruthy();
    // The delivery is in the case's timeline: recorded for the inquiry's case and authority.
    expect(
      await test.app
        .get(DataSource)
        .query(`SELECT authority_id, case_id FROM audit_events WHERE action = 'inquiry.sent' AND entity_id = $1`, [
          created.body.id,
        ]),
    ).toEqual([{ authority_id: gpdp.authorityId, case_id: kase.id }]);

    const [mail] = await sink.waitFor((received) => received.length >= 1);
    expect(mail.envelopeTo.sort()).toEqual(['dpo@provider.example', 'legal@provider.example']);
    expect(mail.parsed.messageId).toBe(sent.messageId);
    expect(mail.parsed.subject).toBe(sent.subject);
    expect(mail.parsed.replyTo?.text).toMatch(/^reply\+[A-Za-z0-9]+@gpdp\.example$/);
    const formatted = new Intl.DateTimeFormat('it-IT', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/Rome',
    }).format(new Date(`${created.body.deadline.dueDate}T12:00:00Z`));
    // The body is a cover note naming the reference and the due date; the letter is the attached PDF.
    for (const body of [mail.parsed.text ?? '', mail.parsed.html || '']) {
      expect(body).toContain(kase.reference);
      expect(body).toContain(formatted);
    }
    expect(mail.parsed.text).not.toMatch(/<\/?(p|div|li|ol)\b/);
    const pdf = mail.parsed.attachments.find((attachment) => attachment.contentType === 'application/pdf');
    const letterText = pdfText(pdf?.content as Buffer);
    expect(letterText).toContain(kase.reference);
    expect(letterText).toContain(formatted);
    for (const question of sent.questions) expect(letterText).toContain(question.text.slice(0, 30));

    const file = await test.http().get(`/api/v1/cases/${kase.id}`).set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(file.body.status).toBe('awaiting_response');
    expect(file.body.inquiries).toEqual([expect.objectContaining({ id: created.body.id, status: 'sent' })]);
    const deadline = await test
      .http()
      .get(`/api/v1/deadlines/${created.body.deadline.id}`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    expect(
      deadline.body.reminders.map((r: { offset: string; audience: string }) => `${r.offset}/${r.audience}`),
    ).toEqual(['-P5WD@09:00/assignee', '-P1WD@09:00/assignee', 'P1WD@09:00/manager', 'P3WD@09:00/respondent']);

    // Another authority sees none of it.
    await test.http().get(`/api/v1/inquiries/${created.body.id}`).set(bearer(pipc.tokens.manager)).expect(404);
  });

  it('retries when the SMTP server refuses, and one mail arrives', async () => {
    const kase = await createCase(test, gpdp, organisationId);
    const before = sink.received.length;
    sink.refuseNext(2);
    const created = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'en',
        to: ['dpo@provider.example'],
        deadline: { count: 10, unit: 'business_days' },
      })
      .expect(202);
    await waitForInquiry(test, gpdp.tokens.officer, created.body.id, 'sent', 30000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sink.received.length - before).toBe(1);
    const outbox = await test.http().get('/api/v1/outbox').set(bearer(gpdp.tokens.manager)).expect(200);
    expect(
      outbox.body.items.find(
        (m: { subject: string }) => m.subject === sink.received[sink.received.length - 1].parsed.subject,
      ),
    ).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('refuses bad requests with a 4xx and queues nothing', async () => {
    const kase = await createCase(test, gpdp, organisationId);
    const foreignCase = await createCase(test, pipc, await createProvider(test, pipc.tokens.officer, 'Other provider'));
    const before = {
      inquiries: await count(test, 'inquiries'),
      messages: await count(test, 'outbound_messages'),
      deadlines: await count(test, 'deadlines'),
    };
    const send = (caseId: string, body: Record<string, unknown>, token = gpdp.tokens.officer) =>
      test
        .http()
        .post(`/api/v1/cases/${caseId}/inquiries`)
        .set(bearer(token))
        .send({
          template: 'ai-inquiry',
          locale: 'en',
          to: ['dpo@provider.example'],
          deadline: { count: 20, unit: 'calendar_days' },
          ...body,
        });

    expect((await send(kase.id, { template: 'no-such-template' }).expect(404)).body.detail).toContain('no template');
    expect((await send(kase.id, { locale: 'es' }).expect(400)).body.errors[0]).toMatchObject({ field: 'locale' });
    expect((await send(kase.id, { template: 'chaser' }).expect(400)).body.errors[0].message).toContain(
      'not an inquiry',
    );
    expect((await send(kase.id, { to: [] }).expect(400)).body.errors[0]).toMatchObject({ field: 'to' });
    expect((await send(kase.id, { to: ['not-an-address'] }).expect(400)).body.errors[0]).toMatchObject({ field: 'to' });
    expect(
      (await send(kase.id, { questionIds: ['ai.collection.categories', 'ai.made.up'] }).expect(400)).body.errors,
    ).toEqual([{ field: 'questionIds.1', message: 'question "ai.made.up" is not in the question bank' }]);
    expect(
      (await send(kase.id, { deadline: { count: 0, unit: 'calendar_days' } }).expect(400)).body.errors[0].field,
    ).toContain('count');
    expect(
      (await send(kase.id, { reminders: [{ offset: 'a week before', audience: 'assignee' }] }).expect(400)).body
        .errors[0],
    ).toMatchObject({ field: 'reminders.0.offset' });
    await send(foreignCase.id, {}).expect(404);
    await send(kase.id, {}, gpdp.tokens.viewer).expect(403);
    await test
      .http()
      .post(`/api/v1/cases/${kase.id}/close`)
      .set(bearer(gpdp.tokens.officer))
      .send({ reason: 'duplicate of another case' })
      .expect(200);
    expect((await send(kase.id, {}).expect(409)).body.detail).toContain('closed');

    expect({
      inquiries: await count(test, 'inquiries'),
      messages: await count(test, 'outbound_messages'),
      deadlines: await count(test, 'deadlines'),
    }).toEqual(before);
  });
});
