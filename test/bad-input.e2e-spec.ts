import fc from 'fast-check';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { InboundService } from '#docket/inbound';
import { databaseProblem } from '#docket/platform';
import { bearer, createTenant, startTestApp, sysadminToken, type Tenant, type TestApp } from './support/app.js';
import { dropDatabase } from './support/database.js';
import { createCase, createProvider } from './support/fixtures.js';
import { sendInquiry, type SentInquiry } from './support/mail-fixtures.js';
import {
  badStringPaths,
  bodiesFor,
  fieldName,
  jsonOperations,
  SchemaArbitraries,
  type Body,
  type JsonOperation,
  type OpenApiDocument,
} from './support/openapi-arbitraries.js';

/**
 * Property-based test over the OpenAPI document: every POST/PATCH/PUT with a JSON body gets odd bodies
 * (valid-shaped and broken) and must answer without a server error, with problem+json when it refuses,
 * and must write nothing when it refuses. FUZZ_SEED and FUZZ_RUNS widen a local run; CI uses the fixed ones.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);

/** Rows a refusal writes by design: a failed sign-in counts against the account's throttle. */
const WRITES_WHEN_REFUSED: Record<string, string[]> = { 'POST /api/v1/auth/token': ['login_throttles'] };

interface Sent {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

describe('bad input never gets a server error', () => {
  let setup: TestApp;
  let test: TestApp;
  let database: { name: string; url: string };
  let db: DataSource;
  let gpdp: Tenant;
  let sysadmin: string;
  let document: OpenApiDocument;
  let operations: JsonOperation[];
  let inquiry: SentInquiry;
  const ids: Record<string, string> = {};

  /** Exact row counts of every table of the application (one query). */
  let countRows: () => Promise<Record<string, number>>;
  let counter: pg.Client | undefined;

  beforeAll(async () => {
    // Set up the records with the workers running (the inquiry must be sent), then fuzz an API-only
    // process on the same database: nothing runs in the background, so row counts move only by requests.
    setup = await startTestApp();
    database = setup.database;
    gpdp = await createTenant(setup, 'GPDP');
    sysadmin = await sysadminToken(setup);
    const admin = bearer(gpdp.tokens.admin);
    ids.organisation = await createProvider(setup, gpdp.tokens.officer);
    inquiry = await sendInquiry(setup, gpdp, ids.organisation);
    ids.case = inquiry.caseId;
    ids.closableCase = (await createCase(setup, gpdp, ids.organisation)).id;
    ids.inquiry = inquiry.id;
    ids.deadline = inquiry.deadlineId;
    ids.manualDeadline = (
      await setup
        .http()
        .post(`/api/v1/cases/${ids.case}/deadlines`)
        .set(admin)
        .send({ label: 'Acceptance of the recommendations', count: 10, unit: 'calendar_days' })
        .expect(201)
    ).body.id;
    const response = await setup
      .http()
      .post(`/api/v1/inquiries/${ids.inquiry}/responses`)
      .set(admin)
      .send({
        receivedAt: new Date().toISOString(),
        channel: 'email',
        summary: 'The provider answered in part.',
        answers: [],
      })
      .expect(201);
    ids.response = response.body.id;
    const reply = (subject: string) =>
      Buffer.from(
        `Message-ID: <${subject.replace(/\W/g, '')}@provider.example>\r\nFrom: dpo@provider.example\r\nTo: ${inquiry.replyTo}\r\nSubject: ${subject}\r\nContent-Type: text/plain\r\n\r\nOur answers.\r\n`,
      );
    const inbound = setup.app.get(InboundService);
    ids.inbound = (
      await inbound.ingest(reply('Our answers'), { from: 'dpo@provider.example', to: [inquiry.replyTo] })
    ).id;
    ids.dismissable = (
      await inbound.ingest(reply('More answers'), { from: 'dpo@provider.example', to: [inquiry.replyTo] })
    ).id;
    await setup.close({ keepDatabase: true });

    test = await startTestApp({ database, roles: 'api' });
    db = test.app.get(DataSource);
    document = (await test.http().get('/api/docs-json').expect(200)).body;
    operations = jsonOperations(document);
    const tables: { name: string }[] = await db.query(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const sql = tables
      .map(({ name }) => `SELECT '${name}' AS name, count(*)::int AS rows FROM ${name}`)
      .join(' UNION ALL ');
    // A named statement, planned once: the fuzz counts before and after each of its ~1500 requests, and planning a
    // union of every table took most of each count.
    counter = new pg.Client({ connectionString: database.url });
    await counter.connect();
    countRows = async () =>
      Object.fromEntries(
        (await counter!.query<{ name: string; rows: number }>({ name: 'count-rows', text: sql })).rows.map((row) => [
          row.name,
          row.rows,
        ]),
      );
  }, 120_000);

  afterAll(async () => {
    await counter?.end();
    await test?.close();
    if (database) await dropDatabase(database.name);
  });

  /** Real ids of the tenant's own records for each path parameter, so that bodies reach validation. */
  function pathFor(operation: JsonOperation): string {
    const value = (name: string): string => {
      const { path } = operation;
      if (name === 'code') return gpdp.code;
      if (name === 'key') return 'ai-inquiry';
      if (name === 'caseId') return ids.case!;
      if (path.startsWith('/api/v1/cases/{id}/close')) return ids.closableCase!;
      if (path.startsWith('/api/v1/cases/')) return ids.case!;
      if (path.startsWith('/api/v1/deadlines/{id}/waive')) return ids.manualDeadline!;
      if (path.startsWith('/api/v1/deadlines/')) return ids.deadline!;
      if (path.startsWith('/api/v1/inquiries/')) return ids.inquiry!;
      if (path.startsWith('/api/v1/responses/')) return ids.response!;
      if (path.startsWith('/api/v1/inbound/{id}/dismiss')) return ids.dismissable!;
      if (path.startsWith('/api/v1/inbound/')) return ids.inbound!;
      if (path.startsWith('/api/v1/organisations/')) return ids.organisation!;
      // Another person than the one whose token sends the requests (a role change or deactivation ends tokens).
      if (path.startsWith('/api/v1/users/')) return gpdp.userIds.viewer;
      // A path this test does not know yet: an id of nothing still reaches the body's validation.
      return '00000000-0000-4000-8000-000000000000';
    };
    return operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(value(name)));
  }

  /** A body that passes validation, per operation (others are derived from the schema alone). */
  function goodBody(operation: JsonOperation): unknown {
    const now = new Date().toISOString();
    const deadline = { count: 20, unit: 'calendar_days' };
    const bodies: Record<string, unknown> = {
      'POST /api/v1/auth/token': { email: 'admin@gpdp.test', password: 'admin-password-123' },
      'POST /api/v1/authorities': {
        code: 'FUZZ',
        name: 'Fuzz authority',
        country: 'IT',
        timezone: 'Europe/Rome',
        locale: 'it-IT',
        holidayRegion: 'IT',
      },
      'POST /api/v1/users': {
        email: 'fuzz@gpdp.test',
        name: 'Fuzz',
        password: 'fuzz-password-123',
        role: 'officer',
        authority: 'GPDP',
      },
      'PATCH /api/v1/users/{id}': { name: 'Viewer renamed' },
      'PATCH /api/v1/me': { language: 'en' },
      'POST /api/v1/organisations': {
        name: 'Fuzz Org Ltd.',
        country: 'CN',
        website: 'https://fuzz.example',
        contacts: [{ email: 'dpo@fuzz.example', role: 'dpo' }],
        products: ['Fuzz app'],
      },
      'PATCH /api/v1/organisations/{id}': { website: 'https://fuzz.example', tradingNames: ['Fuzz'] },
      'POST /api/v1/cases': {
        organisationId: ids.organisation,
        title: 'Fuzz case',
        type: 'ex_officio',
        priority: 'normal',
        assigneeId: gpdp.userIds.officer,
      },
      'PATCH /api/v1/cases/{id}': { title: 'Fuzzed title', priority: 'high', tags: ['fuzz'] },
      'POST /api/v1/cases/{id}/close': { reason: 'Closed by the fuzz test' },
      'POST /api/v1/cases/{id}/notes': { text: 'A note from the fuzz test' },
      'POST /api/v1/calendar/compute': { authority: 'GPDP', start: '2025-01-28', count: 20, unit: 'business_days' },
      'POST /api/v1/authorities/{code}/closures': { date: '2025-12-24', reason: 'Office closed' },
      'POST /api/v1/deadlines/{id}/extend': {
        count: 10,
        unit: 'calendar_days',
        reason: 'The organisation asked for more time',
      },
      'POST /api/v1/deadlines/{id}/suspend': { reason: 'Waiting for a translation' },
      'POST /api/v1/deadlines/{id}/resume': { reason: 'The translation arrived' },
      'POST /api/v1/deadlines/{id}/waive': { reason: 'No longer needed' },
      'POST /api/v1/cases/{caseId}/deadlines': { label: 'Fuzz deadline', ...deadline },
      'POST /api/v1/templates/{key}/preview': { caseId: ids.case, locale: 'en' },
      'POST /api/v1/cases/{id}/inquiries': {
        template: 'ai-inquiry',
        locale: 'en',
        to: ['dpo@provider.example'],
        deadline,
      },
      'POST /api/v1/inquiries/{id}/responses': {
        receivedAt: now,
        channel: 'email',
        summary: 'The answers',
        answers: [],
      },
      'POST /api/v1/responses/{id}/follow-up': { to: ['dpo@provider.example'], deadline },
      'POST /api/v1/cases/{id}/outcomes': { type: 'no_action', decidedAt: now, summary: 'Nothing to do' },
      'POST /api/v1/inbound/{id}/confirm': { answers: [], summary: 'Confirmed' },
      'POST /api/v1/inbound/{id}/assign': { inquiryId: ids.inquiry },
      'POST /api/v1/inbound/{id}/dismiss': { reason: 'Not a reply' },
      'POST /api/v1/campaigns': {
        title: 'Fuzz campaign',
        template: 'ai-inquiry',
        deadline,
        organisationIds: [ids.organisation],
        caseDefaults: { type: 'ex_officio' },
      },
    };
    return bodies[`${operation.method.toUpperCase()} ${operation.path}`];
  }

  const tokenFor = (operation: JsonOperation): string | null => {
    if (operation.path === '/api/v1/auth/token') return null;
    if (operation.path === '/api/v1/authorities' || operation.path.startsWith('/api/v1/admin/')) return sysadmin;
    return gpdp.tokens.admin;
  };

  /** The version to send as If-Match where the operation takes one: the current one, read just before. */
  async function ifMatch(operation: JsonOperation, path: string): Promise<string | undefined> {
    if (
      !operation.operation.parameters?.some(
        (parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'if-match',
      )
    )
      return undefined;
    const resource = path.replace(/\/close$/, '');
    const current = await test.http().get(resource).set(bearer(gpdp.tokens.admin));
    return current.status === 200 ? String(current.body.version) : '1';
  }

  async function send(operation: JsonOperation, body: Body): Promise<Sent> {
    const path = pathFor(operation);
    const version = await ifMatch(operation, path);
    let call = test.http()[operation.method](path).set('accept', 'application/json').type('json');
    const token = tokenFor(operation);
    if (token) call = call.set(bearer(token));
    if (version) call = call.set('if-match', version);
    const response = await call.send(body.kind === 'raw' ? body.text : JSON.stringify(body.value));
    return {
      status: response.status,
      type: String(response.headers['content-type'] ?? ''),
      body: response.body as Record<string, unknown>,
    };
  }

  const describeBody = (body: Body) =>
    body.kind === 'raw' ? `raw: ${body.note}` : JSON.stringify(body.value)?.slice(0, 400);

  it('finds the operations to fuzz in the OpenAPI document', () => {
    const names = operations.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/token',
        'POST /api/v1/organisations',
        'PATCH /api/v1/cases/{id}',
        'POST /api/v1/cases/{id}/inquiries',
        'POST /api/v1/inquiries/{id}/responses',
      ]),
    );
  });

