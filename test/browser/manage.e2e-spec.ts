import type { Page } from 'playwright-core';
import { bearer, createTenant, SYSADMIN, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, scrollsSideways, submit } from './support.js';

const password = (role: string) => `${role}-password-123`;
const email = (role: string, tenant: Tenant) => `${role}@${tenant.code.toLowerCase()}.test`;
/** Each test drives several pages with axe runs on a shared machine: a bound, not a measure. */
const LONG = 180_000;

/**
 * Managing work on the pages of the built server: changing a case, adding and waiving deadlines, changing an
 * organisation, creating an authority.
 */
describe('managing work on pages (built server, headless Chromium)', () => {
  let test: BuiltServer;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;
  const session = new BrowserSession(() => test.baseURL);

  // Every page checked here is also screenshot; at 375 px, nothing scrolls sideways.
  const narrowFits = async (page: Page) =>
    (page.viewportSize()?.width ?? 1280) < 600 && expect(await scrollsSideways(page)).toBe(false);
  const check = (page: Page, name: string) => session.check(page, name).then(() => narrowFits(page));
  const visit = (page: Page, path: string, name: string) =>
    session.visit(page, path, name).then(() => narrowFits(page));

  const signIn = (who: { email: string; password: string }, width?: number) =>
    session.signIn(who.email, who.password, width);
  const signedIn = (tenant: Tenant, role: string, width?: number) =>
    session.signIn(email(role, tenant), password(role), width);

  const errorSummary = (page: Page) => page.locator('.error-summary').innerText();
  const apiCase = async (id: string) =>
    (await test.http().get(`/api/v1/cases/${id}`).set(bearer(gpdp.tokens.officer)).expect(200)).body;

  beforeAll(async () => {
    // Tuesday 28 January 2025, 10:00 in Rome.
    test = await startBuiltServer({ clock: new Date('2025-01-28T09:00:00Z') });
    await session.start();
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    organisationId = await createProvider(test, gpdp.tokens.officer);
  });

  afterAll(async () => {
    await session.close();
    await test?.close();
  }, LONG);

  it(
    'a manager reassigns a case on its page and changes its priority, title, legal basis and tags; a blank title is refused by its label',
    async () => {
      const matter = await createCase(test, gpdp, organisationId);
      const page = await signedIn(gpdp, 'manager', 375);
      await visit(page, `/cases/${matter.id}`, 'manage-case-page-375');
      await Promise.all([
        page.waitForURL(`**/cases/${matter.id}/edit`),
        page.getByRole('link', { name: 'Change assignee, priority, title, legal basis or tags' }).click(),
      ]);
      await check(page, 'manage-case-edit-375');

      await page.getByLabel('Title').fill('');
      expect(await submit(page, 'Save changes')).toBe(400);
      expect(await errorSummary(page)).toContain('Enter a title of 1 to 300 characters');
      expect(await page.locator('.error-summary a').first().getAttribute('href')).toBe('#edit-title');
      await check(page, 'manage-case-edit-error-375');
      expect((await apiCase(matter.id)).version).toBe(1);

      await page.getByLabel('Assigned to').selectOption({ label: 'GPDP manager (manager)' });
      await page.getByLabel('Priority').selectOption('urgent');
      await page.getByLabel('Title').fill('Training data scraped from public profiles');
      await page.getByLabel('Legal basis').fill('');
      await page.getByLabel('Tags').fill('ai, scraping');
      expect(await submit(page, 'Save changes')).toBe(303);
      expect(page.url()).toMatch(new RegExp(`/cases/${matter.id}$`));
      await expect(page.locator('.flash').innerText()).resolves.toContain('saved');
      const summary = await page.locator('dl.summary').first().innerText();
      expect(summary).toContain('GPDP manager');
      expect(summary).toContain('urgent');

      const saved = await apiCase(matter.id);
      expect(saved).toMatchObject({
        assigneeId: gpdp.userIds.manager,
        priority: 'urgent',
        title: 'Training data scraped from public profiles',
        legalBasis: null,
        tags: ['ai', 'scraping'],
        version: 2,
      });
      const timeline = (
        await test.http().get(`/api/v1/audit?caseId=${matter.id}`).set(bearer(gpdp.tokens.admin)).expect(200)
      ).body.items.map((item: { action: string }) => item.action);
      expect(timeline.filter((action: string) => action === 'case.updated')).toHaveLength(1);

      // A viewer has no such link nor page.
      const viewer = await signedIn(gpdp, 'viewer');
      await viewer.goto(`/cases/${matter.id}`);
      await expect(
        viewer.getByRole('link', { name: 'Change assignee, priority, title, legal basis or tags' }).count(),
      ).resolves.toBe(0);
      expect((await viewer.goto(`/cases/${matter.id}/edit`))?.status()).toBe(403);
    },
    LONG,
  );

  it(
    'refuses a change made on a stale page: the form again with the case as it is now, nothing changed; saving again then works',
    async () => {
      const matter = await createCase(test, gpdp, organisationId);
      const page = await signedIn(gpdp, 'officer');
      await visit(page, `/cases/${matter.id}/edit`, 'manage-case-edit');

      // Meanwhile, someone else raises the priority.
      await test
        .http()
        .patch(`/api/v1/cases/${matter.id}`)
        .set(bearer(gpdp.tokens.manager))
        .set('If-Match', '1')
        .send({ priority: 'high' })
        .expect(200);

      await page.getByLabel('Assigned to').selectOption({ label: 'GPDP admin (admin)' });
      expect(await submit(page, 'Save changes')).toBe(409);
      expect(await errorSummary(page)).toContain('Someone changed this case since you opened it');
      const now = await page
        .locator('section', { has: page.getByRole('heading', { name: 'The case now' }) })
        .innerText();
      expect(now).toContain('Priority');
      expect(now).toContain('high');
      await check(page, 'manage-case-edit-stale');
      expect(await apiCase(matter.id)).toMatchObject({
        assigneeId: gpdp.userIds.officer,
        priority: 'high',
        version: 2,
      });

      // The form kept the choice and now carries the current version: saving again is a deliberate decision.
      await expect(page.getByLabel('Assigned to').inputValue()).resolves.toBe(gpdp.userIds.admin);
      await page.getByLabel('Priority').selectOption('high');
      expect(await submit(page, 'Save changes')).toBe(303);
      expect(await apiCase(matter.id)).toMatchObject({ assigneeId: gpdp.userIds.admin, priority: 'high', version: 3 });
    },
    LONG,
  );

  it(
    'adds a compliance deadline to a case on its page, then waits it with a reason',
    async () => {
      const matter = await createCase(test, gpdp, organisationId);
      const page = await signedIn(gpdp, 'officer', 375);
      await page.goto(`/cases/${matter.id}`);
      await Promise.all([
        page.waitForURL(`**/cases/${matter.id}/deadlines/new`),
        page.getByRole('link', { name: 'Add a deadline' }).click(),
      ]);
      await check(page, 'manage-deadline-new-375');

      // A label left empty and a number that is not one: both named as the form labels them, nothing added.
      await page.getByLabel('Number').fill('ten');
      expect(await submit(page, 'Add the deadline')).toBe(400);
      const problems = await errorSummary(page);
      expect(problems).toContain('Enter a label of 2 to 300 characters');
      expect(problems).toContain('Enter the number as a whole number of at least 1');
      await check(page, 'manage-deadline-new-error-375');
      const none = (
        await test.http().get(`/api/v1/deadlines?caseId=${matter.id}`).set(bearer(gpdp.tokens.officer)).expect(200)
      ).body.items;
      expect(none).toEqual([]);

      await page.getByLabel('What it is for').selectOption('compliance');
      await page.getByLabel('Label').fill('Acceptance of the corrective measures');
      await page.getByLabel('Number').fill('10');
      await page.getByLabel('Unit').selectOption('business_days');
      expect(await submit(page, 'Add the deadline')).toBe(303);
      const [added] = (
        await test.http().get(`/api/v1/deadlines?caseId=${matter.id}`).set(bearer(gpdp.tokens.officer)).expect(200)
      ).body.items;
      expect(added).toMatchObject({
        kind: 'compliance',
        label: 'Acceptance of the corrective measures',
        status: 'pending',
        rule: { type: 'period', count: 10, unit: 'business_days' },
      });
      expect(page.url()).toMatch(new RegExp(`/deadlines/${added.id}$`));
      await expect(page.locator('.flash').innerText()).resolves.toContain('Deadline added');
      const view = (await test.http().get(`/api/v1/deadlines/${added.id}`).set(bearer(gpdp.tokens.officer)).expect(200))
        .body;
      // The three default reminders (office hours: working days before, at 09:00) were ticked and are scheduled.
      expect(
        view.reminders.map(
          (reminder: { offset: string; audience: string; status: string }) =>
            `${reminder.offset} ${reminder.audience} ${reminder.status}`,
        ),
      ).toEqual(['-P5WD@09:00 assignee scheduled', '-P1WD@09:00 assignee scheduled', 'P0WD@09:00 manager scheduled']);
      await check(page, 'manage-deadline-added-375');

      // Waive: a reason too short is refused by the field's label, then the deadline is waived.
      await page.getByLabel('Reason for waiving').fill('no');
      expect(await submit(page, 'Waive the deadline')).toBe(400);
      expect(await errorSummary(page)).toContain('Enter the reason for waiving, 3 to 1000 characters');
      expect(
        (await test.http().get(`/api/v1/deadlines/${added.id}`).set(bearer(gpdp.tokens.officer)).expect(200)).body
          .status,
      ).toBe('pending');
      await page.getByLabel('Reason for waiving').fill('The organisation accepted the measures at the hearing');
      expect(await submit(page, 'Waive the deadline')).toBe(303);
      await expect(page.locator('.flash').innerText()).resolves.toContain('Deadline waived');
      const waived = (
        await test.http().get(`/api/v1/deadlines/${added.id}`).set(bearer(gpdp.tokens.officer)).expect(200)
      ).body;
      expect(waived.status).toBe('waived');
      expect(waived.reminders.every((reminder: { status: string }) => reminder.status === 'cancelled')).toBe(true);
      await expect(page.getByRole('button', { name: 'Waive the deadline' }).count()).resolves.toBe(0);
      await check(page, 'manage-deadline-waived-375');

      // Another authority's staff do not see the case's pages at all.
      const other = await signedIn(pipc, 'manager');
      expect((await other.goto(`/cases/${matter.id}/deadlines/new`))?.status()).toBe(404);
      expect((await other.goto(`/deadlines/${added.id}`))?.status()).toBe(404);
    },
    LONG,
  );

  it(
    'finds an organisation by name and changes its website, contacts and products; a wrong country is refused by its label',
    async () => {
      const page = await signedIn(gpdp, 'officer', 375);
      await visit(page, '/organisations', 'manage-organisations-375');
      await page.getByLabel('Name').fill('deepseek');
      await Promise.all([
        page.waitForURL('**/organisations?q=deepseek'),
        page.getByRole('button', { name: 'Search' }).press('Enter'),
      ]);
      await Promise.all([
        page.waitForURL(`**/organisations/${organisationId}`),
        page.getByRole('link', { name: 'Hangzhou DeepSeek Artificial Intelligence Co., Ltd.' }).click(),
      ]);
      await check(page, 'manage-organisation-375');
      await Promise.all([
        page.waitForURL(`**/organisations/${organisationId}/edit`),
        page.getByRole('link', { name: 'Change the organisation' }).click(),
      ]);
      await check(page, 'manage-organisation-edit-375');

      await page.getByLabel('Country of its seat').fill('China');
      await page.locator('#org-contacts-1-email').fill('legal@provider');
      expect(await submit(page, 'Save changes')).toBe(400);
      const problems = await errorSummary(page);
      expect(problems).toContain('Enter the country of its seat as two capital letters, for example CN');
      expect(problems).toContain('Enter the email address of contact 2, like dpo@example.org');
      await check(page, 'manage-organisation-edit-error-375');
      const before = (
        await test.http().get(`/api/v1/organisations/${organisationId}`).set(bearer(gpdp.tokens.officer)).expect(200)
      ).body;
      expect(before.version).toBe(1);

      await page.getByLabel('Country of its seat').fill('CN');
      await page.getByLabel('Website').fill('https://www.deepseek.example');
      await page.locator('#org-contacts-1-email').fill('legal@provider.example');
      await page.locator('#org-contacts-1-role').selectOption('legal');
      await page.getByLabel('Product 2', { exact: true }).fill('Reasoner-1');
      await page.getByLabel('Kind of product 2').selectOption('model');
      expect(await submit(page, 'Save changes')).toBe(303);
      await expect(page.locator('.flash').innerText()).resolves.toContain('saved');
      const after = (
        await test.http().get(`/api/v1/organisations/${organisationId}`).set(bearer(gpdp.tokens.officer)).expect(200)
      ).body;
      // Version 3: the shared identity changed (website, products) and so did this authority's own contacts.
      expect(after).toMatchObject({
        website: 'https://www.deepseek.example',
        version: 3,
        products: [
          { name: 'Chat app', kind: 'app' },
          { name: 'Reasoner-1', kind: 'model' },
        ],
      });
      expect(after.contacts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ email: 'dpo@provider.example' }),
          expect.objectContaining({ email: 'legal@provider.example', role: 'legal' }),
        ]),
      );
    },
    LONG,
  );

  it(
    'the sysadmin creates an authority and its first administrator, who then signs in; a taken email is refused by its label and nothing is created',
    async () => {
      const page = await signIn(SYSADMIN, 375);
      await check(page, 'manage-sysadmin-375');
      await Promise.all([
        page.waitForURL('**/admin/authorities**'),
        page.getByRole('link', { name: 'Create an authority' }).click(),
      ]);
      await check(page, 'manage-authority-new-375');

      const fill = async (adminEmail: string) => {
        await page.getByLabel('Code').fill('cnil');
        await page.getByLabel('Name', { exact: true }).fill('Commission nationale de l’informatique et des libertés');
        await page.getByLabel('Country', { exact: true }).fill('FR');
        await page.getByLabel('Time zone').fill('Europe/Paris');
        await page.getByLabel('Language of its letters').fill('fr-FR');
        await page.getByLabel('Holiday region').fill('FR');
        await page.getByLabel('Administrator’s name').fill('Claire Martin');
        await page.getByLabel('Administrator’s email address').fill(adminEmail);
        await page.getByLabel('Administrator’s password').fill('cnil-admin-password-1');
      };
      await fill('admin@gpdp.test');
      expect(await submit(page, 'Create the authority')).toBe(400);
      expect(await errorSummary(page)).toContain('A user with email admin@gpdp.test already exists');
      expect(await page.locator('.error-summary a').first().getAttribute('href')).toBe('#authority-adminEmail');
      await check(page, 'manage-authority-error-375');
      const sysadmin = (await test.http().post('/api/v1/auth/token').send(SYSADMIN).expect(200)).body.token;
      const codes = async () =>
        (await test.http().get('/api/v1/authorities').set(bearer(sysadmin)).expect(200)).body.map(
          (item: { code: string }) => item.code,
        );
      expect(await codes()).not.toContain('CNIL');

      await fill('admin@cnil.test');
      expect(await submit(page, 'Create the authority')).toBe(303);
      await expect(page.locator('.flash').innerText()).resolves.toContain('Authority CNIL created');
      await expect(page.locator('main table').innerText()).resolves.toContain('CNIL');
      expect(await codes()).toContain('CNIL');

      const admin = await signIn({ email: 'admin@cnil.test', password: 'cnil-admin-password-1' });
      await expect(admin.locator('header').innerText()).resolves.toContain('Commission nationale');
      await visit(admin, '/admin/users', 'manage-new-authority-users');
      await expect(admin.locator('main').innerText()).resolves.toContain('admin@cnil.test');
    },
    LONG,
  );
});
