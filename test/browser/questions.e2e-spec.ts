import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, createTenant, type Tenant } from '../support/app.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { axeViolations, HOME_URL, launchBrowser, newContext, screenshot, watchConsole } from './support.js';

const SLOW = 180_000;

/** An admin's questions of the authority's own: add, refuse without the authority's language, edit, retire. */
describe('questions of an authority (headless Chromium, built server)', () => {
  let test: BuiltServer;
  let browser: Browser;
  let gpdp: Tenant;
  let pipc: Tenant;
  const contexts: BrowserContext[] = [];

  async function signIn(role: string): Promise<Page> {
    const context = await newContext(browser, test.baseURL);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email address').fill(`${role}@gpdp.test`);
    await page.getByLabel('Password').fill(`${role}-password-123`);
    await Promise.all([page.waitForURL(HOME_URL), page.getByRole('button', { name: 'Sign in' }).click()]);
    return page;
  }

  async function submit(page: Page, button: string): Promise<number> {
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: button, exact: true }).press('Enter'),
    ]);
    return response?.request().redirectedFrom() ? 303 : (response?.status() ?? 0);
  }

  beforeAll(async () => {
    test = await startBuiltServer({});
    browser = await launchBrowser();
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko',
      holidayRegion: 'KR',
    });
  }, SLOW);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await test?.close();
  });

  it(
    'adds a question, refuses one without Italian by its field, saves an edit as a new version and retires it',
    async () => {
      const page = await signIn('admin');
      await Promise.all([page.waitForURL('**/admin/questions'), page.getByRole('link', { name: 'Questions' }).click()]);
      await expect(page.locator('.lead').textContent()).resolves.toContain('19 questions of the shared bank');

      await page.getByLabel('Id').fill('gpdp.minors.scuole');
      await page.getByLabel('Topic').selectOption('minors');
      await page.getByLabel('English (en)').fill('Please state whether the service is offered to schools.');
      expect(await submit(page, 'Add the question')).toBe(400);
      await expect(page.locator('#question-text_it-error').textContent()).resolves.toContain('"it"');
      await expect(page.getByLabel('English (en)').inputValue()).resolves.toBe(
        'Please state whether the service is offered to schools.',
      );
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'questions-error');

      // From here on every page loads without an error (the refusal above was a 400 by design).
      const errors = watchConsole(page);
      await page.getByLabel('Italian (it)').fill('Si chiede di indicare se il servizio sia offerto alle scuole.');
      expect(await submit(page, 'Add the question')).toBe(303);
      await expect(page.locator('.flash').textContent()).resolves.toContain('Question gpdp.minors.scuole is added');
      const row = page.locator('tbody tr', { hasText: 'gpdp.minors.scuole' });
      await expect(row.locator('td[data-label="Version"]').textContent()).resolves.toBe('1');
      await expect(row.locator('td[data-label="Languages"]').textContent()).resolves.toBe('en, it');

      await Promise.all([
        page.waitForURL('**/admin/questions/gpdp.minors.scuole'),
        row.getByRole('link', { name: 'gpdp.minors.scuole' }).click(),
      ]);
      await page
        .getByLabel('Italian (it)')
        .fill('Si chiede di indicare se e a quali condizioni il servizio sia offerto alle scuole.');
      expect(await submit(page, 'Save as version 2')).toBe(303);
      await expect(page.locator('.flash').textContent()).resolves.toContain('Version 2 of question gpdp.minors.scuole');
      const saved = await test
        .http()
        .get('/api/v1/questions/gpdp.minors.scuole')
        .set(bearer(gpdp.tokens.viewer))
        .expect(200);
      expect(saved.body.versions.map((version: { text: { it: string } }) => version.text.it)).toEqual([
        'Si chiede di indicare se il servizio sia offerto alle scuole.',
        'Si chiede di indicare se e a quali condizioni il servizio sia offerto alle scuole.',
      ]);
      // Never visible to another authority.
      await test.http().get('/api/v1/questions/gpdp.minors.scuole').set(bearer(pipc.tokens.admin)).expect(404);

      await page.goto('/admin/questions/gpdp.minors.scuole');
      expect(await submit(page, 'Retire the question')).toBe(303);
      await expect(
        page.locator('tbody tr', { hasText: 'gpdp.minors.scuole' }).locator('.tag').textContent(),
      ).resolves.toBe('Retired');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'questions-list');
      expect(errors).toEqual([]);

      const officer = await signIn('officer');
      expect((await officer.goto('/admin/questions'))?.status()).toBe(403);
    },
    SLOW,
  );
});
