import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { InboundService } from '#docket/inbound';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { dropDatabase } from './support/database.js';
import { createProvider } from './support/fixtures.js';
import { sendInquiry } from './support/mail-fixtures.js';
import { SchemaArbitraries, type OpenApiDocument, type Operation, type Schema } from './support/openapi-arbitraries.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const NOBODY = '00000000-0000-4000-8000-00000000abcd';

/**
 * Deliberate cross-authority access, each documented on its route: the shared identity of an organisation (read,
 * changed with a version and an entry in the trail of every authority following it, contacts per authority), and
 * another authority's non-working days (without reasons).
 */
const SHARED: Record<string, string> = {
  'GET /api/v1/organisations/{id}': 'shared identity; the caller sees its own contacts only',
  'PATCH /api/v1/organisations/{id}': "shared identity, versioned and audited; contacts stay the caller's own",
  'GET /api/v1/organisations/{id}/history': 'versions of the shared identity',
  'GET /api/v1/organisations/{id}/answers-compared': 'coordination: shared cases only',
  'GET /api/v1/authorities/{code}/calendar': 'non-working days, never the reasons',
};

interface Route {
  method: (typeof METHODS)[number];
  path: string;
  operation: Operation;
}

describe('cross-authority matrix: every API route with an id, called by another authority', () => {
  let setup: TestApp;
  let test: TestApp;
  let database: { name: string; url: string };
  let a: Tenant;
  let b: Tenant;
  let document: OpenApiDocument;
  let countRows: () => Promise<Record<string, number>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Records of authority A made with the workers running; the matrix runs on an API-only process of the same
    // database, so that row counts move only by requests.
    setup = await startTestApp();
    database = setup.database;
    a = await createTenant(setup, 'MXA');
    const officer = bearer(a.tokens.officer);
    ids.organisation = await createProvider(setup, a.tokens.officer);
    const inquiry = await sendInquiry(setup, a, ids.organisation);
    ids.case = inquiry.caseId;
    ids.inquiry = inquiry.id;
    ids.deadline = inquiry.deadlineId;
    ids.response = (
      await setup
        .http()
        .post(`/api/v1/inquiries/${ids.inquiry}/responses`)
        .set(officer)
        .send({ receivedAt: new Date().toISOString(), channel: 'email', summary: 'Partial answers', answers: [] })
        .expect(201)
    ).body.id;
    ids.attachment = (
      await setup
        .http()
        .post(`/api/v1/responses/${ids.response}/attachments`)
        .set(officer)
        .attach('file', Buffer.from('%PDF-1.4 reply'), { filename: 'reply.pdf', contentType: 'application/pdf' })
        .expect(201)
    ).body.id;
    ids.outcome = (
      await setup
        .http()
        .post(`/api/v1/cases/${ids.case}/outcomes`)
        .set(officer)
        .send({
          type: 'recommendation',
          decidedAt: new Date().toISOString(),
          summary: 'Recommendations',
          compliance: { count: 30, unit: 'calendar_days' },
        })
        .expect(201)
    ).body.id;
    ids.campaign = (
      await setup
        .http()
        .post('/api/v1/campaigns')
        .set(officer)
        .send({
          title: 'Matrix campaign',
          template: 'ai-inquiry',
          locale: 'en',
          deadline: { count: 20, unit: 'calendar_days' },
          organisationIds: [ids.organisation],
          caseDefaults: { type: 'ex_officio' },
        })
        .expect(202)
    ).body.id;
    ids.inbound = (
      await setup.app
        .get(InboundService)
        .ingest(
          Buffer.from(
            `Message-ID: <matrix@provider.example>\r\nFrom: dpo@provider.example\r\nTo: ${inquiry.replyTo}\r\nSubject: Answers\r\nContent-Type: text/plain\r\n\r\nOur answers.\r\n`,
          ),
          { from: 'dpo@provider.example', to: [inquiry.replyTo] },
        )
    ).id;
    await setup
      .http()
      .post(`/api/v1/authorities/${a.code}/closures`)
      .set(bearer(a.tokens.admin))
      .send({ date: '2026-12-24', reason: 'Internal strike' })
      .expect(201);
    ids.question = 'mxa.minors.school_accounts';
    await setup
      .http()
      .post('/api/v1/questions')
      .set(bearer(a.tokens.admin))
      .send({ id: ids.question, topic: 'minors', text: { it: 'Offrite account scolastici?' } })
      .expect(201);
    ids.view = (
      await setup
        .http()
        .post('/api/v1/views')
        .set(bearer(a.tokens.admin))
        .send({ name: 'Matrix view', list: 'cases', query: { status: 'open' }, shared: true })
        .expect(201)
    ).body.id;
    await createTenant(setup, 'MXC');
    ids.procedure = (
      await setup
        .http()
        .post('/api/v1/procedures')
        .set(officer)
        .send({
          type: 'mutual_assistance',
          participants: ['MXC'],
          organisationId: ids.organisation,
          caseId: ids.case,
          subject: 'Storage of prompts',
        })
        .expect(201)
    ).body.id;
    ids.joint = (
      await setup
        .http()
        .post(`/api/v1/procedures/${ids.procedure}/joint-deadlines`)
        .set(officer)
        .send({ label: 'Coordinated letter', start: '2026-12-28', count: 10, unit: 'calendar_days' })
        .expect(201)
    ).body.id;
    const outbox = await setup.http().get('/api/v1/outbox').set(bearer(a.tokens.admin)).expect(200);
    ids.outbound = (outbox.body.items ?? outbox.body)[0].id;
    for (let i = 0; i < 100 && !ids.document; i += 1) {
      const documents = await setup.http().get(`/api/v1/cases/${ids.case}/documents`).set(officer).expect(200);
      ids.document = (documents.body as { id: string }[])[0]?.id;
      if (!ids.document) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(ids.document).toBeTruthy();
    // Let the campaign's job finish before the workers stop.
    for (let i = 0; i < 100; i += 1) {
      const campaign = await setup.http().get(`/api/v1/campaigns/${ids.campaign}`).set(officer).expect(200);
      if (campaign.body.counts.pending === 0 && campaign.body.counts.queued === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await setup.close({ keepDatabase: true });

    test = await startTestApp({ database, roles: 'api' });
    b = await createTenant(test, 'MXB', {
      country: 'FR',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      holidayRegion: 'FR',
    });
    document = (await test.http().get('/api/docs-json').expect(200)).body;
    const db = test.app.get(DataSource);
    const tables: { name: string }[] = await db.query(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const sql = tables
      .map(({ name }) => `SELECT '${name}' AS name, count(*)::int AS rows FROM ${name}`)
      .join(' UNION ALL ');
    countRows = async () =>
      Object.fromEntries(
        ((await db.query(sql)) as { name: string; rows: number }[]).map((row) => [row.name, row.rows]),
      );
  }, 240_000);

  afterAll(async () => {
    await test?.close();
    if (database) await dropDatabase(database.name);
  });

  /** A's record for a path parameter, or null when the route's parameter names nothing of A's. */
  function aValue(path: string, name: string): string | null {
    if (name === 'code') return a.code;
    if (name === 'caseId') return ids.case!;
    // A document of A's within A's procedure (shared documents of a cooperation procedure).
    if (name === 'documentId') return ids.document!;
    // A joint deadline kept in A's procedure.
    if (name === 'jointId') return ids.joint!;
    if (name === 'date') return '2026-12-24';
    // The attachment's position within A's message (the message is what must not be found).
    if (name === 'index') return '0';
    if (name !== 'id') return null;
    const prefixes: [string, string][] = [
      ['/api/v1/cases/', 'case'],
      ['/api/v1/deadlines/', 'deadline'],
      ['/api/v1/inquiries/', 'inquiry'],
      ['/api/v1/responses/', 'response'],
      ['/api/v1/outcomes/', 'outcome'],
      ['/api/v1/attachments/', 'attachment'],
      ['/api/v1/campaigns/', 'campaign'],
      ['/api/v1/inbound/', 'inbound'],
      ['/api/v1/organisations/', 'organisation'],
      ['/api/v1/procedures/', 'procedure'],
      ['/api/v1/outbox/', 'outbound'],
      ['/api/v1/documents/', 'document'],
      ['/api/v1/questions/', 'question'],
      ['/api/v1/views/', 'view'],
    ];
    if (path.startsWith('/api/v1/users/')) return a.userIds.officer;
    const found = prefixes.find(([prefix]) => path.startsWith(prefix));
    return found ? ids[found[1]]! : null;
  }

  /** What A's own users read of A's records (A's view must be the same after the matrix). */
  async function viewOfA(): Promise<unknown> {
    const read = async (path: string) => (await test.http().get(path).set(bearer(a.tokens.admin))).body as unknown;
    return {
      case: await read(`/api/v1/cases/${ids.case}`),
      deadline: await read(`/api/v1/deadlines/${ids.deadline}`),
      inquiry: await read(`/api/v1/inquiries/${ids.inquiry}`),
      response: await read(`/api/v1/responses/${ids.response}`),
      outcome: await read(`/api/v1/outcomes/${ids.outcome}`),
      campaign: await read(`/api/v1/campaigns/${ids.campaign}`),
      inbound: await read(`/api/v1/inbound/${ids.inbound}`),
      procedure: await read(`/api/v1/procedures/${ids.procedure}`),
      question: await read(`/api/v1/questions/${ids.question}`),
      views: await read('/api/v1/views'),
      organisation: await read(`/api/v1/organisations/${ids.organisation}`),
      users: await read('/api/v1/users'),
      closures: await read(`/api/v1/authorities/${a.code}/closures`),
      oidc: await read(`/api/v1/authorities/${a.code}/oidc`),
      audit: await read('/api/v1/audit/verify'),
    };
  }

  it('answers 404 (403 where a role is missing) for A’s records, the same as for a record that does not exist, and changes nothing', async () => {
    const routes: Route[] = [];
    for (const [path, operations] of Object.entries(document.paths))
      for (const method of METHODS) {
        const operation = operations[method];
        if (operation && /\{\w+\}/.test(path)) routes.push({ method, path, operation });
      }
    const arbitraries = new SchemaArbitraries(document, { uuids: [NOBODY] });
    const now = new Date().toISOString();
    const deadline = { count: 20, unit: 'calendar_days' };
    // Bodies that pass validation where a generated one might not, so that the request reaches the record's lookup.
    const good: Record<string, unknown> = {
      'PATCH /api/v1/cases/{id}': { title: 'Taken over', priority: 'high' },
      'POST /api/v1/authorities/{code}/closures': { date: '2026-12-24', reason: 'Closed by another authority' },
      'PUT /api/v1/authorities/{code}/oidc': { issuer: 'https://login.example.org', clientId: 'attacker' },
      'POST /api/v1/deadlines/{id}/extend': { ...deadline, reason: 'More time' },
      'POST /api/v1/cases/{caseId}/deadlines': { label: 'Planted deadline', ...deadline },
      'POST /api/v1/cases/{id}/inquiries': {
        template: 'ai-inquiry',
        locale: 'en',
        to: ['attacker@elsewhere.example'],
        deadline,
      },
      'POST /api/v1/inquiries/{id}/responses': { receivedAt: now, channel: 'email', summary: 'Planted', answers: [] },
      'POST /api/v1/responses/{id}/follow-up': { to: ['attacker@elsewhere.example'], deadline },
      'POST /api/v1/cases/{id}/outcomes': { type: 'no_action', decidedAt: now, summary: 'Planted' },
      'POST /api/v1/inbound/{id}/assign': { inquiryId: ids.inquiry },
      'POST /api/v1/inbound/{id}/confirm': { answers: [], summary: 'Planted' },
      'PUT /api/v1/questions/{id}': { topic: 'minors', text: { fr: 'Texte changé.', it: 'Testo cambiato.' } },
    };
    const bodyFor = (route: Route): unknown => {
      const known = good[`${route.method.toUpperCase()} ${route.path}`];
      if (known) return known;
      const schema = route.operation.requestBody?.content?.['application/json']?.schema as Schema | undefined;
      return schema ? fc.sample(arbitraries.valid(schema), { numRuns: 1, seed: 16 })[0] : undefined;
    };
    const send = (route: Route, path: string, token: string, body: unknown) => {
      const call = test.http()[route.method](path).set(bearer(token)).accept('json').set('if-match', '1');
      if (route.path.endsWith('/attachments'))
        return call.attach('file', Buffer.from('%PDF-1.4 planted'), {
          filename: 'planted.pdf',
          contentType: 'application/pdf',
        });
      return body === undefined ? call : call.send(body as object);
    };

    const before = await viewOfA();
    const checked: string[] = [];
    const unmapped: string[] = [];
    const failures: string[] = [];
    for (const route of routes) {
      const key = `${route.method.toUpperCase()} ${route.path}`;
      let mapped = true;
      const pathOf = (own: boolean) =>
        route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
          const value = aValue(route.path, name);
          if (value === null) mapped = false;
          return encodeURIComponent(
            own
              ? (value ?? NOBODY)
              : name === 'code'
                ? 'NOPE'
                : name === 'date'
                  ? '2026-12-23'
                  : name === 'index'
                    ? '0'
                    : NOBODY,
          );
        });
      const aPath = pathOf(true);
      if (!mapped) {
        unmapped.push(key);
        continue;
      }
      const body = bodyFor(route);
      for (const [who, token] of [
        ['admin', b.tokens.admin],
        ['officer', b.tokens.officer],
      ] as const) {
        const rowsBefore = await countRows();
        const response = await send(route, aPath, token, body);
        const rowsAfter = await countRows();
        const label = `${key} as B's ${who}: ${response.status}`;
        if (response.status >= 500) failures.push(`${label} (server error) ${JSON.stringify(response.body)}`);
        if (SHARED[key]) continue;
        if (JSON.stringify(rowsAfter) !== JSON.stringify(rowsBefore)) {
          const changed = Object.keys(rowsAfter).filter((table) => rowsAfter[table] !== rowsBefore[table]);
          failures.push(`${label} changed rows of ${changed.join(', ')}`);
        }
        if (response.status === 404 || response.status === 403) {
          checked.push(label);
          continue;
        }
        // Refused before any record is looked at (body validation): the same as for a record that does not exist.
        const nobody = await send(route, pathOf(false), token, body);
        if (response.status >= 400 && response.status < 500 && nobody.status === response.status) {
          checked.push(`${label} (same as for no record)`);
          continue;
        }
        failures.push(`${label}, for no record ${nobody.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await viewOfA()).toEqual(before);
    // The matrix reached the routes it means to: every kind of record of A.
    expect(checked.length).toBeGreaterThan(60);
    // Only names that are no record of an authority are left: template keys, queue names (sysadmin), and the
    // calendar feed's token, a credential of its own (test/reporting.e2e-spec.ts).
    expect(unmapped.filter((key) => !/\{(key|name|token)\}/.test(key))).toEqual([]);
    if (process.env.MATRIX_REPORT) process.stdout.write(`${checked.join('\n')}\nunmapped: ${unmapped.join(', ')}\n`);
  }, 600_000);
});