  const problemOf = (response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) => {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: response.status,
      title: expect.any(String),
      detail: expect.any(String),
    });
    return response.body as { detail: string; errors?: { field: string; message: string }[] };
  };
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field);
  const raw = (method: 'post' | 'patch', path: string, text: string, token?: string) => {
    const call = test.http()[method](path).type('json');
    return (token ? call.set(bearer(token)) : call).send(text);
  };

  it('refuses deeply nested JSON, also on the unauthenticated token endpoint, with 400 or 413 and never a stack overflow', async () => {
    const deep = await raw('post', '/api/v1/auth/token', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect([400, 413]).toContain(deep.status);
    problemOf(deep);
    const inField = await raw(
      'post',
      '/api/v1/auth/token',
      `{"email":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)},"password":"x"}`,
    );
    expect(inField.status).toBe(400);
    expect(fieldsOf(problemOf(inField))[0]).toMatch(/^email(\.a)*$/);
    expect(problemOf(inField).errors![0]!.message).toMatch(/nested more than 16 levels/);
    const arrays = await raw(
      'post',
      '/api/v1/organisations',
      `{"name":"Nested Ltd.","country":"CN","contacts":[${'['.repeat(40)}${']'.repeat(40)}]}`,
      gpdp.tokens.officer,
    );
    expect(arrays.status).toBe(400);
    expect(fieldsOf(problemOf(arrays))[0]).toMatch(/^contacts\.0/);
    const wide = await raw(
      'post',
      '/api/v1/organisations',
      `[${Array.from({ length: 30_000 }, () => '0').join(',')}]`,
      gpdp.tokens.officer,
    );
    expect(wide.status).toBe(413);
    problemOf(wide);
  });

  it('refuses NUL characters and lone surrogates with a 400 naming the field, and writes nothing', async () => {
    const before = await countRows();
    const nul = await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(gpdp.tokens.officer))
      .send({ name: 'Null\u0000 Byte Ltd.', country: 'CN' });
    expect(nul.status).toBe(400);
    expect(problemOf(nul).errors).toEqual([{ field: 'name', message: expect.stringContaining('NUL character') }]);
    const contact = await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(gpdp.tokens.officer))
      .send({
        name: 'Surrogate Ltd.',
        country: 'CN',
        contacts: [{ email: 'dpo\ud800@surrogate.example', role: 'dpo' }],
      });
    expect(contact.status).toBe(400);
    expect(problemOf(contact).errors).toEqual([
      { field: 'contacts.0.email', message: expect.stringContaining('lone UTF-16 surrogate') },
    ]);
    const user = await raw(
      'post',
      '/api/v1/users',
      '{"email":"x\\udc00@gpdp.test","name":"X","password":"a-long-password-1","role":"officer","authority":"GPDP"}',
      gpdp.tokens.admin,
    );
    expect(user.status).toBe(400);
    expect(fieldsOf(problemOf(user))).toEqual(['email']);
    const key = await raw(
      'post',
      '/api/v1/organisations',
      '{"name":"Key Ltd.","country":"CN","a\\u0000b":1}',
      gpdp.tokens.officer,
    );
    expect(key.status).toBe(400);
    expect(fieldsOf(problemOf(key))).toEqual(['a\u0000b']);
    const query = await test.http().get('/api/v1/organisations?q=a%00b').set(bearer(gpdp.tokens.officer));
    expect(query.status).toBe(400);
    expect(fieldsOf(problemOf(query))).toEqual(['q']);
    const login = await raw(
      'post',
      '/api/v1/auth/token',
      '{"email":"admin@gpdp.test\\u0000","password":"admin-password-123"}',
    );
    expect(login.status).toBe(400);
    expect(fieldsOf(problemOf(login))).toEqual(['email']);
    expect(await countRows()).toEqual(before);
  });

  it('answers two concurrent creates of the same unique key with one 201 and a 409 a person can act on', async () => {
    for (const [path, token, body, field] of [
      [
        '/api/v1/authorities',
        () => sysadmin,
        {
          code: 'RACE',
          name: 'Race authority',
          country: 'IT',
          timezone: 'Europe/Rome',
          locale: 'it-IT',
          holidayRegion: 'IT',
        },
        /code/,
      ],
      [
        '/api/v1/users',
        () => gpdp.tokens.admin,
        { email: 'race@gpdp.test', name: 'Race', password: 'race-password-123', role: 'officer', authority: 'GPDP' },
        /e-?mail/i,
      ],
      ['/api/v1/organisations', () => gpdp.tokens.officer, { name: 'Race Conditions Ltd.', country: 'CN' }, /name/i],
    ] as const) {
      const responses = await Promise.all(
        Array.from({ length: 4 }, () => test.http().post(path).set(bearer(token())).send(body)),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409]);
      for (const response of responses.filter((item) => item.status === 409))
        expect(problemOf(response).detail).toMatch(field);
    }
  });

  it('maps unique violations, missing references and values out of range from PostgreSQL to 409 and 400, never 500', () => {
    const unique = databaseProblem(
      Object.assign(new Error('duplicate key'), {
        severity: 'ERROR',
        code: '23505',
        table: 'users',
        detail: 'Key (lower(email::text))=(a@b.example) already exists.',
      }),
    )!;
    expect(unique).toMatchObject({
      status: 409,
      errors: [{ field: 'email', message: 'email is already used by another user' }],
    });
    expect(unique.detail).toBe(
      'A user with this email already exists (it may have been created at the same moment). Use the existing user, or choose another email.',
    );
    const scoped = databaseProblem(
      Object.assign(new Error('duplicate key'), {
        severity: 'ERROR',
        code: '23505',
        table: 'organisations',
        detail: 'Key (authority_id, legal_name, country)=(x, y, z) already exists.',
      }),
    )!;
    expect(scoped.detail).toBe(
      'An organisation with this legal name and country already exists (it may have been created at the same moment). Use the existing organisation, or choose another legal name and country.',
    );
    expect(scoped.errors).toEqual([
      { field: 'legalName', message: 'legalName is already used by another organisation' },
      { field: 'country', message: 'country is already used by another organisation' },
    ]);
    expect(
      databaseProblem(
        Object.assign(new Error('fk'), {
          severity: 'ERROR',
          code: '23503',
          table: 'cases',
          detail: 'Key (assignee_id)=(x) is not present in table "users".',
        }),
      ),
    ).toMatchObject({ status: 400, errors: [{ field: 'assigneeId' }] });
    expect(
      databaseProblem(
        Object.assign(new Error('fk'), {
          severity: 'ERROR',
          code: '23503',
          table: 'users',
          detail: 'Key (id)=(x) is still referenced from table "cases".',
        }),
      ),
    ).toMatchObject({ status: 409 });
    for (const code of ['22P02', '22007', '22008', '22003', '22021', '22P05'])
      expect(databaseProblem(Object.assign(new Error(code), { severity: 'ERROR', code }))?.status).toBe(400);
    expect(databaseProblem(Object.assign(new Error('deadlock'), { severity: 'ERROR', code: '40P01' }))?.status).toBe(
      409,
    );
    for (const code of ['53300', '57P03'])
      expect(databaseProblem(Object.assign(new Error(code), { severity: 'FATAL', code }))).toMatchObject({
        status: 503,
        detail: expect.stringMatching(/^The database is taking no more connections at the moment/),
      });
    expect(databaseProblem(new Error('not from the database'))).toBeNull();
    // The server ending the session (its administrator shut it down) is no answer at all: a 503, not a 500.
    expect(databaseProblem(Object.assign(new Error('connection'), { severity: 'FATAL', code: '57P01' }))).toMatchObject(
      {
        status: 503,
        title: 'Service unavailable',
        detail: expect.stringMatching(/^A service Docket depends on is not answering at the moment/),
      },
    );
  });

  it('refuses dates and instants outside 1900–2199 (or that do not exist) with a 400 naming the field', async () => {
    const officer = bearer(gpdp.tokens.officer);
    const cases: [string, string, Record<string, unknown>, string, string?][] = [
      [
        'post',
        `/api/v1/authorities/GPDP/closures`,
        { date: '1899-12-31', reason: 'Too early' },
        'date',
        gpdp.tokens.admin,
      ],
      [
        'post',
        `/api/v1/authorities/GPDP/closures`,
        { date: '2200-01-01', reason: 'Too late' },
        'date',
        gpdp.tokens.admin,
      ],
      [
        'post',
        `/api/v1/authorities/GPDP/closures`,
        { date: '2025-02-30', reason: 'No such day' },
        'date',
        gpdp.tokens.admin,
      ],
      [
        'post',
        '/api/v1/calendar/compute',
        { authority: 'GPDP', start: '1000-01-01', count: 20, unit: 'calendar_days' },
        'start',
      ],
      [
        'post',
        '/api/v1/calendar/compute',
        { authority: 'GPDP', start: '+275760-09-13T00:00:00Z', count: 20, unit: 'calendar_days' },
        'start',
      ],
      [
        'post',
        `/api/v1/cases/${ids.case}/inquiries`,
        {
          template: 'ai-inquiry',
          locale: 'en',
          to: ['dpo@provider.example'],
          deadline: { dueAt: '9999-12-31T23:59:59Z' },
        },
        'deadline.dueAt',
      ],
      ['post', `/api/v1/cases/${ids.case}/deadlines`, { label: 'Far away', dueDate: '0001-01-01' }, 'dueDate'],
      [
        'post',
        `/api/v1/inquiries/${ids.inquiry}/responses`,
        { receivedAt: '0001-01-01T00:00:00.000Z', channel: 'email', summary: 'Old', answers: [] },
        'receivedAt',
      ],
      [
        'post',
        `/api/v1/cases/${ids.case}/outcomes`,
        { type: 'no_action', decidedAt: '2200-01-01T00:00:00+01:00', summary: 'Late' },
        'decidedAt',
      ],
    ];
    const before = await countRows();
    for (const [, path, body, field, token] of cases) {
      const response = await test
        .http()
        .post(path)
        .set(token ? bearer(token) : officer)
        .send(body);
      expect({ path, body, status: response.status }).toEqual({ path, body, status: 400 });
      expect(fieldsOf(problemOf(response))).toContain(field);
    }
    const query = await test.http().get('/api/v1/deadlines?dueBefore=9999-01-01').set(officer);
    expect(query.status).toBe(400);
    expect(fieldsOf(problemOf(query))).toEqual(['dueBefore']);
    expect(await countRows()).toEqual(before);
    const inRange = await test
      .http()
      .post('/api/v1/calendar/compute')
      .set(officer)
      .send({ authority: 'GPDP', start: '1900-01-01', count: 20, unit: 'calendar_days' });
    expect(inRange.status).toBe(200);
  });

  it('answers any miss under /ical with a problem+json 404, also to a browser', async () => {
    for (const path of ['/ical/not-a-token.ics', '/ical/%00.ics', '/ical/a.b.ics', '/ical/nothing', '/ical/']) {
      for (const accept of ['text/calendar', 'text/html,application/xhtml+xml']) {
        const response = await test.http().get(path).set('accept', accept);
        expect({ path, accept, status: response.status }).toEqual({ path, accept, status: 404 });
        problemOf(response);
      }
    }
  });

  it('answers every odd body of every POST/PATCH/PUT without a 5xx, with problem+json, writing nothing when it refuses', async () => {
    const failures: string[] = [];
    const reachedValidation = new Set<string>();
    let last: Record<string, number> | undefined;
    const tally: Record<string, Record<number, number>> = {};
    for (const operation of operations) {
      const name = `${operation.method.toUpperCase()} ${operation.path}`;
      last = undefined;
      const arbitraries = new SchemaArbitraries(document, {
        uuids: Object.values(ids).concat(Object.values(gpdp.userIds)),
      });
      try {
        await fc.assert(
          fc.asyncProperty(bodiesFor(arbitraries, operation.schema, goodBody(operation)), async (body) => {
            // Only requests change rows here (no workers): the counts after one request are those before the next.
            const before = last ?? (await countRows());
            const sent = await send(operation, body);
            const after = (last = await countRows());
            tally[name] ??= {};
            tally[name][sent.status] = (tally[name][sent.status] ?? 0) + 1;
            const where = `${name} → ${sent.status} for ${describeBody(body)}: ${JSON.stringify(sent.body).slice(0, 300)}`;
            if (sent.status >= 500) throw new Error(`server error: ${where}`);
            if (sent.status < 400) return;
            if (!sent.type.startsWith('application/problem+json'))
              throw new Error(`not problem+json (${sent.type}): ${where}`);
            if (
              sent.body.status !== sent.status ||
              typeof sent.body.title !== 'string' ||
              typeof sent.body.detail !== 'string'
            )
              throw new Error(`malformed problem: ${where}`);
            if (sent.status === 400 && Array.isArray(sent.body.errors)) reachedValidation.add(name);
            const changed = Object.keys(after).filter(
              (table) => after[table] !== before[table] && !WRITES_WHEN_REFUSED[name]?.includes(table),
            );
            if (changed.length) throw new Error(`refused but wrote to ${changed.join(', ')}: ${where}`);
            // NUL and lone surrogates are refused by name, wherever they are in an object or array (JSON bodies
            // of any other kind are refused before anything reads them).
            if (body.kind === 'json' && typeof body.value === 'object' && body.value !== null) {
              const bad = badStringPaths(body.value);
              if (bad.length && sent.status !== 413) {
                const fields = ((sent.body.errors ?? []) as { field: string }[]).map((error) => error.field);
                if (sent.status !== 400 || !bad.some((path) => fields.includes(fieldName(path))))
                  throw new Error(
                    `a NUL or lone surrogate at ${bad.map(fieldName).join(', ')} was not refused by name: ${where}`,
                  );
              }
            }
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
        failures.push(`${cause || String(error)}`.slice(0, 1500));
      }
    }
    // FUZZ_REPORT=1 prints how the statuses fell per operation (how far the bodies got).
    if (process.env.FUZZ_REPORT)
      process.stdout.write(
        `${Object.entries(tally)
          .map(([name, statuses]) => `${name}: ${JSON.stringify(statuses)}`)
          .join('\n')}\n`,
      );
    expect(failures).toEqual([]);
    // The ids were real and the tokens allowed: every operation's bodies got as far as validation.
    expect(
      operations
        .map((operation) => `${operation.method.toUpperCase()} ${operation.path}`)
        .filter((name) => !reachedValidation.has(name)),
    ).toEqual([]);
  }, 600_000);
});
