import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { DeadlinesService } from '#docket/deadlines';
import { FixedClock } from '#docket/platform';
import { CountersService } from '#docket/reporting';
import {
  bearer,
  createTenant,
  startTestApp,
  sysadminToken,
  tokenFor,
  type Tenant,
  type TestApp,
} from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';

// The Garante's seven questions of 28 Jan 2025.
const GARANTE_QUESTIONS = [
  'ai.collection.categories',
  'ai.sources.origin',
  'ai.purposes.list',
  'ai.legal_basis.per_purpose',
  'ai.storage_location.countries',
  'ai.training_use.prompts',
  'ai.transparency.scraping_notice',
];
const DATA_TABLES = [
  'responses',
  'response_answers',
  'attachments',
  'outcomes',
  'outcome_deadlines',
  'deadlines',
  'inquiries',
];
// 10 KiB, so the oversize test needs no big upload.
const ATTACHMENT_MAX_MB = '0.009765625';

describe('responses and outcomes', () => {
  let test: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;
  let dataDir: string;

  // Tokens live at most 30 days of the test clock: moving it signs everybody in again.
  const at = async (instant: string) => {
    clock.set(new Date(instant));
    for (const tenant of [gpdp, pipc]) {
      for (const role of ['admin', 'manager', 'officer', 'viewer'] as const)
        tenant.tokens[role] = await tokenFor(test, `${role}@${tenant.code.toLowerCase()}.test`, `${role}-password-123`);
    }
  };
  const rowCounts = async () =>
    Object.fromEntries(
      await Promise.all(
        DATA_TABLES.map(async (table) => [table, Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n)]),
      ),
    );
  const get = async (token: string, path: string) => (await test.http().get(path).set(bearer(token)).expect(200)).body;
  const sendInquiry = async (tenant: Tenant, caseId: string, body: Record<string, unknown> = {}) =>
    (
      await test
        .http()
        .post(`/api/v1/cases/${caseId}/inquiries`)
        .set(bearer(tenant.tokens.officer))
        .send({
          template: 'ai-inquiry',
          locale: 'en',
          to: ['dpo@provider.example'],
          questionIds: GARANTE_QUESTIONS,
          deadline: { count: 20, unit: 'calendar_days' },
          ...body,
        })
        .expect(202)
    ).body;
  const respond = (tenant: Tenant, inquiryId: string, body: Record<string, unknown>, token = tenant.tokens.officer) =>
    test
      .http()
      .post(`/api/v1/inquiries/${inquiryId}/responses`)
      .set(bearer(token))
      .send({ channel: 'email', summary: 'Reply of the companies', answers: [], ...body });
  const decide = (tenant: Tenant, caseId: string, body: Record<string, unknown>, token = tenant.tokens.officer) =>
    test
      .http()
      .post(`/api/v1/cases/${caseId}/outcomes`)
      .set(bearer(token))
      .send({ summary: 'Decision', ...body });
  const upload = (
    tenant: Tenant,
    responseId: string,
    content: Buffer | null,
    filename = 'reply.pdf',
    token = tenant.tokens.officer,
  ) => {
    const request = test.http().post(`/api/v1/responses/${responseId}/attachments`).set(bearer(token));
    return content === null
      ? request.field('note', 'no file')
      : request.attach('file', content, { filename, contentType: 'application/pdf' });
  };
  const storedFiles = () => {
    const root = resolve(dataDir, 'attachments');
    if (!existsSync(root)) return [];
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  };

  beforeAll(async () => {
    clock = new FixedClock(new Date('2025-01-28T10:00:00+01:00'));
    dataDir = `var/test/decisions-${process.pid}-${Date.now()}`;
    test = await startTestApp({ clock, dataDir, env: { TOKEN_TTL_MINUTES: String(60 * 24 * 30), ATTACHMENT_MAX_MB } });
    db = test.app.get(DataSource);
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
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an on-time reply meets the deadline and cancels its reminders; an outcome and a follow-up on exactly the unanswered questions follow (Garante, 2025)', async () => {
    await at('2025-01-28T10:00:00+01:00');
    const kase = await createCase(test, gpdp, organisationId);
    const inquiry = await sendInquiry(gpdp, kase.id, { locale: 'it' });
    expect(inquiry.deadline.dueDate).toBe('2025-02-17');
    const before = await get(gpdp.tokens.officer, `/api/v1/deadlines/${inquiry.deadline.id}`);
    expect(before.reminders.map((r: { status: string }) => r.status)).toEqual([
      'scheduled',
      'scheduled',
      'scheduled',
      'scheduled',
    ]);

    await at('2025-01-30T18:00:00+01:00');
    const created = await respond(gpdp, inquiry.id, {
      receivedAt: '2025-01-30T16:20:00+01:00',
      summary: 'The companies say they do not operate in Italy and that the GDPR does not apply to them.',
      answers: [
        { questionId: 'ai.collection.categories', assessment: 'answered' },
        { questionId: 'ai.sources.origin', assessment: 'insufficient', note: 'Generic reference to public sources' },
        { questionId: 'ai.purposes.list', assessment: 'partial' },
        { questionId: 'ai.legal_basis.per_purpose', assessment: 'refused', note: 'Claims the GDPR does not apply' },
        { questionId: 'ai.storage_location.countries', assessment: 'insufficient' },
        { questionId: 'ai.training_use.prompts', assessment: 'answered' },
        // ai.transparency.scraping_notice left out: recorded as not answered.
      ],
    }).expect(201);
    expect(created.body).toMatchObject({
      onTime: true,
      lateByDays: 0,
      daysToRespond: 2,
      metDeadline: true,
      channel: 'email',
      deadline: { id: inquiry.deadline.id, status: 'met' },
    });
    expect(created.body.answers.map((a: { questionId: string }) => a.questionId)).toEqual(GARANTE_QUESTIONS);
    expect(created.body.answers[6]).toMatchObject({
      questionId: 'ai.transparency.scraping_notice',
      assessment: 'not_answered',
      note: expect.stringContaining('recorded as not answered'),
    });
    expect(created.body.assessments).toEqual({ answered: 2, partial: 1, insufficient: 2, refused: 1, not_answered: 1 });

    const deadline = await get(gpdp.tokens.officer, `/api/v1/deadlines/${inquiry.deadline.id}`);
    expect(deadline).toMatchObject({ status: 'met', settledAt: '2025-01-30T15:20:00.000Z' });
    expect(deadline.reminders.map((r: { status: string }) => r.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(deadline.history.map((h: { action: string }) => h.action)).toContain('met');

    let file = await get(gpdp.tokens.viewer, `/api/v1/cases/${kase.id}`);
    expect(file.status).toBe('under_review');
    expect(file.responses).toEqual([expect.objectContaining({ id: created.body.id, onTime: true })]);

    // The urgent limitation, the same day.
    const limitation = await decide(gpdp, kase.id, {
      type: 'processing_limitation',
      decidedAt: '2025-01-30T17:30:00+01:00',
      summary: 'Urgent limitation, with immediate effect, of the processing of data of users in Italy.',
      legalBasis: 'GDPR Art. 58(2)(f)',
      published: true,
    }).expect(201);
    expect(limitation.body).toMatchObject({
      type: 'processing_limitation',
      published: true,
      fine: null,
      compliance: null,
      followUpChecks: [],
    });
    expect((await get(gpdp.tokens.viewer, `/api/v1/cases/${kase.id}`)).status).toBe('decided');

    // Follow-up: exactly the questions not answered in full, in the order of the letter.
    const followUp = await test
      .http()
      .post(`/api/v1/responses/${created.body.id}/follow-up`)
      .set(bearer(gpdp.tokens.officer))
      .send({ deadline: { count: 10, unit: 'calendar_days' } })
      .expect(202);
    expect(followUp.body.questions.map((q: { id: string }) => q.id)).toEqual([
      'ai.sources.origin',
      'ai.purposes.list',
      'ai.legal_basis.per_purpose',
      'ai.storage_location.countries',
      'ai.transparency.scraping_notice',
    ]);
    expect(followUp.body).toMatchObject({
      status: 'queued',
      locale: 'it',
      to: ['dpo@provider.example'],
      deadline: { status: 'pending' },
    });

    file = await get(gpdp.tokens.viewer, `/api/v1/cases/${kase.id}`);
    expect(file.status).toBe('awaiting_response');
    expect(file.inquiries).toHaveLength(2);
    expect(file.outcomes).toEqual([expect.objectContaining({ type: 'processing_limitation' })]);
    const timeline = (await get(gpdp.tokens.viewer, `/api/v1/cases/${kase.id}/timeline`)).items.map(
      (item: { summary: string }) => item.summary,
    );
    expect(timeline).toEqual(
      expect.arrayContaining([
        'Response received by email on 2025-01-30 (on time): 2 answered, 1 partial, 2 insufficient, 1 refused, 1 not answered',
        expect.stringMatching(/^Outcome: processing limitation decided 2025-01-30: Urgent limitation/),
        'Follow-up inquiry on 5 question(s) not answered in full',
      ]),
    );
  });

  it('a late reply records its lateness and still settles the deadline (PIPC questionnaire, 7 days)', async () => {
    await at('2025-01-31T09:00:00+09:00');
    const kase = await createCase(test, pipc, organisationId);
    const inquiry = await sendInquiry(pipc, kase.id, {
      locale: 'ko',
      questionIds: ['ai.collection.categories', 'ai.storage_location.countries', 'ai.transfers.recipients'],
      deadline: { count: 7, unit: 'calendar_days' },
    });
    expect(inquiry.deadline.dueDate).toBe('2025-02-07');

    await at('2025-02-10T12:00:00+09:00');
    const created = await respond(pipc, inquiry.id, {
      receivedAt: '2025-02-10T11:00:00+09:00',
      channel: 'portal',
      answers: [
        { questionId: 'ai.collection.categories', assessment: 'answered' },
        { questionId: 'ai.storage_location.countries', assessment: 'answered' },
        { questionId: 'ai.transfers.recipients', assessment: 'answered' },
      ],
    }).expect(201);
    expect(created.body).toMatchObject({
      onTime: false,
      lateByDays: 3,
      daysToRespond: 10,
      metDeadline: true,
      deadline: { status: 'met' },
      followUpQuestionIds: [],
    });
    const deadline = await get(pipc.tokens.officer, `/api/v1/deadlines/${inquiry.deadline.id}`);
    expect(deadline.status).toBe('met');
    expect(deadline.history.find((h: { action: string }) => h.action === 'met').reason).toContain('(late)');
    expect(deadline.reminders.filter((r: { status: string }) => r.status === 'scheduled')).toEqual([]);

    // A supplement later is recorded but leaves the settled deadline alone.
    const supplement = await respond(pipc, inquiry.id, { receivedAt: '2025-02-10T11:30:00+09:00', answers: [] }).expect(
      201,
    );
    expect(supplement.body).toMatchObject({ metDeadline: false, onTime: false });
    // Nothing left to ask.
    await test
      .http()
      .post(`/api/v1/responses/${created.body.id}/follow-up`)
      .set(bearer(pipc.tokens.officer))
      .send({ deadline: { count: 10, unit: 'calendar_days' } })
      .expect(409);
  });

  it('an outcome starts a compliance deadline and two follow-up checks with reminders (PIPC, 24 Apr 2025: accept within 10 days, checked at least twice)', async () => {
    await at('2025-01-31T09:00:00+09:00');
    const kase = await createCase(test, pipc, organisationId);
    const inquiry = await sendInquiry(pipc, kase.id, { locale: 'ko', questionIds: ['ai.collection.categories'] });
    await at('2025-02-14T10:00:00+09:00');
    await respond(pipc, inquiry.id, {
      receivedAt: '2025-02-14T09:00:00+09:00',
      answers: [{ questionId: 'ai.collection.categories', assessment: 'partial' }],
    }).expect(201);

    await at('2025-04-24T15:00:00+09:00');
    const decidedAt = '2025-04-24T14:00:00+09:00';
    const outcome = await decide(pipc, kase.id, {
      type: 'recommendation',
      decidedAt,
      summary:
        'Corrective recommendations: destroy transferred prompts, legal basis for transfers abroad, Korean privacy policy, protection of children.',
      legalBasis: 'PIPA Art. 61',
      compliance: { count: 10, unit: 'calendar_days' },
      followUpChecks: [{ count: 3, unit: 'months' }, { dueDate: '2025-12-15' }],
    }).expect(201);
    const expected = (
      await test
        .http()
        .post('/api/v1/calendar/compute')
        .set(bearer(pipc.tokens.officer))
        .send({ authority: 'PIPC', start: decidedAt, count: 10, unit: 'calendar_days' })
        .expect(200)
    ).body;
    expect(outcome.body.compliance).toMatchObject({ dueDate: expected.dueDate, status: 'pending' });
    expect(outcome.body.followUpChecks.map((d: { dueDate: string }) => d.dueDate)).toEqual([
      '2025-07-24',
      '2025-12-15',
    ]);

    const file = await get(pipc.tokens.viewer, `/api/v1/cases/${kase.id}`);
    expect(file.status).toBe('decided');
    expect(file.outcomes[0]).toMatchObject({ id: outcome.body.id, type: 'recommendation', legalBasis: 'PIPA Art. 61' });
    const ids = [outcome.body.compliance.id, ...outcome.body.followUpChecks.map((d: { id: string }) => d.id)];
    const kinds: string[] = [];
    for (const id of ids) {
      const deadline = await get(pipc.tokens.officer, `/api/v1/deadlines/${id}`);
      kinds.push(deadline.kind);
      expect(deadline.caseId).toBe(kase.id);
      expect(
        deadline.reminders.map(
          (r: { offset: string; audience: string; status: string }) => `${r.offset}/${r.audience}/${r.status}`,
        ),
      ).toEqual([
        // The defaults are office hours in Seoul: 5 and 1 working days before at 09:00, the manager at 09:00 that day.
        '-P5WD@09:00/assignee/scheduled',
        '-P1WD@09:00/assignee/scheduled',
        'P0WD@09:00/manager/scheduled',
      ]);
      for (const reminder of deadline.reminders as { fireAt: string }[])
        expect(new Date(reminder.fireAt).toISOString()).toMatch(/T00:00:00\.000Z$/);
    }
    expect(kinds).toEqual(['compliance', 'follow_up_check', 'follow_up_check']);

    // A fine, later, on the same case (decided → decided), in KRW without decimals.
    const fine = await decide(pipc, kase.id, {
      type: 'fine',
      decidedAt: '2025-04-24T14:30:00+09:00',
      fine: { amount: 1_500_000_000, currency: 'KRW' },
    }).expect(201);
    expect(fine.body.fine).toEqual({ amount: 1_500_000_000, currency: 'KRW', formatted: 'KRW 1,500,000,000' });
  });

  it('an urgent order may come before any answer, and the answer is still recorded (PIPC suspension of new downloads, 15 Feb 2025)', async () => {
    await at('2025-02-01T09:00:00+09:00');
    const kase = await createCase(test, pipc, organisationId);
    const inquiry = await sendInquiry(pipc, kase.id, {
      locale: 'ko',
      questionIds: ['ai.transfers.recipients'],
      deadline: { count: 20, unit: 'calendar_days' },
    });
    await at('2025-02-15T18:30:00+09:00');
    const suspension = await decide(pipc, kase.id, {
      type: 'suspension',
      decidedAt: '2025-02-15T18:00:00+09:00',
      summary: 'New downloads of the app suspended until the law is complied with.',
    }).expect(201);
    expect(suspension.body.type).toBe('suspension');
    expect((await get(pipc.tokens.viewer, `/api/v1/cases/${kase.id}`)).status).toBe('decided');
    const reply = await respond(pipc, inquiry.id, {
      receivedAt: '2025-02-15T18:20:00+09:00',
      answers: [{ questionId: 'ai.transfers.recipients', assessment: 'partial' }],
    }).expect(201);
    expect(reply.body).toMatchObject({ onTime: true, metDeadline: true, deadline: { status: 'met' } });
    expect((await get(pipc.tokens.viewer, `/api/v1/cases/${kase.id}`)).status).toBe('decided');
  });

  it('keeps attachments with size, type and SHA-256, downloadable by the case authority only', async () => {
    await at('2025-02-01T10:00:00+01:00');
    const kase = await createCase(test, gpdp, organisationId);
    const inquiry = await sendInquiry(gpdp, kase.id);
    await at('2025-02-01T11:00:00+01:00');
    const response = (await respond(gpdp, inquiry.id, { receivedAt: '2025-02-01T10:30:00+01:00' }).expect(201)).body;
    const content = Buffer.from('%PDF-1.4\nReply of Hangzhou DeepSeek Artificial Intelligence\n%%EOF\n');
    const sha256 = createHash('sha256').update(content).digest('hex');

    const first = await upload(gpdp, response.id, content, 'Risposta DeepSeek "finale".pdf').expect(201);
    expect(first.body).toMatchObject({
      filename: 'Risposta DeepSeek finale.pdf',
      contentType: 'application/pdf',
      size: content.length,
      sha256,
    });
    const again = await upload(gpdp, response.id, content, 'copy.pdf').expect(201);
    expect(again.body.sha256).toBe(sha256);
    const stored = storedFiles();
    expect(stored).toEqual([resolve(dataDir, 'attachments', gpdp.authorityId, sha256)]);

    const download = await test
      .http()
      .get(first.body.url)
      .set(bearer(gpdp.tokens.viewer))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(download.body as Buffer, content)).toBe(0);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('attachment;');
    await test.http().get(first.body.url).set(bearer(pipc.tokens.manager)).expect(404);

    const view = await get(gpdp.tokens.viewer, `/api/v1/responses/${response.id}`);
    // The test clock stands still, so both have the same instant: compare without order.
    expect(view.attachments.map((a: { id: string }) => a.id).sort()).toEqual([first.body.id, again.body.id].sort());
    const timeline = (await get(gpdp.tokens.viewer, `/api/v1/cases/${kase.id}/timeline`)).items.map(
      (item: { summary: string }) => item.summary,
    );
    expect(timeline).toContain('Attachment added: Risposta DeepSeek finale.pdf (1 KB)');
  });

  it('refuses bad input and other authorities with a clear 4xx, and writes nothing', async () => {
    await at('2025-03-01T10:00:00+01:00');
    const kase = await createCase(test, gpdp, organisationId);
    const inquiry = await sendInquiry(gpdp, kase.id);
    const closed = await createCase(test, gpdp, organisationId);
    await test
      .http()
      .post(`/api/v1/cases/${closed.id}/close`)
      .set(bearer(gpdp.tokens.officer))
      .send({ reason: 'duplicate' })
      .expect(200);
    const foreign = await createCase(test, pipc, organisationId);
    const foreignInquiry = await sendInquiry(pipc, foreign.id);
    await at('2025-03-02T10:00:00+01:00');
    const response = (
      await respond(gpdp, inquiry.id, {
        receivedAt: '2025-03-02T09:00:00+01:00',
        answers: GARANTE_QUESTIONS.map((questionId) => ({ questionId, assessment: 'answered' })),
      }).expect(201)
    ).body;
    const filesBefore = storedFiles();
    const before = await rowCounts();

    const errorsOf = async (
      call: Promise<{ status: number; body: { errors?: { field: string }[]; detail: string } }>,
      status: number,
    ) => {
      const result = await call;
      expect(result.status).toBe(status);
      return result.body;
    };

    // Responses
    let body = await errorsOf(
      respond(gpdp, inquiry.id, {
        receivedAt: '2025-03-02T09:00:00+01:00',
        answers: [{ questionId: 'ai.minors.age_assurance', assessment: 'answered' }],
      }),
      400,
    );
    expect(body.errors).toEqual([
      { field: 'answers.0.questionId', message: expect.stringContaining('not one of this inquiry') },
    ]);
    body = await errorsOf(respond(gpdp, inquiry.id, { receivedAt: '2025-03-05T09:00:00+01:00' }), 400);
    expect(body.errors?.[0].field).toBe('receivedAt');
    body = await errorsOf(respond(gpdp, inquiry.id, { receivedAt: '2025-02-01T09:00:00+01:00' }), 400);
    expect(body.errors?.[0]).toMatchObject({
      field: 'receivedAt',
      message: expect.stringContaining('before the inquiry was sent'),
    });
    body = await errorsOf(respond(gpdp, inquiry.id, { receivedAt: '2025-03-02T09:00:00+01:00', channel: 'fax' }), 400);
    expect(body.errors?.[0].field).toBe('channel');
    body = await errorsOf(
      respond(gpdp, inquiry.id, {
        receivedAt: '2025-03-02T09:00:00+01:00',
        answers: [{ questionId: 'ai.sources.origin', assessment: 'great' }],
      }),
      400,
    );
    expect(body.errors?.[0].field).toBe('answers.0.assessment');
    await errorsOf(respond(gpdp, foreignInquiry.id, { receivedAt: '2025-03-02T09:00:00+01:00' }), 404);
    await errorsOf(respond(gpdp, inquiry.id, { receivedAt: '2025-03-02T09:00:00+01:00' }, gpdp.tokens.viewer), 403);
    await errorsOf(
      test
        .http()
        .post(`/api/v1/responses/${response.id}/follow-up`)
        .set(bearer(gpdp.tokens.officer))
        .send({ deadline: { count: 10, unit: 'calendar_days' } }),
      409,
    );
    await errorsOf(
      test
        .http()
        .post(`/api/v1/responses/${response.id}/follow-up`)
        .set(bearer(pipc.tokens.officer))
        .send({ deadline: { count: 10, unit: 'calendar_days' } }),
      404,
    );
    await errorsOf(
      test
        .http()
        .post(`/api/v1/responses/${response.id}/follow-up`)
        .set(bearer(gpdp.tokens.viewer))
        .send({ deadline: { count: 10, unit: 'calendar_days' } }),
      403,
    );

    // Outcomes
    const decided = '2025-03-02T09:30:00+01:00';
    body = await errorsOf(
      decide(gpdp, kase.id, { type: 'fine', decidedAt: decided, fine: { amount: 15_000_000 } }),
      400,
    );
    expect(body.errors?.map((e) => e.field)).toContain('fine.currency');
    body = await errorsOf(
      decide(gpdp, kase.id, { type: 'fine', decidedAt: decided, fine: { amount: -15_000_000, currency: 'EUR' } }),
      400,
    );
    expect(body.errors).toEqual([{ field: 'fine.amount', message: expect.stringContaining('more than 0') }]);
    body = await errorsOf(decide(gpdp, kase.id, { type: 'fine', decidedAt: decided }), 400);
    expect(body.errors?.[0].field).toBe('fine');
    body = await errorsOf(
      decide(gpdp, kase.id, { type: 'fine', decidedAt: decided, fine: { amount: 100, currency: 'EUX' } }),
      400,
    );
    expect(body.errors?.[0]).toMatchObject({ field: 'fine.currency', message: expect.stringContaining('ISO 4217') });
    body = await errorsOf(
      decide(gpdp, kase.id, { type: 'corrective_order', decidedAt: decided, fine: { amount: 100, currency: 'EUR' } }),
      400,
    );
    expect(body.errors?.[0].field).toBe('fine');
    body = await errorsOf(
      decide(gpdp, kase.id, {
        type: 'recommendation',
        decidedAt: decided,
        compliance: { count: 10, unit: 'calendar_days', dueDate: '2025-04-01' },
      }),
      400,
    );
    expect(body.errors?.[0].field).toBe('compliance');
    body = await errorsOf(
      decide(gpdp, kase.id, {
        type: 'recommendation',
        decidedAt: decided,
        followUpChecks: [{ count: 1, unit: 'months' }, { dueDate: '2025-02-01' }],
      }),
      400,
    );
    expect(body.errors?.[0].field).toBe('followUpChecks.1.dueDate');
    body = await errorsOf(decide(gpdp, kase.id, { type: 'referral', decidedAt: decided }), 400);
    expect(body.errors?.[0].field).toBe('referralTo');
    body = await errorsOf(decide(gpdp, kase.id, { type: 'recommendation', decidedAt: '2025-04-01T00:00:00Z' }), 400);
    expect(body.errors?.[0].field).toBe('decidedAt');
    body = await errorsOf(decide(gpdp, closed.id, { type: 'no_action', decidedAt: decided }), 409);
    expect(body.detail).toContain('closed');
    await errorsOf(decide(gpdp, foreign.id, { type: 'no_action', decidedAt: decided }), 404);
    await errorsOf(decide(gpdp, kase.id, { type: 'no_action', decidedAt: decided }, gpdp.tokens.viewer), 403);

    // Attachments
    body = await errorsOf(upload(gpdp, response.id, Buffer.alloc(0), 'empty.pdf'), 400);
    expect(body.errors?.[0]).toMatchObject({ field: 'file', message: expect.stringContaining('empty') });
    body = await errorsOf(upload(gpdp, response.id, Buffer.alloc(10 * 1024 + 1, 1), 'big.pdf'), 413);
    expect(body.detail).toContain('ATTACHMENT_MAX_MB');
    await errorsOf(upload(gpdp, response.id, null), 400);
    await errorsOf(upload(pipc, response.id, Buffer.from('x')), 404);
    await errorsOf(upload(gpdp, response.id, Buffer.from('x'), 'x.pdf', gpdp.tokens.viewer), 403);

    expect(await rowCounts()).toEqual(before);
    expect(storedFiles()).toEqual(filesBefore);
  });

  it('counts on the dashboard change as cases move, deadlines pass and replies come in; the counters match a recount', async () => {
    await at('2025-05-05T09:00:00+02:00');
    const cnil = await createTenant(test, 'CNIL', {
      country: 'FR',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      holidayRegion: 'FR',
    });
    const dashboard = () => get(cnil.tokens.viewer, '/api/v1/dashboard');
    const counters = test.app.get(CountersService);
    let board = await dashboard();
    expect(board.cases).toMatchObject({ open: 0, total: 0 });

    const kase = await createCase(test, cnil, organisationId);
    board = await dashboard();
    expect(board.cases).toMatchObject({ open: 1, byStatus: { open: 1, awaiting_response: 0 } });
    expect(board.byAssignee).toEqual([
      expect.objectContaining({
        assigneeId: cnil.userIds.officer,
        name: 'CNIL officer',
        openCases: 1,
        overdueDeadlines: 0,
      }),
    ]);
    expect(board.byOrganisation).toEqual([expect.objectContaining({ organisationId, openCases: 1 })]);
    expect(board.oldestOpenCases.map((c: { id: string }) => c.id)).toEqual([kase.id]);

    const inquiry = await sendInquiry(cnil, kase.id, {
      locale: 'fr',
      questionIds: ['ai.collection.categories', 'ai.sources.origin'],
    });
    board = await dashboard();
    expect(board.cases.byStatus).toMatchObject({ open: 0, awaiting_response: 1 });
    expect(board.deadlines).toMatchObject({ overdue: 0, dueIn7Days: 0, dueIn30Days: 1 });

    await at('2025-05-20T09:00:00+02:00');
    board = await dashboard();
    expect(board.deadlines).toMatchObject({ overdue: 0, dueIn7Days: 1, dueIn30Days: 1 });

    await at('2025-05-30T09:00:00+02:00');
    board = await dashboard();
    expect(board.deadlines).toMatchObject({ overdue: 1, dueIn7Days: 0, dueIn30Days: 0 });
    // The sweep marks it missed: still overdue, now from the counters.
    await test.app.get(DeadlinesService).markOverdue();
    board = await dashboard();
    expect(board.deadlines).toMatchObject({ overdue: 1, missed: 1, pendingPastDue: 0 });
    expect(board.byAssignee[0]).toMatchObject({ assigneeId: cnil.userIds.officer, overdueDeadlines: 1 });
    expect(board.byOrganisation[0]).toMatchObject({ organisationId, overdueDeadlines: 1 });

    // Reassigning the case carries its missed deadline to the new assignee.
    const version = (await get(cnil.tokens.manager, `/api/v1/cases/${kase.id}`)).version;
    await test
      .http()
      .patch(`/api/v1/cases/${kase.id}`)
      .set(bearer(cnil.tokens.manager))
      .set('If-Match', String(version))
      .send({ assigneeId: cnil.userIds.manager })
      .expect(200);
    board = await dashboard();
    expect(board.byAssignee).toEqual([
      expect.objectContaining({ assigneeId: cnil.userIds.manager, openCases: 1, overdueDeadlines: 1 }),
    ]);

    const reply = await respond(cnil, inquiry.id, {
      receivedAt: '2025-05-30T08:00:00+02:00',
      answers: [{ questionId: 'ai.collection.categories', assessment: 'answered' }],
    }).expect(201);
    expect(reply.body).toMatchObject({ onTime: false, daysToRespond: 25 });
    board = await dashboard();
    expect(board.deadlines).toMatchObject({ overdue: 0, missed: 0 });
    expect(board.cases.byStatus).toMatchObject({ awaiting_response: 0, under_review: 1 });
    expect(board.responses).toEqual({ received: 1, onTime: 0, late: 1, onTimeRate: 0, medianDaysToRespond: 25 });

    await test
      .http()
      .post(`/api/v1/cases/${kase.id}/close`)
      .set(bearer(cnil.tokens.manager))
      .send({ reason: 'answered late but in full' })
      .expect(200);
    board = await dashboard();
    expect(board.cases).toMatchObject({ open: 0, total: 1, byStatus: { closed: 1 } });
    expect(board.byAssignee).toEqual([]);
    expect(board.oldestOpenCases).toEqual([]);

    expect(await counters.check(cnil.authorityId)).toEqual([]);
    await counters.compact(cnil.authorityId);
    expect(await counters.check(cnil.authorityId)).toEqual([]);
    // Folded: the log of changes is empty, and the totals keep no counter that came back to zero.
    const rowsOf = async (table: string) =>
      Number((await db.query(`SELECT count(*) AS n FROM ${table} WHERE authority_id = $1`, [cnil.authorityId]))[0].n);
    expect(await rowsOf('dashboard_counters')).toBe(0);
    expect(await rowsOf('dashboard_totals')).toBeGreaterThan(0);
    expect(await rowsOf('dashboard_totals')).toBeLessThan(12);
    for (const tenant of [gpdp, pipc]) expect(await counters.check(tenant.authorityId)).toEqual([]);

    await test
      .http()
      .get('/api/v1/dashboard')
      .set(bearer(await sysadminToken(test)))
      .expect(403);
  });
});
