import { DataSource } from 'typeorm';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { CookieBrowser, freePort, TestIdp } from './support/oidc-idp.js';
import { cookieHeader, cookiesOf, pageSession } from './support/page-session.js';

const SECRET = 'docket-client-secret-for-the-test-idp';

describe('single sign-on with an OpenID provider per authority (real oidc-provider on loopback)', () => {
  let test: TestApp;
  let idp: TestIdp;
  let docket: string;
  let a: Tenant;
  let b: Tenant;
  let c: Tenant;
  const db = () => test.app.get(DataSource);
  const callback = (code: string) => `${docket}/auth/oidc/${code}/callback`;

  /**
   * Starts Docket's sign-in for an authority and goes through the provider's own login and consent pages as
   * `account`; returns the callback address the provider sends the browser to (not yet visited).
   */
  async function throughProvider(
    browser: CookieBrowser,
    code: string,
    account: string,
    rewriteAuthorization: (url: string) => string = (url) => url,
  ): Promise<string> {
    const start = await browser.request(`${docket}/auth/oidc/${code}/login`);
    expect(start.status).toBe(303);
    const authorization = start.headers.get('location')!;
    expect(authorization.startsWith(`${idp.issuer}/`)).toBe(true);
    const params = new URL(authorization).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    let { response, url } = await browser.follow(rewriteAuthorization(authorization), { stopAt: callback(code) });
    for (let step = 0; response && step < 4; step += 1) {
      const html = await response.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`no form at ${url}: ${response.status} ${html.slice(0, 300)}`);
      const prompt = /name="prompt" value="([a-z]+)"/.exec(html)![1]!;
      const form: Record<string, string> =
        prompt === 'login' ? { prompt, login: account, password: 'any' } : { prompt };
      ({ response, url } = await browser.follow(new URL(action, url).href, { form, stopAt: callback(code) }));
    }
    if (response) throw new Error(`the provider did not send the browser back: ${url}`);
    return url;
  }

  async function signInWith(code: string, account: string) {
    const browser = new CookieBrowser();
    const back = await throughProvider(browser, code, account);
    const landed = await browser.request(back);
    return { browser, landed, html: landed.status === 303 ? '' : await landed.text() };
  }

  const settingsOf = (tenant: Tenant, clientId: string, emailDomains: string[]) =>
    test
      .http()
      .put(`/api/v1/authorities/${tenant.code}/oidc`)
      .set(bearer(tenant.tokens.admin))
      .send({ issuer: idp.issuer, clientId, clientSecret: SECRET, emailDomains, label: `${tenant.code} Login` });

  beforeAll(async () => {
    const port = await freePort();
    docket = `http://127.0.0.1:${port}`;
    idp = await new TestIdp().start(
      [
        { client_id: 'docket-a', client_secret: SECRET, redirect_uris: [`${docket}/auth/oidc/SSOA/callback`] },
        // Another application at the same provider, allowed to send its codes to the same address.
        { client_id: 'other-app', client_secret: SECRET, redirect_uris: [`${docket}/auth/oidc/SSOA/callback`] },
        { client_id: 'docket-c', client_secret: SECRET, redirect_uris: [`${docket}/auth/oidc/SSOC/callback`] },
      ],
      2,
    );
    test = await startTestApp({ env: { PUBLIC_URL: docket } });
    await new Promise<void>((resolve) => test.app.getHttpServer().listen(port, '127.0.0.1', () => resolve()));
    a = await createTenant(test, 'SSOA');
    b = await createTenant(test, 'SSOB');
    c = await createTenant(test, 'SSOC');
    idp.accounts.set('a-officer', { email: 'Officer@ssoa.test', email_verified: true });
    idp.accounts.set('a-unverified', { email: 'manager@ssoa.test', email_verified: false });
    idp.accounts.set('b-officer', { email: 'officer@ssob.test', email_verified: true });
    idp.accounts.set('nobody', { email: 'nobody@ssoa.test', email_verified: true });
  });
  afterAll(async () => {
    await test?.close();
    await idp?.stop();
  });

  it("is configured by the authority's admin only; the secret is sealed and never shown; a wrong issuer stores nothing", async () => {
    await test
      .http()
      .put(`/api/v1/authorities/${a.code}/oidc`)
      .set(bearer(b.tokens.admin))
      .send({ issuer: idp.issuer, clientId: 'docket-a' })
      .expect(404);
    await test
      .http()
      .put(`/api/v1/authorities/${a.code}/oidc`)
      .set(bearer(a.tokens.manager))
      .send({ issuer: idp.issuer, clientId: 'docket-a' })
      .expect(403);
    const wrong = await test
      .http()
      .put(`/api/v1/authorities/${a.code}/oidc`)
      .set(bearer(a.tokens.admin))
      .send({ issuer: `${docket}/not-an-issuer`, clientId: 'docket-a' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('issuer');
    const plainHttp = await test
      .http()
      .put(`/api/v1/authorities/${a.code}/oidc`)
      .set(bearer(a.tokens.admin))
      .send({ issuer: 'http://login.example.org', clientId: 'docket-a' });
    expect(plainHttp.status).toBe(400);
    expect(Number((await db().query(`SELECT count(*) FROM authority_oidc_settings`))[0].count)).toBe(0);

    const saved = await settingsOf(a, 'docket-a', ['ssoa.test']).expect(200);
    expect(saved.body).toMatchObject({
      issuer: idp.issuer,
      clientId: 'docket-a',
      clientSecretSet: true,
      emailClaim: 'email',
      emailDomains: ['ssoa.test'],
      redirectUri: callback('SSOA'),
    });
    expect(JSON.stringify(saved.body)).not.toContain(SECRET);
    const [row] = await db().query(`SELECT client_secret FROM authority_oidc_settings`);
    expect(row.client_secret).toMatch(/^v1\./);
    expect(row.client_secret).not.toContain(SECRET);
    const read = await test.http().get(`/api/v1/authorities/${a.code}/oidc`).set(bearer(a.tokens.admin)).expect(200);
    expect(JSON.stringify(read.body)).not.toContain(SECRET);
    await test.http().get(`/api/v1/authorities/${a.code}/oidc`).set(bearer(b.tokens.admin)).expect(404);
    await settingsOf(c, 'docket-c', []).expect(200);
    const audit = await test.http().get('/api/v1/audit').set(bearer(a.tokens.admin)).expect(200);
    const event = audit.body.items.find((e: { action: string }) => e.action === 'authority.sso_configured');
    expect(JSON.stringify(event)).not.toContain(SECRET);
  });

  it('signs an existing user of the authority in through the provider (code flow, PKCE, state, nonce)', async () => {
    const { browser, landed } = await signInWith('SSOA', 'a-officer');
    expect(landed.status).toBe(303);
    expect(browser.jar.get('docket_session')).toBeTruthy();
    const home = await browser.request(`${docket}${landed.headers.get('location')}`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('SSOA officer');
    expect(browser.jar.has('docket_oidc')).toBe(false);
  });

  it('offers the provider on the sign-in page, by e-mail domain or by the authority named in the link', async () => {
    const browser = new CookieBrowser();
    const page = await browser.request(`${docket}/login?authority=SSOA`);
    const html = await page.text();
    expect(html).toContain('Sign in with SSOA Login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const byDomain = await browser.request(`${docket}/login/sso`, {
      form: { _csrf: csrf, ssoEmail: 'someone@ssoa.test' },
    });
    expect(byDomain.status).toBe(303);
    expect(byDomain.headers.get('location')).toBe('/auth/oidc/SSOA/login');
    const unknown = await browser.request(`${docket}/login/sso`, {
      form: { _csrf: csrf, ssoEmail: 'someone@elsewhere.test' },
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('No single sign-on is set up for this email address');
  });

  it('refuses a forged state, a code issued to another application and an expired code, with a page and no session', async () => {
    const forged = new CookieBrowser();
    const back = await throughProvider(forged, 'SSOA', 'a-officer');
    const url = new URL(back);
    url.searchParams.set('state', 'forged-state-value');
    const refused = await forged.request(url.href);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Single sign-on did not work');
    expect(forged.jar.has('docket_session')).toBe(false);

    // Same state, but the provider gave the code to another client: the audience is not Docket's.
    const otherClient = new CookieBrowser();
    const stolen = await throughProvider(otherClient, 'SSOA', 'a-officer', (authorization) =>
      authorization.replace('client_id=docket-a', 'client_id=other-app'),
    );
    const wrongAudience = await otherClient.request(stolen);
    expect(wrongAudience.status).toBe(400);
    expect(await wrongAudience.text()).toContain('answer was not accepted');
    expect(otherClient.jar.has('docket_session')).toBe(false);

    // No cookie of the flow (another browser): refused before any exchange.
    const elsewhere = new CookieBrowser();
    expect((await elsewhere.request(back)).status).toBe(400);

    // Codes of SSOC's client live 2 s at the provider.
    const slow = new CookieBrowser();
    const late = await throughProvider(slow, 'SSOC', 'b-officer');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const expired = await slow.request(late);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('answer was not accepted');
    expect(slow.jar.has('docket_session')).toBe(false);
  });

  it('refuses an unverified address, a user of another authority, an unknown and a deactivated user', async () => {
    const unverified = await signInWith('SSOA', 'a-unverified');
    expect(unverified.landed.status).toBe(403);
    expect(unverified.html).toContain('has not verified');

    const otherDomain = await signInWith('SSOA', 'b-officer');
    expect(otherDomain.landed.status).toBe(403);
    expect(otherDomain.html).toContain('is not an address of SSOA');

    // SSOC lists no domains: B's officer is still no user of SSOC.
    const otherAuthority = await signInWith('SSOC', 'b-officer');
    expect(otherAuthority.landed.status).toBe(403);
    expect(otherAuthority.html).toContain('There is no Docket account for officer@ssob.test in SSOC');

    const unknown = await signInWith('SSOA', 'nobody');
    expect(unknown.landed.status).toBe(403);

    await test
      .http()
      .patch(`/api/v1/users/${a.userIds.viewer}`)
      .set(bearer(a.tokens.admin))
      .send({ active: false })
      .expect(200);
    idp.accounts.set('a-gone', { email: 'viewer@ssoa.test', email_verified: true });
    const gone = await signInWith('SSOA', 'a-gone');
    expect(gone.landed.status).toBe(403);
    expect(gone.html).toContain('deactivated');
    for (const attempt of [unverified, otherDomain, otherAuthority, unknown, gone])
      expect(attempt.browser.jar.has('docket_session')).toBe(false);
  });

  it('has an admin page: the redirect address, the settings without the secret, a wrong issuer re-shown with its message', async () => {
    const cookies = cookieHeader(await pageSession(test, 'admin@ssoa.test', 'admin-password-123'));
    const page = await test.http().get('/admin/sign-in').set('cookie', cookies).expect(200);
    expect(page.text).toContain(callback('SSOA'));
    expect(page.text).toContain(idp.issuer);
    expect(page.text).toContain('A secret is stored');
    expect(page.text).not.toContain(SECRET);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const refused = await test
      .http()
      .post('/admin/sign-in/oidc')
      .type('form')
      .set('cookie', cookies)
      .send({ _csrf: csrf, issuer: 'not a url', clientId: 'docket-a', emailClaim: 'email', enabled: 'true' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('not a url');
    expect(refused.text).toContain('Issuer URL must be an http(s) URL');
    const saved = await test
      .http()
      .post('/admin/sign-in/oidc')
      .type('form')
      .set('cookie', cookies)
      .send({
        _csrf: csrf,
        issuer: idp.issuer,
        clientId: 'docket-a',
        emailClaim: 'email',
        emailDomains: 'ssoa.test, Other.ssoa.test',
        label: 'SSOA Login',
        enabled: 'true',
      })
      .expect(303);
    expect(saved.headers.location).toBe('/admin/sign-in');
    const [row] = await db().query(
      `SELECT email_domains, client_secret FROM authority_oidc_settings s JOIN authorities a ON a.id = s.authority_id WHERE a.code = 'SSOA'`,
    );
    expect(row.email_domains).toEqual(['ssoa.test', 'other.ssoa.test']);
    expect(row.client_secret).toMatch(/^v1\./);
    // The stored secret was kept: sign-in still works.
    expect((await signInWith('SSOA', 'a-officer')).landed.status).toBe(303);
  });

  it('is removed by the admin (audited); the sign-in link then says so', async () => {
    await test.http().delete(`/api/v1/authorities/${c.code}/oidc`).set(bearer(b.tokens.admin)).expect(404);
    await test.http().delete(`/api/v1/authorities/${c.code}/oidc`).set(bearer(c.tokens.admin)).expect(204);
    const browser = new CookieBrowser();
    const start = await browser.request(`${docket}/auth/oidc/SSOC/login`);
    expect(start.status).toBe(404);
    expect(await start.text()).toContain('There is no single sign-on for SSOC');
  });

  const saveA = (fields: Record<string, unknown>) =>
    test
      .http()
      .put(`/api/v1/authorities/${a.code}/oidc`)
      .set(bearer(a.tokens.admin))
      .send({ issuer: idp.issuer, clientId: 'docket-a', ...fields });
  const auditOf = async (tenant: Tenant, action: string) =>
    (await test.http().get(`/api/v1/audit?action=${action}`).set(bearer(tenant.tokens.admin)).expect(200)).body.items
      .filter((event: { action: string }) => event.action === action)
      .map((event: { after: Record<string, unknown>; actorLabel: string }) => event);

  it('refuses role tables and provisioning that cannot work, storing nothing', async () => {
    const before = await db().query(`SELECT * FROM authority_oidc_settings ORDER BY authority_id`);
    const sysadminRole = await saveA({ roleClaim: 'groups', roleMap: { root: 'sysadmin' } });
    expect(sysadminRole.status).toBe(400);
    expect(sysadminRole.body.errors).toEqual([expect.objectContaining({ field: 'roleMap' })]);
    const noClaim = await saveA({ roleClaim: null, roleMap: { staff: 'officer' } });
    expect(noClaim.status).toBe(400);
    expect(noClaim.body.errors[0].field).toBe('roleClaim');
    const noDomains = await saveA({ emailDomains: [], provisioning: 'jit' });
    expect(noDomains.status).toBe(400);
    expect(noDomains.body.errors[0].field).toBe('provisioning');
    const disabled = await saveA({ enabled: false, ssoOnly: true });
    expect(disabled.status).toBe(400);
    expect(disabled.body.errors[0].field).toBe('ssoOnly');
    expect((await saveA({ provisioning: 'everyone' })).status).toBe(400);
    expect(await db().query(`SELECT * FROM authority_oidc_settings ORDER BY authority_id`)).toEqual(before);
  });

  it("maps the provider's claim to the role at each sign-in (audited; the user's other sessions end)", async () => {
    const saved = await saveA({
      roleClaim: 'groups',
      roleMap: { 'dpa-managers': 'manager', 'dpa-staff': 'officer', 'dpa-readers': 'viewer' },
    }).expect(200);
    expect(saved.body).toMatchObject({ roleClaim: 'groups', provisioning: 'existing', ssoOnly: false });
    idp.accounts.set('a-officer', {
      email: 'officer@ssoa.test',
      email_verified: true,
      groups: ['dpa-readers', 'dpa-managers'],
    });
    const { browser, landed } = await signInWith('SSOA', 'a-officer');
    expect(landed.status).toBe(303);
    expect(browser.jar.get('docket_session')).toBeTruthy();
    const [user] = await db().query(`SELECT role FROM users WHERE id = $1`, [a.userIds.officer]);
    expect(user.role).toBe('manager');
    await test.http().get('/api/v1/cases').set(bearer(a.tokens.officer)).expect(401);
    const [change] = await auditOf(a, 'user.role_changed');
    expect(change).toMatchObject({
      actorLabel: `single sign-on (${idp.issuer})`,
      after: { role: 'manager', via: 'sso', issuer: idp.issuer },
    });
    // No value of the table: the role stays what Docket has.
    idp.accounts.set('a-officer', { email: 'officer@ssoa.test', email_verified: true, groups: ['unrelated'] });
    expect((await signInWith('SSOA', 'a-officer')).landed.status).toBe(303);
    expect((await db().query(`SELECT role FROM users WHERE id = $1`, [a.userIds.officer]))[0].role).toBe('manager');
    // The last administrator of the authority keeps the role whatever the provider says.
    idp.accounts.set('a-admin', { email: 'admin@ssoa.test', email_verified: true, groups: ['dpa-readers'] });
    expect((await signInWith('SSOA', 'a-admin')).landed.status).toBe(303);
    expect((await db().query(`SELECT role FROM users WHERE id = $1`, [a.userIds.admin]))[0].role).toBe('admin');
  });

  it('creates a user of a listed domain at the first sign-in only when the authority chose it (audited)', async () => {
    idp.accounts.set('a-newcomer', {
      email: 'newcomer@ssoa.test',
      email_verified: true,
      name: 'Nuova Funzionaria',
      groups: ['dpa-staff'],
    });
    const notYet = await signInWith('SSOA', 'a-newcomer');
    expect(notYet.landed.status).toBe(403);
    expect(notYet.html).toContain('There is no Docket account for newcomer@ssoa.test in SSOA');
    expect(await db().query(`SELECT 1 FROM users WHERE email = 'newcomer@ssoa.test'`)).toHaveLength(0);

    await saveA({ provisioning: 'jit' }).expect(200);
    const first = await signInWith('SSOA', 'a-newcomer');
    expect(first.landed.status).toBe(303);
    expect(first.browser.jar.get('docket_session')).toBeTruthy();
    const [created] = await db().query(
      `SELECT u.name, u.role, u.language, u.active, a.code FROM users u JOIN authorities a ON a.id = u.authority_id WHERE u.email = 'newcomer@ssoa.test'`,
    );
    expect(created).toEqual({ name: 'Nuova Funzionaria', role: 'officer', language: 'it', active: true, code: 'SSOA' });
    const [event] = await auditOf(a, 'user.created');
    expect(event.after).toMatchObject({ email: 'newcomer@ssoa.test', role: 'officer', via: 'sso', issuer: idp.issuer });
    // A second sign-in finds the same user.
    expect((await signInWith('SSOA', 'a-newcomer')).landed.status).toBe(303);
    expect(await db().query(`SELECT 1 FROM users WHERE email = 'newcomer@ssoa.test'`)).toHaveLength(1);

    // No role from the claim and no default role: refused, nobody created; with a default role, created as it.
    idp.accounts.set('a-roleless', { email: 'roleless@ssoa.test', email_verified: true, groups: ['unrelated'] });
    const roleless = await signInWith('SSOA', 'a-roleless');
    expect(roleless.landed.status).toBe(403);
    expect(roleless.html).toContain('no Docket role');
    expect(await db().query(`SELECT 1 FROM users WHERE email = 'roleless@ssoa.test'`)).toHaveLength(0);
    await saveA({ defaultRole: 'viewer' }).expect(200);
    expect((await signInWith('SSOA', 'a-roleless')).landed.status).toBe(303);
    expect((await db().query(`SELECT role FROM users WHERE email = 'roleless@ssoa.test'`))[0].role).toBe('viewer');

    // Another authority's domain is never provisioned into this one.
    const foreign = await signInWith('SSOA', 'b-officer');
    expect(foreign.landed.status).toBe(403);
    expect(
      await db().query(`SELECT 1 FROM users WHERE email = 'officer@ssob.test' AND authority_id = $1`, [a.authorityId]),
    ).toHaveLength(0);
  });

  it('ends the password-based sessions and tokens of its users at once when an authority becomes single-sign-on only', async () => {
    const page = (jar: Record<string, string>, path = '/cases') =>
      test.http().get(path).set('cookie', cookieHeader(jar)).redirects(0);
    const managerPage = await pageSession(test, 'manager@ssoa.test', 'manager-password-123');
    const adminOther = (
      await test
        .http()
        .post('/api/v1/auth/token')
        .send({ email: 'admin@ssoa.test', password: 'admin-password-123' })
        .expect(200)
    ).body.token as string;
    const sso = await signInWith('SSOA', 'a-officer');
    expect(sso.landed.status).toBe(303);
    const ssoPage = await sso.browser.request(`${docket}/cases`);
    expect(ssoPage.status).toBe(200);
    await test.http().get('/api/v1/cases').set(bearer(a.tokens.manager)).expect(200);
    expect((await page(managerPage)).status).toBe(200);
    const live = async (tenant: Tenant) =>
      Number(
        (
          await db().query(
            `SELECT count(*) FROM access_tokens t JOIN users u ON u.id = t.user_id
              WHERE u.authority_id = $1 AND t.revoked_at IS NULL AND t.signed_in_by = 'password' AND t.kind <> 'ical'`,
            [tenant.authorityId],
          )
        )[0].count,
      );
    const livePasswordTokens = await live(a);
    const othersBefore = await live(b);
    expect(livePasswordTokens).toBeGreaterThanOrEqual(4);

    const saved = await saveA({ ssoOnly: true }).expect(200);
    // Every password-based session and token of the authority's users ended, but the one that asked.
    expect(saved.body.endedSessions).toBe(livePasswordTokens - 1);
    expect(await live(a)).toBe(1);
    await test.http().get('/api/v1/cases').set(bearer(a.tokens.manager)).expect(401);
    await test.http().get('/api/v1/cases').set(bearer(a.tokens.officer)).expect(401);
    await test.http().get('/api/v1/cases').set(bearer(adminOther)).expect(401);
    const ended = await page(managerPage);
    expect(ended.status).toBe(303);
    expect(ended.headers.location).toMatch(/^\/login/);
    // The administrator who asked keeps this request's token; single sign-on sessions and other authorities stay.
    await test.http().get('/api/v1/cases').set(bearer(a.tokens.admin)).expect(200);
    expect((await sso.browser.request(`${docket}/cases`)).status).toBe(200);
    await test.http().get('/api/v1/cases').set(bearer(b.tokens.manager)).expect(200);
    expect(await live(b)).toBe(othersBefore);
    const configured = (await auditOf(a, 'authority.sso_configured')).filter(
      (event: { after: Record<string, unknown> }) => event.after.endedSessions !== undefined,
    );
    expect(configured.map((event: { after: Record<string, unknown> }) => event.after)).toEqual([
      expect.objectContaining({ ssoOnly: true, endedSessions: livePasswordTokens - 1 }),
    ]);
    // Saving again while already single-sign-on only ends nothing more.
    expect((await saveA({ ssoOnly: true }).expect(200)).body.endedSessions).toBeUndefined();
    await test.http().get('/api/v1/cases').set(bearer(a.tokens.admin)).expect(200);
  });

  it('restricts an authority to single sign-on: password sign-in, password change and reset links refused with the reason', async () => {
    await saveA({ ssoOnly: true }).expect(200);
    const token = await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'manager@ssoa.test', password: 'manager-password-123' });
    expect(token.status).toBe(403);
    expect(token.headers['content-type']).toContain('application/problem+json');
    expect(token.body.detail).toContain('sign in with SSOA Login (single sign-on) only');

    const browser = new CookieBrowser();
    const form = await (await browser.request(`${docket}/login`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
    const page = await browser.request(`${docket}/login`, {
      form: { _csrf: csrf, email: 'manager@ssoa.test', password: 'manager-password-123' },
    });
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('sign in with SSOA Login (single sign-on) only');
    expect(html).toContain('href="/auth/oidc/SSOA/login"');
    expect(browser.jar.has('docket_session')).toBe(false);

    const reset = await test
      .http()
      .post(`/api/v1/users/${a.userIds.manager}/password-reset`)
      .set(bearer(a.tokens.admin));
    expect(reset.status).toBe(409);
    expect(reset.body.detail).toContain('single sign-on');
    // The administrator's token survived the switch (it asked for it); even so no Docket password can be set.
    const change = await test
      .http()
      .post('/api/v1/me/password')
      .set(bearer(a.tokens.admin))
      .send({ currentPassword: 'admin-password-123', newPassword: 'a-much-longer-new-password-2026' });
    expect(change.status).toBe(409);
    expect(await auditOf(a, 'user.password_changed')).toHaveLength(0);

    // Single sign-on still works; another authority's users still use their passwords.
    expect((await signInWith('SSOA', 'a-officer')).landed.status).toBe(303);
    await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'manager@ssob.test', password: 'manager-password-123' })
      .expect(200);

    await saveA({ ssoOnly: false }).expect(200);
    await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'manager@ssoa.test', password: 'manager-password-123' })
      .expect(200);
  });

  it('refuses an ID token that has already expired (the provider issues it with its clock two hours behind)', async () => {
    idp.tokenClockOffsetMs = -2 * 3600_000;
    try {
      const late = await signInWith('SSOA', 'a-officer');
      expect(late.landed.status).toBe(400);
      expect(late.html).toContain('answer was not accepted');
      expect(late.html).toContain('JWT timestamp claim value failed validation');
      expect(late.browser.jar.has('docket_session')).toBe(false);
    } finally {
      idp.tokenClockOffsetMs = 0;
    }
  });

  it('shows and saves every single sign-on setting on the admin page; wrong values re-show the form with their message', async () => {
    let jar = await pageSession(test, 'admin@ssoa.test', 'admin-password-123');
    const stored = async () =>
      (
        await db().query(
          `SELECT role_claim, role_map, default_role, provisioning, sso_only, email_domains, enabled FROM authority_oidc_settings WHERE authority_id = $1`,
          [a.authorityId],
        )
      )[0];
    const get = async (path = '/admin/sign-in') => {
      const response = await test.http().get(path).set('cookie', cookieHeader(jar)).redirects(0);
      jar = cookiesOf(response.headers['set-cookie'], jar);
      return response;
    };
    const page = await get();
    expect(page.status).toBe(200);
    for (const field of [
      'issuer',
      'clientId',
      'emailDomains',
      'roleClaim',
      'roleMap',
      'defaultRole',
      'provisioning',
      'ssoOnly',
    ])
      expect(page.text).toContain(`name="${field}"`);
    expect(page.text).toContain('Roles by claim value');
    expect(page.text).toContain('Not accepted: single sign-on only');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const post = (fields: Record<string, string>) =>
      test
        .http()
        .post('/admin/sign-in/oidc')
        .type('form')
        .set('cookie', cookieHeader(jar))
        .send({
          _csrf: csrf,
          issuer: idp.issuer,
          clientId: 'docket-a',
          emailClaim: 'email',
          emailDomains: 'ssoa.test',
          enabled: 'true',
          roleClaim: 'groups',
          roleMap: 'docket-admins = admin\ndocket-staff = officer',
          defaultRole: 'viewer',
          provisioning: 'jit',
          ssoOnly: 'false',
          ...fields,
        });
    const before = await stored();
    const refusals: [Record<string, string>, string][] = [
      [
        { roleMap: 'docket-admins = admin\ndocket-staff officer' },
        'Line 2 of the role table does not read “claim value = role”.',
      ],
      [{ roleMap: 'root = sysadmin' }, 'Give each claim value one of the roles admin, manager, officer or viewer'],
      [{ roleClaim: '' }, 'Enter the name of a claim of the ID token'],
      [{ roleClaim: 'not a claim' }, 'Enter the name of a claim of the ID token'],
      [{ defaultRole: 'sysadmin' }, 'Choose one of the roles offered, or none.'],
      [{ provisioning: 'jit', emailDomains: '' }, 'creating accounts at the first sign-in needs the email domains'],
      [{ provisioning: 'everyone' }, 'creating accounts at the first sign-in needs the email domains'],
      [{ ssoOnly: 'true', enabled: 'false' }, 'Single sign-on only needs single sign-on switched on.'],
    ];
    for (const [fields, message] of refusals) {
      const refused = await post(fields);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain(message);
      expect(refused.text).toContain('id="oidc-form"');
      if (fields.roleMap) expect(refused.text).toContain(fields.roleMap.split('\n').at(-1));
    }
    expect(await stored()).toEqual(before);

    const live = await test.http().get('/api/v1/cases').set(bearer(a.tokens.admin));
    expect(live.status).toBe(200);
    const saved = await post({ ssoOnly: 'true' });
    expect(saved.status).toBe(303);
    jar = cookiesOf(saved.headers['set-cookie'], jar);
    expect(await stored()).toEqual({
      role_claim: 'groups',
      role_map: { 'docket-admins': 'admin', 'docket-staff': 'officer' },
      default_role: 'viewer',
      provisioning: 'jit',
      sso_only: true,
      email_domains: ['ssoa.test'],
      enabled: true,
    });
    // The page's own session asked and stays; the administrator's password-based API token ended with the switch.
    const shown = await get();
    expect(shown.status).toBe(200);
    expect(shown.text).toMatch(/now the only way to sign in; [1-9]\d* sessions opened with a password were ended/);
    expect(shown.text).toContain('docket-admins = admin\ndocket-staff = officer');
    expect(shown.text).toMatch(/<option value="viewer" selected>/);
    expect(shown.text).toMatch(/<option value="jit" selected>/);
    expect(shown.text).toMatch(/<option value="true" selected>Not accepted: single sign-on only/);
    await test.http().get('/api/v1/cases').set(bearer(a.tokens.admin)).expect(401);

    // A form without the newer fields keeps what is stored.
    await post({
      roleClaim: undefined as never,
      roleMap: undefined as never,
      defaultRole: undefined as never,
      provisioning: undefined as never,
      ssoOnly: undefined as never,
    }).expect(303);
    expect(await stored()).toMatchObject({
      role_claim: 'groups',
      provisioning: 'jit',
      sso_only: true,
      default_role: 'viewer',
    });
  });
});
