import { Injectable, Module } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AuditService } from '#docket/audit';
import {
  CASE_FILE,
  CaseFile,
  CasesService,
  formatCaseReference,
  type CaseFileContribution,
  type TimelineDescription,
} from '#docket/cases';
import {
  Conflict,
  Contributes,
  FixedClock,
  httpExceptionOf,
  NotFound,
  RequestContext,
  UnitOfWork,
} from '#docket/platform';
import { DeadlinesService } from '#docket/deadlines';
import { runCli, verifyAuditChains } from '../apps/cli/src/commands.js';
import {
  bearer,
  createTenant,
  startTestApp,
  sysadminToken,
  tokenFor,
  type Tenant,
  type TestApp,
} from './support/app.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A context of the test's own adding to the case file, as the contexts that build on cases do. */
@Injectable()
@Contributes(CASE_FILE)
class TestCaseFile implements CaseFileContribution {
  readonly sections = [
    { key: 'testSection', load: async (caseId: string) => [{ caseId, authority: RequestContext.authorityId() }] },
  ];

  readonly timeline: Record<string, TimelineDescription> = {
    'test.happened': { summary: (event) => `Test event (${event.entityId})` },
  };
}

@Module({ providers: [TestCaseFile] })
class TestCaseFileModule {}

describe('cases', () => {
  let test: TestApp;
  let clock: FixedClock;
  let db: DataSource;
  let gpdp: Tenant;
  let pipc: Tenant;
  let sysadmin: string;
  let organisationId: string;
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params))[0].count);
  const audits = () => count('SELECT count(*) FROM audit_events');
  const rows_ = () =>
    count(
      'SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM case_notes) + (SELECT count(*) FROM case_reference_counters) AS count',
    );

  const atTime = async <T>(instant: string, fn: () => Promise<T>): Promise<T> => {
    const saved = clock.now();
    clock.set(new Date(instant));
    try {
      return await fn();
    } finally {
      clock.set(saved);
    }
  };

  const openCase = async (tenant: Tenant, body: Record<string, unknown> = {}, token = tenant.tokens.officer) => {
    const response = await test
      .http()
      .post('/api/v1/cases')
      .set(bearer(token))
      .send({ organisationId, title: 'Processing of personal data by DeepSeek', type: 'ex_officio', ...body });
    expect(response.status).toBe(201);
    return response.body as { id: string; reference: string; version: number; status: string };
  };

  /** Runs `fn` as GPDP's officer, as a request of theirs would. */
  const as = <T>(fn: () => Promise<T>) =>
    RequestContext.run(fn, {
      userId: gpdp.userIds.officer,
      authorityId: gpdp.authorityId,
      role: 'officer',
      label: 'GPDP officer <officer@gpdp.test>',
    });

  beforeAll(async () => {
    clock = new FixedClock(new Date('2025-01-28T09:00:00Z'));
    // Tokens live 30 days here: some tests move the clock by days.
    test = await startTestApp({
      clock,
      env: { TOKEN_TTL_MINUTES: String(30 * 24 * 60) },
      imports: [TestCaseFileModule],
    });
    db = test.app.get(DataSource);
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    sysadmin = await sysadminToken(test);
    const organisation = await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(gpdp.tokens.officer))
      .send({
        name: 'Hangzhou DeepSeek Artificial Intelligence Co., Ltd.',
        tradingNames: ['DeepSeek'],
        country: 'CN',
        products: ['DeepSeek app', { name: 'DeepSeek-R1', kind: 'model' }],
      })
      .expect(201);
    organisationId = organisation.body.id;
  });
  afterAll(() => test.close());

  it('opens a case with the next reference of its authority and year, and reads it back', async () => {
    const created = await test
      .http()
      .post('/api/v1/cases')
      .set(bearer(gpdp.tokens.officer))
      .send({
        organisationId,
        title: '  Richiesta di informazioni a DeepSeek  ',
        type: 'ex_officio',
        legalBasis: 'GDPR Art. 58(1)(a)',
        priority: 'urgent',
        assigneeId: gpdp.userIds.manager,
        products: ['deepseek app', 'DeepSeek-R1'],
        tags: ['ai', 'web scraping'],
        riskFlags: ['children', 'cross_border_transfer'],
      })
      .expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      reference: 'GPDP-2025-0001',
      title: 'Richiesta di informazioni a DeepSeek',
      status: 'open',
      type: 'ex_officio',
      priority: 'urgent',
      organisationId,
      organisation: { id: organisationId, name: 'Hangzhou DeepSeek Artificial Intelligence Co., Ltd.' },
      assigneeId: gpdp.userIds.manager,
      assignee: { id: gpdp.userIds.manager, name: 'GPDP manager' },
      products: ['DeepSeek app', 'DeepSeek-R1'],
      legalBasis: 'GDPR Art. 58(1)(a)',
      tags: ['ai', 'web scraping'],
      riskFlags: ['children', 'cross_border_transfer'],
      version: 1,
      sharedForCoordination: false,
      createdAt: '2025-01-28T09:00:00.000Z',
      updatedAt: '2025-01-28T09:00:00.000Z',
      closedAt: null,
      closeReason: null,
    });

    const second = await openCase(gpdp, { type: 'complaint' });
    expect(second.reference).toBe('GPDP-2025-0002');
    expect(second).toMatchObject({
      status: 'open',
      version: 1,
      priority: 'normal',
      assigneeId: null,
      products: [],
      tags: [],
      riskFlags: [],
      legalBasis: null,
    });
    // Each authority counts on its own.
    expect((await openCase(pipc)).reference).toBe('PIPC-2025-0001');

    const read = await test.http().get(`/api/v1/cases/${created.body.id}`).set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toMatchObject({
      ...created.body,
      notes: [],
      allowedActions: [
        { event: 'send_inquiry', to: 'awaiting_response' },
        { event: 'decide', to: 'decided' },
        { event: 'close', to: 'closed' },
      ],
    });
    // Beyond the case itself, only the sections other contexts contribute.
    const sections = test.app.get(CaseFile).sectionKeys();
    expect(Object.keys(read.body).sort()).toEqual(
      [...Object.keys(created.body), 'notes', 'allowedActions', ...sections].sort(),
    );

    const audit = await test
      .http()
      .get(`/api/v1/audit?caseId=${created.body.id}`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'case.created',
        entityType: 'case',
        entityId: created.body.id,
        caseId: created.body.id,
        actorId: gpdp.userIds.officer,
        after: expect.objectContaining({ reference: 'GPDP-2025-0001', status: 'open' }),
      }),
    ]);
  });

  it('accepts a title of exactly 300 characters', async () => {
    const created = await openCase(gpdp, { title: 'x'.repeat(300) });
    expect(created).toMatchObject({ title: 'x'.repeat(300) });
  });

  it('gives 50 concurrent creations in one authority 50 distinct consecutive references', async () => {
    const dpc = await createTenant(test, 'DPC', {
      country: 'IE',
      timezone: 'Europe/Dublin',
      locale: 'en-IE',
      holidayRegion: 'IE',
    });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        test
          .http()
          .post('/api/v1/cases')
          .set(bearer(dpc.tokens.officer))
          .send({ organisationId, title: `Concurrent case ${i}`, type: 'complaint' }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
    const references = responses.map((response) => response.body.reference as string).sort();
    expect(references).toEqual(Array.from({ length: 50 }, (_, i) => `DPC-2025-${String(i + 1).padStart(4, '0')}`));
    expect(
      await count(`SELECT last_number AS count FROM case_reference_counters WHERE authority_id = $1 AND year = 2025`, [
        dpc.authorityId,
      ]),
    ).toBe(50);
    const verify = await test.http().get('/api/v1/audit/verify').set(bearer(dpc.tokens.viewer)).expect(200);
    expect(verify.body).toMatchObject({ valid: true });
    expect(
      await count(`SELECT count(*) FROM audit_events WHERE authority_id = $1 AND action = 'case.created'`, [
        dpc.authorityId,
      ]),
    ).toBe(50);
  });

  it('writes creations that arrive together in one transaction, and one that cannot be written fails alone', async () => {
    const tenant = await createTenant(test, 'APD', {
      country: 'BE',
      timezone: 'Europe/Brussels',
      locale: 'fr-BE',
      holidayRegion: 'BE',
    });
    const reference = (n: number) => `APD-2025-${String(n).padStart(4, '0')}`;
    const start = (title: string) =>
      test
        .http()
        .post('/api/v1/cases')
        .set(bearer(tenant.tokens.officer))
        .send({ organisationId, title, type: 'complaint' })
        .then((response) => response);
    const lockWaits = async (n: number) => {
      for (let tries = 0; tries < 400; tries++) {
        const waiting = await count(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (waiting >= n) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`fewer than ${n} transactions wait for the reference counter`);
    };
    // Holds the authority's counter while creations come in: the first two batches (at most two run at once) wait
    // for it, the creations after them gather into the next.
    const whileCounterHeld = async (titles: string[]) => {
      const holder = new pg.Client({ connectionString: test.databaseUrl });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT 1 FROM case_reference_counters WHERE authority_id = $1 FOR UPDATE`, [
          tenant.authorityId,
        ]);
        const first = start(titles[0]);
        await lockWaits(1);
        const second = start(titles[1]);
        await lockWaits(2);
        const rest = titles.slice(2).map(start);
        // Time for them to be checked and to reach the batch (nothing of theirs touches the held counter).
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await holder.query('COMMIT');
        return await Promise.all([first, second, ...rest]);
      } finally {
        await holder.end();
      }
    };
    expect((await openCase(tenant)).reference).toBe(reference(1));

    const grouped = await whileCounterHeld(Array.from({ length: 10 }, (_, i) => `Grouped case ${i}`));
    expect(grouped.map((response) => response.status)).toEqual(Array(10).fill(201));
    expect(grouped.map((response) => response.body.reference as string).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => reference(i + 2)),
    );
    // Rows written by one transaction share its id (xmin): the eight that waited behind the first two went together.
    const transactions = (await db.query(
      `SELECT xmin::text AS tx, count(*)::int AS cases FROM cases WHERE authority_id = $1 AND title LIKE 'Grouped case %' GROUP BY 1`,
      [tenant.authorityId],
    )) as { tx: string; cases: number }[];
    expect(transactions.length).toBeLessThan(10);
    expect(Math.max(...transactions.map((row) => row.cases))).toBeGreaterThan(1);

    // A case that passes every check and still cannot be written (here a trigger refuses it) fails alone.
    await db.query(
      `CREATE FUNCTION test_refuse_poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.title = 'Poisoned case' THEN RAISE EXCEPTION 'this case cannot be written'; END IF; RETURN NEW; END $$`,
    );
    await db.query(
      `CREATE TRIGGER test_refuse_poisoned BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION test_refuse_poisoned()`,
    );
    try {
      const titles = Array.from({ length: 10 }, (_, i) => `Batch-mate ${i}`);
      titles.splice(6, 0, 'Poisoned case');
      const mixed = await whileCounterHeld(titles);
      const poisoned = mixed[6];
      const mates = mixed.filter((_, i) => i !== 6);
      expect(poisoned.status).toBe(500);
      expect(poisoned.body).toMatchObject({ status: 500 });
      expect(mates.map((response) => response.status)).toEqual(Array(10).fill(201));
      // Its number was given back: its batch-mates' references follow on without a gap.
      expect(mates.map((response) => response.body.reference as string).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => reference(i + 12)),
      );
      expect(mates.map((response) => response.body.title)).toEqual(titles.filter((title) => title !== 'Poisoned case'));
    } finally {
      await db.query(`DROP TRIGGER test_refuse_poisoned ON cases`);
      await db.query(`DROP FUNCTION test_refuse_poisoned()`);
    }
    expect(await count(`SELECT count(*) FROM cases WHERE title = 'Poisoned case'`)).toBe(0);
    expect(
      await count(`SELECT last_number AS count FROM case_reference_counters WHERE authority_id = $1 AND year = 2025`, [
        tenant.authorityId,
      ]),
    ).toBe(21);
    expect(
      await count(`SELECT count(*) FROM audit_events WHERE authority_id = $1 AND action = 'case.created'`, [
        tenant.authorityId,
      ]),
    ).toBe(21);
    const verify = await test.http().get('/api/v1/audit/verify').set(bearer(tenant.tokens.viewer)).expect(200);
    expect(verify.body).toMatchObject({ valid: true });
  });

  it("numbers by the year in the authority's time zone, and a refused creation leaves no gap", async () => {
    const saved = clock.now();
    try {
      clock.set(new Date('2025-12-31T16:30:00Z')); // 1 January 2026, 01:30 in Seoul; still 2025 in Rome
      const seoul = await createTenant(test, 'KFTC', {
        country: 'KR',
        timezone: 'Asia/Seoul',
        locale: 'ko-KR',
        holidayRegion: 'KR',
      });
      expect((await openCase(seoul)).reference).toBe('KFTC-2026-0001');
      const rome = await openCase(gpdp, {}, await tokenFor(test, 'officer@gpdp.test', 'officer-password-123'));
      expect(rome.reference).toMatch(/^GPDP-2025-\d{4}$/);
      await test
        .http()
        .post('/api/v1/cases')
        .set(bearer(seoul.tokens.officer))
        .send({ organisationId: UNKNOWN_ID, title: 'No such organisation', type: 'complaint' })
        .expect(400);
      expect((await openCase(seoul)).reference).toBe('KFTC-2026-0002');
    } finally {
      clock.set(saved);
    }
  });

  it('formats references in SQL exactly as formatCaseReference does, past 9999 too', async () => {
    const tenant = await createTenant(test, 'UODO', {
      country: 'PL',
      timezone: 'Europe/Warsaw',
      locale: 'pl-PL',
      holidayRegion: 'PL',
    });
    expect((await openCase(tenant)).reference).toBe(formatCaseReference('UODO', 2025, 1));
    await db.query(`UPDATE case_reference_counters SET last_number = 9998 WHERE authority_id = $1`, [
      tenant.authorityId,
    ]);
    expect((await openCase(tenant)).reference).toBe(formatCaseReference('UODO', 2025, 9999));
    expect((await openCase(tenant)).reference).toBe(formatCaseReference('UODO', 2025, 10000));
    expect(formatCaseReference('UODO', 2025, 10000)).toBe('UODO-2025-10000');
  });

  it('lists cases newest first with filters and a stable cursor', async () => {
    const tenant = await createTenant(test, 'CNIL', {
      country: 'FR',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      holidayRegion: 'FR',
    });
    const other = (
      await test
        .http()
        .post('/api/v1/organisations')
        .set(bearer(tenant.tokens.officer))
        .send({ name: 'Mistral AI SAS', country: 'FR' })
        .expect(201)
    ).body.id as string;
    const saved = clock.now();
    const made: { id: string; reference: string }[] = [];
    try {
      for (let i = 0; i < 7; i++) {
        // pairs share an instant: order falls back to id
        clock.set(new Date(saved.getTime() + Math.floor(i / 2) * 1000));
        made.push(
          await openCase(tenant, {
            organisationId: i % 3 === 0 ? other : organisationId,
            title: i === 4 ? 'Chatbot training on scraped data' : `Case ${i}`,
            assigneeId: i % 2 === 0 ? tenant.userIds.officer : undefined,
          }),
        );
      }
    } finally {
      clock.set(saved);
    }
    await test
      .http()
      .post(`/api/v1/cases/${made[1].id}/close`)
      .set(bearer(tenant.tokens.manager))
      .send({ reason: 'Duplicate of another case' })
      .expect(200);

    const list = (query: Record<string, string | number>) =>
      test.http().get('/api/v1/cases').query(query).set(bearer(tenant.tokens.viewer));
    const all = (await list({}).expect(200)).body;
    expect(all.nextCursor).toBeNull();
    expect(all.items).toHaveLength(7);
    const order = [...all.items].sort((a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
    expect(all.items.map((c: { id: string }) => c.id)).toEqual(order.map((c: { id: string }) => c.id));

    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list({
        limit: 3,
        ...(cursor ? { cursor } : {}),
      }).expect(200);
      walked.push(...page.body.items.map((c) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(all.items.map((c: { id: string }) => c.id));

    const ids = async (query: Record<string, string | number>) =>
      ((await list(query).expect(200)).body.items as { id: string }[]).map((c) => c.id).sort();
    expect(await ids({ organisationId: other })).toEqual([made[0].id, made[3].id, made[6].id].sort());
    expect(await ids({ assigneeId: tenant.userIds.officer })).toEqual(
      [made[0].id, made[2].id, made[4].id, made[6].id].sort(),
    );
    expect(await ids({ status: 'closed' })).toEqual([made[1].id]);
    expect(await ids({ status: 'open,closed' })).toHaveLength(7);
    expect(await ids({ q: 'SCRAPED' })).toEqual([made[4].id]);
    expect(await ids({ q: made[5].reference.toLowerCase() })).toEqual([made[5].id]);
    expect(await ids({ q: '%' })).toEqual([]);

    const badQueries: Record<string, string | number>[] = [
      { limit: 0 },
      { limit: 201 },
      { limit: 'ten' },
      { status: 'pending' },
      { organisationId: 'nope' },
      { cursor: 'garbage' },
    ];
    for (const query of badQueries) {
      const refused = await list(query);
      expect({ query, status: refused.status }).toEqual({ query, status: 400 });
      expect(refused.body.errors.length).toBeGreaterThan(0);
    }
  });

  it('changes a case with If-Match; a stale version gets 412 and nothing changes', async () => {
    const created = await openCase(gpdp);
    const url = `/api/v1/cases/${created.id}`;

    const missing = await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.officer))
      .send({ priority: 'high' })
      .expect(428);
    expect(missing.body).toMatchObject({ status: 428, detail: expect.stringContaining('If-Match') });

    const changed = await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.officer))
      .set('If-Match', '"1"')
      .send({
        priority: 'high',
        title: 'Renamed',
        assigneeId: gpdp.userIds.admin,
        tags: ['minors'],
        riskFlags: ['sensitive_data'],
        products: ['DeepSeek-R1'],
        legalBasis: 'PIPA Art. 63',
      })
      .expect(200);
    expect(changed.body).toMatchObject({
      version: 2,
      priority: 'high',
      title: 'Renamed',
      assigneeId: gpdp.userIds.admin,
      assignee: { name: 'GPDP admin' },
      tags: ['minors'],
      riskFlags: ['sensitive_data'],
      products: ['DeepSeek-R1'],
      legalBasis: 'PIPA Art. 63',
    });
    expect(changed.headers.etag).toBe('"2"');

    const before = {
      audits: await audits(),
      body: (await test.http().get(url).set(bearer(gpdp.tokens.viewer)).expect(200)).body,
    };
    const stale = await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.manager))
      .set('If-Match', '1')
      .send({ priority: 'low' })
      .expect(412);
    expect(stale.body).toMatchObject({
      status: 412,
      currentVersion: 2,
      detail: expect.stringContaining('you sent version 1, it is now at version 2'),
    });
    const after = (await test.http().get(url).set(bearer(gpdp.tokens.viewer)).expect(200)).body;
    expect(after).toEqual(before.body);
    expect(await audits()).toBe(before.audits);

    // Two writers with the same version: exactly one wins.
    const racing = await Promise.all(
      ['low', 'urgent'].map((priority) =>
        test.http().patch(url).set(bearer(gpdp.tokens.officer)).set('If-Match', '2').send({ priority }),
      ),
    );
    expect(racing.map((response) => response.status).sort()).toEqual([200, 412]);

    // Nothing to change: no new version, no audit event.
    const current = (await test.http().get(url).set(bearer(gpdp.tokens.viewer)).expect(200)).body;
    const auditsBefore = await audits();
    const same = await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.officer))
      .set('If-Match', String(current.version))
      .send({ title: current.title })
      .expect(200);
    expect(same.body.version).toBe(current.version);
    expect(await audits()).toBe(auditsBefore);

    // Clearing nullable fields.
    const cleared = await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.officer))
      .set('If-Match', String(current.version))
      .send({ assigneeId: null, legalBasis: null })
      .expect(200);
    expect(cleared.body).toMatchObject({
      assigneeId: null,
      assignee: null,
      legalBasis: null,
      version: current.version + 1,
    });

    const log = await test
      .http()
      .get(`/api/v1/audit?caseId=${created.id}&sort=seq`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    expect(log.body.items[1]).toMatchObject({
      action: 'case.updated',
      before: { priority: 'normal', title: 'Processing of personal data by DeepSeek', assigneeId: null },
      after: { priority: 'high', title: 'Renamed', assigneeId: gpdp.userIds.admin },
    });
  });

  it('refuses bad changes with field errors, changing nothing', async () => {
    const created = await openCase(gpdp);
    const url = `/api/v1/cases/${created.id}`;
    const attempts: [string, object, string | null][] = [
      ['null title', { title: null }, 'title'],
      ['blank title', { title: '  ' }, 'title'],
      ['oversize title', { title: 'y'.repeat(301) }, 'title'],
      ['bad priority', { priority: 'critical' }, 'priority'],
      ['null tags', { tags: null }, 'tags'],
      ['foreign assignee', { assigneeId: pipc.userIds.officer }, 'assigneeId'],
      ['viewer assignee', { assigneeId: gpdp.userIds.viewer }, 'assigneeId'],
      ['unknown product', { products: ['Janus'] }, 'products.0'],
      ['status is not patchable', { status: 'closed' }, 'status'],
      ['nothing to change', {}, null],
    ];
    const [auditsBefore, rowsBefore] = [await audits(), await rows_()];
    for (const [label, body, field] of attempts) {
      const response = await test.http().patch(url).set(bearer(gpdp.tokens.officer)).set('If-Match', '1').send(body);
      expect({ label, status: response.status }).toEqual({ label, status: 400 });
      if (field)
        expect({ label, fields: [...new Set(response.body.errors.map((e: { field: string }) => e.field))] }).toEqual({
          label,
          fields: [field],
        });
    }
    await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.officer))
      .set('If-Match', 'W/"abc"')
      .send({ priority: 'low' })
      .expect(400);
    expect([await audits(), await rows_()]).toEqual([auditsBefore, rowsBefore]);
    expect((await test.http().get(url).set(bearer(gpdp.tokens.viewer)).expect(200)).body).toMatchObject({
      version: 1,
      priority: 'normal',
    });
  });

  it('refuses bad new cases with field errors and writes nothing', async () => {
    const body = { organisationId, title: 'A valid title', type: 'complaint' };
    const attempts: [string, object, string[]][] = [
      ['unknown organisation', { ...body, organisationId: UNKNOWN_ID }, ['organisationId']],
      ['organisation not a uuid', { ...body, organisationId: 'deepseek' }, ['organisationId']],
      ['unknown assignee', { ...body, assigneeId: UNKNOWN_ID }, ['assigneeId']],
      ['assignee of another authority', { ...body, assigneeId: pipc.userIds.officer }, ['assigneeId']],
      ['viewer as assignee', { ...body, assigneeId: gpdp.userIds.viewer }, ['assigneeId']],
      ['empty title', { ...body, title: '' }, ['title']],
      ['blank title', { ...body, title: ' \t ' }, ['title']],
      ['oversize title', { ...body, title: 't'.repeat(301) }, ['title']],
      ['title not a string', { ...body, title: 42 }, ['title']],
      ['bad type', { ...body, type: 'audit' }, ['type']],
      ['bad priority', { ...body, priority: 'critical' }, ['priority']],
      ['bad risk flag', { ...body, riskFlags: ['kids'] }, ['riskFlags']],
      ['repeated risk flag', { ...body, riskFlags: ['children', 'children'] }, ['riskFlags']],
      ['bad tag', { ...body, tags: ['<script>'] }, ['tags']],
      ['product of no one', { ...body, products: ['Janus'] }, ['products.0']],
      ['unknown field', { ...body, status: 'decided' }, ['status']],
      ['missing fields', {}, ['organisationId', 'title', 'type']],
    ];
    const [auditsBefore, rowsBefore] = [await audits(), await rows_()];
    for (const [label, attempt, fields] of attempts) {
      const response = await test.http().post('/api/v1/cases').set(bearer(gpdp.tokens.officer)).send(attempt);
      expect({ label, status: response.status }).toEqual({ label, status: 400 });
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect({
        label,
        fields: [...new Set(response.body.errors.map((e: { field: string }) => e.field))].sort(),
      }).toEqual({ label, fields: [...fields].sort() });
    }
    expect([await audits(), await rows_()]).toEqual([auditsBefore, rowsBefore]);

    // A user of another authority reads exactly like an unknown one.
    const foreign = await test
      .http()
      .post('/api/v1/cases')
      .set(bearer(gpdp.tokens.officer))
      .send({ ...body, assigneeId: pipc.userIds.officer })
      .expect(400);
    expect(foreign.body.errors).toEqual([
      { field: 'assigneeId', message: `there is no user with id ${pipc.userIds.officer} in your authority` },
    ]);

    const badPath = await test.http().get('/api/v1/cases/not-a-uuid').set(bearer(gpdp.tokens.viewer)).expect(400);
    expect(badPath.body).toMatchObject({ status: 400, errors: [{ field: 'id', message: 'id must be a UUID' }] });
    await test.http().get(`/api/v1/cases/${UNKNOWN_ID}`).set(bearer(gpdp.tokens.viewer)).expect(404);
  });

  it('keeps notes, closes with a reason and refuses illegal moves naming what is allowed', async () => {
    const created = await openCase(gpdp);
    const url = `/api/v1/cases/${created.id}`;
    const note = await test
      .http()
      .post(`${url}/notes`)
      .set(bearer(gpdp.tokens.officer))
      .send({ text: 'Called the DPO; no answer.' })
      .expect(201);
    expect(note.body).toEqual({
      id: expect.any(String),
      text: 'Called the DPO; no answer.',
      authorId: gpdp.userIds.officer,
      author: 'GPDP officer <officer@gpdp.test>',
      createdAt: '2025-01-28T09:00:00.000Z',
    });
    await test.http().post(`${url}/notes`).set(bearer(gpdp.tokens.officer)).send({ text: '   ' }).expect(400);

    await test.http().post(`${url}/close`).set(bearer(gpdp.tokens.manager)).send({ reason: '' }).expect(400);
    await test.http().post(`${url}/close`).set(bearer(gpdp.tokens.manager)).send({}).expect(400);
    await test
      .http()
      .post(`${url}/close`)
      .set(bearer(gpdp.tokens.manager))
      .set('If-Match', '7')
      .send({ reason: 'Stale' })
      .expect(412);
    const closed = await atTime('2025-01-29T10:00:00Z', () =>
      test
        .http()
        .post(`${url}/close`)
        .set(bearer(gpdp.tokens.manager))
        .set('If-Match', '1')
        .send({ reason: 'The organisation left the market.' })
        .expect(200),
    );
    expect(closed.body).toMatchObject({
      status: 'closed',
      version: 2,
      closedAt: '2025-01-29T10:00:00.000Z',
      closeReason: 'The organisation left the market.',
    });

    const again = await test
      .http()
      .post(`${url}/close`)
      .set(bearer(gpdp.tokens.manager))
      .send({ reason: 'Again' })
      .expect(409);
    expect(again.body).toMatchObject({
      status: 409,
      currentStatus: 'closed',
      allowed: [],
      detail: expect.stringContaining('The case is closed'),
    });
    const edit = await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.officer))
      .set('If-Match', '2')
      .send({ priority: 'low' })
      .expect(409);
    expect(edit.body.detail).toContain('closed');

    const file = await test.http().get(url).set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(file.body).toMatchObject({
      status: 'closed',
      allowedActions: [],
      notes: [{ text: 'Called the DPO; no answer.', author: 'GPDP officer <officer@gpdp.test>' }],
    });
  });

  it('moves status through the service API that later contexts use, inside their transaction', async () => {
    const service = test.app.get(CasesService);
    const unitOfWork = test.app.get(UnitOfWork);
    const created = await openCase(gpdp);

    const moved = await as(() => unitOfWork.run(() => service.transition(created.id, 'send_inquiry')));
    expect(moved).toMatchObject({ status: 'awaiting_response', version: 2 });
    // A second inquiry while awaiting a response changes nothing.
    expect(await as(() => unitOfWork.run(() => service.transition(created.id, 'send_inquiry')))).toMatchObject({
      status: 'awaiting_response',
      version: 2,
    });

    // Recording a response needs an inquiry first: refused on an open case, naming what is allowed.
    const fresh = await openCase(gpdp);
    const refused = (await as(() => unitOfWork.run(() => service.transition(fresh.id, 'record_response'))).catch(
      (error: unknown) => error,
    )) as Conflict;
    // A domain refusal (the API answers it with 409 and these members).
    expect(refused).toBeInstanceOf(Conflict);
    expect(refused.extensions).toEqual({
      currentStatus: 'open',
      allowed: [
        { event: 'send_inquiry', to: 'awaiting_response' },
        { event: 'decide', to: 'decided' },
        { event: 'close', to: 'closed' },
      ],
    });
    expect(refused.detail).toBe(
      `${fresh.reference}: A case that is open cannot record a response (record_response). From open you can: send an inquiry (send_inquiry → awaiting_response), record an outcome (decide → decided), close the case (close → closed).`,
    );
    expect(httpExceptionOf(refused)?.getStatus()).toBe(409);

    // A rolled-back transaction leaves the case as it was.
    await expect(
      as(() =>
        unitOfWork.run(async () => {
          await service.transition(created.id, 'record_response');
          throw new Error('the response could not be stored');
        }),
      ),
    ).rejects.toThrow('could not be stored');
    expect((await as(() => service.require(created.id))).status).toBe('awaiting_response');

    await as(() => unitOfWork.run(() => service.transition(created.id, 'record_response')));
    await expect(as(() => service.requireOpenCase(created.id))).resolves.toMatchObject({
      status: 'under_review',
      version: 3,
    });
    // Another authority's case does not exist for the caller.
    const hidden = (await RequestContext.asAuthority(pipc.authorityId, () => service.requireOpenCase(created.id)).catch(
      (error: unknown) => error,
    )) as NotFound;
    expect(hidden).toBeInstanceOf(NotFound);

    const timeline = await test
      .http()
      .get(`/api/v1/cases/${created.id}/timeline`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    expect(timeline.body.items.map((e: { summary: string }) => e.summary)).toEqual([
      `Opened ${created.reference}: Processing of personal data by DeepSeek`,
      'Status open → awaiting_response',
      'Status awaiting_response → under_review',
    ]);
  });

  it('tells the whole story of a case on its timeline, oldest first, with who and when', async () => {
    const created = await openCase(gpdp);
    const url = `/api/v1/cases/${created.id}`;
    await atTime('2025-01-28T10:00:00Z', () =>
      test
        .http()
        .patch(url)
        .set(bearer(gpdp.tokens.manager))
        .set('If-Match', '1')
        .send({ priority: 'urgent', assigneeId: gpdp.userIds.officer })
        .expect(200),
    );
    await atTime('2025-01-28T11:00:00Z', () =>
      test
        .http()
        .post(`${url}/notes`)
        .set(bearer(gpdp.tokens.admin))
        .send({ text: 'Answer received by fax.' })
        .expect(201),
    );
    await atTime('2025-01-30T12:00:00Z', () =>
      test
        .http()
        .post(`${url}/close`)
        .set(bearer(gpdp.tokens.officer))
        .send({ reason: 'Urgent limitation ordered.' })
        .expect(200),
    );

    const timeline = await test.http().get(`${url}/timeline`).set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(timeline.body.items).toEqual([
      {
        seq: expect.any(String),
        at: '2025-01-28T09:00:00.000Z',
        actor: { id: gpdp.userIds.officer, label: 'GPDP officer <officer@gpdp.test>' },
        action: 'case.created',
        summary: `Opened ${created.reference}: Processing of personal data by DeepSeek`,
        entity: { type: 'case', id: created.id },
      },
      {
        seq: expect.any(String),
        at: '2025-01-28T10:00:00.000Z',
        actor: { id: gpdp.userIds.manager, label: 'GPDP manager <manager@gpdp.test>' },
        action: 'case.updated',
        summary: 'Changed priority (normal → urgent), assignee',
        entity: { type: 'case', id: created.id },
      },
      {
        seq: expect.any(String),
        at: '2025-01-28T11:00:00.000Z',
        actor: { id: gpdp.userIds.admin, label: 'GPDP admin <admin@gpdp.test>' },
        action: 'note.added',
        summary: 'Note: Answer received by fax.',
        entity: { type: 'note', id: expect.any(String) },
      },
      {
        seq: expect.any(String),
        at: '2025-01-30T12:00:00.000Z',
        actor: { id: gpdp.userIds.officer, label: 'GPDP officer <officer@gpdp.test>' },
        action: 'case.closed',
        summary: 'Closed (was open): Urgent limitation ordered.',
        entity: { type: 'case', id: created.id },
      },
    ]);
    const seqs = timeline.body.items.map((e: { seq: string }) => BigInt(e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
  });

  it("services of other contexts join the caller's transaction: all their writes commit or roll back with it", async () => {
    const cases = test.app.get(CasesService);
    const deadlines = test.app.get(DeadlinesService);
    const unitOfWork = test.app.get(UnitOfWork);
    const created = await openCase(gpdp);
    const deadline = await test
      .http()
      .post(`/api/v1/cases/${created.id}/deadlines`)
      .set(bearer(gpdp.tokens.officer))
      .send({ label: 'Joined deadline', dueAt: '2025-03-03T12:00:00Z' })
      .expect(201);
    const id = deadline.body.id as string;
    const actions = async () => (await as(() => deadlines.historyOf(id))).map((event) => event.action);

    await expect(
      as(() =>
        unitOfWork.run(async () => {
          await deadlines.suspend(id, 'waiting for the organisation');
          await cases.transition(created.id, 'send_inquiry');
          throw new Error('a later step failed');
        }),
      ),
    ).rejects.toThrow('a later step failed');
    expect((await as(() => deadlines.get(id))).status).toBe('pending');
    expect((await as(() => cases.require(created.id))).status).toBe('open');
    expect(await actions()).toEqual(['created']);

    await as(() =>
      unitOfWork.run(async () => {
        await deadlines.suspend(id, 'waiting for the organisation');
        await deadlines.waive(id, 'no longer needed');
      }),
    );
    expect((await as(() => deadlines.get(id))).status).toBe('waived');
    expect(await actions()).toEqual(['created', 'suspended', 'waived']);
  });

  it('includes the sections other contexts contribute to the case file, and their timeline lines', async () => {
    expect(test.app.get(CaseFile).sectionKeys()).toEqual(
      expect.arrayContaining(['inquiries', 'responses', 'outcomes', 'inbound', 'testSection']),
    );
    const created = await openCase(gpdp);
    const file = await test.http().get(`/api/v1/cases/${created.id}`).set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(file.body.testSection).toEqual([{ caseId: created.id, authority: gpdp.authorityId }]);

    const service = test.app.get(CasesService);
    await RequestContext.asAuthority(gpdp.authorityId, () =>
      test.app.get(UnitOfWork).run(async () => {
        await service.getForUpdate(created.id);
        await test.app
          .get(AuditService)
          .record({ action: 'test.happened', entityType: 'test', entityId: 'test-1', caseId: created.id });
      }),
    );
    const timeline = await test
      .http()
      .get(`/api/v1/cases/${created.id}/timeline`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    expect(timeline.body.items.at(-1)).toMatchObject({
      action: 'test.happened',
      summary: 'Test event (test-1)',
      actor: { id: null, label: 'system' },
    });
  });

  describe('access matrix', () => {
    type Actor =
      'admin' | 'manager' | 'officer' | 'viewer' | 'foreignAdmin' | 'foreignViewer' | 'sysadmin' | 'anonymous';
    const actors: Actor[] = [
      'admin',
      'manager',
      'officer',
      'viewer',
      'foreignAdmin',
      'foreignViewer',
      'sysadmin',
      'anonymous',
    ];
    const auth = (actor: Actor) => {
      const token = {
        admin: gpdp.tokens.admin,
        manager: gpdp.tokens.manager,
        officer: gpdp.tokens.officer,
        viewer: gpdp.tokens.viewer,
        foreignAdmin: pipc.tokens.admin,
        foreignViewer: pipc.tokens.viewer,
        sysadmin,
        anonymous: null,
      }[actor];
      return token ? bearer(token) : {};
    };
    const version = async (id: string) =>
      (await test.http().get(`/api/v1/cases/${id}`).set(bearer(gpdp.tokens.viewer)).expect(200)).body.version as number;
    let target: string;

    beforeAll(async () => {
      target = (await openCase(gpdp, { title: 'Matrix target' })).id;
    });

    interface Row {
      endpoint: string;
      writes: boolean;
      /** The GPDP case the call is about (a fresh one where the call uses it up). */
      subject?: (actor: Actor) => Promise<string>;
      call: (actor: Actor, caseId: string) => Promise<{ status: number; body: { items?: { id: string }[] } }>;
      expected: Record<Actor, number>;
    }

    // Writers of the case's authority succeed; viewers and sysadmins are refused by role (403) before any
    // case is looked at; users of another authority do not see the case (404) and list only their own.
    const rows: Row[] = [
      {
        endpoint: 'POST /cases',
        writes: true,
        call: (actor) =>
          test
            .http()
            .post('/api/v1/cases')
            .set(auth(actor))
            .send({ organisationId, title: 'Matrix case', type: 'breach' }),
        expected: {
          admin: 201,
          manager: 201,
          officer: 201,
          viewer: 403,
          foreignAdmin: 201,
          foreignViewer: 403,
          sysadmin: 403,
          anonymous: 401,
        },
      },
      {
        endpoint: 'GET /cases',
        writes: false,
        call: (actor) => test.http().get('/api/v1/cases?limit=200').set(auth(actor)),
        expected: {
          admin: 200,
          manager: 200,
          officer: 200,
          viewer: 200,
          foreignAdmin: 200,
          foreignViewer: 200,
          sysadmin: 403,
          anonymous: 401,
        },
      },
      {
        endpoint: 'GET /cases/{id}',
        writes: false,
        call: (actor, id) => test.http().get(`/api/v1/cases/${id}`).set(auth(actor)),
        expected: {
          admin: 200,
          manager: 200,
          officer: 200,
          viewer: 200,
          foreignAdmin: 404,
          foreignViewer: 404,
          sysadmin: 403,
          anonymous: 401,
        },
      },
      {
        endpoint: 'PATCH /cases/{id}',
        writes: true,
        call: async (actor, id) =>
          test
            .http()
            .patch(`/api/v1/cases/${id}`)
            .set(auth(actor))
            .set('If-Match', String(await version(id)))
            .send({ title: `Matrix target (${actor})` }),
        expected: {
          admin: 200,
          manager: 200,
          officer: 200,
          viewer: 403,
          foreignAdmin: 404,
          foreignViewer: 403,
          sysadmin: 403,
          anonymous: 401,
        },
      },
      {
        endpoint: 'POST /cases/{id}/notes',
        writes: true,
        call: (actor, id) =>
          test
            .http()
            .post(`/api/v1/cases/${id}/notes`)
            .set(auth(actor))
            .send({ text: `Note by ${actor}` }),
        expected: {
          admin: 201,
          manager: 201,
          officer: 201,
          viewer: 403,
          foreignAdmin: 404,
          foreignViewer: 403,
          sysadmin: 403,
          anonymous: 401,
        },
      },
      {
        endpoint: 'POST /cases/{id}/close',
        writes: true,
        subject: async (actor) => (await openCase(gpdp, { title: `To be closed by ${actor}` })).id,
        call: (actor, id) => test.http().post(`/api/v1/cases/${id}/close`).set(auth(actor)).send({ reason: 'Matrix' }),
        expected: {
          admin: 200,
          manager: 200,
          officer: 200,
          viewer: 403,
          foreignAdmin: 404,
          foreignViewer: 403,
          sysadmin: 403,
          anonymous: 401,
        },
      },
      {
        endpoint: 'GET /cases/{id}/timeline',
        writes: false,
        call: (actor, id) => test.http().get(`/api/v1/cases/${id}/timeline`).set(auth(actor)),
        expected: {
          admin: 200,
          manager: 200,
          officer: 200,
          viewer: 200,
          foreignAdmin: 404,
          foreignViewer: 404,
          sysadmin: 403,
          anonymous: 401,
        },
      },
    ];

    it.each(rows.map((row) => [row.endpoint, row] as const))('%s', async (_endpoint, row) => {
      const actual = {} as Record<Actor, number>;
      for (const actor of actors) {
        const id = row.subject ? await row.subject(actor) : target;
        const [auditsBefore, rowsBefore] = [await audits(), await rows_()];
        const response = await row.call(actor, id);
        actual[actor] = response.status;
        const written = {
          audit: (await audits()) - auditsBefore,
          refusedRowsChanged: response.status >= 400 && (await rows_()) !== rowsBefore,
        };
        // One audit event per change, none (and no row) for a refusal.
        if (row.writes)
          expect({ actor, ...written }).toEqual({
            actor,
            audit: response.status < 300 ? 1 : 0,
            refusedRowsChanged: false,
          });
        else expect({ actor, ...written }).toEqual({ actor, audit: 0, refusedRowsChanged: false });
        if (row.endpoint === 'GET /cases' && response.status === 200) {
          expect({ actor, listed: response.body.items?.some((c) => c.id === target) }).toEqual({
            actor,
            listed: !actor.startsWith('foreign'),
          });
        }
      }
      expect(actual).toEqual(row.expected);
    });
  });

  it('detects an audit row edited directly in SQL, over HTTP and in the CLI', async () => {
    const tenant = await createTenant(test, 'AEPD', {
      country: 'ES',
      timezone: 'Europe/Madrid',
      locale: 'es-ES',
      holidayRegion: 'ES',
    });
    const victim = await openCase(tenant, { title: 'Original title' });
    await openCase(tenant, { title: 'A later case' });
    const healthy = await test.http().get('/api/v1/audit/verify').set(bearer(tenant.tokens.viewer)).expect(200);
    expect(healthy.body).toMatchObject({ valid: true });

    const [{ id, seq }] = (await db.query(
      `SELECT id, seq FROM audit_events WHERE case_id = $1 AND action = 'case.created'`,
      [victim.id],
    )) as { id: string; seq: string }[];
    const superuser = new pg.Client({ connectionString: test.databaseUrl });
    await superuser.connect();
    try {
      await expect(
        superuser.query(`UPDATE audit_events SET after = jsonb_set(after, '{title}', '"Edited title"') WHERE id = $1`, [
          id,
        ]),
      ).rejects.toThrow(/append-only/);
      // Only by switching off triggers, which takes a superuser, can the row be changed.
      await superuser.query(`SET session_replication_role = replica`);
      await superuser.query(
        `UPDATE audit_events SET after = jsonb_set(after, '{title}', '"Edited title"') WHERE id = $1`,
        [id],
      );
    } finally {
      await superuser.end();
    }

    const verify = await test.http().get('/api/v1/audit/verify').set(bearer(tenant.tokens.viewer)).expect(200);
    expect(verify.body).toMatchObject({
      valid: false,
      firstBad: { seq, id, problem: expect.stringContaining('edited') },
    });

    const reports = await verifyAuditChains(db, test.runtime);
    expect(reports.find((r) => r.authority === 'AEPD')).toMatchObject({ valid: false, firstBad: { seq, id } });
    expect(reports.filter((r) => r.authority !== 'AEPD').every((r) => r.valid)).toBe(true);
    expect(reports.map((r) => r.authority)).toEqual(expect.arrayContaining(['GPDP', 'PIPC', 'AEPD']));

    const env = {
      DATABASE_URL: test.databaseUrl,
      DOCKET_DATA_DIR: test.runtime.config.DOCKET_DATA_DIR,
      LOG_LEVEL: 'silent',
    };
    const out: string[] = [];
    expect(await runCli(['verify-audit', '--authority', 'AEPD'], env, (line) => out.push(line))).toBe(1);
    expect(out.map((line) => JSON.parse(line))).toEqual([
      {
        authority: 'AEPD',
        valid: false,
        entries: expect.any(Number),
        head: expect.any(String),
        firstBad: { seq, id, problem: expect.stringContaining('edited') },
        legacyEntries: 0,
        checkpoints: expect.any(Array),
      },
    ]);
    const fine: string[] = [];
    expect(await runCli(['verify-audit', '--authority', 'GPDP'], env, (line) => fine.push(line))).toBe(0);
    expect(JSON.parse(fine[0])).toMatchObject({ authority: 'GPDP', valid: true, firstBad: null });
    expect(await runCli(['verify-audit'], env, () => undefined)).toBe(1);
    await expect(runCli(['verify-audit', '--authority', 'NOPE'], env, () => undefined)).rejects.toThrow(
      'no authority with code NOPE',
    );
  });

  it('documents every endpoint with its schemas and error responses', async () => {
    const docs = (await test.http().get('/api/docs-json').expect(200)).body;
    const expected: [string, string, string[]][] = [
      ['/api/v1/organisations', 'post', ['201', '400', '401', '403', '409']],
      ['/api/v1/organisations', 'get', ['200', '400', '401']],
      ['/api/v1/organisations/{id}', 'get', ['200', '400', '401', '404']],
      ['/api/v1/organisations/{id}', 'patch', ['200', '400', '401', '403', '404', '409', '412', '428']],
      ['/api/v1/cases', 'post', ['201', '400', '401', '403']],
      ['/api/v1/cases', 'get', ['200', '400', '401', '403']],
      ['/api/v1/cases/{id}', 'get', ['200', '400', '401', '403', '404']],
      ['/api/v1/cases/{id}', 'patch', ['200', '400', '401', '403', '404', '409', '412', '428']],
      ['/api/v1/cases/{id}/close', 'post', ['200', '400', '401', '403', '404', '409', '412']],
      ['/api/v1/cases/{id}/notes', 'post', ['201', '400', '401', '403', '404']],
      ['/api/v1/cases/{id}/timeline', 'get', ['200', '400', '401', '403', '404']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = docs.paths[path]?.[method];
      expect({ path, method, statuses: Object.keys(operation?.responses ?? {}).sort() }).toEqual({
        path,
        method,
        statuses: [...statuses].sort(),
      });
    }
    expect(docs.paths['/api/v1/cases/{id}'].patch.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header', required: true })]),
    );
    expect(docs.components.schemas.CreateCaseRequest.required).toEqual(
      expect.arrayContaining(['organisationId', 'title', 'type']),
    );
    expect(docs.components.schemas.CreateCaseRequest.properties.type.enum).toEqual([
      'ex_officio',
      'complaint',
      'cooperation',
      'breach',
    ]);
    expect(docs.components.schemas.CreateOrganisationRequest.required).toEqual(
      expect.arrayContaining(['name', 'country']),
    );
    expect(docs.components.schemas.CaseSummaryView.properties.reference).toBeDefined();
    expect(docs.components.schemas.ProblemDoc.properties.errors).toBeDefined();
  });
});
