import { generateSync } from 'otplib';
import { DataSource } from 'typeorm';
import { cookieHeader, cookiesOf, loginForm } from './support/page-session.js';
import { bearer, createTenant, startTestApp, tokenFor, type Tenant, type TestApp } from './support/app.js';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const now = () => Math.floor(Date.now() / 1000);
/** The code of the app `steps` steps from now (the server accepts the next step too, so each call can be fresh). */
const codeOf = (secret: string, steps = 0) => generateSync({ secret, epoch: now() + steps * 30 });

describe('second factor: TOTP with recovery codes', () => {
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let counter = 0;
  const db = () => test.app.get(DataSource);
  const auditActions = async (token: string) =>
    (await test.http().get('/api/v1/audit').set(bearer(token)).expect(200)).body.items as {
      action: string;
      entityId: string;
      after: Record<string, unknown> | null;
    }[];

  async function person(tenant: Tenant, role: 'admin' | 'officer' = 'officer') {
    counter += 1;
    const email = `tf${counter}@${tenant.code.toLowerCase()}.test`;
    const password = `second-factor-${counter}-pass`;
    const created = await test
      .http()
      .post('/api/v1/users')
      .set(bearer(tenant.tokens.admin))
      .send({ email, name: `Person ${counter}`, password, role, authority: tenant.code })
      .expect(201);
    return { id: created.body.id as string, email, password, token: await tokenFor(test, email, password) };
  }

  /** Enrols through the API; returns the secret and the recovery codes. */
  async function enrolled(user: { token: string }) {
    const started = await test.http().post('/api/v1/me/totp').set(bearer(user.token)).expect(201);
    const confirmed = await test
      .http()
      .post('/api/v1/me/totp/confirm')
      .set(bearer(user.token))
      .send({ code: codeOf(started.body.secret) })
      .expect(200);
    return { secret: started.body.secret as string, recoveryCodes: confirmed.body.recoveryCodes as string[] };
  }

  const signIn = (user: { email: string; password: string }, code?: string) =>
    test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: user.email, password: user.password, ...(code === undefined ? {} : { code }) });

  beforeAll(async () => {
    test = await startTestApp({ env: { ACCOUNT_LOCK_FAILURES: '4' } });
    gpdp = await createTenant(test, 'TFA');
    pipc = await createTenant(test, 'TFB', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
  });
  afterAll(() => test?.close());

  it('enrols with a secret shown once, sealed at rest, confirmed by a code; recovery codes are stored as HMACs', async () => {
    const user = await person(gpdp);
    const started = await test.http().post('/api/v1/me/totp').set(bearer(user.token)).expect(201);
    expect(started.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Docket:.+\?.*secret=[A-Z2-7]{32}/);
    const [row] = await db().query(
      `SELECT totp_pending_secret, totp_secret, totp_enabled_at FROM users WHERE id = $1`,
      [user.id],
    );
    expect(row.totp_pending_secret).toMatch(/^v1\./);
    expect(row.totp_pending_secret).not.toContain(started.body.secret);
    expect(row.totp_enabled_at).toBeNull();

    const wrong = await test
      .http()
      .post('/api/v1/me/totp/confirm')
      .set(bearer(user.token))
      .send({ code: '000000' === codeOf(started.body.secret) ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.body.errors[0].field).toBe('code');
    expect(
      (await db().query(`SELECT totp_enabled_at FROM users WHERE id = $1`, [user.id]))[0].totp_enabled_at,
    ).toBeNull();
    // Signing in still needs no code.
    await signIn(user).expect(200);

    const confirmed = await test
      .http()
      .post('/api/v1/me/totp/confirm')
      .set(bearer(user.token))
      .send({ code: codeOf(started.body.secret) })
      .expect(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);
    const stored = await db().query(`SELECT code_hash FROM recovery_codes WHERE user_id = $1`, [user.id]);
    expect(stored).toHaveLength(10);
    for (const code of confirmed.body.recoveryCodes)
      expect(stored.map((r: { code_hash: string }) => r.code_hash)).not.toContain(code);
    const [after] = await db().query(`SELECT totp_secret, totp_pending_secret FROM users WHERE id = $1`, [user.id]);
    expect(after.totp_pending_secret).toBeNull();
    expect(after.totp_secret).not.toContain(started.body.secret);
    await test.http().post('/api/v1/me/totp').set(bearer(user.token)).expect(409);
    expect(await test.http().get('/api/v1/me/totp').set(bearer(user.token)).expect(200)).toMatchObject({
      body: { enabled: true, recoveryCodesLeft: 10 },
    });
    expect(
      (await auditActions(gpdp.tokens.admin)).some(
        (e) => e.action === 'user.second_factor_enabled' && e.entityId === user.id,
      ),
    ).toBe(true);
  });

  it('asks the API for the code after the password; refuses a wrong code and a replayed one; recovery codes work once', async () => {
    const user = await person(gpdp);
    const { secret, recoveryCodes } = await enrolled(user);

    const missing = await signIn(user);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ secondFactorRequired: true });
    const wrongPassword = await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: user.email, password: 'not-the-password', code: codeOf(secret, 1) });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body.secondFactorRequired).toBeUndefined();

    const code = codeOf(secret, 1);
    const accepted = await signIn(user, code).expect(200);
    expect(accepted.body.token).toBeTruthy();
    const replayed = await signIn(user, code);
    expect(replayed.status).toBe(401);
    expect(replayed.body.detail).toContain('already used');

    const recovery = await signIn(user, recoveryCodes[0]!.toUpperCase().replace('-', ' ')).expect(200);
    expect(recovery.body.token).toBeTruthy();
    expect((await signIn(user, recoveryCodes[0])).status).toBe(401);
    const used = (await auditActions(gpdp.tokens.admin)).find(
      (e) => e.action === 'user.recovery_code_used' && e.entityId === user.id,
    );
    expect(used?.after).toMatchObject({ recoveryCodesLeft: 9 });
  });

  it('counts wrong codes like wrong passwords: the account locks, even for the right code', async () => {
    const user = await person(gpdp);
    const { secret } = await enrolled(user);
    const wrongCode = codeOf(secret) === '123456' ? '654321' : '123456';
    for (let attempt = 1; attempt <= 3; attempt += 1) expect((await signIn(user, wrongCode)).status).toBe(401);
    // A right password does not start the count again while the code is wrong.
    expect((await signIn(user, wrongCode)).status).toBe(429);
    expect((await signIn(user, codeOf(secret, 1))).status).toBe(429);
  });

  it('signs in on the page in two steps: password, then the code (a wrong code re-asks, a used step is refused)', async () => {
    const user = await person(gpdp);
    const { secret } = await enrolled(user);
    const { csrf, jar } = await loginForm(test);
    const step1 = await test
      .http()
      .post('/login')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrf, email: user.email, password: user.password })
      .expect(200);
    expect(step1.text).toContain('Enter your code');
    expect(cookiesOf(step1.headers['set-cookie'], jar).docket_session).toBeUndefined();
    const challenge = /name="challenge" value="([^"]+)"/.exec(step1.text)![1]!;
    const wrong = await test
      .http()
      .post('/login/code')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrfOf(step1.text), challenge, code: '12345x' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('The code is not correct');
    const right = await test
      .http()
      .post('/login/code')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrfOf(wrong.text), challenge, code: codeOf(secret, 1) })
      .expect(303);
    const session = cookiesOf(right.headers['set-cookie'], jar);
    expect(session.docket_session).toBeTruthy();
    await test.http().get('/dashboard').set('cookie', cookieHeader(session)).expect(200);
    // The challenge is used up.
    const again = await test
      .http()
      .post('/login/code')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrfOf(wrong.text), challenge, code: codeOf(secret, 1) });
    expect(again.status).toBe(401);
    expect(again.text).toContain('took too long or was already used');
  });

  it('enrols on the profile page: key and link, a wrong code keeps the key, then the recovery codes once', async () => {
    const user = await person(gpdp);
    const { csrf, jar } = await loginForm(test);
    const login = await test
      .http()
      .post('/login')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrf, email: user.email, password: user.password })
      .expect(303);
    const cookies = cookiesOf(login.headers['set-cookie'], jar);
    const profile = await test.http().get('/me').set('cookie', cookieHeader(cookies)).expect(200);
    // The profile page is in the Italian user's language.
    expect(profile.text).toContain('Configura il secondo fattore');
    const started = await test
      .http()
      .post('/me/totp')
      .type('form')
      .set('cookie', cookieHeader(cookies))
      .send({ _csrf: csrfOf(profile.text) })
      .expect(200);
    const secret = /id="totp-secret" type="text" readonly value="([A-Z2-7]+)"/.exec(started.text)![1]!;
    expect(started.text).toContain('otpauth://totp/');
    const wrong = await test
      .http()
      .post('/me/totp/confirm')
      .type('form')
      .set('cookie', cookieHeader(cookies))
      .send({ _csrf: csrfOf(started.text), code: '99999' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain(secret);
    const done = await test
      .http()
      .post('/me/totp/confirm')
      .type('form')
      .set('cookie', cookieHeader(cookies))
      .send({ _csrf: csrfOf(wrong.text), code: codeOf(secret) })
      .expect(200);
    expect(done.text.match(/<li><code>[a-z2-9]{5}-[a-z2-9]{5}<\/code><\/li>/g)).toHaveLength(10);
    const later = await test.http().get('/me').set('cookie', cookieHeader(cookies)).expect(200);
    expect(later.text).toContain('Codici di recupero rimasti: 10');
    expect(later.text).not.toMatch(/<li><code>[a-z2-9]{5}-[a-z2-9]{5}<\/code><\/li>/);
  });

  it("lets an authority's admin require it: users without one are signed out and may only enrol until they have one", async () => {
    const tenant = await createTenant(test, 'TFREQ');
    const officer = await person(tenant);
    const other = await person(gpdp);
    await test
      .http()
      .put(`/api/v1/authorities/${tenant.code}/second-factor`)
      .set(bearer(pipc.tokens.admin))
      .send({ required: true })
      .expect(404);
    await test
      .http()
      .put(`/api/v1/authorities/${tenant.code}/second-factor`)
      .set(bearer(tenant.tokens.officer))
      .send({ required: true })
      .expect(403);
    const set = await test
      .http()
      .put(`/api/v1/authorities/${tenant.code}/second-factor`)
      .set(bearer(tenant.tokens.admin))
      .send({ required: true })
      .expect(200);
    expect(set.body.secondFactorRequired).toBe(true);
    expect(set.body.endedSessions).toBeGreaterThan(0);
    await test.http().get('/api/v1/cases').set(bearer(officer.token)).expect(401);
    // Another authority's people are untouched.
    await test.http().get('/api/v1/cases').set(bearer(other.token)).expect(200);

    const limited = await signIn(officer).expect(200);
    expect(limited.body.secondFactorEnrolmentRequired).toBe(true);
    const refused = await test.http().get('/api/v1/cases').set(bearer(limited.body.token));
    expect(refused.status).toBe(403);
    expect(refused.body.secondFactorEnrolmentRequired).toBe(true);
    await test.http().get('/api/v1/me').set(bearer(limited.body.token)).expect(200);
    const { secret } = await enrolled({ token: limited.body.token });
    await test.http().get('/api/v1/cases').set(bearer(limited.body.token)).expect(200);
    await signIn(officer, codeOf(secret, 1)).expect(200);

    // On the pages: sign-in lands on the profile, other pages send back there.
    const viewer = await person(tenant);
    await test
      .http()
      .put(`/api/v1/authorities/${tenant.code}/second-factor`)
      .set(bearer(tenant.tokens.admin))
      .send({ required: false })
      .expect(200);
    await test
      .http()
      .put(`/api/v1/authorities/${tenant.code}/second-factor`)
      .set(bearer(tenant.tokens.admin))
      .send({ required: true })
      .expect(200);
    const { csrf, jar } = await loginForm(test);
    const login = await test
      .http()
      .post('/login')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrf, email: viewer.email, password: viewer.password })
      .expect(303);
    expect(login.headers.location).toBe('/me');
    const cookies = cookiesOf(login.headers['set-cookie'], jar);
    const dashboard = await test
      .http()
      .get('/dashboard')
      .set('cookie', cookieHeader(cookies))
      .accept('html')
      .expect(303);
    expect(dashboard.headers.location).toBe('/me');
    const profile = await test.http().get('/me').set('cookie', cookieHeader(cookies)).expect(200);
    expect(profile.text).toContain('La sua autorità richiede un secondo fattore di autenticazione');
    const actions = (await auditActions(tenant.tokens.admin)).map((e) => e.action);
    expect(actions).toContain('authority.second_factor_required');
    expect(actions).toContain('authority.second_factor_optional');
  });

  it("lets an admin reset a user's second factor (audited), only in their own authority", async () => {
    const user = await person(gpdp);
    await enrolled(user);
    await test.http().delete(`/api/v1/users/${user.id}/totp`).set(bearer(pipc.tokens.admin)).expect(404);
    await test.http().delete(`/api/v1/users/${user.id}/totp`).set(bearer(gpdp.tokens.officer)).expect(403);
    expect((await signIn(user)).status).toBe(401);
    await test.http().delete(`/api/v1/users/${user.id}/totp`).set(bearer(gpdp.tokens.admin)).expect(204);
    await test.http().delete(`/api/v1/users/${user.id}/totp`).set(bearer(gpdp.tokens.admin)).expect(409);
    await signIn(user).expect(200);
    expect(
      Number((await db().query(`SELECT count(*) FROM recovery_codes WHERE user_id = $1`, [user.id]))[0].count),
    ).toBe(0);
    const reset = (await auditActions(gpdp.tokens.admin)).find(
      (e) => e.action === 'user.second_factor_reset' && e.entityId === user.id,
    );
    expect(reset?.after).toMatchObject({ recoveryCodesRemoved: 10 });
  });
});
