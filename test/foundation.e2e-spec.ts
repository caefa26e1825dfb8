import { FixedClock } from '#docket/platform';
import {
  bearer,
  createTenant,
  startTestApp,
  sysadminToken,
  tokenFor,
  type Tenant,
  type TestApp,
} from './support/app.js';

describe('foundation: health, auth, tenancy, bad input (PostgreSQL queue backend)', () => {
  let test: TestApp;
  let clock: FixedClock;
  let gpdp: Tenant;
  let pipc: Tenant;

  beforeAll(async () => {
    clock = new FixedClock(new Date('2025-01-28T09:00:00Z'));
    test = await startTestApp({ clock, env: { BODY_LIMIT: '4kb' } });
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
  });
  afterAll(() => test.close());

  it('answers health checks', async () => {
    await test.http().get('/health/live').expect(200, { status: 'ok' });
    const ready = await test.http().get('/health/ready').expect(200);
    expect(ready.body.details.database.status).toBe('up');
    expect(ready.body.details.queue.status).toBe('up');
  });

  it('issues a token with its expiry and user, and /me answers with the authority', async () => {
    const response = await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'officer@gpdp.test', password: 'officer-password-123' })
      .expect(200);
    expect(response.body.user).toMatchObject({
      email: 'officer@gpdp.test',
      role: 'officer',
      authority: { code: 'GPDP', timezone: 'Europe/Rome' },
    });
    expect(new Date(response.body.expiresAt).getTime()).toBe(clock.now().getTime() + 12 * 3600_000);
    const me = await test.http().get('/api/v1/me').set(bearer(response.body.token)).expect(200);
    expect(me.body).toMatchObject({ email: 'officer@gpdp.test', role: 'officer', authority: { code: 'GPDP' } });
  });

  it('refuses wrong passwords, unknown users, bad and expired tokens with problem+json', async () => {
    const wrong = await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'officer@gpdp.test', password: 'nope' })
      .expect(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.body).toMatchObject({
      status: 401,
      title: 'Not signed in',
      detail: 'Email or password is not correct.',
    });
    const unknown = await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'ghost@gpdp.test', password: 'whatever-password' })
      .expect(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
    await test.http().get('/api/v1/me').expect(401);
    await test.http().get('/api/v1/me').set('authorization', 'Basic abc').expect(401);
    await test.http().get('/api/v1/me').set(bearer('forged-token')).expect(401);

    const token = await tokenFor(test, 'viewer@gpdp.test', 'viewer-password-123');
    await test.http().get('/api/v1/me').set(bearer(token)).expect(200);
    const issuedAt = clock.now();
    clock.set(new Date(issuedAt.getTime() + 12 * 3600_000 + 1000));
    const expired = await test.http().get('/api/v1/me').set(bearer(token)).expect(401);
    expect(expired.body.detail).toContain('expired');
    clock.set(issuedAt);
  });

  it('refuses malformed JSON, unknown fields, wrong types and oversize bodies, changing nothing', async () => {
    const admin = await sysadminToken(test);
    const before = await test.http().get('/api/v1/authorities').set(bearer(admin)).expect(200);

    const malformed = await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(admin))
      .set('content-type', 'application/json')
      .send('{"code": "X",')
      .expect(400);
    expect(malformed.body).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });

    const unknownField = await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(admin))
      .send({
        code: 'CNIL',
        name: 'CNIL',
        country: 'FR',
        timezone: 'Europe/Paris',
        locale: 'fr-FR',
        holidayRegion: 'FR',
        colour: 'blue',
      })
      .expect(400);
    expect(unknownField.body.errors).toEqual([{ field: 'colour', message: 'property colour should not exist' }]);

    const wrongTypes = await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(admin))
      .send({
        code: 42,
        name: 'CNIL',
        country: 'FR',
        timezone: 'Europe/Paris',
        locale: 'fr-FR',
        holidayRegion: 'FR',
        weekendDays: ['sat'],
      })
      .expect(400);
    expect(wrongTypes.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['code', 'weekendDays']),
    );

    const badCalendar = await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(admin))
      .send({
        code: 'CNIL',
        name: 'CNIL',
        country: 'FR',
        timezone: 'Europe/Atlantis',
        locale: 'fr-FR',
        holidayRegion: 'DE-XX',
      })
      .expect(400);
    expect(badCalendar.body.errors).toEqual([
      { field: 'timezone', message: expect.stringContaining('not an IANA time zone') },
      { field: 'holidayRegion', message: expect.stringContaining('DE has no state "XX"') },
    ]);

    const huge = await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(admin))
      .send({
        code: 'CNIL',
        name: 'x'.repeat(5000),
        country: 'FR',
        timezone: 'Europe/Paris',
        locale: 'fr-FR',
        holidayRegion: 'FR',
      })
      .expect(413);
    expect(huge.headers['content-type']).toContain('application/problem+json');

    await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(admin))
      .send({
        code: 'GPDP',
        name: 'Again',
        country: 'IT',
        timezone: 'Europe/Rome',
        locale: 'it-IT',
        holidayRegion: 'IT',
      })
      .expect(409);

    const after = await test.http().get('/api/v1/authorities').set(bearer(admin)).expect(200);
    expect(after.body).toEqual(before.body);
  });

  it('keeps users inside their authority', async () => {
    const foreign = await test
      .http()
      .post('/api/v1/users')
      .set(bearer(gpdp.tokens.admin))
      .send({
        email: 'mole@pipc.test',
        name: 'Mole',
        password: 'long-enough-password',
        role: 'officer',
        authority: 'PIPC',
      })
      .expect(403);
    expect(foreign.body.detail).toContain('own authority');
    await test
      .http()
      .post('/api/v1/users')
      .set(bearer(gpdp.tokens.viewer))
      .send({ email: 'x@gpdp.test', name: 'X', password: 'long-enough-password', role: 'officer', authority: 'GPDP' })
      .expect(403);
    await test
      .http()
      .post('/api/v1/users')
      .set(bearer(gpdp.tokens.officer))
      .send({ email: 'x@gpdp.test', name: 'X', password: 'long-enough-password', role: 'officer', authority: 'GPDP' })
      .expect(403);
    await test
      .http()
      .post('/api/v1/users')
      .set(bearer(gpdp.tokens.admin))
      .send({
        email: 'boss@gpdp.test',
        name: 'Boss',
        password: 'long-enough-password',
        role: 'sysadmin',
        authority: 'GPDP',
      })
      .expect(400);
    await test
      .http()
      .post('/api/v1/authorities')
      .set(bearer(gpdp.tokens.admin))
      .send({
        code: 'EVIL',
        name: 'Evil',
        country: 'IT',
        timezone: 'Europe/Rome',
        locale: 'it-IT',
        holidayRegion: 'IT',
      })
      .expect(403);

    const created = await test
      .http()
      .post('/api/v1/users')
      .set(bearer(gpdp.tokens.admin))
      .send({
        email: 'New.Officer@GPDP.test',
        name: 'New officer',
        password: 'long-enough-password',
        role: 'officer',
        authority: 'GPDP',
      })
      .expect(201);
    expect(created.body).toMatchObject({
      email: 'new.officer@gpdp.test',
      role: 'officer',
      authority: { code: 'GPDP' },
    });
    expect(created.body.password).toBeUndefined();

    const gpdpUsers = await test.http().get('/api/v1/users').set(bearer(gpdp.tokens.officer)).expect(200);
    expect(gpdpUsers.body.map((u: { email: string }) => u.email)).not.toContain('mole@pipc.test');
    expect(new Set(gpdpUsers.body.map((u: { authorityId: string }) => u.authorityId))).toEqual(
      new Set([gpdp.authorityId]),
    );
    const pipcAuthorities = await test.http().get('/api/v1/authorities').set(bearer(pipc.tokens.officer)).expect(200);
    expect(pipcAuthorities.body.map((a: { code: string }) => a.code)).toEqual(['PIPC']);
  });

  it('records identity changes in a valid audit chain per authority, readable only by that authority', async () => {
    const gpdpAudit = await test.http().get('/api/v1/audit?sort=seq').set(bearer(gpdp.tokens.manager)).expect(200);
    expect(gpdpAudit.body.items[0]).toMatchObject({
      action: 'authority.created',
      seq: '1',
      authorityId: gpdp.authorityId,
    });
    expect(gpdpAudit.body.items.every((event: { authorityId: string }) => event.authorityId === gpdp.authorityId)).toBe(
      true,
    );
    const verify = await test.http().get('/api/v1/audit/verify').set(bearer(gpdp.tokens.manager)).expect(200);
    expect(verify.body).toMatchObject({ valid: true, entries: gpdpAudit.body.items.length });
    await test
      .http()
      .get('/api/v1/audit')
      .set(bearer(await sysadminToken(test)))
      .expect(403);
  });

  it('publishes the OpenAPI document', async () => {
    const docs = await test.http().get('/api/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/token',
        '/api/v1/me',
        '/api/v1/authorities',
        '/api/v1/users',
        '/api/v1/audit/verify',
        '/health/ready',
      ]),
    );
    expect(docs.body.components.schemas.CreateAuthorityRequest.required).toEqual(
      expect.arrayContaining(['code', 'timezone', 'holidayRegion']),
    );
  });
});

describe('login throttling', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ env: { LOGIN_ATTEMPTS_PER_MINUTE: '3' } });
  });
  afterAll(() => test.close());

  it('answers 429 after too many sign-in attempts', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      await test
        .http()
        .post('/api/v1/auth/token')
        .send({ email: 'nobody@x.test', password: 'wrong-password' })
        .expect(401);
    }
    const limited = await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'nobody@x.test', password: 'wrong-password' })
      .expect(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
  });
});
