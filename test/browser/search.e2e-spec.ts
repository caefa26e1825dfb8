import { bearer, createTenant, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, watchConsole } from './support.js';

describe('search page in headless Chromium (built server)', () => {
  let test: BuiltServer;
  let gpdp: Tenant;
  let pipc: Tenant;
  const session = new BrowserSession(() => test.baseURL);
  const { check } = session;
  const signIn = (tenant: Tenant, role: string) =>
    session.signIn(`${role}@${tenant.code.toLowerCase()}.test`, `${role}-password-123`);

  beforeAll(async () => {
    test = await startBuiltServer();
    await session.start();
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
  });
  afterAll(async () => {
    await session.close();
    await test?.close();
  });

  it('searches from the header box, shows each case once with a marked snippet, pages on, and keeps authorities apart', async () => {
    const organisationId = await createProvider(test, gpdp.tokens.officer);
    const cases: { id: string; reference: string }[] = [];
    for (let i = 0; i < 22; i++) cases.push(await createCase(test, gpdp, organisationId, { title: `Caso ${i}` }));
    for (const kase of cases)
      await test
        .http()
        .post(`/api/v1/cases/${kase.id}/notes`)
        .set(bearer(gpdp.tokens.officer))
        .send({ text: `Il fornitore usa il modello <b>Pangolino</b> per i minori (${kase.reference}).` })
        .expect(201);
    const pipcOrg = await createProvider(test, pipc.tokens.officer, 'Hanbit AI Co., Ltd.');
    await test
      .http()
      .post(`/api/v1/cases/${(await createCase(test, pipc, pipcOrg)).id}/notes`)
      .set(bearer(pipc.tokens.officer))
      .send({ text: 'Pangolino anche qui' })
      .expect(201);

    const page = await signIn(gpdp, 'viewer');
    const errors = watchConsole(page);
    await page.getByRole('searchbox', { name: /Search cases/ }).fill('pangolino');
    await Promise.all([
      page.waitForURL(/\/search\?q=pangolino/),
      page.getByRole('searchbox', { name: /Search cases/ }).press('Enter'),
    ]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Search');
    const results = page.locator('.search-result');
    expect(await results.count()).toBe(20);
    // The snippet marks the word; the note's markup never becomes markup of the page.
    const first = results.first();
    expect(await first.locator('mark').first().textContent()).toMatch(/pangolino/i);
    expect(await first.locator('b').count()).toBe(0);
    expect(await first.locator('.search-result__snippet').textContent()).toContain('modello Pangolino per i minori');
    expect(await first.locator('.search-result__where').textContent()).toMatch(/Note by/);
    await check(page, 'search-results');

    await Promise.all([page.waitForURL(/cursor=/), page.getByRole('link', { name: /Next page/ }).click()]);
    expect(await page.locator('.search-result').count()).toBe(2);
    const shown = new Set<string>();
    for (const href of await page
      .locator('.search-result a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href'))))
      shown.add(href!);
    await page.getByRole('link', { name: 'First page' }).click();
    await page.waitForURL((url) => !url.search.includes('cursor'));
    for (const href of await page
      .locator('.search-result a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href'))))
      shown.add(href!);
    expect([...shown].sort()).toEqual(cases.map((kase) => `/cases/${kase.id}`).sort());

    // Following a result opens the case.
    await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}$/), results.first().locator('a').click()]);

    expect(errors).toEqual([]);

    // A blank search is re-rendered with its message (a 400, which the console reports).
    const blank = await page.goto('/search?q=%20');
    expect(blank?.status()).toBe(400);
    expect(await page.locator('.error-summary').textContent()).toMatch(/Enter the words to search for/);
    await check(page);
    const nothing = await page.goto('/search?q=ornitorinco');
    expect(nothing?.status()).toBe(200);
    expect(await page.getByText("Nothing in your authority's files matches these words.").count()).toBe(1);
  });

  it('orders the case list by a column header (aria-sort), filters it, and pages forwards and back', async () => {
    const organisationId = await createProvider(test, gpdp.tokens.officer, 'Kestrel Intelligence Ltd.');
    for (const priority of ['low', 'urgent', 'normal', 'high'])
      for (let k = 0; k < 8; k++)
        await createCase(test, gpdp, organisationId, {
          title: `Kestrel ${priority} ${k}`,
          priority,
          tags: ['kestrel'],
        });
    const page = await signIn(gpdp, 'viewer');
    const errors = watchConsole(page);
    await page.goto('/cases?tag=kestrel');
    const header = page.getByRole('columnheader', { name: /Priority/ });
    expect(await header.getAttribute('aria-sort')).toBeNull();
    await Promise.all([page.waitForURL(/sort=-priority/), header.getByRole('link').click()]);
    expect(await page.getByRole('columnheader', { name: /Priority/ }).getAttribute('aria-sort')).toBe('descending');
    const priorities = async () =>
      page
        .locator('tbody td[data-label="Priority"]')
        .evaluateAll((cells) => cells.map((cell) => cell.textContent?.trim()));
    const first = await priorities();
    expect(first).toHaveLength(25);
    expect(first.slice(0, 8)).toEqual(Array(8).fill('urgent'));
    expect(first.slice(8, 16)).toEqual(Array(8).fill('high'));
    await check(page, 'cases-sorted-by-priority');

    await Promise.all([page.waitForURL(/cursor=/), page.getByRole('link', { name: /Next page/ }).click()]);
    expect(await priorities()).toEqual(Array(7).fill('low'));
    await page.getByRole('link', { name: /Previous page/ }).click();
    await page.waitForLoadState();
    expect(await priorities()).toEqual(first);
    expect(await page.getByRole('link', { name: /Previous page/ }).count()).toBe(0);

    // A second click on the header turns the order round.
    await Promise.all([
      page.waitForURL(/sort=priority/),
      page
        .getByRole('columnheader', { name: /Priority/ })
        .getByRole('link')
        .click(),
    ]);
    expect((await priorities()).slice(0, 8)).toEqual(Array(8).fill('low'));
    // Filters from the form: the urgent ones only.
    await page.getByLabel('Priority', { exact: true }).selectOption('urgent');
    await Promise.all([page.waitForURL(/priority=urgent/), page.getByRole('button', { name: 'Show cases' }).click()]);
    expect(await priorities()).toEqual(Array(8).fill('urgent'));
    expect(errors).toEqual([]);
  });
});
