import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, createTenant, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { axeViolations, HOME_URL, launchBrowser, newContext, screenshot, watchConsole } from './support.js';

/** Issue 22 on the built app: opening a procedure from a case, the requested authority's inbox in Korean, a reply. */
describe('cooperation pages in headless Chromium (built server)', () => {
  let test: BuiltServer;
  let browser: Browser;
  let dpc: Tenant;
  let pipc: Tenant;
  let organisationId: string;
  let dpcCase: { id: string; reference: string };
  const contexts: BrowserContext[] = [];

  async function signIn(tenant: Tenant, role: string): Promise<Page> {
    const context = await newContext(browser, test.baseURL);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    await page.locator('input[name="email"]').fill(`${role}@${tenant.code.toLowerCase()}.test`);
    await page.locator('input[name="password"]').fill(`${role}-password-123`);
    await Promise.all([page.waitForURL(HOME_URL), page.locator('form button[type="submit"]').first().click()]);
    return page;
  }

  beforeAll(async () => {
    test = await startBuiltServer();
    browser = await launchBrowser();
    dpc = await createTenant(test, 'DPC', {
      country: 'IE',
      timezone: 'Europe/Dublin',
      locale: 'en-IE',
      holidayRegion: 'IE',
    });
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    // The PIPC officer reads Korean.
    await test
      .http()
      .patch(`/api/v1/users/${pipc.userIds.officer}`)
      .set(bearer(pipc.tokens.admin))
      .send({ language: 'ko' })
      .expect(200);
    organisationId = await createProvider(test, dpc.tokens.officer);
    dpcCase = await createCase(test, dpc, organisationId);
    await createCase(test, pipc, organisationId);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await test?.close();
  });

  it('opens a mutual-assistance request from the case page; a form without a participant comes back with its message', async () => {
    const page = await signIn(dpc, 'officer');
    const errors = watchConsole(page);
    await page.goto(`/cases/${dpcCase.id}`);
    await Promise.all([
      page.waitForURL(/\/procedures\/new\?caseId=/),
      page.getByRole('link', { name: 'Open a cooperation procedure' }).click(),
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Mutual assistance (GDPR Art. 61)').check();
    await page.getByRole('button', { name: 'Open the procedure' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator('.error-summary').first().textContent()).toMatch(/at least one other authority/);
    await page.getByLabel('PIPC authority (PIPC)').check();
    await page.getByLabel(/^Request/).fill('Please tell us where Korean users’ prompts are stored.');
    await Promise.all([
      page.waitForURL(/\/procedures\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Open the procedure' }).click(),
    ]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^COOP-\d{4}-0001/);
    expect(await page.locator('.flash, [role="status"]').first().textContent()).toMatch(
      /other authorities have been told/,
    );
    const clock = page.locator('#clocks tbody tr');
    expect(await clock.count()).toBe(1);
    expect(await clock.first().textContent()).toMatch(/PIPC.*Reply to the mutual assistance request/s);
    expect(await page.locator('#messages').textContent()).toContain('Korean users’ prompts');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'procedure-dpc');
    // The refused form answers 400 on purpose; nothing else may be logged.
    expect(errors.filter((line) => !line.includes('status of 400'))).toEqual([]);
  });

  it('the PIPC officer finds it in the cooperation inbox in Korean and replies', async () => {
    const page = await signIn(pipc, 'officer');
    await page.goto('/procedures');
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('협력 절차');
    expect(await page.getByRole('navigation').textContent()).toContain('협력');
    await Promise.all([page.waitForURL(/\/procedures\/[0-9a-f-]{36}$/), page.locator('#procedures a').first().click()]);
    expect(await page.locator('#clocks').textContent()).toContain('진행 중');
    await page.getByLabel('내용', { exact: true }).fill('서버는 싱가포르에 있습니다.');
    await Promise.all([
      page.waitForURL(/\/procedures\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: '절차 등록' }).click(),
    ]);
    expect(await page.locator('#clocks').textContent()).toContain('준수');
    expect(await page.locator('#steps').textContent()).toContain('서버는 싱가포르에 있습니다.');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'procedure-pipc-ko');
  });

  it('shows the answers compared for the organisation, with the authority’s own sharing choice', async () => {
    const page = await signIn(dpc, 'manager');
    await page.goto(`/organisations/${organisationId}/answers`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Answers compared across authorities');
    expect(await page.locator('#sharing').textContent()).toContain('answers not shared');
    await Promise.all([page.waitForURL(/\/answers$/), page.getByRole('button', { name: 'Share the answers' }).click()]);
    expect(await page.locator('#sharing').textContent()).toContain('answers shared');
    expect(await axeViolations(page)).toEqual([]);
  });
});
