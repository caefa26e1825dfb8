import { DataSource } from 'typeorm';
import { FixedClock } from '#docket/platform';
import { bearer, createTenant, startTestApp, sysadminToken, type Tenant, type TestApp } from './support/app.js';

const deepseek = {
  name: 'Hangzhou DeepSeek Artificial Intelligence Co., Ltd.',
  tradingNames: ['DeepSeek'],
  country: 'CN',
  website: 'https://www.deepseek.com',
  legalEntities: [
    {
      name: 'Hangzhou DeepSeek Artificial Intelligence Basic Technology Research Co., Ltd.',
      country: 'CN',
      registrationNumber: '91330105MACPN4X08Y',
    },
    { name: 'Beijing DeepSeek Artificial Intelligence Co., Ltd.', country: 'CN', address: 'Beijing' },
  ],
  contacts: [
    { email: 'privacy@deepseek.example', role: 'dpo' },
    { name: 'Legal team', email: 'Legal@DeepSeek.example', role: 'legal' },
  ],
  representatives: [
    { jurisdiction: 'EU', appointed: false },
    { jurisdiction: 'KR', appointed: true, name: 'Local agent Ltd.', email: 'kr-agent@deepseek.example' },
  ],
  products: ['DeepSeek app', { name: 'DeepSeek-R1', kind: 'model' }, { name: 'DeepSeek API', kind: 'api' }],
};

