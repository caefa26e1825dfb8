import nodemailer, { type Transporter } from 'nodemailer';
import type { Page } from 'playwright-core';
import { bearer, createTenant, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, scrollsSideways, text } from './support.js';

// The page's document, for the functions given to evaluate (the project compiles without the DOM lib).
declare const document: { documentElement: { scrollHeight: number } };

const DAY = 24 * 3600_000;
/** Monday 20 January 2025, 10:00 in Rome: the deadlines are set. Ten days later they are looked at. */
const T0 = new Date('2025-01-20T09:00:00Z');
const LATER = new Date(T0.getTime() + 10 * DAY);
const after = (days: number) => new Date(T0.getTime() + days * DAY).toISOString();
/** More overdue deadlines than the old dashboard's lists of 100 could hold. */
const OFFICER_OVERDUE = 60;
const MANAGER_OVERDUE = 45;
const OVERDUE = OFFICER_OVERDUE + MANAGER_OVERDUE;

describe('dashboard, deadline list and My work in headless Chromium (built server)', () => {
  let test: BuiltServer;
  let sink: SmtpSink;
  let mailer: Transporter;
  let gpdp: Tenant;
  let lateCase: { id: string; reference: string };
  let managerCase: { id: string; reference: string };
  let inquiryCase: { id: string; reference: string };
  let responseDeadlineId: string;
  const session = new BrowserSession(() => test.baseURL);
  const { visit, check } = session;
  const signIn = (role: string, width?: number) => session.signIn(`${role}@gpdp.test`, `${role}-password-123`, width);

  const section = (page: Page, heading: string | RegExp) =>
    page.locator('section', { has: page.getByRole('heading', { name: heading, level: 2 }) });
  const deadlineLinks = (page: Page) => page.locator('table.table--work td[data-label="Deadline"] a');

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startBuiltServer({
      clock: T0,
      freePorts: ['INBOUND_SMTP_PORT'],
      // Sessions and tokens outlive the ten days the clock moves.
      env: {
        SMTP_URL: sink.url,
        MAIL_FROM: 'Garante <protocollo@gpdp.example>',
        INBOUND_DOMAINS: 'gpdp.example=GPDP',
        TOKEN_TTL_MINUTES: String(60 * 24 * 30),
      },
    });
    mailer = nodemailer.createTransport({
      host: '127.0.0.1',
      port: test.ports.INBOUND_SMTP_PORT,
      secure: false,
      ignoreTLS: true,
    });
    await session.start();
    gpdp = await createTenant(test, 'GPDP');
    const pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    const aster = await createProvider(test, gpdp.tokens.officer, 'Aster Minds S.r.l.');
    const lumen = await createProvider(test, gpdp.tokens.officer, 'Lumen Reasoning Ltd');

    lateCase = await createCase(test, gpdp, aster, { title: 'Training on scraped personal data', priority: 'high' });
    managerCase = await createCase(test, gpdp, lumen, {
      title: 'Voice assistant recordings',
      assigneeId: gpdp.userIds.manager,
    });
    const foreign = await createCase(test, pipc, aster);
    const add = (tenant: Tenant, caseId: string, label: string, dueAt: string) =>
      test
        .http()
        .post(`/api/v1/cases/${caseId}/deadlines`)
        .set(bearer(tenant.tokens.officer))
        .send({ label, dueAt })
        .expect(201)
        .then((response) => response.body.id as string);
    // Due within the next two days; ten days on, every one of them is overdue.
    const batch = async (count: number, one: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < count; i += 5)
        await Promise.all(Array.from({ length: Math.min(5, count - i) }, (_, j) => one(i + j)));
    };
    await batch(OFFICER_OVERDUE, (i) =>
      add(gpdp, lateCase.id, `Answer ${i + 1} on the training data`, after(1 + i / OFFICER_OVERDUE)),
    );
    await batch(MANAGER_OVERDUE, (i) =>
      add(gpdp, managerCase.id, `Recording answer ${i + 1}`, after(1.5 + i / MANAGER_OVERDUE)),
    );
    await batch(3, (i) => add(pipc, foreign.id, `PIPC answer ${i + 1}`, after(1)));
    // 2 February: within a week of the later clock; 19 February: within 30 days.
    await add(gpdp, lateCase.id, 'Documents on the opt-out', after(13));
    await add(gpdp, lateCase.id, 'Acceptance of the commitments', after(30));

    // An inquiry (response due 20 days on: 9 February is a Sunday, so Monday 10 February).
    inquiryCase = await createCase(test, gpdp, aster, { title: 'Chatbot answers about minors' });
    const created = await test
      .http()
      .post(`/api/v1/cases/${inquiryCase.id}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'en',
        to: ['dpo@provider.example'],
        deadline: { count: 20, unit: 'calendar_days' },
      })
      .expect(202);
    responseDeadlineId = created.body.deadline.id;
    let inquiry: { status: string; replyTo: string; messageId: string };
    const started = Date.now();
    for (;;) {
      inquiry = (
        await test.http().get(`/api/v1/inquiries/${created.body.id}`).set(bearer(gpdp.tokens.officer)).expect(200)
      ).body;
      if (inquiry.status === 'sent') break;
      if (Date.now() - started > 30_000) throw new Error(`inquiry stayed ${inquiry.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    test.setClock(LATER);
    // The provider answers by e-mail: a draft reply waiting for review on the officer's case.
    const raw = [
      `Message-ID: <answers-1@provider.example>`,
      `Date: ${LATER.toUTCString()}`,
      'MIME-Version: 1.0',
      'From: DPO <dpo@provider.example>',
      `To: ${inquiry.replyTo}`,
      'Subject: Our answers about minors',
      `In-Reply-To: ${inquiry.messageId}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Our answers follow.',
    ].join('\r\n');
    await mailer.sendMail({ envelope: { from: 'dpo@provider.example', to: [inquiry.replyTo] }, raw });
  }, 300_000);

  afterAll(async () => {
    mailer?.close();
    await session.close();
    await test?.close();
    await sink?.stop();
  }, 180_000);

  it('names the overdue case and its assignee, and counts every overdue deadline, linking to all of them', async () => {
    const api = (await test.http().get('/api/v1/dashboard').set(bearer(gpdp.tokens.manager)).expect(200)).body;
    expect(api.deadlines.overdue).toBe(OVERDUE);

    const page = await signIn('manager');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await visit(page, '/dashboard', 'dashboard-named-cases');
    expect(await text(page, '#count-overdue')).toBe(String(OVERDUE));
    expect(await text(page, '#count-due7')).toBe('1');
    expect(await text(page, '#count-due30')).toBe('3');

    const overdue = section(page, 'Overdue');
    const rows = overdue.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(10);
    const first = rows.first();
    // The longest overdue first: the officer's case, named with its reference and title, with who has it.
    await expect(first.locator('td[data-label="Case"]').getByRole('link').textContent()).resolves.toMatch(
      new RegExp(`^${lateCase.reference}\\s+Training on scraped personal data$`),
    );
    await expect(first.locator('td[data-label="Case"] a').getAttribute('href')).resolves.toBe(`/cases/${lateCase.id}`);
    expect(await text(page, 'section:has(#overdue-title) tbody tr:first-child td[data-label="Assigned to"]')).toBe(
      'GPDP officer',
    );
    expect(await text(page, 'section:has(#overdue-title) tbody tr:first-child td[data-label="Organisation"]')).toBe(
      'Aster Minds S.r.l.',
    );
    expect(await text(page, 'section:has(#overdue-title) tbody tr:first-child td[data-label="Priority"]')).toBe('high');
    expect(await text(page, 'section:has(#overdue-title) tbody tr:first-child td[data-label="Due"]')).toMatch(
      /^21 Jan 2025 9 days overdue$/,
    );
    await expect(first.locator('td[data-label="Deadline"] a').textContent()).resolves.toBe(
      'Answer 1 on the training data',
    );

    // The response deadline reads as a person would say it; no template key anywhere.
    const soon = section(page, 'Due in the next 30 days');
    await expect(soon.locator('td[data-label="Deadline"] a').allTextContents()).resolves.toEqual([
      'Documents on the opt-out',
      'Response to the inquiry of 20 Jan 2025',
      'Acceptance of the commitments',
    ]);
    await expect(page.locator('main').textContent()).resolves.not.toContain('ai-inquiry');

    // The reply by e-mail waits for review, on its case.
    const replies = section(page, /^Replies to review/);
    expect(await text(page, '#count-replies')).toBe('1');
    await expect(replies.getByRole('link', { name: 'Our answers about minors' }).getAttribute('href')).resolves.toMatch(
      /^\/inbox\/[0-9a-f-]{36}$/,
    );
    await expect(replies.textContent()).resolves.toContain(inquiryCase.reference);

    // "See all 105" and the card lead to the same full list.
    await expect(
      page.locator('a.count__link', { has: page.locator('#count-overdue') }).getAttribute('href'),
    ).resolves.toBe('/deadlines?due=overdue');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/deadlines' && url.search === '?due=overdue'),
      overdue.getByRole('link', { name: `See all ${OVERDUE} overdue deadlines` }).click(),
    ]);
    await check(page);
    expect(await text(page, '#deadline-total')).toBe(`${OVERDUE} deadlines match these filters; this page shows 25.`);
    const seen = new Set<string>();
    for (let pages = 1; ; pages++) {
      for (const href of await deadlineLinks(page).evaluateAll((links) =>
        links.map((link) => (link as unknown as { getAttribute(name: string): string }).getAttribute('href')),
      ))
        seen.add(href);
      const next = page.getByRole('link', { name: 'Next page of deadlines' });
      if ((await next.count()) === 0) {
        expect(pages).toBe(Math.ceil(OVERDUE / 25));
        break;
      }
      await Promise.all([page.waitForURL((url) => url.searchParams.has('cursor')), next.click()]);
    }
    expect(seen.size).toBe(OVERDUE);
  }, 180_000);

  it('filters the deadline list by assignee, window, kind and due dates, pages it, and downloads the same list as CSV', async () => {
    const page = await signIn('manager');
    await visit(page, '/deadlines', 'deadlines-list');
    expect(await text(page, '#deadline-total')).toBe(`${OVERDUE + 3} deadlines; this page shows 25.`);

    await page.getByLabel('Assigned to').selectOption({ label: 'GPDP manager' });
    await page.getByLabel('When').selectOption('overdue');
    await page.getByLabel('Order').selectOption('-dueAt');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/deadlines' && url.search !== ''),
      page.getByRole('button', { name: 'Show deadlines' }).click(),
    ]);
    await check(page);
    expect(await text(page, '#deadline-total')).toBe(
      `${MANAGER_OVERDUE} deadlines match these filters; this page shows 25.`,
    );
    // Latest due first.
    await expect(deadlineLinks(page).first().textContent()).resolves.toBe(`Recording answer ${MANAGER_OVERDUE}`);
    await expect(page.locator('td[data-label="Assigned to"]').allTextContents()).resolves.toEqual(
      Array(25).fill('GPDP manager'),
    );
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('cursor')),
      page.getByRole('link', { name: 'Next page of deadlines' }).click(),
    ]);
    await expect(deadlineLinks(page).count()).resolves.toBe(MANAGER_OVERDUE - 25);
    await expect(deadlineLinks(page).last().textContent()).resolves.toBe('Recording answer 1');
    await expect(page.getByRole('link', { name: 'Next page of deadlines' }).count()).resolves.toBe(0);

    // The CSV link carries the same filters, and a signed-in browser may download it.
    const csvHref = await page.getByRole('link', { name: 'Download these deadlines as CSV' }).getAttribute('href');
    expect(csvHref).toBe(`/deadlines.csv?assigneeId=${gpdp.userIds.manager}&due=overdue&sort=-dueAt`);
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers()['content-disposition']).toBe('attachment; filename="deadlines-GPDP-2025-01-30.csv"');
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(MANAGER_OVERDUE + 1);
    expect(lines[1]).toContain(`Recording answer ${MANAGER_OVERDUE},`);
    expect(lines.slice(1).every((line) => line.startsWith(`${managerCase.reference},`))).toBe(true);
    // Without a session there is no CSV.
    const anonymous = await test.http().get(csvHref!).redirects(0);
    expect([303, 401]).toContain(anonymous.status);
    expect(anonymous.text).not.toContain('Recording answer');

    // Kind: the one response deadline.
    await visit(page, '/deadlines?kind=response');
    await expect(deadlineLinks(page).allTextContents()).resolves.toEqual(['Response to the inquiry of 20 Jan 2025']);
    await expect(deadlineLinks(page).first().getAttribute('href')).resolves.toBe(`/deadlines/${responseDeadlineId}`);

    // Due dates are the authority's local days, both ends included.
    await visit(page, '/deadlines');
    await page.getByLabel('Due from').fill('2025-02-02');
    await page.getByLabel('Due to').fill('2025-02-10');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/deadlines' && url.search !== ''),
      page.getByRole('button', { name: 'Show deadlines' }).click(),
    ]);
    await expect(deadlineLinks(page).allTextContents()).resolves.toEqual([
      'Documents on the opt-out',
      'Response to the inquiry of 20 Jan 2025',
    ]);

    // A range the wrong way round: the form again, the field named as labelled, nothing listed.
    await page.getByLabel('Due to').fill('2025-01-01');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/deadlines'),
      page.getByRole('button', { name: 'Show deadlines' }).click(),
    ]);
    expect(response.status()).toBe(400);
    await page.waitForLoadState();
    await expect(page.locator('.error-summary a').allTextContents()).resolves.toEqual([
      'Enter a “Due to” date on or after the “Due from” date',
    ]);
    await expect(page.locator('.error-summary a').getAttribute('href')).resolves.toBe('#filter-to');
    await expect(page.getByLabel('Due to').inputValue()).resolves.toBe('2025-01-01');
    await expect(deadlineLinks(page).count()).resolves.toBe(0);
    await check(page, 'deadlines-list-error');
  }, 180_000);

  it("is an officer's home: their overdue work, the week ahead, replies to review and cases with no letter yet", async () => {
    const page = await signIn('officer');
    expect(new URL(page.url()).pathname).toBe('/my-work');
    await visit(page, '/my-work', 'my-work');
    await expect(page.getByRole('link', { name: 'My work' }).getAttribute('aria-current')).resolves.toBe('page');
    expect(await text(page, '#my-overdue-count')).toBe(String(OFFICER_OVERDUE));
    const overdue = section(page, /^Overdue/);
    await expect(overdue.locator('tbody tr').count()).resolves.toBe(5);
    await expect(overdue.locator('tbody tr').first().locator('td[data-label="Case"]').textContent()).resolves.toContain(
      lateCase.reference,
    );
    await expect(overdue.locator('td[data-label="Assigned to"]').count()).resolves.toBe(0);
    await expect(
      overdue.getByRole('link', { name: `See all ${OFFICER_OVERDUE} of my overdue deadlines` }).getAttribute('href'),
    ).resolves.toBe(`/deadlines?assigneeId=${gpdp.userIds.officer}&due=overdue`);
    expect(await text(page, '#my-week-count')).toBe('1');
    await expect(
      section(page, /^Due in the next 7 days/)
        .locator('td[data-label="Deadline"] a')
        .allTextContents(),
    ).resolves.toEqual(['Documents on the opt-out']);
    expect(await text(page, '#my-replies-count')).toBe('1');
    await expect(
      section(page, /^Replies to review/)
        .getByRole('link', { name: 'Our answers about minors' })
        .count(),
    ).resolves.toBe(1);
    // The late case has had no letter; the inquiry case has.
    const drafts = section(page, /^No letter sent yet/);
    expect(await text(page, '#my-drafts-count')).toBe('1');
    await expect(drafts.textContent()).resolves.toContain(lateCase.reference);
    await expect(
      drafts.getByRole('link', { name: `Write the inquiry of ${lateCase.reference}` }).getAttribute('href'),
    ).resolves.toBe(`/cases/${lateCase.id}/inquiries/new`);

    // The manager's own work is theirs alone.
    const manager = await signIn('manager');
    await visit(manager, '/my-work');
    expect(await text(manager, '#my-overdue-count')).toBe(String(MANAGER_OVERDUE));
    expect(await text(manager, '#my-replies-count')).toBe('0');
  }, 180_000);

  it('fits a phone 375 px wide, and My work stays short there', async () => {
    const officer = await signIn('officer', 375);
    for (const [path, name] of [
      ['/my-work', 'phone-my-work'],
      ['/dashboard', 'phone-dashboard-named-cases'],
      ['/deadlines?due=overdue', 'phone-deadlines-list'],
    ]) {
      await visit(officer, path, name);
      expect({ path, sideways: await scrollsSideways(officer) }).toEqual({ path, sideways: false });
    }
    await officer.goto('/my-work');
    const screens = (await officer.evaluate(() => document.documentElement.scrollHeight)) / 740;
    expect(screens).toBeLessThan(8);
  }, 180_000);
});
