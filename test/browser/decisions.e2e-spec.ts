import { bearer, createTenant, tokenFor, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, scrollsSideways, submit, text } from './support.js';

const QUESTIONS = ['ai.collection.categories', 'ai.sources.origin', 'ai.storage_location.countries'];

describe('responses, outcomes, dashboard and coordination pages in headless Chromium', () => {
  let test: BuiltServer;
  let gpdp: Tenant;
  let organisationId: string;
  let kase: { id: string; reference: string };
  let inquiryId: string;
  const session = new BrowserSession(() => test.baseURL);
  const { visit, check } = session;
  const signIn = (role: string, width?: number) => session.signIn(`${role}@gpdp.test`, `${role}-password-123`, width);

  beforeAll(async () => {
    // 28 January 2025, 10:00 in Rome: the inquiry goes out.
    test = await startBuiltServer({
      clock: new Date('2025-01-28T09:00:00Z'),
      env: { TOKEN_TTL_MINUTES: String(60 * 24 * 30) },
    });
    await session.start();
    gpdp = await createTenant(test, 'GPDP');
    organisationId = await createProvider(test, gpdp.tokens.officer);
    kase = await createCase(test, gpdp, organisationId);
    const sent = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'en',
        to: ['dpo@provider.example'],
        questionIds: QUESTIONS,
        deadline: { count: 20, unit: 'calendar_days' },
      })
      .expect(202);
    inquiryId = sent.body.inquiry?.id ?? sent.body.id;
    // Six days later the reply is in (sessions last 30 days of the test clock).
    test.setClock(new Date('2025-02-03T15:00:00Z'));
    gpdp.tokens.officer = await tokenFor(test, 'officer@gpdp.test', 'officer-password-123');
  });

  afterAll(async () => {
    await session.close();
    await test?.close();
  });

  it('records a response question by question, a fine, shares the case, and the dashboard follows', async () => {
    const page = await signIn('manager');
    await visit(page, '/dashboard', 'decisions-dashboard-before');
    expect(await text(page, '#count-due30')).toBe('1');
    expect(await text(page, '#count-received')).toBe('0');
    expect(await page.locator('svg[role="img"] title').count()).toBe(2);

    await visit(page, `/cases/${kase.id}`);
    await Promise.all([
      page.waitForURL(`**/inquiries/${inquiryId}/responses/new`),
      page.getByRole('link', { name: /^Record a response to / }).click(),
    ]);
    await check(page, 'response-new');
    expect(await page.locator('fieldset.fieldset legend').count()).toBe(QUESTIONS.length);

    // A missing date: the form comes back with everything kept and the error by the field.
    await page.getByLabel('Date received').fill('');
    await page.getByLabel('Time received').fill('10:30');
    await page.getByLabel('Summary of the response').fill('The companies say the GDPR does not apply to them.');
    await page.locator('#response-answer-0').check();
    await page.locator('#response-answer-1-partial').check();
    await page.locator('#response-answer-2-refused').check();
    await page.locator('#response-note-1').fill('Names sources but no categories.');
    expect(await submit(page, 'Record the response')).toBe(400);
    await check(page, 'response-error');
    await expect(page.title()).resolves.toMatch(/^Error:/);
    await expect(page.locator('.error-summary a[href="#response-receivedDate"]').count()).resolves.toBe(1);
    await expect(page.locator('#response-receivedDate-error').textContent()).resolves.toContain(
      'Enter the date the response was received',
    );
    await expect(page.getByLabel('Summary of the response').inputValue()).resolves.toBe(
      'The companies say the GDPR does not apply to them.',
    );
    await expect(page.locator('#response-answer-1-partial').isChecked()).resolves.toBe(true);
    await expect(page.locator('#response-note-1').inputValue()).resolves.toBe('Names sources but no categories.');

    await page.getByLabel('Date received').fill('2025-02-03');
    expect(await submit(page, 'Record the response')).toBe(303);
    expect(page.url()).toContain(`/cases/${kase.id}`);
    await check(page, 'case-with-response');
    await expect(text(page, '.flash')).resolves.toBe('Response recorded: received on time.');
    await expect(text(page, '.summary .tag')).resolves.toBe('under review');
    const responses = page.locator('section', { has: page.getByRole('heading', { name: 'Responses', exact: true }) });
    await expect(responses.textContent()).resolves.toContain('on time');
    await expect(responses.locator('tbody tr').count()).resolves.toBe(QUESTIONS.length);
    await expect(responses.locator('tbody tr').nth(1).textContent()).resolves.toContain('partly answered');
    await expect(page.getByRole('button', { name: 'Send a follow-up on the 2 open questions' }).count()).resolves.toBe(
      1,
    );
    const deadlines = page.locator('section', { has: page.getByRole('heading', { name: 'Deadlines', exact: true }) });
    await expect(deadlines.locator('.tag').first().textContent()).resolves.toBe('met');

    // A fine without its currency: the error sits by the currency field, the amount stays.
    await Promise.all([
      page.waitForURL(`**/cases/${kase.id}/outcomes/new`),
      page.getByRole('link', { name: 'Record an outcome' }).first().click(),
    ]);
    await check(page, 'outcome-new');
    await page.getByLabel('Fine', { exact: true }).check();
    await page.getByLabel('Amount of the fine').fill('5000');
    await page.getByLabel('Summary of the decision').fill('Fine for not answering the storage question.');
    expect(await submit(page, 'Record the outcome')).toBe(400);
    await check(page, 'outcome-error');
    await expect(page.locator('.error-summary a[href="#outcome-fineCurrency"]').count()).resolves.toBe(1);
    await expect(page.locator('#outcome-fineCurrency-error').textContent()).resolves.toContain('currency');
    await expect(page.getByLabel('Amount of the fine').inputValue()).resolves.toBe('5000');
    await expect(page.getByLabel('Fine', { exact: true }).isChecked()).resolves.toBe(true);

    await page.getByLabel('Currency').fill('EUR');
    await page.locator('#outcome-complianceCount').fill('20');
    expect(await submit(page, 'Record the outcome')).toBe(303);
    await check(page, 'case-with-outcome');
    await expect(text(page, '.flash')).resolves.toMatch(/^Outcome recorded: fine of €5,000/);
    await expect(text(page, '.summary .tag')).resolves.toBe('decided');
    await expect(text(page, '.outcome h3')).resolves.toMatch(/^Fine: €5,000/);
    await expect(page.locator('.outcome').textContent()).resolves.toContain('Comply by');

    // Shared with the other authorities, it appears on the coordination page of its organisation.
    expect(await submit(page, 'Share with other authorities')).toBe(303);
    await expect(text(page, '.flash')).resolves.toBe(`Case ${kase.reference} is shared with other authorities.`);
    await visit(page, `/coordination?organisationId=${organisationId}`, 'coordination');
    const shared = page.locator('#shared-cases tbody tr');
    await expect(shared.count()).resolves.toBe(1);
    await expect(shared.first().textContent()).resolves.toContain(kase.reference);
    await expect(shared.first().textContent()).resolves.toContain('fine');

    await visit(page, '/dashboard', 'decisions-dashboard-after');
    expect(await text(page, '#count-due30')).toBe('1'); // the compliance deadline (20 days) in place of the met response deadline
    expect(await text(page, '#count-received')).toBe('1');
    expect(await text(page, '#count-on-time')).toBe('100%');
    expect(await text(page, '#count-median')).toBe('6');
    await expect(page.locator('svg[role="img"] title').first().textContent()).resolves.toContain('decided: 1');
  });

  it('creates and revokes the private calendar address on the profile page', async () => {
    const page = await signIn('officer');
    await visit(page, '/me', 'profile');
    expect(await submit(page, 'Create a new calendar address')).toBe(200);
    await check(page, 'profile-feed');
    const url = await page.getByLabel('Calendar address').inputValue();
    expect(url).toMatch(/\/ical\/[^/]+\.ics$/);
    const path = new URL(url).pathname;
    await test.http().get(path).expect(200);
    expect(await submit(page, 'Revoke the calendar address')).toBe(303);
    await expect(text(page, '.flash')).resolves.toContain('revoked');
    await test.http().get(path).expect(404);
  });

  it('fits a phone 375 px wide without sideways scrolling', async () => {
    const page = await signIn('manager', 375);
    for (const [path, name] of [
      ['/dashboard', 'phone-dashboard'],
      [`/cases/${kase.id}`, 'phone-case-decisions'],
      [`/coordination?organisationId=${organisationId}`, 'phone-coordination'],
      ['/me', 'phone-profile'],
      [`/inquiries/${inquiryId}/responses/new`, 'phone-response-new'],
      [`/cases/${kase.id}/outcomes/new`, 'phone-outcome-new'],
    ]) {
      await visit(page, path, name);
      expect({ path, sideways: await scrollsSideways(page) }).toEqual({ path, sideways: false });
    }
  });
});
