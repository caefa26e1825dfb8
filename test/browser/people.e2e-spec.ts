import type { Page } from 'playwright-core';
import { bearer, createTenant, tokenFor, type Tenant } from '../support/app.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, HOME_URL, screenshot, scrollsSideways } from './support.js';

const email = (role: string) => `${role}@gpdp.test`;
const RULE = 'A password needs at least 12 and at most 200 characters';

describe('people pages in headless Chromium (built server)', () => {
  let sink: SmtpSink;
  let server: BuiltServer;
  let gpdp: Tenant;
  const session = new BrowserSession(() => server.baseURL);
  const { fresh, check, visit, signIn: signedIn } = session;

  const submit = (page: Page, name: string) =>
    Promise.all([page.waitForEvent('load'), page.getByRole('button', { name }).click()]);
  const flash = (page: Page) => page.locator('.flash').textContent();
  const row = (page: Page, address: string) => page.locator('tbody tr', { hasText: address });

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    server = await startBuiltServer({ env: { SMTP_URL: sink.url } });
    await session.start();
    gpdp = await createTenant(server, 'GPDP');
  });

  afterAll(async () => {
    await session.close();
    await server?.close();
    await sink?.stop();
  });

  it('lets an admin change a role, deactivate and reactivate: the person is signed out at once', async () => {
    const viewer = await signedIn(email('viewer'), 'viewer-password-123');
    const admin = await signedIn(email('admin'), 'admin-password-123');
    await visit(admin, '/admin/users', 'people-users');

    await admin.getByLabel('Role of GPDP officer').selectOption('manager');
    await submit(admin, 'Change role of GPDP officer');
    await expect(flash(admin)).resolves.toContain('GPDP officer is now manager');
    await expect(row(admin, email('officer')).getByLabel('Role of GPDP officer').inputValue()).resolves.toBe('manager');
    await server.http().get('/api/v1/me').set(bearer(gpdp.tokens.officer)).expect(401);

    await submit(admin, 'Deactivate GPDP viewer');
    await expect(flash(admin)).resolves.toContain('GPDP viewer is deactivated');
    await expect(row(admin, email('viewer')).locator('td[data-label="Status"]').textContent()).resolves.toBe(
      'deactivated',
    );
    await server.http().get('/api/v1/me').set(bearer(gpdp.tokens.viewer)).expect(401);
    await viewer.goto('/cases');
    expect(new URL(viewer.url()).pathname).toBe('/login');
    await server
      .http()
      .post('/api/v1/auth/token')
      .send({ email: email('viewer'), password: 'viewer-password-123' })
      .expect(401);

    await submit(admin, 'Reactivate GPDP viewer');
    await expect(flash(admin)).resolves.toContain('GPDP viewer is active again');
    await tokenFor(server, email('viewer'), 'viewer-password-123');
    await check(admin);
  });

  it('shows every single sign-on setting to the admin and answers a wrong issuer with the form and its message', async () => {
    const admin = await signedIn(email('admin'), 'admin-password-123');
    await visit(admin, '/admin/sign-in', 'people-sign-in-settings');
    for (const label of ['Issuer URL', 'Client ID', 'Accounts', 'Role for everyone else', 'Passwords'])
      await expect(admin.getByLabel(label, { exact: true }).count()).resolves.toBe(1);
    await admin.getByLabel('Issuer URL', { exact: true }).fill('http://idp.example');
    await admin.getByLabel('Client ID', { exact: true }).fill('docket');
    const [response] = await Promise.all([
      admin.waitForEvent(
        'response',
        (answer) => answer.url().includes('/admin/sign-in') && answer.request().method() === 'POST',
      ),
      admin.getByRole('button', { name: 'Save single sign-on' }).click(),
    ]);
    await admin.waitForLoadState('load');
    expect(response.status()).toBe(400);
    await check(admin);
    await expect(admin.locator('#oidc-issuer-error').textContent()).resolves.toMatch(/https/);
    await expect(admin.getByLabel('Client ID', { exact: true }).inputValue()).resolves.toBe('docket');
    // Nothing stored: the authority still has no single sign-on.
    const settings = await server.http().get('/api/v1/authorities/GPDP/oidc').set(bearer(gpdp.tokens.admin));
    expect({ status: settings.status, issuer: settings.body?.issuer ?? null }).toEqual({ status: 200, issuer: null });
  });

  it('refuses to deactivate the last admin, saying why on the page, and changes nothing', async () => {
    const admin = await signedIn(email('admin'), 'admin-password-123');
    await visit(admin, '/admin/users');
    const [response] = await Promise.all([
      admin.waitForResponse((answer) => answer.request().method() === 'POST'),
      admin.getByRole('button', { name: 'Deactivate GPDP admin' }).click(),
    ]);
    expect(response.status()).toBe(409);
    await admin.waitForLoadState();
    await expect(admin.locator('.error-summary').textContent()).resolves.toContain(
      'GPDP admin is the last active administrator of GPDP and cannot be deactivated: make another user administrator first.',
    );
    await expect(row(admin, email('admin')).locator('.field-error').textContent()).resolves.toContain(
      'last active administrator',
    );
    await check(admin);
    await expect(row(admin, email('admin')).locator('td[data-label="Status"]').textContent()).resolves.toBe('active');
  });

  it('sends a reset link that sets a new password once (weak passwords refused with the rule)', async () => {
    const admin = await signedIn(email('admin'), 'admin-password-123');
    await visit(admin, '/admin/users');
    await submit(admin, 'Send password-reset link to GPDP manager');
    await expect(flash(admin)).resolves.toContain(`A link to set a new password was sent to ${email('manager')}`);
    const mail = (await sink.waitFor(() => sink.to(email('manager')).length > 0), sink.to(email('manager')).at(-1)!);
    const link = /https?:\/\/\S+\/reset\/([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')!;
    expect(link).toBeTruthy();
    const path = `/reset/${link[1]}`;

    const person = await fresh();
    await visit(person, path);
    await expect(person.locator('main').textContent()).resolves.toContain(RULE);
    await person.getByLabel('New password', { exact: true }).fill('password1234');
    await person.getByLabel('New password again').fill('password1234');
    await submit(person, 'Set password');
    await expect(person.locator('.error-summary').textContent()).resolves.toContain(
      'This password cannot be used: it is a very common password.',
    );
    await check(person);

    await person.getByLabel('New password', { exact: true }).fill('lighthouse keeper at dawn');
    await person.getByLabel('New password again').fill('lighthouse keeper at dawn');
    await submit(person, 'Set password');
    expect(new URL(person.url()).pathname).toBe('/login');
    await expect(flash(person)).resolves.toContain('Your new password is set');
    await person.getByLabel('Email address').fill(email('manager'));
    await person.getByLabel('Password').fill('lighthouse keeper at dawn');
    await Promise.all([person.waitForURL(HOME_URL), person.getByRole('button', { name: 'Sign in' }).click()]);

    const again = await fresh();
    const reused = await again.goto(path);
    expect(reused?.status()).toBe(410);
    await expect(again.locator('main').textContent()).resolves.toContain(
      'This password-reset link has already been used',
    );
  });

  it("changes one's own password on the profile page and signs out the other sessions, also at phone width", async () => {
    const elsewhere = await signedIn(email('admin'), 'admin-password-123');
    const page = await signedIn(email('admin'), 'admin-password-123', 375);
    await visit(page, '/me');
    await expect(page.locator('#password-form').textContent()).resolves.toContain(RULE);
    await page.getByLabel('Current password').fill('admin-password-123');
    await page.getByLabel('New password', { exact: true }).fill(email('admin'));
    await page.getByLabel('New password again').fill(email('admin'));
    await submit(page, 'Change password');
    await expect(page.locator('.error-summary').textContent()).resolves.toContain(
      'This password cannot be used: it is your e-mail address.',
    );
    await check(page);
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByLabel('Current password').fill('admin-password-123');
    await page.getByLabel('New password', { exact: true }).fill('harbour lights in november');
    await page.getByLabel('New password again').fill('harbour lights in november');
    await submit(page, 'Change password');
    await expect(flash(page)).resolves.toContain('Your password is changed');
    await screenshot(page, 'people-me-phone');
    await elsewhere.goto('/cases');
    expect(new URL(elsewhere.url()).pathname).toBe('/login');
    await page.goto('/admin/users');
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'people-users-phone');
    await tokenFor(server, email('admin'), 'harbour lights in november');
  });
});
