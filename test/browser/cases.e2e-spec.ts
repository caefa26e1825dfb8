import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Page } from 'playwright-core';
import { QueueName } from '#docket/platform';
import { bearer, createTenant, REDIS_URL, SYSADMIN, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, SCREENSHOT_DIR, scrollsSideways, section, submit } from './support.js';
import { pdfText } from '../support/pdf.js';

// The page's document, for the functions given to evaluate (the project compiles without the DOM lib).
declare const document: { activeElement: { id?: string } | null };

const password = (role: string) => `${role}-password-123`;
const email = (role: string, tenant: Tenant) => `${role}@${tenant.code.toLowerCase()}.test`;
const PROVIDER = 'Hangzhou DeepSeek Artificial Intelligence Co., Ltd.';
const bank = JSON.parse(readFileSync('templates/questions.json', 'utf8')) as {
  questions: { id: string; text: Record<string, string> }[];
};
const questionText = (id: string, locale: string) =>
  bank.questions.find((question) => question.id === id)!.text[locale];
/** The reply address carries a code made when the letter is sent; the preview shows a placeholder in its place. */
const sameReplyCode = (text: string) => text.replace(/reply\+[A-Za-z0-9]+@/g, 'reply+CODE@').trim();

describe('case pages in headless Chromium', () => {
  let sink: SmtpSink;
  let test: BuiltServer;
  let gpdp: Tenant;
  let pipc: Tenant;
  let caseId: string;
  let caseReference: string;
  const session = new BrowserSession(() => test.baseURL);
  const { visit, check } = session;

  /**
   * The letter's HTML frame on its own: Chromium leaves a sandboxed frame outside the viewport blank in full-page
   * screenshots, so this one is taken with the frame scrolled into view.
   */
  async function letterScreenshot(page: Page, name: string): Promise<void> {
    const frame = page.locator('iframe.letter__frame').first();
    await frame.scrollIntoViewIfNeeded();
    await page.frameLocator('iframe.letter__frame').first().locator('body').waitFor();
    await frame.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  }

  const signIn = (who: { email: string; password: string }, width?: number) =>
    session.signIn(who.email, who.password, width);
  const signedIn = (tenant: Tenant, role: string, width?: number) =>
    session.signIn(email(role, tenant), password(role), width);

  const apiCase = async (tenant: Tenant, id: string) =>
    (await test.http().get(`/api/v1/cases/${id}`).set(bearer(tenant.tokens.officer)).expect(200)).body;
  const apiTemplate = async (tenant: Tenant) =>
    (await test.http().get('/api/v1/templates/ai-inquiry').set(bearer(tenant.tokens.admin)).expect(200)).body;

  // A built server, a browser and two authorities: over 120 s at load 20 (the dashboard's browser spec allows 300 s).
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    // 28 January 2025, 10:00 in Rome: the day the Garante wrote to the provider.
    // On Redis, so that the queue test below can put a job into the server's mail queue from here.
    test = await startBuiltServer({
      clock: new Date('2025-01-28T09:00:00Z'),
      queue: 'redis',
      env: { SMTP_URL: sink.url, MAIL_FROM: 'Garante <protocollo@gpdp.example>' },
    });
    await session.start();
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
  }, 300_000);

  const afterAllClose: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const close of afterAllClose) await close();
    await session.close();
    await test?.close();
    await sink?.stop();
  });

  it('opens a case and registers its organisation on the way; an empty title keeps the input and links to the field', async () => {
    const page = await signedIn(gpdp, 'officer');
    await visit(page, '/cases', 'cases-empty');
    await expect(page.locator('main').textContent()).resolves.toContain('There are no cases yet.');
    await Promise.all([page.waitForURL('**/cases/new'), page.getByRole('link', { name: 'Open a case' }).click()]);
    await check(page, 'case-new');

    await page.getByLabel('No, register it now').check();
    await expect(page.locator('#case-org-new').isVisible()).resolves.toBe(true);
    await expect(page.locator('#case-org-existing').isVisible()).resolves.toBe(false);
    await page.getByLabel('Legal name').fill(PROVIDER);
    await page.getByLabel('Country of its seat').fill('CN');
    await page.getByLabel('Website').fill('https://www.deepseek.example');
    await page.locator('#case-contactEmail').fill('dpo@deepseek.example');
    await page.locator('#case-contactName').fill('Data Protection Officer');
    await page.getByLabel('Legal basis').fill('GDPR Art. 58(1)(a)');
    await page.getByLabel('Tags').fill('ai, web-scraping');
    await page.getByLabel('Children’s data').check();
    expect(await submit(page, 'Open the case')).toBe(400);

    expect(await page.title()).toMatch(/^Error: /);
    const link = page.locator('.error-summary a');
    await expect(link.allTextContents()).resolves.toEqual(['Enter a title of 1 to 300 characters']);
    await expect(link.getAttribute('href')).resolves.toBe('#case-title');
    await expect(page.locator('#case-title').getAttribute('aria-describedby')).resolves.toContain('case-title-error');
    await expect(page.getByLabel('Legal name').inputValue()).resolves.toBe(PROVIDER);
    await expect(page.getByLabel('No, register it now').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Tags').inputValue()).resolves.toBe('ai, web-scraping');
    await expect(page.getByLabel('Children’s data').isChecked()).resolves.toBe(true);
    await link.click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('case-title');
    await check(page, 'case-new-error');
    // Nothing was registered by the refused form.
    const organisations = await test
      .http()
      .get('/api/v1/organisations?q=DeepSeek')
      .set(bearer(gpdp.tokens.officer))
      .expect(200);
    expect(organisations.body.items).toEqual([]);

    await page.getByLabel('Title', { exact: true }).fill('DeepSeek: processing of personal data of users in Italy');
    expect(await submit(page, 'Open the case')).toBe(303);
    caseId = new URL(page.url()).pathname.split('/')[2];
    await check(page);
    await expect(page.locator('.flash').textContent()).resolves.toContain('Case GPDP-2025-0001 opened.');
    caseReference = 'GPDP-2025-0001';
    const summary = await page.locator('.summary').textContent();
    expect(summary).toContain(PROVIDER);
    expect(summary).toContain('GPDP officer');
    expect(summary).toContain('GDPR Art. 58(1)(a)');
    expect(summary).toContain('web-scraping');
    expect(summary).toContain('Children’s data');
    await expect(section(page, 'What can happen next').textContent()).resolves.toContain('Send an inquiry');

    const file = await apiCase(gpdp, caseId);
    expect(file).toMatchObject({
      reference: caseReference,
      status: 'open',
      tags: ['ai', 'web-scraping'],
      riskFlags: ['children'],
      organisation: { name: PROVIDER },
    });
    const registered = await test
      .http()
      .get(`/api/v1/organisations/${file.organisationId}`)
      .set(bearer(gpdp.tokens.officer))
      .expect(200);
    expect(registered.body).toMatchObject({
      country: 'CN',
      website: 'https://www.deepseek.example',
      contacts: [{ email: 'dpo@deepseek.example', role: 'dpo', name: 'Data Protection Officer' }],
    });

    // The list finds it by search and by the organisation filter.
    await visit(page, '/cases?q=0001');
    await expect(page.locator('tbody td[data-label="Reference"]').allTextContents()).resolves.toEqual([caseReference]);
    await page.getByLabel('Title or reference').fill('no such case');
    await page.getByLabel('Organisation').selectOption({ label: PROVIDER });
    await Promise.all([page.waitForURL('**/cases?**'), page.getByRole('button', { name: 'Show cases' }).click()]);
    await expect(page.locator('main').textContent()).resolves.toContain('No case matches these filters.');
    await page.getByLabel('Title or reference').fill('');
    await Promise.all([page.waitForURL('**/cases?**'), page.getByRole('button', { name: 'Show cases' }).click()]);
    await expect(page.locator('tbody tr').count()).resolves.toBe(1);
    await check(page, 'cases');
  });

  it('picks a registered organisation from the search results, and pages through the list', async () => {
    const page = await signedIn(gpdp, 'manager');
    await visit(page, '/cases/new');
    await page.getByLabel('Find a registered organisation').fill('deepseek');
    await Promise.all([
      page.waitForURL('**/cases/new?organisation=deepseek'),
      page.getByRole('search', { name: 'Registered organisations' }).getByRole('button', { name: 'Search' }).click(),
    ]);
    await check(page, 'case-new-search');
    // One match: it is chosen already.
    await expect(page.getByLabel('Yes, choose it').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel(PROVIDER).isChecked()).resolves.toBe(true);
    await page.getByLabel('Title', { exact: true }).fill('Follow-up: transfers to servers in China');
    await page.getByLabel('Priority').selectOption('high');
    expect(await submit(page, 'Open the case')).toBe(303);
    await expect(page.locator('.flash').textContent()).resolves.toContain('Case GPDP-2025-0002 opened.');
    await expect(page.locator('.summary').textContent()).resolves.toContain(PROVIDER);
    const { organisationId } = await apiCase(gpdp, caseId);
    for (let i = 3; i <= 27; i++) await createCase(test, gpdp, organisationId, { title: `Matter ${i}` });

    // The test clock stands still, so all cases were opened at the same instant: check the pages, not the order.
    await visit(page, '/cases');
    const first = await page.locator('tbody td[data-label="Reference"]').allTextContents();
    expect(first).toHaveLength(25);
    await Promise.all([page.waitForURL('**/cases?cursor=*'), page.getByRole('link', { name: 'Next page' }).click()]);
    await check(page);
    const second = await page.locator('tbody td[data-label="Reference"]').allTextContents();
    expect([...first, ...second].sort()).toEqual(
      Array.from({ length: 27 }, (_, i) => `GPDP-2025-${String(i + 1).padStart(4, '0')}`),
    );
    await expect(page.getByRole('link', { name: 'Next page' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'First page' }).getAttribute('href')).resolves.toBe('/cases');
  });

  it('saves the filtered case list as a shared view the dashboard links to, and reassigns two selected cases at once', async () => {
    const organisationId = await createProvider(test, gpdp.tokens.officer, 'Kestrel Intelligence S.r.l.');
    const picked = [];
    for (const title of ['Kestrel: training data', 'Kestrel: age checks'])
      picked.push(await createCase(test, gpdp, organisationId, { title, tags: ['kestrel'] }));
    const page = await signedIn(gpdp, 'manager');
    await visit(page, '/cases?tag=kestrel');
    await Promise.all([
      page.waitForURL('**/views/new?*'),
      page.getByRole('link', { name: 'Save these filters as a view' }).click(),
    ]);
    await check(page, 'view-new');
    await page.getByLabel('Name of the view').fill('Kestrel matters');
    await page.getByLabel('Share this view with every user of the authority').check();
    expect(await submit(page, 'Save the view')).toBe(303);
    expect(new URL(page.url()).search).toBe('?tag=kestrel');
    await expect(page.locator('.flash').textContent()).resolves.toContain('View “Kestrel matters” saved.');
    // Shared: an officer sees it too, on their own start page.
    const officer = await signedIn(gpdp, 'officer');
    await visit(officer, '/my-work');
    await expect(
      section(officer, 'Saved views').getByRole('link', { name: 'Kestrel matters' }).getAttribute('href'),
    ).resolves.toBe('/cases?tag=kestrel');
    await visit(page, '/dashboard');
    await Promise.all([
      page.waitForURL('**/cases?tag=kestrel'),
      section(page, 'Saved views').getByRole('link', { name: 'Kestrel matters' }).click(),
    ]);

    // Bulk reassign of the view's two cases, chosen by their checkboxes.
    for (const kase of picked) await page.getByLabel(`Select case ${kase.reference}`).check();
    await page.getByLabel('Action', { exact: true }).selectOption('reassign');
    await page.getByLabel('New assignee').selectOption({ label: 'GPDP manager' });
    expect(await submit(page, 'Apply to the selected cases')).toBe(200);
    await check(page, 'cases-bulk-result');
    await expect(page.locator('#bulk-summary').textContent()).resolves.toBe(
      'Assign to: 2 cases changed, none refused.',
    );
    for (const kase of picked) expect((await apiCase(gpdp, kase.id)).assignee.name).toBe('GPDP manager');
    // Nothing selected: the form again, saying so.
    await visit(page, '/cases?tag=kestrel');
    await page.getByLabel('Action', { exact: true }).selectOption('set_priority');
    expect(await submit(page, 'Apply to the selected cases')).toBe(400);
    await expect(page.locator('.error-summary').textContent()).resolves.toContain(
      'Select at least one case in the list.',
    );
  });

  it('sends an inquiry through the form with a preview, and shows it sent on the case page and in the outbox', async () => {
    const page = await signedIn(gpdp, 'officer');
    await visit(page, `/cases/${caseId}`);
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}/inquiries/new`),
      page.getByRole('link', { name: 'Send an inquiry' }).first().click(),
    ]);
    await check(page, 'inquiry-new');
    // Italian for an Italian authority; the organisation's contact and the template's questions are ticked.
    await expect(page.getByLabel('Language of the letter').inputValue()).resolves.toBe('it');
    await expect(page.getByLabel('dpo@deepseek.example').isChecked()).resolves.toBe(true);
    const ticked = await page
      .locator('input[name="questionIds"]:checked')
      .evaluateAll((boxes) => boxes.map((box) => (box as unknown as { value: string }).value));
    expect(ticked).toEqual((await apiTemplate(gpdp)).defaultQuestionIds);
    await expect(page.getByLabel('Number', { exact: true }).inputValue()).resolves.toBe('20');

    // Three questions only, and a cc.
    const chosen = ['ai.collection.categories', 'ai.storage_location.countries', 'ai.training_use.prompts'];
    for (const box of await page.locator('input[name="questionIds"]').all()) {
      const value = await box.getAttribute('value');
      await box.setChecked(chosen.includes(value!));
    }
    await page.getByLabel('Copy to (cc)').fill('legal@deepseek.example');
    expect(await submit(page, 'Preview the letter')).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/cases/${caseId}/inquiries/preview`);
    await check(page, 'inquiry-preview');
    await letterScreenshot(page, 'inquiry-preview-letter');

    // "Open the PDF" opens the letter as the PDF it will be sent as, in a new tab, stored nowhere.
    const documentsBefore = (
      await test.http().get(`/api/v1/cases/${caseId}/documents`).set(bearer(gpdp.tokens.viewer)).expect(200)
    ).body.length;
    await expect(section(page, 'The PDF document').textContent()).resolves.toContain('no electronic seal');
    // The button posts the letter's own form to a new tab (headless Chromium does not reliably report a PDF opened
    // in a popup, so the form is checked here and posted below as the browser posts it).
    const pdfForm = page.locator('#letter-pdf form');
    await expect(pdfForm.getAttribute('target')).resolves.toBe('_blank');
    await expect(pdfForm.getAttribute('action')).resolves.toBe(`/cases/${caseId}/inquiries/preview/pdf`);
    await expect(pdfForm.getByRole('button', { name: 'Open the PDF', exact: true }).count()).resolves.toBe(1);
    const form = Object.fromEntries(
      await page
        .locator('#letter-pdf input[type="hidden"]')
        .evaluateAll((inputs) =>
          inputs.map((input) => [
            (input as unknown as { name: string }).name,
            (input as unknown as { value: string }).value,
          ]),
        ),
    ) as Record<string, string>;
    expect(form.template).toBe('ai-inquiry');
    const pdfResponse = await page.request.post(`${test.baseURL}/cases/${caseId}/inquiries/preview/pdf`, { form });
    expect(pdfResponse.status()).toBe(200);
    expect(pdfResponse.headers()['content-type']).toBe('application/pdf');
    const previewPdf = await page.request.post(`${test.baseURL}/cases/${caseId}/inquiries/preview/pdf`, {
      form: { ...form, questionIds: chosen[0] },
    });
    expect(previewPdf.headers()['content-type']).toBe('application/pdf');
    const previewText = pdfText(await previewPdf.body()).replace(/[\s-]+/g, '');
    expect(previewText).toContain(caseReference.replace(/[\s-]+/g, ''));
    expect(previewText).toContain('Anteprima,documentononemesso');
    for (const extra of page
      .context()
      .pages()
      .filter((other) => other !== page))
      await extra.close();
    expect(
      (await test.http().get(`/api/v1/cases/${caseId}/documents`).set(bearer(gpdp.tokens.viewer)).expect(200)).body
        .length,
    ).toBe(documentsBefore);

    // 28 January + 20 days = Monday 17 February 2025.
    const summary = page.locator('.summary').first();
    await expect(summary.textContent()).resolves.toContain('Monday, 17 February 2025');
    await expect(summary.locator('.questions li').allTextContents()).resolves.toEqual(
      chosen.map((id) => questionText(id, 'it')),
    );
    const text = (await page.locator('.letter__text').textContent())!;
    for (const id of chosen) expect(text).toContain(questionText(id, 'it'));
    expect(text).toContain('17 febbraio 2025');
    expect(text).toContain(caseReference);
    const frame = page.locator('iframe.letter__frame');
    await expect(frame.getAttribute('sandbox')).resolves.toBe('');
    const html = page.frameLocator('iframe.letter__frame').locator('body');
    await expect(html.textContent()).resolves.toContain(questionText(chosen[0], 'it'));
    await expect(html.textContent()).resolves.toContain('17 febbraio 2025');
    const subject = (await page.locator('.letter__subject').textContent())!.trim();
    expect(subject).toContain(caseReference);

    // "Change" goes back to the form with everything kept.
    expect(await submit(page, 'Change')).toBe(200);
    await expect(page.locator('input[name="questionIds"]:checked').count()).resolves.toBe(3);
    await expect(page.getByLabel('Copy to (cc)').inputValue()).resolves.toBe('legal@deepseek.example');
    expect(await submit(page, 'Preview the letter')).toBe(200);
    expect(await submit(page, 'Send the inquiry')).toBe(303);
    expect(new URL(page.url()).pathname).toBe(`/cases/${caseId}`);
    await expect(page.locator('.flash').textContent()).resolves.toContain(
      'Inquiry queued for sending to dpo@deepseek.example. The response is due Monday, 17 February 2025.',
    );

    // What the mail server got is what the preview showed.
    const [mail] = await sink.waitFor((received) => received.length >= 1);
    expect(mail.envelopeTo.sort()).toEqual(['dpo@deepseek.example', 'legal@deepseek.example']);
    expect(mail.parsed.subject).toBe(subject);
    // The mail is a cover note; the letter the preview showed travels as its PDF document.
    const pdf = mail.parsed.attachments.find((attachment) => attachment.contentType === 'application/pdf');
    expect(pdf).toBeDefined();
    // pdftotext joins a word hyphenated at a line's end: compare without spaces and hyphens.
    const compact = (value: string) => value.replace(/[\s-]+/g, '');
    const letter = compact(pdfText(pdf!.content));
    for (const id of chosen) expect(letter).toContain(compact(questionText(id, 'it')));
    expect(letter).toContain(compact('17 febbraio 2025'));
    expect(letter).toContain(compact(caseReference));

    // The case page follows the delivery: queued, then sent.
    for (let i = 0; i < 100 && (await section(page, 'Inquiries').locator('.tag').textContent()) !== 'sent'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await page.reload();
    }
    const inquiries = section(page, 'Inquiries');
    await expect(inquiries.locator('.tag').textContent()).resolves.toBe('sent');
    await expect(inquiries.textContent()).resolves.toContain(subject);
    await expect(inquiries.locator('td[data-label="Response due"]').textContent()).resolves.toContain('17 Feb 2025');
    await expect(page.locator('.summary .summary__row').first().locator('.tag').textContent()).resolves.toBe(
      'awaiting response',
    );

    const deadlines = section(page, 'Deadlines');
    await expect(deadlines.locator('.deadline-card__due').textContent()).resolves.toContain('Monday, 17 February 2025');
    await deadlines.getByText('Why this date').click();
    await expect(deadlines.locator('.explanation').isVisible()).resolves.toBe(true);
    await expect(deadlines.locator('.explanation').textContent()).resolves.toContain('2025');
    await expect(section(page, 'Reminders').locator('tbody tr').count()).resolves.toBe(4);
    const timeline = await section(page, 'Timeline').locator('tbody tr').allTextContents();
    expect(timeline[0]).toContain(`Opened ${caseReference}`);
    expect(timeline.join('\n')).toContain(`Inquiry queued: ${subject}`);
    expect(timeline.join('\n')).toContain('Inquiry delivered to the mail server');
    await check(page);

    // The deadline page links back to its case.
    await Promise.all([page.waitForURL('**/deadlines/*'), deadlines.locator('.deadline-card__title').click()]);
    await Promise.all([
      page.waitForURL(`**/cases/${caseId}`),
      page.locator('.caption').getByRole('link', { name: caseReference }).click(),
    ]);

    await visit(page, '/outbox', 'outbox');
    await expect(page.locator('.lead').textContent()).resolves.toMatch(
      /Mail goes to the mail server 127\.0\.0\.1:\d+\./,
    );
    const row = page.locator('tbody tr', { hasText: subject });
    await expect(row.locator('.tag').textContent()).resolves.toBe('sent');
    await expect(row.locator('td[data-label="Attempts"]').textContent()).resolves.toBe('1');
    // Ordered by a column header: aria-sort marks the column and the way, a second click turns the order round.
    const messageHeader = page.locator('thead th', { hasText: 'Message' });
    await expect(page.locator('thead th[aria-sort="descending"]').textContent()).resolves.toContain('Created');
    await Promise.all([page.waitForURL('**/outbox?sort=subject'), messageHeader.getByRole('link').click()]);
    await expect(messageHeader.getAttribute('aria-sort')).resolves.toBe('ascending');
    await Promise.all([page.waitForURL('**/outbox?sort=-subject'), messageHeader.getByRole('link').click()]);
    await expect(messageHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    await expect(page.locator('thead th[aria-sort]').count()).resolves.toBe(1);
    await check(page, 'outbox-sorted');
    await Promise.all([page.waitForURL('**/outbox/*'), row.getByRole('link', { name: subject }).click()]);
    await check(page, 'outbox-message');
    await letterScreenshot(page, 'outbox-message-letter');
    const headers = await page.locator('.summary').first().textContent();
    expect(headers).toContain('Garante <protocollo@gpdp.example>');
    expect(headers).toContain('legal@deepseek.example');
    expect(headers).toContain(mail.parsed.messageId!);
    await expect(page.locator('iframe.letter__frame').getAttribute('sandbox')).resolves.toBe('');
    // The outbox shows the message as it was sent: the cover note that carries the letter's PDF.
    expect(sameReplyCode((await page.locator('.letter__text').textContent())!)).toBe(
      sameReplyCode(mail.parsed.text ?? ''),
    );

    // The letter cannot be previewed or sent with no question.
    await visit(page, `/cases/${caseId}/inquiries/new`);
    for (const box of await page.locator('input[name="questionIds"]').all()) await box.uncheck();
    await page.getByLabel('Until a date').check();
    await page.getByLabel('Due date', { exact: true }).fill('');
    expect(await submit(page, 'Preview the letter')).toBe(400);
    await expect(page.locator('.error-summary a').allTextContents()).resolves.toEqual([
      'Enter the due date as a real date, for example 2025-03-03',
    ]);
    await expect(page.getByLabel('Until a date').isChecked()).resolves.toBe(true);
    await page.getByLabel('Due date', { exact: true }).fill('2025-03-03');
    expect(await submit(page, 'Preview the letter')).toBe(400);
    await expect(page.locator('.error-summary a').allTextContents()).resolves.toEqual([
      'An inquiry needs at least one question',
    ]);
    await expect(page.locator('.error-summary a').getAttribute('href')).resolves.toBe('#inquiry-questionIds');
    await check(page, 'inquiry-error');
    expect((await apiCase(gpdp, caseId)).inquiries).toHaveLength(1);
  });

  it('adds a note, refusing an empty one by its field', async () => {
    const page = await signedIn(gpdp, 'officer');
    await visit(page, `/cases/${caseId}`);
    expect(await submit(page, 'Add note')).toBe(400);
    await expect(page.locator('.error-summary a').getAttribute('href')).resolves.toBe('#note-text');
    await expect(page.locator('#note-text-error').textContent()).resolves.toContain('Enter the note');
    await check(page);
    await page.getByLabel('Add a note').fill('Called the DPO: the answer will come in English.');
    expect(await submit(page, 'Add note')).toBe(303);
    await expect(page.locator('.flash').textContent()).resolves.toContain('Note added.');
    await expect(page.locator('.note').allTextContents()).resolves.toEqual([
      expect.stringContaining('Called the DPO: the answer will come in English.'),
    ]);
    await expect(page.locator('.note__meta').textContent()).resolves.toContain('GPDP officer');
    await expect(section(page, 'Timeline').textContent()).resolves.toContain('Note: Called the DPO');
    await check(page, 'case');
    expect((await apiCase(gpdp, caseId)).notes).toHaveLength(1);

    // A viewer reads the case but gets no forms.
    const viewer = await signedIn(gpdp, 'viewer');
    await visit(viewer, `/cases/${caseId}`);
    await expect(viewer.locator('form#note-form').count()).resolves.toBe(0);
    await expect(viewer.locator('form#close-form').count()).resolves.toBe(0);
    expect((await viewer.goto(`/cases/${caseId}/inquiries/new`))?.status()).toBe(403);
    expect((await viewer.goto('/cases/new'))?.status()).toBe(403);
  });

  it('does not let a session of another authority reach the case or post to it', async () => {
    const page = await signedIn(pipc, 'admin');
    await visit(page, '/cases');
    await expect(page.locator('main').textContent()).resolves.toContain('There are no cases yet.');
    for (const path of [`/cases/${caseId}`, `/cases/${caseId}/inquiries/new`]) {
      const response = await page.goto(path);
      expect({ path, status: response?.status() }).toEqual({ path, status: 404 });
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
    }
    await check(page);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const posts: [string, Record<string, string>][] = [
      [`/cases/${caseId}/notes`, { text: 'not ours' }],
      [`/cases/${caseId}/close`, { reason: 'not ours' }],
      [
        `/cases/${caseId}/inquiries/preview`,
        {
          template: 'ai-inquiry',
          locale: 'en',
          otherTo: 'x@example.org',
          questionIds: 'ai.collection.categories',
          mode: 'period',
          count: '5',
          unit: 'calendar_days',
        },
      ],
      [
        `/cases/${caseId}/inquiries`,
        {
          template: 'ai-inquiry',
          locale: 'en',
          otherTo: 'x@example.org',
          questionIds: 'ai.collection.categories',
          mode: 'period',
          count: '5',
          unit: 'calendar_days',
        },
      ],
    ];
    for (const [path, form] of posts) {
      const response = await page.request.post(path, { form: { _csrf: csrf, ...form }, maxRedirects: 0 });
      expect({ path, status: response.status() }).toEqual({ path, status: 404 });
    }
    const file = await apiCase(gpdp, caseId);
    expect(file.notes).toHaveLength(1);
    expect(file.inquiries).toHaveLength(1);
    expect(file.status).toBe('awaiting_response');
    // And without the CSRF token, not even its own officer can post.
    const officer = await signedIn(gpdp, 'officer');
    const forged = await officer.request.post(`/cases/${caseId}/notes`, { form: { text: 'forged' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect((await apiCase(gpdp, caseId)).notes).toHaveLength(1);
  });

  it('lets an admin edit a template as a new version after a preview; a syntax error is shown by its field and saves nothing', async () => {
    const page = await signedIn(gpdp, 'admin');
    await visit(page, '/admin/templates', 'templates');
    const row = page.locator('tbody tr', { hasText: 'ai-inquiry' });
    await expect(row.locator('td[data-label="Version in use"]').textContent()).resolves.toBe('2');
    await Promise.all([
      page.waitForURL('**/admin/templates/ai-inquiry'),
      row.getByRole('link', { name: 'ai-inquiry' }).click(),
    ]);
    await check(page, 'template-edit');
    await expect(page.getByRole('button', { name: /^Save/ }).count()).resolves.toBe(0);

    const italian = page.getByLabel('Italian (it)');
    const english = page.getByLabel('English (en)');
    const original = await italian.inputValue();
    expect(original).toMatch(/^\{% layout 'letter' %\}/);
    // An output tag left open.
    const broken = original.replace('{{ case.reference }}', '{{ case.reference ');
    const brokenLine = original.split('\n').findIndex((line) => line.includes('{{ case.reference }}')) + 1;
    await italian.fill(broken);
    expect(await submit(page, 'Preview')).toBe(400);
    const links = page.locator('.error-summary a');
    await expect(links.first().getAttribute('href')).resolves.toBe('#template-source_it');
    await expect(links.first().textContent()).resolves.toMatch(new RegExp(`^Italian \\(it\\): Line ${brokenLine}: `));
    await expect(page.locator('#template-source_it-error').textContent()).resolves.toContain(`Line ${brokenLine}: `);
    await expect(italian.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(italian.inputValue()).resolves.toBe(broken);
    await expect(page.getByRole('button', { name: /^Save/ }).count()).resolves.toBe(0);
    await check(page, 'template-error');
    // Posting the save anyway saves nothing either.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const sources = Object.fromEntries(
      await Promise.all(
        ['de', 'en', 'fr', 'it', 'ja', 'ko', 'nl'].map(async (locale) => [
          `source_${locale}`,
          await page.locator(`#template-source_${locale}`).inputValue(),
        ]),
      ),
    );
    const forced = await page.request.post('/admin/templates/ai-inquiry', {
      form: { _csrf: csrf, description: 'x', ...sources, previewed: 'anything' },
      maxRedirects: 0,
    });
    expect(forced.status()).toBe(400);
    expect((await apiTemplate(gpdp)).version).toBe(2);

    await italian.fill(original);
    const changed = (await english.inputValue()).replace(
      '{% block subject %}Request for information',
      '{% block subject %}Formal request for information',
    );
    await english.fill(changed);
    expect(await submit(page, 'Preview')).toBe(200);
    await check(page, 'template-preview');
    const previews = page.locator('details.details--letter');
    await expect(previews.count()).resolves.toBe(7);
    const englishPreview = previews.filter({ hasText: 'English (en)' });
    await expect(englishPreview.locator('summary').textContent()).resolves.toContain('Formal request for information');
    await englishPreview.locator('summary').click();
    await expect(englishPreview.locator('.letter__text').textContent()).resolves.toContain('17 February 2025');
    await expect(englishPreview.locator('iframe').getAttribute('sandbox')).resolves.toBe('');

    // Changed after the preview: the new text is previewed before it can be saved.
    await english.fill(changed.replace('Formal request', 'Formal REQUEST'));
    expect(await submit(page, 'Save as version 3')).toBe(409);
    await expect(page.locator('.error-summary').textContent()).resolves.toContain(
      'The template changed after its preview',
    );
    await expect(previews.filter({ hasText: 'English (en)' }).locator('summary').textContent()).resolves.toContain(
      'Formal REQUEST for information',
    );
    expect((await apiTemplate(gpdp)).version).toBe(2);

    expect(await submit(page, 'Save as version 3')).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/admin/templates');
    await expect(page.locator('.flash').textContent()).resolves.toContain(
      'Version 3 of ai-inquiry is saved and now in use.',
    );
    await expect(
      page.locator('tbody tr', { hasText: 'ai-inquiry' }).locator('td[data-label="Version in use"]').textContent(),
    ).resolves.toBe('3');
    const saved = await apiTemplate(gpdp);
    expect(saved.version).toBe(3);
    expect(saved.sources.en).toContain('Formal REQUEST for information');
    expect(saved.sources.it).toBe(original);
    // Another authority still uses the reviewed version.
    expect((await apiTemplate(pipc)).version).toBe(2);

    const officer = await signedIn(gpdp, 'officer');
    expect((await officer.goto('/admin/templates'))?.status()).toBe(403);
  });

  it('shows the sysadmin the queues with failed jobs and their error, and retries one', async () => {
    // A job no processor knows fails at once: a stand-in for a job that failed for good.
    const { hostname, port } = new URL(REDIS_URL);
    const mail = new Queue(QueueName.Mail, {
      prefix: test.database.name,
      connection: { host: hostname, port: Number(port) },
    });
    afterAllClose.push(() => mail.close());
    await mail.add('no-such-job', {}, { jobId: 'broken-job-1' });
    for (let i = 0; i < 200 && !(await (await mail.getJob('broken-job-1'))?.isFailed()); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));

    const page = await signIn(SYSADMIN);
    await expect(page.locator('.nav__link').allTextContents()).resolves.toEqual(['Dashboard', 'Inbox', 'Queues']);
    await visit(page, '/admin/queues', 'queues');
    const names = await page.locator('tbody td[data-label="Queue"]').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['mail', 'reminders', 'maintenance']));
    const mailRow = page.locator('tbody tr', { has: page.locator('td[data-label="Queue"]', { hasText: /^mail$/ }) });
    await expect(mailRow.locator('td[data-label="Failed"]').textContent()).resolves.toBe('1');
    const failed = page.locator('section', { has: page.getByRole('heading', { name: /^mail/ }) });
    await expect(failed.locator('td[data-label="Error"]').textContent()).resolves.toContain(
      'mail queue has no handler for job no-such-job',
    );
    expect(await submit(page, 'Retry job broken-job-1')).toBe(303);
    await expect(page.locator('.flash').textContent()).resolves.toContain(
      'Job broken-job-1 (no-such-job) of the mail queue will run again.',
    );
    await check(page);

    const admin = await signedIn(gpdp, 'admin');
    expect((await admin.goto('/admin/queues'))?.status()).toBe(403);
    const post = await admin.request.post('/admin/queues/mail/jobs/broken-job-1/retry', {
      form: { _csrf: await admin.locator('input[name="_csrf"]').first().inputValue() },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(403);
    await mail.remove('broken-job-1').catch(() => undefined);
  });

  it('fits a 375 px wide phone screen without sideways scrolling', async () => {
    const page = await signedIn(gpdp, 'admin', 375);
    const messageId = (await test.http().get('/api/v1/outbox').set(bearer(gpdp.tokens.admin)).expect(200)).body.items[0]
      .id as string;
    for (const [path, name] of [
      ['/cases', 'phone-cases'],
      ['/cases/new', 'phone-case-new'],
      [`/cases/${caseId}`, 'phone-case'],
      [`/cases/${caseId}/inquiries/new`, 'phone-inquiry-new'],
      ['/outbox', 'phone-outbox'],
      [`/outbox/${messageId}`, 'phone-outbox-message'],
      ['/admin/templates', 'phone-templates'],
      ['/admin/templates/ai-inquiry', 'phone-template-edit'],
    ]) {
      await visit(page, path, name);
      expect({ path, sideways: await scrollsSideways(page) }).toEqual({ path, sideways: false });
    }
    await visit(page, `/cases/${caseId}/inquiries/new`);
    expect(await submit(page, 'Preview the letter')).toBe(200);
    await check(page, 'phone-inquiry-preview');
    await letterScreenshot(page, 'phone-inquiry-preview-letter');
    expect(await scrollsSideways(page)).toBe(false);

    const sysadmin = await signIn(SYSADMIN, 375);
    await visit(sysadmin, '/admin/queues', 'phone-queues');
    expect(await scrollsSideways(sysadmin)).toBe(false);
  });
});
