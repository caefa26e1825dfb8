import { bearer, createTenant, SYSADMIN, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, focusStyle, HOME_URL, screenshot, scrollsSideways } from './support.js';

// The page's document, for the functions given to evaluate (the project compiles without the DOM lib).
declare const document: { activeElement: unknown; body: unknown };
declare function getComputedStyle(element: unknown): { backgroundColor: string; display: string; margin: string };

const password = (role: string) => `${role}-password-123`;
const email = (role: string, tenant: Tenant) => `${role}@${tenant.code.toLowerCase()}.test`;

describe('web pages in headless Chromium', () => {
  let test: BuiltServer;
  let baseURL: string;
  let gpdp: Tenant;
  let pipc: Tenant;
  let responseDeadline: string;
  let overdueDeadline: string;
  let pipcDeadline: string;
  const session = new BrowserSession(() => baseURL);
  const { check, visit, fresh } = session;
  const signedIn = (tenant: Tenant, role: string, width?: number) =>
    session.signIn(email(role, tenant), password(role), width);

  const apiDeadline = async (id: string, tenant: Tenant) =>
    (await test.http().get(`/api/v1/deadlines/${id}`).set(bearer(tenant.tokens.officer)).expect(200)).body;

  beforeAll(async () => {
    // 28 January 2025, 10:00 in Rome: the day the Garante wrote to the provider.
    // The server and the browser start side by side.
    [test] = await Promise.all([startBuiltServer({ clock: new Date('2025-01-28T09:00:00Z') }), session.start()]);
    baseURL = test.baseURL;
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });

    // Organisations are shared by all authorities.
    const organisation = await createProvider(test, gpdp.tokens.officer);
    const addDeadline = async (tenant: Tenant, body: Record<string, unknown>) => {
      const matter = await createCase(test, tenant, organisation);
      const response = await test
        .http()
        .post(`/api/v1/cases/${matter.id}/deadlines`)
        .set(bearer(tenant.tokens.officer))
        .send(body)
        .expect(201);
      return response.body.id as string;
    };
    responseDeadline = await addDeadline(gpdp, {
      label: 'Answer to the request for information',
      count: 20,
      unit: 'calendar_days',
      reminders: [{ offset: '-P3D', audience: 'assignee' }],
    });
    overdueDeadline = await addDeadline(gpdp, {
      label: 'Reply to the first letter',
      start: '2025-01-02T10:00:00+01:00',
      count: 10,
      unit: 'calendar_days',
    });
    pipcDeadline = await addDeadline(pipc, { label: 'Answer to the questionnaire', count: 10, unit: 'calendar_days' });
  });

  afterAll(async () => {
    await session.close();
    await test?.close();
  });

  it('is styled as built: the stylesheet and script of dist/ load and apply', async () => {
    const page = await fresh();
    const assets: Record<string, number> = {};
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/assets/'))
        assets[new URL(response.url()).pathname] = response.status();
    });
    await page.goto('/login');
    expect(assets).toEqual({ '/assets/docket.css': 200, '/assets/docket.js': 200 });
    // Computed styles, not a 200: the page background and the body font come from docket.css only.
    const styles = await page.evaluate(() => {
      const body = getComputedStyle(document.body);
      return { background: body.backgroundColor, display: body.display, margin: body.margin };
    });
    expect(styles).toEqual({ background: 'rgb(244, 245, 247)', display: 'flex', margin: '0px' });
  });

  it('sends a visitor to the sign-in page and back to where they were going', async () => {
    const page = await fresh();
    await page.goto('/calendar?year=2025');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/calendar?year=2025');
    await check(page, 'login');

    await page.getByLabel('Email address').fill(email('officer', gpdp));
    await page.getByLabel('Password').fill(password('officer'));
    await Promise.all([
      page.waitForURL('**/calendar?year=2025'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Calendar 2025');

    const cookie = (await page.context().cookies()).find((c) => c.name === 'docket_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
  });

  it('keeps the email after a wrong password and links the error summary to the field', async () => {
    const page = await fresh();
    await visit(page, '/login');
    await page.getByLabel('Email address').fill('officer@gpdp.test');
    await page.getByLabel('Password').fill('not-the-password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(response.status()).toBe(401);
    await page.waitForLoadState();

    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe('officer@gpdp.test');
    await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
    expect(await page.title()).toMatch(/^Error: /);
    const summary = page.locator('[data-error-summary]');
    await expect(summary.getByRole('heading').textContent()).resolves.toBe('There is a problem');
    // docket.js moves focus to the summary so that it is read out first.
    await expect(summary.evaluate((element: unknown) => element === document.activeElement)).resolves.toBe(true);
    const link = summary.getByRole('link', { name: 'Enter a correct email address and password' });
    await expect(link.getAttribute('href')).resolves.toBe('#email');
    await expect(page.locator('#email').getAttribute('aria-describedby')).resolves.toBe('email-error');
    await link.click();
    await expect(page.evaluate(() => (document.activeElement as { id?: string } | null)?.id)).resolves.toBe('email');
    await check(page, 'login-error');

    await page.getByLabel('Email address').fill('');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    await expect(page.locator('.error-summary li').allTextContents()).resolves.toEqual([
      'Enter your email address',
      'Enter your password',
    ]);
    expect((await page.context().cookies()).some((c) => c.name === 'docket_session')).toBe(false);
  });

  it('reaches the sign-in fields and button with the keyboard, with visible focus', async () => {
    const page = await fresh();
    await visit(page, '/login');
    const stops: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      const focus = await focusStyle(page);
      stops.push(focus.id || focus.text);
      expect(focus.outlineStyle).not.toBe('none');
      expect(focus.outlineWidth).toBeGreaterThanOrEqual(2);
      expect(focus.boxShadow).not.toBe('none');
    }
    expect(stops).toEqual(['Skip to main content', 'Docket', 'email', 'password', 'Sign in']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('officer@gpdp.test');
    await page.keyboard.press('Tab');
    await page.keyboard.type(password('officer'));
    await Promise.all([page.waitForURL(HOME_URL), page.keyboard.press('Enter')]);
  });

  it('lists the deadlines overdue first, then due soon, with dates in the authority locale', async () => {
    const page = await signedIn(gpdp, 'manager');
    await visit(page, '/dashboard', 'dashboard');
    await expect(page.locator('ul[aria-label="Deadlines at a glance"] .count').allTextContents()).resolves.toEqual([
      '1 overdue',
      '0 due in 7 days',
      '1 due in 30 days',
      '0 suspended',
    ]);
    const overdue = page.locator('section', { has: page.getByRole('heading', { name: 'Overdue' }) });
    await expect(overdue.locator('td[data-label="Deadline"]').getByRole('link').allTextContents()).resolves.toEqual([
      'Reply to the first letter',
    ]);
    await expect(overdue.locator('td[data-label="Assigned to"]').allTextContents()).resolves.toEqual(['GPDP officer']);
    // 2 January + 10 days is Sunday 12 January: the period ends on Monday 13 January.
    await expect(overdue.locator('td[data-label="Due"]').textContent()).resolves.toContain('13 Jan 2025');
    const soon = page.locator('section', { has: page.getByRole('heading', { name: 'Due in the next 30 days' }) });
    await expect(soon.locator('td[data-label="Deadline"]').getByRole('link').allTextContents()).resolves.toEqual([
      'Answer to the request for information',
    ]);
    await expect(soon.locator('td[data-label="Due"]').textContent()).resolves.toContain('17 Feb 2025');
    await expect(page.locator('.header').textContent()).resolves.toContain('GPDP authority');
    await expect(page.locator('.header').textContent()).resolves.toContain('GPDP manager');
    await expect(page.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current')).resolves.toBe('page');
    await expect(page.getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
  });

  it('adds a closure day as an admin and shows it on the calendar, moving the open deadline', async () => {
    const page = await signedIn(gpdp, 'admin');
    await visit(page, '/calendar?year=2025');
    const holidays = page.locator('section', { has: page.getByRole('heading', { name: 'Public holidays in 2025' }) });
    await expect(holidays.locator('tbody tr').count()).resolves.toBeGreaterThanOrEqual(11);
    await expect(holidays.textContent()).resolves.toContain('Thursday, 25 December 2025');

    // A blank reason is refused by the field, and nothing is added.
    await page.locator('#closure-date').fill('2025-02-17');
    await page.getByRole('button', { name: 'Add closure day' }).click();
    await page.waitForLoadState();
    await expect(page.locator('.error-summary a').getAttribute('href')).resolves.toBe('#closure-reason');
    await expect(page.locator('#closure-date').inputValue()).resolves.toBe('2025-02-17');
    await check(page, 'calendar-error');

    await page.getByLabel('Reason').fill('Office closed for a strike');
    await Promise.all([
      page.waitForURL('**/calendar?year=2025'),
      page.getByRole('button', { name: 'Add closure day' }).click(),
    ]);
    await expect(page.locator('.flash').textContent()).resolves.toContain(
      'Closure day Monday, 17 February 2025 added. 1 open deadline moved.',
    );
    const closures = page.locator('section', { has: page.getByRole('heading', { name: 'Closure days in 2025' }) });
    await expect(closures.locator('tbody tr').allTextContents()).resolves.toEqual([
      expect.stringMatching(/Monday, 17 February 2025\s*Office closed for a strike/),
    ]);
    await check(page, 'calendar');
    expect((await apiDeadline(responseDeadline, gpdp)).dueDate).toBe('2025-02-18');

    // The same day again is refused with the service's explanation next to the date.
    await page.locator('#closure-date').fill('2025-02-17');
    await page.getByLabel('Reason').fill('Again');
    await page.getByRole('button', { name: 'Add closure day' }).click();
    await page.waitForLoadState();
    await expect(page.locator('#closure-date-error').textContent()).resolves.toContain(
      'Monday, 17 February 2025 is already a closure day of GPDP',
    );
  });

  it('shows a deadline with why this date, and extends it with a reason', async () => {
    const page = await signedIn(gpdp, 'officer');
    await page.goto('/dashboard');
    await page.getByRole('link', { name: 'Answer to the request for information' }).click();
    await page.waitForURL(`**/deadlines/${responseDeadline}`);
    await check(page, 'deadline');
    await expect(page.locator('.summary').textContent()).resolves.toContain('Tuesday, 18 February 2025');
    await expect(page.locator('.summary').textContent()).resolves.toContain('20 calendar days from');
    const why = await page.locator('.explanation li').allTextContents();
    expect(why.join('\n')).toContain('Office closed for a strike');
    await expect(
      page.locator('section', { has: page.getByRole('heading', { name: 'History' }) }).textContent(),
    ).resolves.toContain('recomputed');
    await expect(
      page.locator('section', { has: page.getByRole('heading', { name: 'Reminders' }) }).textContent(),
    ).resolves.toContain('3 days before the due time');

    // Without a reason: the error is shown by the field, the input is kept.
    await page.locator('#extend-count').fill('10');
    await page.getByRole('button', { name: 'Extend deadline' }).click();
    await page.waitForLoadState();
    await expect(page.locator('.error-summary a').allTextContents()).resolves.toEqual([
      'Enter a reason of 3 to 1000 characters',
    ]);
    await expect(page.locator('#extend-count').inputValue()).resolves.toBe('10');
    await check(page, 'deadline-error');

    await page.locator('#extend-reason').fill('The organisation asked for more time');
    await Promise.all([
      page.waitForURL(`**/deadlines/${responseDeadline}`),
      page.getByRole('button', { name: 'Extend deadline' }).click(),
    ]);
    // 18 Feb + 10 days = Friday 28 February 2025.
    await expect(page.locator('.flash').textContent()).resolves.toContain('It is now due Friday, 28 February 2025.');
    await expect(page.locator('.summary').textContent()).resolves.toContain('Friday, 28 February 2025');
    await expect(page.locator('.explanation').textContent()).resolves.toContain('The organisation asked for more time');
    expect((await apiDeadline(responseDeadline, gpdp)).dueDate).toBe('2025-02-28');

    // Extend to a date instead: the date panel is shown once chosen.
    await page.getByLabel('To a new due date').check();
    await expect(page.locator('#extend-date').isVisible()).resolves.toBe(true);
    await expect(page.locator('#extend-period').isVisible()).resolves.toBe(false);
    await page.getByLabel('New due date', { exact: true }).fill('2025-02-20');
    await page.locator('#extend-reason').fill('Moving it earlier is not an extension');
    await page.getByRole('button', { name: 'Extend deadline' }).click();
    await page.waitForLoadState();
    await expect(page.locator('#extend-dueDate-error').textContent()).resolves.toContain(
      'An extension must move the due date later than Friday, 28 February 2025; this gives Thursday, 20 February 2025',
    );

    // Stop and restart the clock.
    await page.locator('#suspend-reason').fill('Waiting for the translation of the answers');
    await Promise.all([
      page.waitForURL(`**/deadlines/${responseDeadline}`),
      page.getByRole('button', { name: 'Stop the clock' }).click(),
    ]);
    await expect(page.locator('.summary .tag').textContent()).resolves.toBe('suspended');
    await Promise.all([
      page.waitForURL(`**/deadlines/${responseDeadline}`),
      page.getByRole('button', { name: 'Restart the clock' }).click(),
    ]);
    await expect(page.locator('.summary .tag').textContent()).resolves.toBe('pending');
    await expect(page.locator('.flash').textContent()).resolves.toContain('Clock restarted');
  });

  it('sets the receipt cut-off on the calendar page, refusing one that is not a time', async () => {
    const page = await signedIn(gpdp, 'admin');
    await visit(page, '/calendar');
    await page.getByLabel('Receipt cut-off').fill('25:00');
    await page.getByRole('button', { name: 'Save counting settings' }).click();
    await page.waitForLoadState();
    await expect(page.locator('#settings-receiptCutoff-error').textContent()).resolves.toContain(
      'Enter the cut-off as a time of day written HH:mm',
    );
    await expect(page.locator('#settings-receiptCutoff').inputValue()).resolves.toBe('25:00');
    await check(page, 'calendar-settings-error');
    // An empty change answers the settings as they are.
    const settings = async () =>
      (
        await test
          .http()
          .patch('/api/v1/authorities/GPDP/calendar-settings')
          .set(bearer(gpdp.tokens.admin))
          .send({})
          .expect(200)
      ).body;
    expect((await settings()).receiptCutoff).toBeNull();

    await page.getByLabel('Receipt cut-off').fill('18:00');
    await Promise.all([
      page.waitForURL('**/calendar'),
      page.getByRole('button', { name: 'Save counting settings' }).click(),
    ]);
    await expect(page.locator('.flash').textContent()).resolves.toContain('Counting settings saved.');
    await expect(page.locator('.summary').textContent()).resolves.toContain('18:00');
    expect((await settings()).receiptCutoff).toBe('18:00');
    // Back to none, so the other tests count as before.
    await page.getByLabel('Receipt cut-off').fill('');
    await Promise.all([
      page.waitForURL('**/calendar'),
      page.getByRole('button', { name: 'Save counting settings' }).click(),
    ]);
    expect((await settings()).receiptCutoff).toBeNull();
  });

  it('stops a deadline’s clock from an earlier date, counts it again from a new event, links its certificate', async () => {
    const matter = await createCase(test, gpdp, await createProvider(test, gpdp.tokens.officer, 'Backdated AI S.p.A.'));
    const created = await test
      .http()
      .post(`/api/v1/cases/${matter.id}/deadlines`)
      .set(bearer(gpdp.tokens.officer))
      .send({ label: 'Answer counted from 20 January', start: '2025-01-20', count: 30, unit: 'calendar_days' })
      .expect(201);
    const id = created.body.id as string;
    const page = await signedIn(gpdp, 'officer');
    await visit(page, `/deadlines/${id}`);

    // The certificate: a JSON document with its SHA-256.
    const href = await page.locator('#certificate-link').getAttribute('href');
    expect(href).toBe(`/deadlines/${id}/certificate`);
    const certificate = await page.request.get(href as string);
    expect(certificate.status()).toBe(200);
    expect(certificate.headers()['content-disposition']).toContain('attachment');
    expect((await certificate.json()).sha256).toMatch(/^[0-9a-f]{64}$/);

    // A stop before the event is refused next to the date, and nothing changes.
    await page.locator('#suspend-reason').fill('Waiting for the translation of the answers');
    await page.getByLabel('Clock stopped on').fill('2025-01-19');
    await page.getByRole('button', { name: 'Stop the clock' }).click();
    await page.waitForLoadState();
    await expect(page.locator('#suspend-from-error').textContent()).resolves.toContain(
      'Enter a date not before the event the period counts from',
    );
    await expect(page.locator('#suspend-reason').inputValue()).resolves.toBe(
      'Waiting for the translation of the answers',
    );
    await check(page, 'deadline-suspend-error');
    expect((await apiDeadline(id, gpdp)).status).toBe('pending');

    await page.getByLabel('Clock stopped on').fill('2025-01-24');
    await Promise.all([
      page.waitForURL(`**/deadlines/${id}`),
      page.getByRole('button', { name: 'Stop the clock' }).click(),
    ]);
    await expect(page.locator('.summary').textContent()).resolves.toContain('since 24 Jan 2025, 00:00');
    // The first instant of 24 January in Rome.
    expect((await apiDeadline(id, gpdp)).suspendedAt).toBe('2025-01-23T23:00:00.000Z');

    // Counting again from an event before the current one is refused; from 27 January it counts 30 days anew.
    await page.getByLabel('Date of the new event').fill('2025-01-15');
    await page.locator('#restart-reason').fill('Clarification received from the organisation');
    await page.getByRole('button', { name: 'Count again from this event' }).click();
    await page.waitForLoadState();
    await expect(page.locator('#restart-eventAt-error').textContent()).resolves.toContain(
      'Enter the date of the new event',
    );
    await page.getByLabel('Date of the new event').fill('2025-01-27');
    await Promise.all([
      page.waitForURL(`**/deadlines/${id}`),
      page.getByRole('button', { name: 'Count again from this event' }).click(),
    ]);
    await expect(page.locator('.flash').textContent()).resolves.toContain(
      'The period is counted again from the new event',
    );
    const restarted = await apiDeadline(id, gpdp);
    expect(restarted).toMatchObject({ status: 'pending', dueDate: '2025-02-26' });
    await expect(
      page.locator('section', { has: page.getByRole('heading', { name: 'History' }) }).textContent(),
    ).resolves.toContain('counted again from a new event');
  });

  it('refuses a form post without its CSRF token with 403 and changes nothing', async () => {
    const page = await signedIn(gpdp, 'admin');
    const before = await apiDeadline(responseDeadline, gpdp);
    const noToken = await page.request.post(`/deadlines/${responseDeadline}/extend`, {
      form: { mode: 'period', count: '5', unit: 'calendar_days', reason: 'forged request' },
      maxRedirects: 0,
    });
    expect(noToken.status()).toBe(403);
    expect(noToken.headers()['content-type']).toContain('text/html');
    expect(await noToken.text()).toContain('did not come from a Docket page');
    const wrongToken = await page.request.post('/calendar/closures', {
      form: { _csrf: 'x'.repeat(43), date: '2025-03-03', reason: 'forged request' },
      maxRedirects: 0,
    });
    expect(wrongToken.status()).toBe(403);
    // A token of another session does not work either.
    const other = await signedIn(gpdp, 'manager');
    const otherToken = await other.locator('input[name="_csrf"]').first().inputValue();
    const borrowed = await page.request.post('/calendar/closures', {
      form: { _csrf: otherToken, date: '2025-03-03', reason: 'forged request' },
      maxRedirects: 0,
    });
    expect(borrowed.status()).toBe(403);

    expect(await apiDeadline(responseDeadline, gpdp)).toEqual(before);
    await visit(page, '/calendar?year=2025');
    await expect(
      page
        .locator('section', { has: page.getByRole('heading', { name: 'Closure days in 2025' }) })
        .locator('tbody tr')
        .count(),
    ).resolves.toBe(1);
  });

  it('does not let a session of one authority reach another authority’s deadline', async () => {
    const page = await signedIn(pipc, 'admin');
    const response = await page.goto(`/deadlines/${responseDeadline}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
    await check(page, 'not-found');
    const post = await page.request.post(`/deadlines/${responseDeadline}/suspend`, {
      form: { _csrf: await page.locator('input[name="_csrf"]').first().inputValue(), reason: 'not ours' },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(404);
    expect((await apiDeadline(responseDeadline, gpdp)).status).toBe('pending');

    // Its own deadline shows in Seoul time, in the language of the user (English here; Korean: test/browser/i18n).
    await visit(page, `/deadlines/${pipcDeadline}`);
    await expect(page.locator('.summary').textContent()).resolves.toContain('Friday, 7 February 2025');
  });

  it('lets admins add users of their own authority, and nobody else', async () => {
    const page = await signedIn(gpdp, 'admin');
    await visit(page, '/admin/users');
    await page.getByLabel('Full name').fill('Giulia Bianchi');
    await page.getByLabel('Email address').fill('not-an-email');
    await page.getByLabel('Role', { exact: true }).selectOption('manager');
    await page.getByLabel('First password').fill('short');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.waitForLoadState();
    await expect(page.locator('.error-summary a').allTextContents()).resolves.toEqual([
      'Enter an email address in the correct format, like name@example.org',
      'This password cannot be used: it has fewer than 12 or more than 200 characters. A password needs at least 12 and at most 200 characters, must not be your e-mail address or your name, and must not be a very common password such as password1234 or 123456789012.',
    ]);
    await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('Giulia Bianchi');
    await expect(page.getByLabel('Role', { exact: true }).inputValue()).resolves.toBe('manager');
    await check(page);

    await page.getByLabel('Email address').fill('giulia.bianchi@gpdp.test');
    await page.getByLabel('First password').fill('a-long-enough-password');
    await Promise.all([page.waitForURL('**/admin/users'), page.getByRole('button', { name: 'Add user' }).click()]);
    await expect(page.locator('.flash').textContent()).resolves.toContain(
      'Giulia Bianchi (giulia.bianchi@gpdp.test) can now sign in as manager.',
    );
    await expect(page.locator('tbody').textContent()).resolves.toContain('giulia.bianchi@gpdp.test');
    await screenshot(page, 'users');
    await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'giulia.bianchi@gpdp.test', password: 'a-long-enough-password' })
      .expect(200);

    const officer = await signedIn(gpdp, 'officer');
    const refused = await officer.goto('/admin/users');
    expect(refused?.status()).toBe(403);
    await expect(officer.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You cannot do this');
    const post = await officer.request.post('/admin/users', {
      form: {
        _csrf: await officer.locator('input[name="_csrf"]').first().inputValue(),
        name: 'X',
        email: 'x@gpdp.test',
        role: 'admin',
        password: 'a-long-enough-password',
      },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(403);
    await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'x@gpdp.test', password: 'a-long-enough-password' })
      .expect(401);
  });

  it('fits a 375 px wide phone screen without sideways scrolling', async () => {
    const page = await signedIn(gpdp, 'admin', 375);
    for (const [path, name] of [
      ['/dashboard', 'phone-dashboard'],
      ['/calendar?year=2025', 'phone-calendar'],
      [`/deadlines/${responseDeadline}`, 'phone-deadline'],
      [`/deadlines/${overdueDeadline}`, 'phone-deadline-overdue'],
      ['/admin/users', 'phone-users'],
    ]) {
      await visit(page, path, name);
      expect({ path, sideways: await scrollsSideways(page) }).toEqual({ path, sideways: false });
    }
    const anonymous = await fresh(375);
    await visit(anonymous, '/login', 'phone-login');
    expect(await scrollsSideways(anonymous)).toBe(false);
  });

  it('shows the sysadmin, who belongs to no authority, the list of authorities', async () => {
    const page = await fresh();
    await page.goto('/login');
    await page.getByLabel('Email address').fill(SYSADMIN.email);
    await page.getByLabel('Password').fill(SYSADMIN.password);
    await Promise.all([page.waitForURL(HOME_URL), page.getByRole('button', { name: 'Sign in' }).click()]);
    await check(page);
    await expect(page.locator('tbody td[data-label="Code"]').allTextContents()).resolves.toEqual(['GPDP', 'PIPC']);
    await expect(page.locator('.nav__link').allTextContents()).resolves.toEqual(['Dashboard', 'Inbox', 'Queues']);
    expect((await page.goto('/calendar'))?.status()).toBe(403);
  });

  it('signs out: the session token is revoked and the pages ask to sign in again', async () => {
    const page = await signedIn(gpdp, 'viewer');
    const sessionCookie = (await page.context().cookies()).find((c) => c.name === 'docket_session')!.value;
    await Promise.all([page.waitForURL('**/login'), page.getByRole('button', { name: 'Sign out' }).click()]);
    await expect(page.locator('.flash').textContent()).resolves.toContain('You have signed out.');
    expect((await page.context().cookies()).some((c) => c.name === 'docket_session')).toBe(false);
    const replay = await fetch(`${baseURL}/dashboard`, {
      headers: { cookie: `docket_session=${sessionCookie}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/login?next=%2Fdashboard');
  });

  it('keeps the API on bearer tokens and problem+json, and sends only same-site next paths', async () => {
    const page = await signedIn(gpdp, 'officer');
    const sessionCookie = (await page.context().cookies()).find((c) => c.name === 'docket_session')!.value;
    // The session cookie is no credential for the API (which has no CSRF defence and needs none).
    const api = await fetch(`${baseURL}/api/v1/me`, { headers: { cookie: `docket_session=${sessionCookie}` } });
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const missing = await page.goto('/no-such-page');
    expect(missing?.status()).toBe(404);
    expect(missing?.headers()['content-type']).toContain('text/html');
    const json = await fetch(`${baseURL}/no-such-page`, { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).toContain('application/problem+json');

    const visitor = await fresh();
    await visitor.goto('/login?next=//evil.example/steal');
    await visitor.getByLabel('Email address').fill(email('officer', gpdp));
    await visitor.getByLabel('Password').fill(password('officer'));
    // An officer lands on My work: the next that leaves the site is ignored.
    await Promise.all([
      visitor.waitForURL(`${baseURL}/my-work`),
      visitor.getByRole('button', { name: 'Sign in' }).click(),
    ]);
  });
});
