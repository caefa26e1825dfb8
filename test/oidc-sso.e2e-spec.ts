import { DataSource } from 'typeorm';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { CookieBrowser, freePort, TestIdp } from './support/oidc-idp.js';
import { cookieHeader, pageSession } from './support/page-session.js';

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
});
