import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, createTenant, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { axeViolations, HOME_URL, launchBrowser, newContext, screenshot, submit, watchConsole } from './support.js';

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

  it('shares a case document and keeps a joint deadline from the procedure page; a PIPC closure day asks to re-align it', async () => {
    await test
      .http()
      .post(`/api/v1/cases/${dpcCase.id}/inquiries`)
      .set(bearer(dpc.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'en',
        to: ['dpo@provider.example'],
        questionIds: ['ai.storage_location.countries'],
        deadline: { count: 20, unit: 'calendar_days' },
      })
      .expect(202);
    const [letter] = (
      await test.http().get(`/api/v1/cases/${dpcCase.id}/documents`).set(bearer(dpc.tokens.officer)).expect(200)
    ).body as { id: string; title: string }[];
    const [procedure] = (await test.http().get('/api/v1/procedures').set(bearer(dpc.tokens.officer)).expect(200))
      .body as { id: string }[];
    const page = await signIn(dpc, 'officer');
    const errors = watchConsole(page);
    await page.goto(`/procedures/${procedure.id}`);
    expect(await page.locator('#documents').count()).toBe(0);
    expect(await page.getByLabel('Document to share').locator('option').allTextContents()).toEqual([
      expect.stringContaining(`${dpcCase.reference} – ${letter.title}`),
    ]);
    await Promise.all([
      page.waitForURL(/\/procedures\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Share into the procedure' }).click(),
    ]);
    expect(await page.locator('#documents').textContent()).toContain(letter.title);
    expect(await page.locator('#share-none').textContent()).toMatch(/no further document/);

    await page.getByRole('button', { name: 'Set the joint deadline' }).click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator('#joint-form .field-error').first().textContent()).toMatch(/What is due must be/);
    const start = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('What is due').fill('Coordinated letter to the provider');
    await page.getByLabel('Counted from').fill(start);
    await page.getByLabel('Length').fill('5');
    await Promise.all([
      page.waitForURL(/\/procedures\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Set the joint deadline' }).click(),
    ]);
    expect(await page.locator('#joint-deadlines').textContent()).toMatch(
      /Coordinated letter to the provider.*aligned/s,
    );

    // The PIPC closes on the joint deadline's day in Seoul: both pages ask for a re-alignment, without its reason.
    const stored = (
      await test.http().get(`/api/v1/procedures/${procedure.id}`).set(bearer(pipc.tokens.officer)).expect(200)
    ).body.jointDeadlines[0] as { perAuthority: { code: string; localDate: string }[] };
    const closed = stored.perAuthority.find((share) => share.code === 'PIPC')!.localDate;
    await test
      .http()
      .post('/api/v1/authorities/PIPC/closures')
      .set(bearer(pipc.tokens.admin))
      .send({ date: closed, reason: 'Internal training day' })
      .expect(201);
    const korean = await signIn(pipc, 'officer');
    await korean.goto(`/procedures/${procedure.id}`);
    const seenInSeoul = await korean.locator('#joint-deadlines').textContent();
    expect(await korean.locator('#joint-deadlines .tag').allTextContents()).toEqual(['재조정 필요']);
    expect(seenInSeoul).not.toContain('Internal training day');
    expect(await korean.locator('#documents').textContent()).toContain(letter.title);
    expect(await axeViolations(korean)).toEqual([]);
    await screenshot(korean, 'procedure-joint-affected-ko');

    await page.reload();
    expect(await page.locator('.joint-affected').textContent()).toContain('PIPC');
    await page
      .getByLabel('Reason for the re-alignment')
      .fill('The PIPC is closed that day; the letters go out together later.');
    await Promise.all([
      page.waitForURL(/\/procedures\/[0-9a-f-]{36}$/),
      page.getByRole('button', { name: 'Re-align on the current calendars' }).click(),
    ]);
    expect(await page.locator('#joint-deadlines .tag').allTextContents()).toEqual(['aligned']);
    expect(await page.locator('#joint-deadlines .moves').textContent()).toContain('The PIPC is closed that day');
    expect(await page.locator('.joint-affected').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors.filter((line) => !line.includes('status of 400'))).toEqual([]);
  }, 240_000);

  it('shows on the case page that the provider has no representative here; the service page records a delivery attempt', async () => {
    const page = await signIn(dpc, 'officer');
    await page.goto(`/cases/${dpcCase.id}`);
    const status = await page.locator('#case-representation').textContent();
    expect(status).toContain('No representative of the organisation in your authority’s jurisdiction is recorded.');
    // The provider has an app and no legal entity or representative elsewhere: app stores, hosting, publication.
    expect(status).toContain('3 other routes of notification are available.');
    await Promise.all([
      page.waitForURL(/\/service$/),
      page.getByRole('link', { name: 'Routes of notification and delivery attempts' }).click(),
    ]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      `Service on the organisation: ${dpcCase.reference}`,
    );
    expect(await page.locator('#routes tbody tr').count()).toBe(3);
    await Promise.all([
      page.waitForURL(/route=app_store/),
      page.locator('#routes tbody tr').first().getByRole('link', { name: 'Use this route' }).click(),
    ]);
    expect(await page.locator('#attempt-route').inputValue()).toBe('app_store');
    expect(await page.locator('#attempt-recipient').inputValue()).toBe('App stores distributing the app');
    await page.getByLabel('Details').fill('Notice under DSA Art. 16 to Apple and Google');

    // An attempt in the future comes back with its message, what was entered kept, nothing recorded.
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Date of the attempt').fill(later);
    expect(await submit(page, 'Record the attempt')).toBe(400);
    expect(await page.locator('#attempt-attemptedDate-error').textContent()).toContain('cannot be in the future');
    expect(await page.locator('#attempt-detail').inputValue()).toBe('Notice under DSA Art. 16 to Apple and Google');
    expect(await page.locator('#attempts').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    const today = await page.locator('#attempt-servedFrom').inputValue();
    await page.getByLabel('Date of the attempt').fill(today);
    expect(await submit(page, 'Record the attempt')).toBe(303);
    expect(await page.locator('#attempts tbody tr').count()).toBe(1);
    expect(await page.locator('#attempts').textContent()).toContain('App stores distributing the app');
    expect(await page.locator('#served-from').textContent()).toContain('counts the organisation as served from');
    const service = await test
      .http()
      .get(`/api/v1/cases/${dpcCase.id}/service`)
      .set(bearer(dpc.tokens.viewer))
      .expect(200);
    expect(service.body).toMatchObject({
      servedFrom: today,
      attempts: [expect.objectContaining({ route: 'app_store' })],
    });
    await page.goto(`/cases/${dpcCase.id}`);
    expect(await page.getByRole('link', { name: 'Routes of notification and one delivery attempt' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'case-service');
  });
});
