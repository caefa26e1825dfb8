import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Campaign, CampaignFanoutProcessor, CampaignsService, CampaignTarget } from '#docket/campaigns';
import { DeadlinesService, Reconciler } from '#docket/deadlines';
import { Clock, JobName, QueueName, RequestContext } from '#docket/platform';
import { bearer, createTenant, startTestApp, tokenFor, type Tenant, type TestApp } from './support/app.js';
import { createCase } from './support/fixtures.js';
import { cookieHeader, pageSession } from './support/page-session.js';
import { SmtpSink } from './support/smtp-sink.js';

/** Text as Liquid writes it into a page. */
const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

interface TargetBody {
  organisationId: string;
  organisationName: string;
  caseId: string | null;
  attachedToExistingCase: boolean;
  inquiryId: string | null;
  status: string;
  error: string | null;
  attempt: number;
  dueDate: string | null;
}

/** The real time, moved by `shiftMs` (to see deadlines pass without waiting for them). */
class ShiftedClock extends Clock {
  shiftMs = 0;
  now(): Date {
    return new Date(Date.now() + this.shiftMs);
  }
}

/**
 * Reads until `done`, for as long as what it reads keeps changing: a loaded machine slows the workers down without
 * stopping them, so the wait fails on `stallMs` without any change (it is stuck), not on its total time.
 */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, stallMs = 30_000): Promise<T> {
  let seen = '';
  let changedAt = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    const now = JSON.stringify(value);
    if (now !== seen) [seen, changedAt] = [now, Date.now()];
    else if (Date.now() - changedAt > stallMs) throw new Error(`not reached, unchanged for ${stallMs} ms: ${now}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function count(test: TestApp, table: string): Promise<number> {
  const [row] = await test.app.get(DataSource).query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n as number;
}

describe('campaigns: one inquiry to many organisations (real SMTP on loopback)', () => {
  let sink: SmtpSink;
  const clock = new ShiftedClock();
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  const organisations: { id: string; email: string }[] = [];
  let withoutEmail: string;
  let existingCaseId: string;
  let campaignId: string;

  const campaign = (token: string, id = campaignId) => test.http().get(`/api/v1/campaigns/${id}`).set(bearer(token));
  /** Letters that reached the organisations (staff notices left out). */
  const letters = () =>
    sink.received.filter((mail) => organisations.some((organisation) => mail.envelopeTo.includes(organisation.email)))
      .length;
  /** The campaign once no target is pending or queued: its counts, as long as they keep moving. */
  function settled(id = campaignId) {
    return eventually(
      async () =>
        (await campaign(gpdp.tokens.viewer, id).expect(200)).body as {
          counts: Record<string, number>;
          targets: TargetBody[];
        },
      (body) => body.counts.pending === 0 && body.counts.queued === 0,
    ).catch((error: Error) => {
      throw new Error(`campaign not settled: ${error.message}`);
    });
  }
  const body = (extra: Record<string, unknown> = {}) => ({
    title: 'Chatbot providers: training on user prompts',
    template: 'ai-inquiry',
    locale: 'en',
    deadline: { count: 20, unit: 'calendar_days' },
    organisationIds: organisations.slice(0, 3).map((organisation) => organisation.id),
    caseDefaults: { type: 'ex_officio', legalBasis: 'GDPR Art. 58(1)(a)', assigneeId: gpdp.userIds.officer },
    ...extra,
  });

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({ clock, env: { SMTP_URL: sink.url, MAIL_FROM: 'Garante <protocollo@gpdp.example>' } });
    gpdp = await createTenant(test, 'GPDP');
    // Test users are created reading English; the officer told of refused letters reads Italian.
    await test.http().patch('/api/v1/me').set(bearer(gpdp.tokens.officer)).send({ language: 'it' }).expect(200);
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    for (let index = 0; index < 20; index++) {
      const email = `dpo@provider-${index}.example`;
      const response = await test
        .http()
        .post('/api/v1/organisations')
        .set(bearer(gpdp.tokens.officer))
        .send({
          name: `Chatbot Provider ${index} Ltd`,
          country: index % 2 ? 'IT' : 'US',
          contacts: [{ name: 'DPO', email, role: 'dpo' }],
        })
        .expect(201);
      organisations.push({ id: response.body.id, email });
    }
    withoutEmail = (
      await test
        .http()
        .post('/api/v1/organisations')
        .set(bearer(gpdp.tokens.officer))
        .send({ name: 'Provider Without Contacts Ltd', country: 'FR' })
        .expect(201)
    ).body.id;
    existingCaseId = (await createCase(test, gpdp, organisations[0].id)).id;
  });
  afterAll(async () => {
    await test.close();
    await sink.stop();
  });

  // Three rounds of real letters: 22 s on an idle machine, 80 s at load 15; each wait still fails once stuck 30 s.
  it('sends to every organisation, fails the refused ones with the error, and a retry sends only those', async () => {
    const refused = [organisations[3], organisations[7], organisations[12]];
    sink.refuseRecipients(refused.map((organisation) => organisation.email));
    const mailBefore = letters();
    const created = await test
      .http()
      .post('/api/v1/campaigns')
      .set(bearer(gpdp.tokens.officer))
      .send(
        body({
          locale: 'auto',
          organisationIds: [...organisations.map((organisation) => organisation.id), withoutEmail],
        }),
      )
      .expect(202);
    campaignId = created.body.id;
    expect(created.body.counts).toMatchObject({ total: 21, pending: 21 });

    const first = await settled();
    expect(first.counts).toEqual({ total: 21, pending: 0, queued: 0, sent: 17, failed: 4, answered: 0, overdue: 0 });
    const byOrganisation = new Map(first.targets.map((target) => [target.organisationId, target]));
    for (const organisation of refused)
      expect(byOrganisation.get(organisation.id)).toMatchObject({
        status: 'failed',
        error: expect.stringContaining('550'),
      });
    expect(byOrganisation.get(withoutEmail)).toMatchObject({
      status: 'failed',
      caseId: null,
      error: expect.stringContaining('no contact e-mail address'),
    });
    // The officer reads Italian: why each letter failed, in Italian (the mail server's own words stay as given); a
    // target failed before the messages were kept shows its stored text.
    const italianTargets = new Map(
      ((await campaign(gpdp.tokens.officer).expect(200)).body.targets as TargetBody[]).map((target) => [
        target.organisationId,
        target,
      ]),
    );
    expect(italianTargets.get(withoutEmail)?.error).toBe(
      'Provider Without Contacts Ltd non ha un indirizzo e-mail di contatto; aggiungerne uno all’organizzazione, quindi ritentare la campagna',
    );
    expect(italianTargets.get(refused[0].id)?.error).toMatch(/^il server di posta non ha recapitato la lettera: .*550/);
    await test.app
      .get(DataSource)
      .query(
        `UPDATE campaign_targets SET error_code = NULL, error_params = NULL WHERE campaign_id = $1 AND organisation_id = $2`,
        [campaignId, refused[1].id],
      );
    const page = await test
      .http()
      .get(`/campaigns/${campaignId}`)
      .set('cookie', cookieHeader(await pageSession(test, 'officer@gpdp.test', 'officer-password-123')))
      .expect(200);
    expect(page.text).toContain('Provider Without Contacts Ltd non ha un indirizzo e-mail di contatto');
    expect(page.text).toContain('il server di posta non ha recapitato la lettera');
    expect(page.text).toContain(escapeHtml(byOrganisation.get(refused[1].id)!.error!));
    // The open case of the first organisation is reused; the others get a case of their own.
    expect(byOrganisation.get(organisations[0].id)).toMatchObject({
      caseId: existingCaseId,
      attachedToExistingCase: true,
      status: 'sent',
    });
    const newCases = first.targets.filter((target) => target.caseId && target.caseId !== existingCaseId);
    expect(new Set(newCases.map((target) => target.caseId)).size).toBe(19);
    const kase = await test
      .http()
      .get(`/api/v1/cases/${newCases[0].caseId}`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    // Each target's due date is the date of its inquiry's deadline, as YYYY-MM-DD like every date of the API.
    const sentTarget = first.targets.find((target) => target.status === 'sent')!;
    const sentInquiry = (
      await test.http().get(`/api/v1/inquiries/${sentTarget.inquiryId}`).set(bearer(gpdp.tokens.viewer)).expect(200)
    ).body;
    expect(sentTarget.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sentTarget.dueDate).toBe(sentInquiry.deadline.dueDate);
    expect(kase.body).toMatchObject({
      title: 'Chatbot providers: training on user prompts',
      status: 'awaiting_response',
      assignee: expect.objectContaining({ id: gpdp.userIds.officer }),
    });

    for (const organisation of organisations)
      expect(sink.to(organisation.email).length).toBe(refused.includes(organisation) ? 0 : 1);
    expect(letters() - mailBefore).toBe(17);
    // Per-organisation locale: Italian providers were written to in Italian, the others in English.
    const italian = sink.to(organisations[1].email)[0].parsed.text ?? '';
    const english = sink.to(organisations[2].email)[0].parsed.text ?? '';
    expect(italian).not.toEqual(english);
    expect(
      await test.app
        .get(DataSource)
        .query(`SELECT locale FROM inquiries WHERE id = $1`, [byOrganisation.get(organisations[1].id)?.inquiryId]),
    ).toEqual([{ locale: 'it' }]);
    expect(
      await test.app
        .get(DataSource)
        .query(`SELECT locale FROM inquiries WHERE id = $1`, [byOrganisation.get(organisations[2].id)?.inquiryId]),
    ).toEqual([{ locale: 'en' }]);

    // A letter that never arrived starts no clock: its deadline is suspended and nothing chases the organisation.
    const deadlineOf = async (inquiryId: string | null | undefined) =>
      (
        (await test.app.get(DataSource).query(
          `SELECT d.status, d.suspend_reason, (SELECT count(*)::int FROM reminders r WHERE r.deadline_id = d.id AND r.status = 'scheduled') AS scheduled
             FROM inquiries i JOIN deadlines d ON d.id = i.deadline_id WHERE i.id = $1`,
          [inquiryId],
        )) as { status: string; suspend_reason: string | null; scheduled: number }[]
      )[0];
    for (const organisation of refused) {
      expect(await deadlineOf(byOrganisation.get(organisation.id)?.inquiryId)).toEqual({
        status: 'suspended',
        suspend_reason: expect.stringContaining('could not be delivered'),
        scheduled: 0,
      });
    }
    // No chaser will go: the cancelled reminders' jobs are removed once the failure is committed.
    const reminders = test.app.get<Queue>(getQueueToken(QueueName.Reminders), { strict: false });
    const refusedInquiries = refused.map((organisation) => byOrganisation.get(organisation.id)?.inquiryId);
    const cancelled = (await test.app
      .get(DataSource)
      .query(
        `SELECT r.id, r.fire_at, r.audience FROM reminders r JOIN inquiries i ON i.deadline_id = r.deadline_id WHERE i.id = ANY($1) AND r.status = 'cancelled'`,
        [refusedInquiries],
      )) as { id: string; fire_at: Date; audience: string }[];
    expect(cancelled.some((reminder) => reminder.audience === 'respondent')).toBe(true);
    await eventually(
      () =>
        Promise.all(
          cancelled.map((reminder) =>
            reminders.getJobState(`reminder.${reminder.id}.${new Date(reminder.fire_at).getTime()}`),
          ),
        ),
      (states) => states.every((state) => state === 'unknown'),
    );
    // Delivery failed shows on the inquiry, in the case file and its timeline; the assignee is told once per letter.
    const failedInquiry = (
      await test.http().get(`/api/v1/inquiries/${refusedInquiries[0]}`).set(bearer(gpdp.tokens.viewer)).expect(200)
    ).body;
    expect(failedInquiry).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('550'),
      deadline: expect.objectContaining({ status: 'suspended' }),
    });
    const failedCase = byOrganisation.get(refused[0].id)?.caseId;
    expect(
      (await test.http().get(`/api/v1/cases/${failedCase}`).set(bearer(gpdp.tokens.viewer)).expect(200)).body.inquiries,
    ).toEqual([expect.objectContaining({ id: refusedInquiries[0], status: 'failed' })]);
    const timeline = (
      await test.http().get(`/api/v1/cases/${failedCase}/timeline`).set(bearer(gpdp.tokens.viewer)).expect(200)
    ).body.items as { summary: string }[];
    expect(timeline.map((event) => event.summary)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Inquiry could not be delivered: .*550.*\(notice sent to officer@gpdp\.test\)$/),
        expect.stringContaining('Clock stopped'),
      ]),
    );
    const notices = await eventually(
      async () =>
        sink.to('officer@gpdp.test').filter((mail) => mail.parsed.subject?.includes('Comunicazione non recapitata')),
      (found) => found.length >= refused.length,
    );
    expect(notices).toHaveLength(refused.length);
    expect(notices.map((mail) => mail.parsed.text)).toEqual(
      expect.arrayContaining(refused.map((organisation) => expect.stringContaining(organisation.email))),
    );

    const delivered = await deadlineOf(byOrganisation.get(organisations[2].id)?.inquiryId);
    expect(delivered.status).toBe('pending');
    expect(delivered.scheduled).toBeGreaterThan(0);

    // The same fan-out job run again (a redelivered job) sends nothing and creates nothing.
    const inquiriesBefore = await count(test, 'inquiries');
    const casesBefore = await count(test, 'cases');
    const processor = test.app.get(CampaignFanoutProcessor);
    for (const organisation of [organisations[0], organisations[5]]) {
      await processor.process({
        name: JobName.CampaignFanout,
        data: { campaignId, organisationId: organisation.id, attempt: 1 },
        attemptsMade: 0,
        opts: { attempts: 3 },
      } as unknown as Job);
    }
    // Two copies of a job that both read the target while it was pending: the second one's inquiry is rolled back.
    const dataSource = test.app.get(DataSource);
    const stale = Object.assign(
      await dataSource
        .getRepository(CampaignTarget)
        .findOneByOrFail({ campaignId, organisationId: organisations[5].id }),
      { status: 'pending' as const },
    );
    const stored = await dataSource.getRepository(Campaign).findOneByOrFail({ id: campaignId });
    await RequestContext.asAuthority(gpdp.authorityId, () =>
      test.app.get(CampaignsService).fanOut(stored, stale, false),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await count(test, 'inquiries')).toBe(inquiriesBefore);
    expect(await count(test, 'cases')).toBe(casesBefore);
    expect(letters() - mailBefore).toBe(17);

    // Retry once the mail server accepts again: only the failed targets are sent.
    sink.acceptRecipients();
    const retry = await test
      .http()
      .post(`/api/v1/campaigns/${campaignId}/retry`)
      .set(bearer(gpdp.tokens.officer))
      .expect(202);
    expect(retry.body).toEqual({ id: campaignId, retried: 4, requeued: 0 });
    const second = await settled();
    expect(second.counts).toEqual({ total: 21, pending: 0, queued: 0, sent: 20, failed: 1, answered: 0, overdue: 0 });
    for (const organisation of organisations) expect(sink.to(organisation.email).length).toBe(1);
    expect(letters() - mailBefore).toBe(20);
    const after = new Map(second.targets.map((target) => [target.organisationId, target]));
    for (const organisation of refused) {
      expect(after.get(organisation.id)).toMatchObject({
        status: 'sent',
        error: null,
        attempt: 2,
        caseId: byOrganisation.get(organisation.id)?.caseId,
      });
      expect(after.get(organisation.id)?.inquiryId).not.toBe(byOrganisation.get(organisation.id)?.inquiryId);
      // The undelivered letter's deadline ends; the letter sent again runs its own, with its reminders.
      expect(await deadlineOf(byOrganisation.get(organisation.id)?.inquiryId)).toMatchObject({
        status: 'waived',
        scheduled: 0,
      });
      expect(await deadlineOf(after.get(organisation.id)?.inquiryId)).toMatchObject({
        status: 'pending',
        scheduled: delivered.scheduled,
      });
    }
    expect(after.get(organisations[0].id)).toMatchObject({
      attempt: 1,
      inquiryId: byOrganisation.get(organisations[0].id)?.inquiryId,
    });
    expect(after.get(withoutEmail)).toMatchObject({ status: 'failed', attempt: 2 });

    // A second retry with nothing newly failed but the organisation without an address re-sends nothing else.
    await test.http().post(`/api/v1/campaigns/${campaignId}/retry`).set(bearer(gpdp.tokens.officer)).expect(202);
    await settled();
    expect(letters() - mailBefore).toBe(20);

    // An answer recorded on one organisation's inquiry shows as answered, in the campaign and in the list.
    await test
      .http()
      .post(`/api/v1/inquiries/${after.get(organisations[2].id)?.inquiryId}/responses`)
      .set(bearer(gpdp.tokens.officer))
      .send({ receivedAt: new Date().toISOString(), channel: 'email', summary: 'Our answers', answers: [] })
      .expect(201);
    const answered = (await campaign(gpdp.tokens.viewer).expect(200)).body as {
      counts: Record<string, number>;
      targets: TargetBody[];
    };
    expect(answered.counts).toEqual({ total: 21, pending: 0, queued: 0, sent: 19, failed: 1, answered: 1, overdue: 0 });
    expect(answered.targets.find((target) => target.organisationId === organisations[2].id)).toMatchObject({
      status: 'answered',
      overdue: false,
    });
    const listed = (await test.http().get('/api/v1/campaigns').set(bearer(gpdp.tokens.viewer)).expect(200)).body
      .items as { id: string; counts: Record<string, number> }[];
    expect(listed.find((item) => item.id === campaignId)?.counts).toEqual(answered.counts);

    const audit = await test.app
      .get(DataSource)
      .query(`SELECT action FROM audit_events WHERE entity_type = 'campaign' AND entity_id = $1 ORDER BY seq`, [
        campaignId,
      ]);
    expect(audit.map((row: { action: string }) => row.action)).toEqual([
      'campaign.created',
      'campaign.retried',
      'campaign.retried',
    ]);

    const list = await test.http().get('/api/v1/campaigns').set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: campaignId,
        counts: expect.objectContaining({ total: 21, sent: 19, answered: 1, failed: 1 }),
      }),
    ]);
  }, 240_000);

  it('refuses bad input with 400 and creates nothing', async () => {
    const tables = ['campaigns', 'campaign_targets', 'cases', 'inquiries'];
    const before = await Promise.all(tables.map((table) => count(test, table)));
    // The manager reads English; the officer, who reads Italian, is answered in Italian (field names stay).
    const send = (extra: Record<string, unknown>, token = gpdp.tokens.manager) =>
      test.http().post('/api/v1/campaigns').set(bearer(token)).send(body(extra)).expect(400);

    expect((await send({ template: 'no-such-template' })).body.errors).toEqual([
      { field: 'template', message: 'there is no template "no-such-template"' },
    ]);
    expect((await send({ template: 'no-such-template' }, gpdp.tokens.officer)).body.errors).toEqual([
      { field: 'template', message: 'non esiste alcun modello «no-such-template»' },
    ]);
    expect((await send({ template: 'chaser' })).body.errors[0].message).toContain('not an inquiry');
    expect((await send({ organisationIds: [] })).body.errors[0]).toMatchObject({ field: 'organisationIds' });
    const unknown = randomUUID();
    expect((await send({ organisationIds: [organisations[0].id, unknown] })).body.errors).toEqual([
      { field: 'organisationIds.1', message: `there is no organisation with id ${unknown}` },
    ]);
    expect(
      (await send({ caseDefaults: { type: 'ex_officio', assigneeId: pipc.userIds.officer } })).body.errors,
    ).toEqual([
      {
        field: 'caseDefaults.assigneeId',
        message: `there is no user with id ${pipc.userIds.officer} in your authority`,
      },
    ]);
    expect((await send({ locale: 'es' })).body.errors[0]).toMatchObject({ field: 'locale' });
    expect((await send({ caseDefaults: { type: 'made_up' } })).body.errors[0].field).toContain('caseDefaults.type');

    expect(await Promise.all(tables.map((table) => count(test, table)))).toEqual(before);
  });

  it('keeps campaigns to their authority, and viewers read only', async () => {
    await campaign(pipc.tokens.manager).expect(404);
    await test.http().post(`/api/v1/campaigns/${campaignId}/retry`).set(bearer(pipc.tokens.manager)).expect(404);
    expect(
      (await test.http().get('/api/v1/campaigns').set(bearer(pipc.tokens.manager)).expect(200)).body.items,
    ).toEqual([]);
    await campaign(gpdp.tokens.viewer).expect(200);
    await test.http().post('/api/v1/campaigns').set(bearer(gpdp.tokens.viewer)).send(body()).expect(403);
    await test.http().post(`/api/v1/campaigns/${campaignId}/retry`).set(bearer(gpdp.tokens.viewer)).expect(403);
  });
  it('puts back fan-out jobs the queue lost, and each organisation still gets one letter', async () => {
    const queue = test.app.get<Queue>(getQueueToken(QueueName.Campaigns), { strict: false });
    const targets = organisations.slice(15, 18);
    const lettersBefore = targets.map((organisation) => sink.to(organisation.email).length);
    const inquiriesBefore = await count(test, 'inquiries');
    // The jobs of the earlier campaigns can still be finishing (their targets are settled before their jobs
    // complete): only a queue with nothing in it shows that the jobs below were lost before any worker took them.
    await eventually(
      () => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      (counts) => Object.values(counts).every((n) => n === 0),
    );
    await queue.pause();
    let lostId: string;
    try {
      lostId = (
        await test
          .http()
          .post('/api/v1/campaigns')
          .set(bearer(gpdp.tokens.officer))
          .send(body({ organisationIds: targets.map((organisation) => organisation.id) }))
          .expect(202)
      ).body.id;
      // The jobs are lost before any worker took them (as when Redis restarts without its data).
      await queue.drain();
      expect(await queue.getJobCounts('waiting', 'active', 'prioritized')).toEqual({
        waiting: 0,
        active: 0,
        prioritized: 0,
      });
    } finally {
      await queue.resume();
    }
    const progress = async () =>
      (await test.http().get(`/api/v1/campaigns/${lostId}`).set(bearer(gpdp.tokens.viewer)).expect(200)).body as {
        counts: Record<string, number>;
      };
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await progress()).counts).toMatchObject({ total: 3, pending: 3 });

    // Within the grace period the targets may still be on their way: reconciliation leaves them.
    const reconciler = test.app.get(Reconciler);
    expect((await reconciler.reconcile()).steps.campaignFanouts).toBe(0);
    await test.app
      .get(DataSource)
      .query(`UPDATE campaign_targets SET updated_at = updated_at - interval '2 minutes' WHERE campaign_id = $1`, [
        lostId,
      ]);
    expect((await reconciler.reconcile()).steps.campaignFanouts).toBe(3);
    await eventually(
      async () => (await progress()).counts,
      (counts) => counts.sent === 3,
    ).catch((error: Error) => {
      throw new Error(`not sent after reconciliation: ${error.message}`);
    });
    // Jobs that exist or ran are left alone, and a job put back twice acts once: nothing is sent twice.
    const campaigns = test.app.get(CampaignsService);
    expect(await campaigns.requeueLost(0)).toBe(0);
    const processor = test.app.get(CampaignFanoutProcessor);
    for (const organisation of targets) {
      await processor.process({
        name: JobName.CampaignFanout,
        data: { campaignId: lostId, organisationId: organisation.id, attempt: 1 },
        attemptsMade: 0,
        opts: { attempts: 3 },
      } as unknown as Job);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await count(test, 'inquiries')).toBe(inquiriesBefore + 3);
    expect(targets.map((organisation) => sink.to(organisation.email).length)).toEqual(lettersBefore.map((n) => n + 1));
  });
  it('counts answered and overdue per organisation and in the totals, as the deadlines pass', async () => {
    const targets = organisations.slice(8, 11);
    const id = (
      await test
        .http()
        .post('/api/v1/campaigns')
        .set(bearer(gpdp.tokens.officer))
        .send(
          body({
            deadline: { count: 10, unit: 'calendar_days' },
            organisationIds: targets.map((organisation) => organisation.id),
          }),
        )
        .expect(202)
    ).body.id as string;
    const sent = await settled(id);
    expect(sent.counts).toEqual({ total: 3, pending: 0, queued: 0, sent: 3, failed: 0, answered: 0, overdue: 0 });
    const inquiryOf = new Map(sent.targets.map((target) => [target.organisationId, target.inquiryId]));
    // Sessions expire as the clock moves: sign in again at the current time.
    let officer = gpdp.tokens.officer;
    let viewer = gpdp.tokens.viewer;
    const respond = (organisation: { id: string }) =>
      test
        .http()
        .post(`/api/v1/inquiries/${inquiryOf.get(organisation.id)}/responses`)
        .set(bearer(officer))
        .send({ receivedAt: clock.now().toISOString(), channel: 'email', summary: 'Our answers', answers: [] })
        .expect(201);
    const read = async () => {
      const response = (await campaign(viewer, id).expect(200)).body as {
        counts: Record<string, number>;
        targets: (TargetBody & { overdue: boolean })[];
      };
      const listed = (await test.http().get('/api/v1/campaigns').set(bearer(viewer)).expect(200)).body.items as {
        id: string;
        counts: Record<string, number>;
      }[];
      // The list's counts (aggregated in SQL) and the campaign's (from its rows) follow one rule.
      expect(listed.find((item) => item.id === id)?.counts).toEqual(response.counts);
      return {
        counts: response.counts,
        byOrganisation: new Map(
          response.targets.map((target) => [target.organisationId, { status: target.status, overdue: target.overdue }]),
        ),
      };
    };
    await respond(targets[0]);
    try {
      // An hour past the latest of the three due instants (a due date on a weekend or holiday moves on, so a fixed
      // shift would depend on today's date).
      const [{ latest }] = (await test.app
        .get(DataSource)
        .query(`SELECT max(due_at) AS latest FROM deadlines WHERE inquiry_id = ANY($1)`, [
          [...inquiryOf.values()],
        ])) as { latest: Date }[];
      clock.shiftMs = new Date(latest).getTime() + 3_600_000 - Date.now();
      officer = await tokenFor(test, 'officer@gpdp.test', 'officer-password-123');
      viewer = await tokenFor(test, 'viewer@gpdp.test', 'viewer-password-123');
      // Past due but not yet marked missed by the sweep.
      let progress = await read();
      expect(progress.counts).toEqual({ total: 3, pending: 0, queued: 0, sent: 2, failed: 0, answered: 1, overdue: 2 });
      expect(progress.byOrganisation.get(targets[0].id)).toEqual({ status: 'answered', overdue: false });
      expect(progress.byOrganisation.get(targets[1].id)).toEqual({ status: 'sent', overdue: true });
      // Marked missed: still overdue.
      await test.app.get(DeadlinesService).markOverdue();
      expect(
        (
          await test.app
            .get(DataSource)
            .query(`SELECT status FROM deadlines WHERE inquiry_id = $1`, [inquiryOf.get(targets[1].id)])
        ).map((row: { status: string }) => row.status),
      ).toEqual(['missed']);
      progress = await read();
      expect(progress.counts).toEqual({ total: 3, pending: 0, queued: 0, sent: 2, failed: 0, answered: 1, overdue: 2 });
      // A late answer makes the organisation answered, no longer overdue.
      await respond(targets[1]);
      progress = await read();
      expect(progress.counts).toEqual({ total: 3, pending: 0, queued: 0, sent: 1, failed: 0, answered: 2, overdue: 1 });
      expect(progress.byOrganisation.get(targets[1].id)).toEqual({ status: 'answered', overdue: false });
      expect(progress.byOrganisation.get(targets[2].id)).toEqual({ status: 'sent', overdue: true });
    } finally {
      clock.shiftMs = 0;
    }
  });
});
