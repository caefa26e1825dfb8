import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';

interface BulkAnswer {
  succeeded: string[];
  failed: { id: string; status: number; detail: string }[];
}

const HEADER =
  'external_reference,organisation,title,type,opened,assignee,deadline_label,deadline_event,deadline_count,deadline_unit,priority,tags';

describe('saved views, bulk actions and the CSV import of cases', () => {
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;
  let pipcCase: { id: string; reference: string };

  const http = () => test.http();
  const bulk = async (tenant: Tenant, body: Record<string, unknown>, token = tenant.tokens.officer) =>
    (await http().post('/api/v1/cases/bulk').set(bearer(token)).send(body).expect(200)).body as BulkAnswer;
  const getCase = async (tenant: Tenant, id: string) =>
    (await http().get(`/api/v1/cases/${id}`).set(bearer(tenant.tokens.officer)).expect(200)).body;
  const deadlinesOf = async (tenant: Tenant, caseId: string) =>
    (await http().get('/api/v1/deadlines').query({ caseId }).set(bearer(tenant.tokens.officer)).expect(200)).body
      .items as { id: string; dueDate: string; status: string }[];
  const auditCount = async (tenant: Tenant, action: string) =>
    (await http().get('/api/v1/audit').query({ action, limit: 5000 }).set(bearer(tenant.tokens.admin)).expect(200)).body
      .items.length as number;
  const upload = (tenant: Tenant, csv: string | Buffer, dryRun: boolean) =>
    http()
      .post('/api/v1/imports/cases')
      .query(dryRun ? { dryRun: 'true' } : {})
      .set(bearer(tenant.tokens.manager))
      .attach('file', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), {
        filename: 'cases.csv',
        contentType: 'text/csv',
      });

  beforeAll(async () => {
    test = await startTestApp();
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    organisationId = await createProvider(test, gpdp.tokens.officer, 'Kestrel Intelligence S.r.l.');
    const pipcOrg = await createProvider(test, pipc.tokens.officer, 'Hanbit AI Co., Ltd.');
    pipcCase = await createCase(test, pipc, pipcOrg, { title: 'Matter of PIPC' });
  });
  afterAll(() => test.close());

  it('extends the deadlines of 50 cases, 3 of them stale: 47 extended and audited one by one, 3 refused with 412', async () => {
    const cases: { id: string; dueDate: string }[] = [];
    for (let i = 0; i < 50; i++) {
      const kase = await createCase(test, gpdp, organisationId, { title: `Bulk matter ${i}`, tags: ['bulk-extend'] });
      const deadline = await http()
        .post(`/api/v1/cases/${kase.id}/deadlines`)
        .set(bearer(gpdp.tokens.officer))
        .send({ label: 'Reply to the request', count: 20, unit: 'calendar_days' })
        .expect(201);
      cases.push({ id: kase.id, dueDate: deadline.body.dueDate });
    }
    // Someone else changes three of them after the list was read.
    const stale = cases.slice(10, 13).map((kase) => kase.id);
    for (const id of stale)
      await http()
        .patch(`/api/v1/cases/${id}`)
        .set(bearer(gpdp.tokens.manager))
        .set('If-Match', '"1"')
        .send({ priority: 'high' })
        .expect(200);
    const extendedBefore = await auditCount(gpdp, 'deadline.extended');

    const answer = await bulk(gpdp, {
      ids: cases.map((kase) => kase.id),
      versions: Object.fromEntries(cases.map((kase) => [kase.id, 1])),
      action: 'extend',
      count: 10,
      unit: 'calendar_days',
      reason: 'Extension granted to every provider of the sweep',
    });

    expect(answer.succeeded).toHaveLength(47);
    expect(answer.failed).toHaveLength(3);
    expect(answer.failed.map((failure) => failure.id).sort()).toEqual([...stale].sort());
    expect(
      answer.failed.every((failure) => failure.status === 412 && /version 1.*version 2/.test(failure.detail)),
    ).toBe(true);
    for (const kase of cases) {
      const [deadline] = await deadlinesOf(gpdp, kase.id);
      if (stale.includes(kase.id)) expect(deadline.dueDate).toBe(kase.dueDate);
      else expect(deadline.dueDate > kase.dueDate).toBe(true);
    }
    expect((await auditCount(gpdp, 'deadline.extended')) - extendedBefore).toBe(47);
  });

  it("fails another authority's cases as 404 items and touches nothing of them", async () => {
    const own = await createCase(test, gpdp, organisationId, { title: 'Own matter' });
    const before = await getCase(pipc, pipcCase.id);
    const auditBefore = await auditCount(pipc, 'case.');
    for (const action of [
      { action: 'set_priority', priority: 'urgent' },
      { action: 'add_tag', tag: 'foreign' },
      { action: 'share' },
      { action: 'extend', count: 5, unit: 'calendar_days', reason: 'Extended from another authority' },
      { action: 'close', reason: 'Closed from another authority' },
    ]) {
      const answer = await bulk(gpdp, { ids: [pipcCase.id, own.id], ...action }, gpdp.tokens.manager);
      expect(answer.failed[0]).toEqual({ id: pipcCase.id, status: 404, detail: expect.stringContaining(pipcCase.id) });
      // The own case has no deadline to extend (409); every other action changes it.
      expect(answer.succeeded).toEqual(action.action === 'extend' ? [] : [own.id]);
    }
    const after = await getCase(pipc, pipcCase.id);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe('open');
    expect(after.tags).toEqual(before.tags);
    expect(await auditCount(pipc, 'case.')).toBe(auditBefore);
    expect((await getCase(gpdp, own.id)).status).toBe('closed');
  });

  it('reassigns, sets priority, tags, shares and closes, each change audited as if made alone; refuses bad input whole', async () => {
    const a = await createCase(test, gpdp, organisationId, { title: 'Reassign A' });
    const b = await createCase(test, gpdp, organisationId, { title: 'Reassign B' });
    const reassigned = await bulk(gpdp, { ids: [a.id, b.id], action: 'reassign', assigneeId: gpdp.userIds.manager });
    expect(reassigned).toEqual({ action: 'reassign', succeeded: [a.id, b.id], failed: [] });
    expect((await getCase(gpdp, a.id)).assignee.id).toBe(gpdp.userIds.manager);
    const updates = await http()
      .get('/api/v1/audit')
      .query({ caseId: b.id, action: 'case.updated' })
      .set(bearer(gpdp.tokens.admin))
      .expect(200);
    expect(updates.body.items).toHaveLength(1);
    expect(updates.body.items[0].actorId).toBe(gpdp.userIds.officer);

    expect((await bulk(gpdp, { ids: [a.id], action: 'add_tag', tag: 'kestrel' })).succeeded).toEqual([a.id]);
    expect((await getCase(gpdp, a.id)).tags).toEqual(['kestrel']);
    expect((await bulk(gpdp, { ids: [a.id], action: 'set_priority', priority: 'urgent' })).succeeded).toEqual([a.id]);
    // Sharing is for admins and managers, as the single share is.
    await http()
      .post('/api/v1/cases/bulk')
      .set(bearer(gpdp.tokens.officer))
      .send({ ids: [a.id], action: 'share' })
      .expect(403);
    expect((await bulk(gpdp, { ids: [a.id], action: 'share' }, gpdp.tokens.manager)).succeeded).toEqual([a.id]);
    expect((await getCase(gpdp, a.id)).sharedForCoordination).toBe(true);
    const closed = await bulk(gpdp, { ids: [a.id, b.id], action: 'close', reason: 'Matter settled' });
    expect(closed.succeeded).toEqual([a.id, b.id]);
    // A closed case is the wrong state for a change: 409 for that case alone.
    const again = await bulk(gpdp, { ids: [a.id], action: 'set_priority', priority: 'low' });
    expect(again.failed).toEqual([{ id: a.id, status: 409, detail: expect.stringContaining('closed') }]);
    // Viewers cannot act; a bad request is refused whole.
    await http()
      .post('/api/v1/cases/bulk')
      .set(bearer(gpdp.tokens.viewer))
      .send({ ids: [a.id], action: 'close', reason: 'x' })
      .expect(403);
    for (const body of [
      { action: 'close', reason: 'x' },
      { ids: [], action: 'close', reason: 'x' },
      { ids: ['not-a-uuid'], action: 'close', reason: 'x' },
      { ids: [a.id], action: 'explode' },
      { ids: [a.id], action: 'close' },
      { ids: [a.id], action: 'extend', count: 0, unit: 'calendar_days', reason: 'x' },
      { ids: [a.id], action: 'add_tag', tag: '!bad' },
      { ids: [a.id], action: 'reassign', assigneeId: gpdp.userIds.viewer },
      { ids: [a.id], action: 'reassign', assigneeId: pipc.userIds.officer },
      { ids: [a.id], versions: { [b.id]: 1 }, action: 'close', reason: 'x' },
      {
        ids: Array.from({ length: 501 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
        action: 'share',
      },
    ]) {
      const response = await http().post('/api/v1/cases/bulk').set(bearer(gpdp.tokens.manager)).send(body);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('saves views of the case and deadline lists, shares them, and acts on a view’s cases', async () => {
    const kestrel = await createCase(test, gpdp, organisationId, {
      title: 'Kestrel view matter',
      tags: ['kestrel-view'],
    });
    const mine = await http()
      .post('/api/v1/views')
      .set(bearer(gpdp.tokens.officer))
      .send({ name: 'Kestrel matters', list: 'cases', query: { tag: 'kestrel-view', sort: 'nextDueAt' } })
      .expect(201);
    expect(mine.body).toMatchObject({ name: 'Kestrel matters', shared: false, mine: true });
    expect(mine.body.href).toBe('/cases?tag=kestrel-view&sort=nextDueAt');
    const shared = await http()
      .post('/api/v1/views')
      .set(bearer(gpdp.tokens.officer))
      .send({ name: 'Overdue', list: 'deadlines', query: { due: 'overdue' }, shared: true })
      .expect(201);
    // The manager sees the shared view, not the private one; PIPC sees neither.
    const managers = (await http().get('/api/v1/views').set(bearer(gpdp.tokens.manager)).expect(200)).body.items;
    expect(managers.map((view: { name: string }) => view.name)).toEqual(['Overdue']);
    expect((await http().get('/api/v1/views').set(bearer(pipc.tokens.admin)).expect(200)).body.items).toEqual([]);
    await http().delete(`/api/v1/views/${mine.body.id}`).set(bearer(gpdp.tokens.manager)).expect(404);
    await http().delete(`/api/v1/views/${shared.body.id}`).set(bearer(pipc.tokens.admin)).expect(404);
    // What the list refuses, a view refuses.
    for (const query of [{ colour: 'red' }, { sort: 'shoeSize' }, { priority: 'enormous' }, { cursor: 'abc' }]) {
      const response = await http()
        .post('/api/v1/views')
        .set(bearer(gpdp.tokens.officer))
        .send({ name: 'Bad', list: 'cases', query })
        .expect(400);
      expect(response.body.errors[0].field).toMatch(/^query\./);
    }
    // A bulk action on the view's cases, and on another user's private view: 404.
    const answer = await bulk(gpdp, { viewId: mine.body.id, action: 'set_priority', priority: 'high' });
    expect(answer).toEqual({ action: 'set_priority', succeeded: [kestrel.id], failed: [] });
    await http()
      .post('/api/v1/cases/bulk')
      .set(bearer(gpdp.tokens.manager))
      .send({ viewId: mine.body.id, action: 'set_priority', priority: 'low' })
      .expect(404);
    await http().delete(`/api/v1/views/${mine.body.id}`).set(bearer(gpdp.tokens.officer)).expect(204);
    expect((await http().get('/api/v1/views').set(bearer(gpdp.tokens.officer)).expect(200)).body.items).toHaveLength(1);
  });

  describe('import', () => {
    const today = new Date().toISOString().slice(0, 10);
    const good = [
      HEADER,
      `GP-001,Kestrel Intelligence S.r.l.,Training data of the chatbot,ex_officio,2025-03-04,officer@gpdp.test,Reply to the request of 4 March,2025-03-04,20,calendar_days,high,kestrel;imported`,
      `GP-002,kestrel intelligence s.r.l.,"Complaint about a profile, ""inferred""",complaint,2025-06-10,,,,,,,`,
      `GP-003,Kestrel Intelligence S.r.l.,Breach notification of May,breach,${today},manager@gpdp.test,Further information,${today},30,calendar_days,,`,
    ].join('\r\n');

    it('a dry run lists every bad row and changes nothing; the real run then refuses the file whole (422)', async () => {
      const csv = [
        HEADER,
        `K-1,Kestrel Intelligence S.r.l.,Fine,ex_officio,2025-01-10,,,,,,,`,
        `K-2,Unknown Provider Ltd,A title,ex_officio,2025-01-10,,,,,,,`,
        `K-3,Kestrel Intelligence S.r.l.,A title,lawsuit,2025-13-10,,,,,,,`,
        `K-4,Kestrel Intelligence S.r.l.,A title,complaint,2025-01-10,nobody@gpdp.test,Reply,2025-01-10,20,fortnights,,`,
        `K-1,Kestrel Intelligence S.r.l.,Same key,complaint,2025-01-10,,,,,,,`,
        `K-6,Kestrel Intelligence S.r.l.,Short row`,
      ].join('\n');
      const casesBefore = (await http().get('/api/v1/cases').query({ limit: 200 }).set(bearer(gpdp.tokens.admin))).body
        .items.length;
      const dry = await upload(gpdp, csv, true).expect(200);
      expect(dry.body.dryRun).toBe(true);
      expect(dry.body.rows).toBe(6);
      const byLine = (line: number) =>
        dry.body.problems
          .filter((problem: { line: number }) => problem.line === line)
          .map((problem: { column: string }) => problem.column);
      expect(byLine(2)).toEqual([]);
      expect(byLine(3)).toEqual(['organisation']);
      expect(byLine(4).sort()).toEqual(['opened', 'type']);
      expect(byLine(5).sort()).toEqual(['assignee', 'deadline_unit']);
      expect(byLine(6)).toEqual(['external_reference']);
      expect(byLine(7)).toEqual(['*']);
      const refused = await upload(gpdp, csv, false).expect(422);
      expect(refused.body.report.problems.length).toBe(dry.body.problems.length);
      const casesAfter = (await http().get('/api/v1/cases').query({ limit: 200 }).set(bearer(gpdp.tokens.admin))).body
        .items.length;
      expect(casesAfter).toBe(casesBefore);
    });

    it('imports through the services once: a second run of the same file opens nothing more', async () => {
      const dry = await upload(gpdp, good, true).expect(200);
      expect(dry.body).toMatchObject({ rows: 3, created: 3, existing: 0, problems: [] });
      const first = await upload(gpdp, good, false).expect(200);
      expect(first.body).toMatchObject({ dryRun: false, created: 3, existing: 0 });
      const byKey = Object.fromEntries(first.body.items.map((item: { key: string }) => [item.key, item]));
      const imported = await getCase(gpdp, byKey['GP-001'].caseId);
      expect(imported).toMatchObject({
        title: 'Training data of the chatbot',
        priority: 'high',
        tags: ['kestrel', 'imported'],
      });
      expect(imported.reference).toMatch(/^GPDP-2025-/);
      expect(imported.createdAt.slice(0, 10)).toBe('2025-03-03'); // midnight in Rome is the evening before in UTC
      expect(imported.assignee.id).toBe(gpdp.userIds.officer);
      expect((await getCase(gpdp, byKey['GP-002'].caseId)).title).toBe('Complaint about a profile, "inferred"');
      // The 2025 deadline had passed: recorded as missed; today's runs, with its reminders planned.
      const [past] = await deadlinesOf(gpdp, byKey['GP-001'].caseId);
      expect(past).toMatchObject({ dueDate: '2025-03-24', status: 'missed' });
      const [running] = await deadlinesOf(gpdp, byKey['GP-003'].caseId);
      expect(running.status).toBe('pending');
      const view = (await http().get(`/api/v1/deadlines/${running.id}`).set(bearer(gpdp.tokens.officer)).expect(200))
        .body;
      expect(view.reminders.length).toBeGreaterThan(0);
      const trail = await http()
        .get('/api/v1/audit')
        .query({ caseId: byKey['GP-003'].caseId })
        .set(bearer(gpdp.tokens.admin))
        .expect(200);
      expect(trail.body.items.map((event: { action: string }) => event.action).sort()).toEqual(
        ['case.created', 'case.imported', 'deadline.created'].sort(),
      );

      const second = await upload(gpdp, good, false).expect(200);
      expect(second.body).toMatchObject({ created: 0, existing: 3 });
      expect(second.body.items.map((item: { caseId: string }) => item.caseId)).toEqual(
        first.body.items.map((item: { caseId: string }) => item.caseId),
      );
      const titled = await http()
        .get('/api/v1/cases')
        .query({ q: 'Training data of the chatbot' })
        .set(bearer(gpdp.tokens.admin))
        .expect(200);
      expect(titled.body.items).toHaveLength(1);
      // Another authority's import keys are its own.
      const other = await upload(
        pipc,
        good.replaceAll('Kestrel Intelligence S.r.l.', '"Hanbit AI Co., Ltd."').replaceAll('@gpdp.test', '@pipc.test'),
        true,
      ).expect(200);
      expect(other.body).toMatchObject({ created: 3, existing: 0, problems: [] });
    });

    it('refuses a file that is not UTF-8, lacks columns or has more than 10,000 rows, naming why', async () => {
      const latin1 = Buffer.from(
        `${HEADER}\nL-1,Kestrel Intelligence S.r.l.,Società,ex_officio,2025-01-10,,,,,,,\n`,
        'latin1',
      );
      const encoding = await upload(gpdp, latin1, true).expect(400);
      expect(encoding.body.detail).toContain('UTF-8');
      const columns = await upload(gpdp, 'external_reference,title\nX,Y\n', true).expect(400);
      expect(columns.body.detail).toContain('missing columns: organisation, type, opened');
      const row = `R,Kestrel Intelligence S.r.l.,T,ex_officio,2025-01-10,,,,,,,`;
      const big = [HEADER, ...Array.from({ length: 10_001 }, () => row)].join('\n');
      const tooMany = await upload(gpdp, big, false).expect(413);
      expect(tooMany.body.detail).toContain('10,000');
      await upload(gpdp, '"unclosed,quote', true).expect(400);
      await http().post('/api/v1/imports/cases').set(bearer(gpdp.tokens.manager)).expect(400);
      await upload(gpdp, good, true).set(bearer(gpdp.tokens.officer)).expect(403);
    });
  });
});
