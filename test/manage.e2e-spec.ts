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

/**
 * The API under the pages that manage work: a deadline added to a case with its kind, waiving one, an authority created
 * with its first administrator.
 */
describe('managing work (API)', () => {
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let caseId: string;

  const deadlinesOf = async (id: string) =>
    (await test.http().get(`/api/v1/deadlines?caseId=${id}&limit=500`).set(bearer(gpdp.tokens.officer)).expect(200))
      .body.items as { id: string; kind: string; status: string }[];
  const auditActions = async (id: string) =>
    (
      (await test.http().get(`/api/v1/audit?caseId=${id}`).set(bearer(gpdp.tokens.admin)).expect(200)).body.items as {
        action: string;
      }[]
    ).map((item) => item.action);

  beforeAll(async () => {
    test = await startTestApp();
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    caseId = (await createCase(test, gpdp, await createProvider(test, gpdp.tokens.officer))).id;
  });

  afterAll(async () => {
    await test?.close();
  });

  it('adds a compliance deadline to a case with its reminders, recorded in its history and the audit trail', async () => {
    const created = await test
      .http()
      .post(`/api/v1/cases/${caseId}/deadlines`)
      .set(bearer(gpdp.tokens.manager))
      .send({
        label: 'Acceptance of the corrective measures',
        kind: 'compliance',
        count: 10,
        unit: 'business_days',
        reminders: [{ offset: '-P1D', audience: 'assignee' }],
      })
      .expect(201);
    expect(created.body).toMatchObject({
      caseId,
      kind: 'compliance',
      label: 'Acceptance of the corrective measures',
      status: 'pending',
      rule: { type: 'period', count: 10, unit: 'business_days' },
    });
    expect(created.body.history.map((event: { action: string }) => event.action)).toEqual(['created']);
    expect(created.body.reminders).toEqual([
      expect.objectContaining({ offset: '-P1D', audience: 'assignee', status: 'scheduled' }),
    ]);
    expect((await deadlinesOf(caseId)).find((deadline) => deadline.id === created.body.id)?.kind).toBe('compliance');
    expect(await auditActions(caseId)).toContain('deadline.created');

    // Without a kind it is "other", as before.
    const other = await test
      .http()
      .post(`/api/v1/cases/${caseId}/deadlines`)
      .set(bearer(gpdp.tokens.officer))
      .send({ label: 'Check the website again', dueDate: '2099-03-02' })
      .expect(201);
    expect(other.body.kind).toBe('other');
  });

  it('refuses a deadline of a kind staff cannot add, from a viewer, or on another authority’s case; nothing is added', async () => {
    const before = (await deadlinesOf(caseId)).length;
    const wrongKind = await test
      .http()
      .post(`/api/v1/cases/${caseId}/deadlines`)
      .set(bearer(gpdp.tokens.officer))
      .send({ label: 'A response', kind: 'response', count: 5, unit: 'calendar_days' })
      .expect(400);
    expect(wrongKind.body.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    await test
      .http()
      .post(`/api/v1/cases/${caseId}/deadlines`)
      .set(bearer(gpdp.tokens.viewer))
      .send({ label: 'Viewer', count: 5, unit: 'calendar_days' })
      .expect(403);
    await test
      .http()
      .post(`/api/v1/cases/${caseId}/deadlines`)
      .set(bearer(pipc.tokens.admin))
      .send({ label: 'Other authority', count: 5, unit: 'calendar_days' })
      .expect(404);
    expect((await deadlinesOf(caseId)).length).toBe(before);
  });

  it('waives a deadline with a reason: its reminders are cancelled; refused for a viewer, another authority, a short reason or a second time', async () => {
    const created = await test
      .http()
      .post(`/api/v1/cases/${caseId}/deadlines`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        label: 'Follow-up check',
        kind: 'follow_up_check',
        count: 3,
        unit: 'months',
        reminders: [
          { offset: '-P7D', audience: 'assignee' },
          { offset: 'PT0S', audience: 'manager' },
        ],
      })
      .expect(201);
    const id = created.body.id as string;
    const status = async () =>
      (await test.http().get(`/api/v1/deadlines/${id}`).set(bearer(gpdp.tokens.viewer)).expect(200)).body.status;

    await test
      .http()
      .post(`/api/v1/deadlines/${id}/waive`)
      .set(bearer(gpdp.tokens.viewer))
      .send({ reason: 'Not needed any more' })
      .expect(403);
    const foreign = await test
      .http()
      .post(`/api/v1/deadlines/${id}/waive`)
      .set(bearer(pipc.tokens.manager))
      .send({ reason: 'Not needed any more' })
      .expect(404);
    expect(foreign.headers['content-type']).toContain('application/problem+json');
    const short = await test
      .http()
      .post(`/api/v1/deadlines/${id}/waive`)
      .set(bearer(gpdp.tokens.officer))
      .send({ reason: 'no' })
      .expect(400);
    expect(short.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect(await status()).toBe('pending');

    const waived = await test
      .http()
      .post(`/api/v1/deadlines/${id}/waive`)
      .set(bearer(gpdp.tokens.manager))
      .send({ reason: 'The organisation complied early' })
      .expect(200);
    expect(waived.body).toMatchObject({ status: 'waived' });
    expect(
      waived.body.history.map((event: { action: string; reason: string | null }) => [event.action, event.reason]),
    ).toEqual([
      ['created', null],
      ['waived', 'The organisation complied early'],
    ]);
    expect(waived.body.reminders.map((reminder: { status: string }) => reminder.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    await test
      .http()
      .post(`/api/v1/deadlines/${id}/waive`)
      .set(bearer(gpdp.tokens.manager))
      .send({ reason: 'Again, by mistake' })
      .expect(409);
  });

  it('creates an authority together with its first administrator, who can sign in as its admin', async () => {
    const sysadmin = await sysadminToken(test);
    const created = await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(sysadmin))
      .send({
        code: 'CNIL',
        name: 'Commission nationale de l’informatique et des libertés',
        country: 'FR',
        timezone: 'Europe/Paris',
        locale: 'fr-FR',
        holidayRegion: 'FR',
        admin: { name: 'Claire Martin', email: 'Admin@CNIL.test', password: 'cnil-admin-password-1' },
      })
      .expect(201);
    expect(created.body).toMatchObject({
      code: 'CNIL',
      weekendDays: [6, 7],
      admin: { email: 'admin@cnil.test', name: 'Claire Martin', role: 'admin', authority: { code: 'CNIL' } },
    });
    expect(JSON.stringify(created.body)).not.toContain('cnil-admin-password-1');
    const token = await tokenFor(test, 'admin@cnil.test', 'cnil-admin-password-1');
    const me = await test.http().get('/api/v1/me').set(bearer(token)).expect(200);
    expect(me.body).toMatchObject({ role: 'admin', authority: { code: 'CNIL' } });
  });

  it('creates neither the authority nor its administrator when either is refused, and only for a sysadmin', async () => {
    const sysadmin = await sysadminToken(test);
    const codes = async () =>
      ((await test.http().get('/api/v1/authorities').set(bearer(sysadmin)).expect(200)).body as { code: string }[]).map(
        (item) => item.code,
      );
    const body = {
      code: 'AP',
      name: 'Autoriteit Persoonsgegevens',
      country: 'NL',
      timezone: 'Europe/Amsterdam',
      locale: 'nl-NL',
      holidayRegion: 'NL',
    };

    const taken = await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(sysadmin))
      .send({ ...body, admin: { name: 'Someone', email: 'admin@gpdp.test', password: 'a-long-password-1' } })
      .expect(400);
    expect(taken.body.errors).toEqual([
      { field: 'admin.email', message: 'a user with email admin@gpdp.test already exists' },
    ]);
    const weak = await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(sysadmin))
      .send({ ...body, admin: { name: 'Someone', email: 'admin@ap.test', password: 'short' } })
      .expect(400);
    expect(weak.body.errors).toEqual([expect.objectContaining({ field: 'admin.password' })]);
    await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(gpdp.tokens.admin))
      .send({ ...body, admin: { name: 'Someone', email: 'admin@ap.test', password: 'a-long-password-1' } })
      .expect(403);
    expect(await codes()).not.toContain('AP');
    await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'admin@ap.test', password: 'a-long-password-1' })
      .expect(401);
  });

  it('describes the new fields in the OpenAPI document', async () => {
    const schemas = (await test.http().get('/api/docs-json').expect(200)).body.components.schemas;
    expect(schemas.CreateDeadlineRequest.properties.kind).toMatchObject({
      enum: ['compliance', 'follow_up_check', 'other'],
    });
    expect(schemas.CreateAuthorityRequest.properties.admin).toBeDefined();
    expect(schemas.FirstAdminRequest.required).toEqual(expect.arrayContaining(['email', 'name', 'password']));
  });
});