describe('organisation registry', () => {
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let sysadmin: string;
  let db: DataSource;
  const count = async (sql: string) => Number((await db.query(sql))[0].count);

  beforeAll(async () => {
    test = await startTestApp({ clock: new FixedClock(new Date('2025-01-28T09:00:00Z')) });
    db = test.app.get(DataSource);
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    sysadmin = await sysadminToken(test);
  });
  afterAll(() => test.close());

  it('registers an organisation with its legal entities, contacts, representatives and products', async () => {
    const created = await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(gpdp.tokens.officer))
      .send(deepseek)
      .expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: deepseek.name,
      tradingNames: ['DeepSeek'],
      country: 'CN',
      website: 'https://www.deepseek.com',
      legalEntities: [
        {
          name: deepseek.legalEntities[0].name,
          country: 'CN',
          registrationNumber: '91330105MACPN4X08Y',
          address: null,
        },
        { name: deepseek.legalEntities[1].name, country: 'CN', registrationNumber: null, address: 'Beijing' },
      ],
      contacts: [
        { name: null, email: 'privacy@deepseek.example', role: 'dpo' },
        { name: 'Legal team', email: 'legal@deepseek.example', role: 'legal' },
      ],
      representatives: [
        { jurisdiction: 'EU', appointed: false, name: null, email: null, address: null },
        {
          jurisdiction: 'KR',
          appointed: true,
          name: 'Local agent Ltd.',
          email: 'kr-agent@deepseek.example',
          address: null,
        },
      ],
      products: [
        { name: 'DeepSeek app', kind: null },
        { name: 'DeepSeek-R1', kind: 'model' },
        { name: 'DeepSeek API', kind: 'api' },
      ],
      version: 1,
      createdAt: '2025-01-28T09:00:00.000Z',
      updatedAt: '2025-01-28T09:00:00.000Z',
    });

    // The identity is shared: another authority reads the same record, without the Garante's contacts.
    const read = await test
      .http()
      .get(`/api/v1/organisations/${created.body.id}`)
      .set(bearer(pipc.tokens.viewer))
      .expect(200);
    expect(read.body).toEqual({ ...created.body, contacts: [], representatives: [] });
    expect(read.headers.etag).toBe('"1"');
    const own = await test
      .http()
      .get(`/api/v1/organisations/${created.body.id}`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    expect(own.body).toEqual(created.body);

    // Recorded in the acting authority's chain only.
    const audit = await test.http().get('/api/v1/audit?sort=seq').set(bearer(gpdp.tokens.manager)).expect(200);
    expect(audit.body.items.at(-1)).toMatchObject({
      action: 'organisation.created',
      entityType: 'organisation',
      entityId: created.body.id,
      caseId: null,
      after: { name: deepseek.name },
    });
    const pipcAudit = await test.http().get('/api/v1/audit').set(bearer(pipc.tokens.manager)).expect(200);
    expect(pipcAudit.body.items.some((e: { entityId: string }) => e.entityId === created.body.id)).toBe(false);
  });

  it('accepts the minimal shape of API.md', async () => {
    const created = await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(pipc.tokens.officer))
      .send({
        name: 'OpenAI OpCo, LLC',
        country: 'US',
        contacts: [{ email: 'privacy@openai.example', role: 'dpo' }],
        products: ['ChatGPT'],
      })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'OpenAI OpCo, LLC',
      tradingNames: [],
      website: null,
      legalEntities: [],
      representatives: [],
      products: [{ name: 'ChatGPT', kind: null }],
    });
  });

  it('finds organisations by legal or trading name, ignoring case, page by page', async () => {
    for (const name of ['Mistral AI SAS', 'Anthropic PBC', 'Zeta 100% Labs']) {
      await test
        .http()
        .post('/api/v1/organisations')
        .set(bearer(gpdp.tokens.officer))
        .send({ name, country: 'FR', tradingNames: name === 'Anthropic PBC' ? ['Claude'] : [] })
        .expect(201);
    }
    const names = async (query: string) =>
      (
        await test.http().get(`/api/v1/organisations${query}`).set(bearer(gpdp.tokens.viewer)).expect(200)
      ).body.items.map((o: { name: string }) => o.name);
    expect(await names('?q=deepseek')).toEqual([deepseek.name]);
    expect(await names('?q=HANGZHOU')).toEqual([deepseek.name]);
    expect(await names('?q=claude')).toEqual(['Anthropic PBC']);
    expect(await names('?q=100%25')).toEqual(['Zeta 100% Labs']);
    expect(await names('?q=%25')).toEqual(['Zeta 100% Labs']);
    expect(await names('?q=nobody')).toEqual([]);

    const all = await names('');
    expect(all).toEqual([...all].sort());
    expect(all).toHaveLength(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await test
        .http()
        .get('/api/v1/organisations')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(bearer(sysadmin))
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((o) => o.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);

    const badCursor = await test
      .http()
      .get('/api/v1/organisations?cursor=bm9wZQ')
      .set(bearer(gpdp.tokens.viewer))
      .expect(400);
    expect(badCursor.body.errors).toEqual([{ field: 'cursor', message: expect.stringContaining('nextCursor') }]);
    await test.http().get('/api/v1/organisations?limit=0').set(bearer(gpdp.tokens.viewer)).expect(400);
    await test.http().get('/api/v1/organisations?limit=201').set(bearer(gpdp.tokens.viewer)).expect(400);
  });

  it('can serve name search from the trigram index', async () => {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      const plan = (await runner.query(
        `EXPLAIN SELECT id FROM organisations WHERE search_text ILIKE '%deepseek%'`,
      )) as { 'QUERY PLAN': string }[];
      expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('organisations_search_trgm');
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  });

  it('changes an organisation with If-Match: 428 without it, 412 when stale, nothing changes on refusal', async () => {
    const created = await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(gpdp.tokens.officer))
      .send({ name: 'Moonshot AI', country: 'CN' })
      .expect(201);
    const url = `/api/v1/organisations/${created.body.id}`;
    const audits = () => count(`SELECT count(*) FROM audit_events`);
    const before = await audits();

    const missing = await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.officer))
      .send({ website: 'https://moonshot.example' })
      .expect(428);
    expect(missing.body.detail).toContain('If-Match');
    await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.officer))
      .set('If-Match', 'latest')
      .send({ website: 'https://moonshot.example' })
      .expect(400);

    const changed = await test
      .http()
      .patch(url)
      .set(bearer(pipc.tokens.officer))
      .set('If-Match', '"1"')
      .send({ tradingNames: ['Kimi'], products: [{ name: 'Kimi', kind: 'app' }] })
      .expect(200);
    expect(changed.body).toMatchObject({
      version: 2,
      tradingNames: ['Kimi'],
      products: [{ name: 'Kimi', kind: 'app' }],
    });
    expect(changed.headers.etag).toBe('"2"');

    const stale = await test
      .http()
      .patch(url)
      .set(bearer(gpdp.tokens.officer))
      .set('If-Match', '1')
      .send({ website: 'https://moonshot.example' })
      .expect(412);
    expect(stale.body).toMatchObject({ status: 412, currentVersion: 2, detail: expect.stringContaining('version 1') });
    await test.http().patch(url).set(bearer(gpdp.tokens.officer)).set('If-Match', '2').send({ name: null }).expect(400);
    await test.http().patch(url).set(bearer(gpdp.tokens.officer)).set('If-Match', '2').send({}).expect(400);

    const read = await test.http().get(url).set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(read.body).toEqual(changed.body);
    // The change is in the chain of the authority that made it and of the one that registered it.
    expect(await audits()).toBe(before + 2);
    for (const token of [pipc.tokens.admin, gpdp.tokens.admin]) {
      const trail = await test.http().get('/api/v1/audit?sort=seq').set(bearer(token)).expect(200);
      expect(trail.body.items.at(-1)).toMatchObject({
        action: 'organisation.updated',
        entityId: created.body.id,
        actorLabel: expect.stringContaining('officer@pipc.test'),
        before: { tradingNames: [], products: [] },
        after: { tradingNames: ['Kimi'], version: 2 },
      });
    }
  });

  it('refuses a second registration of the same legal name and country', async () => {
    const again = await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(pipc.tokens.officer))
      .send({ name: deepseek.name.toUpperCase(), country: 'CN' })
      .expect(409);
    expect(again.body.detail).toContain('already registered');
    await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(pipc.tokens.officer))
      .send({ name: deepseek.name, country: 'SG' })
      .expect(201);
  });

  it('refuses bad input with field errors and writes nothing', async () => {
    const cases: [string, object, string[]][] = [
      ['empty name', { name: '', country: 'CN' }, ['name']],
      ['blank name', { name: '   ', country: 'CN' }, ['name']],
      ['oversize name', { name: 'x'.repeat(301), country: 'CN' }, ['name']],
      ['bad country', { name: 'X Corp', country: 'China' }, ['country']],
      ['website not a URL', { name: 'X Corp', country: 'CN', website: 'javascript:alert(1)' }, ['website']],
      [
        'contact role',
        { name: 'X Corp', country: 'CN', contacts: [{ email: 'a@x.example', role: 'ceo' }] },
        ['contacts.0.role'],
      ],
      [
        'contact email',
        { name: 'X Corp', country: 'CN', contacts: [{ email: 'not-an-email', role: 'dpo' }] },
        ['contacts.0.email'],
      ],
      [
        'unknown nested field',
        { name: 'X Corp', country: 'CN', contacts: [{ email: 'a@x.example', role: 'dpo', phone: '1' }] },
        ['contacts.0.phone'],
      ],
      [
        'appointed without a name',
        { name: 'X Corp', country: 'CN', representatives: [{ jurisdiction: 'EU', appointed: true }] },
        ['representatives.0.name'],
      ],
      [
        'none appointed with a name',
        { name: 'X Corp', country: 'CN', representatives: [{ jurisdiction: 'EU', appointed: false, name: 'Someone' }] },
        ['representatives.0.appointed'],
      ],
      [
        'jurisdiction twice',
        {
          name: 'X Corp',
          country: 'CN',
          representatives: [
            { jurisdiction: 'EU', appointed: false },
            { jurisdiction: 'EU', appointed: false },
          ],
        },
        ['representatives.1.jurisdiction'],
      ],
      [
        'product kind',
        { name: 'X Corp', country: 'CN', products: [{ name: 'X', kind: 'robot' }] },
        ['products.0.kind'],
      ],
      ['product not a name', { name: 'X Corp', country: 'CN', products: [42] }, ['products.0']],
      ['product twice', { name: 'X Corp', country: 'CN', products: ['X', { name: 'x' }] }, ['products.1']],
      ['unknown field', { name: 'X Corp', country: 'CN', owner: 'me' }, ['owner']],
    ];
    const organisations = () => count('SELECT count(*) FROM organisations');
    const audits = () => count('SELECT count(*) FROM audit_events');
    const [orgsBefore, auditsBefore] = [await organisations(), await audits()];
    for (const [label, body, fields] of cases) {
      const response = await test.http().post('/api/v1/organisations').set(bearer(gpdp.tokens.officer)).send(body);
      expect({ label, status: response.status }).toEqual({ label, status: 400 });
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect({ label, fields: response.body.errors.map((e: { field: string }) => e.field) }).toEqual({
        label,
        fields: expect.arrayContaining(fields),
      });
    }
    expect(await organisations()).toBe(orgsBefore);
    expect(await audits()).toBe(auditsBefore);

    const badId = await test.http().get('/api/v1/organisations/not-a-uuid').set(bearer(gpdp.tokens.viewer)).expect(400);
    expect(badId.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    await test
      .http()
      .get('/api/v1/organisations/00000000-0000-4000-8000-000000000000')
      .set(bearer(gpdp.tokens.viewer))
      .expect(404);
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
    const token = (actor: Actor): string | null =>
      ({
        admin: gpdp.tokens.admin,
        manager: gpdp.tokens.manager,
        officer: gpdp.tokens.officer,
        viewer: gpdp.tokens.viewer,
        foreignAdmin: pipc.tokens.admin,
        foreignViewer: pipc.tokens.viewer,
        sysadmin,
        anonymous: null,
      })[actor];
    const auth = (actor: Actor) => (token(actor) ? bearer(token(actor) as string) : {});
    let target: string;
    let serial = 0;

    beforeAll(async () => {
      target = (
        await test
          .http()
          .post('/api/v1/organisations')
          .set(bearer(gpdp.tokens.officer))
          .send({ name: 'Matrix Target Ltd', country: 'IE' })
          .expect(201)
      ).body.id;
    });

    const rows: {
      endpoint: string;
      writes: boolean;
      call: (actor: Actor) => Promise<{ status: number }>;
      expected: Record<Actor, number>;
      trails?: Partial<Record<Actor, number>>;
    }[] = [
      {
        endpoint: 'POST /organisations',
        writes: true,
        call: (actor) =>
          test
            .http()
            .post('/api/v1/organisations')
            .set(auth(actor))
            .send({ name: `Matrix Org ${++serial}`, country: 'IE' }),
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
        endpoint: 'GET /organisations',
        writes: false,
        call: (actor) => test.http().get('/api/v1/organisations?q=matrix').set(auth(actor)),
        expected: {
          admin: 200,
          manager: 200,
          officer: 200,
          viewer: 200,
          foreignAdmin: 200,
          foreignViewer: 200,
          sysadmin: 200,
          anonymous: 401,
        },
      },
      {
        endpoint: 'GET /organisations/{id}',
        writes: false,
        call: (actor) => test.http().get(`/api/v1/organisations/${target}`).set(auth(actor)),
        expected: {
          admin: 200,
          manager: 200,
          officer: 200,
          viewer: 200,
          foreignAdmin: 200,
          foreignViewer: 200,
          sysadmin: 200,
          anonymous: 401,
        },
      },
      {
        endpoint: 'PATCH /organisations/{id}',
        writes: true,
        call: async (actor) => {
          const current = await test
            .http()
            .get(`/api/v1/organisations/${target}`)
            .set(bearer(gpdp.tokens.viewer))
            .expect(200);
          return test
            .http()
            .patch(`/api/v1/organisations/${target}`)
            .set(auth(actor))
            .set('If-Match', String(current.body.version))
            .send({ website: `https://matrix.example/${++serial}` });
        },
        expected: {
          admin: 200,
          manager: 200,
          officer: 200,
          viewer: 403,
          foreignAdmin: 200,
          foreignViewer: 403,
          sysadmin: 403,
          anonymous: 401,
        },
        // Another authority's change of the shared identity is written to its trail and to the registrar's.
        trails: { foreignAdmin: 2 },
      },
    ];

    it.each(rows.map((row) => [row.endpoint, row] as const))('%s', async (_endpoint, row) => {
      const actual = {} as Record<Actor, number>;
      for (const actor of actors) {
        const audits = await count('SELECT count(*) FROM audit_events');
        const response = await row.call(actor);
        actual[actor] = response.status;
        if (row.writes)
          expect({ actor, written: (await count('SELECT count(*) FROM audit_events')) - audits }).toEqual({
            actor,
            written: response.status < 300 ? (row.trails?.[actor] ?? 1) : 0,
          });
      }
      expect(actual).toEqual(row.expected);
    });
  });
});
