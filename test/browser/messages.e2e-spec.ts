import { bearer, createTenant, tokenFor, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, submit, text, watchConsole } from './support.js';

const QUESTIONS = ['ai.collection.categories', 'ai.sources.origin', 'ai.storage_location.countries'];
const DPO = 'dpo@provider.example';
/** A browser, a built server and mail round trips per test, on a shared two-core machine. */
const SLOW = 180_000;

/** Messages for people and letters that leave only on confirmation, on the built server with a real SMTP sink. */
describe('messages people can act on, and letters sent only once confirmed (headless Chromium, built server)', () => {
  let sink: SmtpSink;
  let test: BuiltServer;
  let gpdp: Tenant;
  let kase: { id: string; reference: string };
  let inquiryId: string;
  const session = new BrowserSession(() => test.baseURL);
  const { check } = session;
  const signIn = (role: string) => session.signIn(`${role}@gpdp.test`, `${role}-password-123`);

  const inquiriesOfCase = async () =>
    (await test.http().get(`/api/v1/cases/${kase.id}`).set(bearer(gpdp.tokens.officer)).expect(200)).body.inquiries as {
      id: string;
      subject: string;
    }[];

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    // 28 January 2025, 10:00 in Rome: the inquiry goes out.
    test = await startBuiltServer({
      clock: new Date('2025-01-28T09:00:00Z'),
      env: {
        SMTP_URL: sink.url,
        MAIL_FROM: 'Garante <protocollo@gpdp.example>',
        TOKEN_TTL_MINUTES: String(60 * 24 * 30),
      },
    });
    await session.start();
    gpdp = await createTenant(test, 'GPDP');
    const organisationId = await createProvider(test, gpdp.tokens.officer);
    kase = await createCase(test, gpdp, organisationId);
    const sent = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'en',
        to: [DPO],
        questionIds: QUESTIONS,
        deadline: { count: 20, unit: 'calendar_days' },
      })
      .expect(202);
    inquiryId = sent.body.inquiry?.id ?? sent.body.id;
    await sink.waitFor(() => sink.to(DPO).length === 1, 30_000);
    // Six days later the reply is in.
    test.setClock(new Date('2025-02-03T15:00:00Z'));
    gpdp.tokens.officer = await tokenFor(test, 'officer@gpdp.test', 'officer-password-123');
  }, SLOW);

  afterAll(async () => {
    await session.close();
    await test?.close();
    await sink?.stop();
  });

  it(
    'names the field as the form labels it and shows the date in the authority’s zone and words',
    async () => {
      const page = await signIn('officer');
      const errors = watchConsole(page);
      await page.goto(`/inquiries/${inquiryId}/responses/new`);
      // Received the day before the letter left: the domain refuses it, in the form's words.
      await page.getByLabel('Date received').fill('2025-01-27');
      await page.getByLabel('Time received').fill('10:30');
      await page.getByLabel('Summary of the response').fill('An answer dated before our letter.');
      for (let index = 0; index < QUESTIONS.length; index++) await page.locator(`#response-answer-${index}`).check();
      expect(await submit(page, 'Record the response')).toBe(400);
      await check(page, 'messages-response-before-letter');
      const message = await text(page, '#response-receivedDate-error');
      // Italian authority: its zone (CET) and its words for the month.
      expect(message).toBe('Error: Date received is before the inquiry was sent (28 Jan 2025, 10:00 CET)');
      await expect(text(page, '.error-summary a[href="#response-receivedDate"]')).resolves.toBe(
        'Date received is before the inquiry was sent (28 Jan 2025, 10:00 CET)',
      );
      expect(await page.locator('main').textContent()).not.toMatch(/receivedAt|\d{4}-\d{2}-\d{2}T|\/api\//);
      // The form comes back with status 400, which the browser logs; nothing else may reach the console.
      expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
    },
    SLOW,
  );

  it(
    'shows a follow-up and sends it only on confirmation (nothing reaches the mail server before)',
    async () => {
      const page = await signIn('officer');
      await page.goto(`/inquiries/${inquiryId}/responses/new`);
      await page.getByLabel('Date received').fill('2025-02-03');
      await page.getByLabel('Time received').fill('10:30');
      await page.getByLabel('Summary of the response').fill('Two questions left open.');
      await page.locator('#response-answer-0').check();
      await page.locator('#response-answer-1-partial').check();
      await page.locator('#response-answer-2-refused').check();
      expect(await submit(page, 'Record the response')).toBe(303);

      // The case page's button shows what would be sent to whom; nothing is sent.
      expect(await submit(page, 'Send a follow-up on the 2 open questions')).toBe(200);
      await check(page, 'messages-follow-up-confirm');
      await expect(text(page, 'h1')).resolves.toBe('Check the follow-up before you send it');
      const summary = page.locator('dl.summary').first();
      await expect(
        summary.locator('.summary__row', { hasText: 'To' }).first().locator('dd').textContent(),
      ).resolves.toBe(DPO);
      await expect(
        summary.locator('.summary__row', { hasText: 'Response due' }).locator('dd time').first().textContent(),
      ).resolves.toBe('Monday, 24 February 2025');
      await expect(summary.locator('ol.questions li').count()).resolves.toBe(2);
      const subject = await text(page, '#letter .letter__subject');
      expect(subject).toContain(kase.reference);
      await expect(page.locator('#letter iframe').count()).resolves.toBe(1);
      expect(await inquiriesOfCase()).toHaveLength(1);
      // The organisation has had the inquiry and, since its response was recorded, the acknowledgement of it.
      const letters = () =>
        sink.to(DPO).filter((mail) => !String(mail.parsed.subject).startsWith('Acknowledgement of your reply'));

      // A confirmation of something else than what was shown sends nothing and shows the letter again.
      await page
        .locator('input[name="confirm"]')
        .evaluate((input: { value: string }) => (input.value = 'not-what-was-shown'));
      expect(await submit(page, 'Send the follow-up')).toBe(409);
      await check(page);
      await expect(text(page, '.error-summary h2')).resolves.toBe('The follow-up has changed');
      expect(await inquiriesOfCase()).toHaveLength(1);
      expect(letters()).toHaveLength(1);

      // Confirmed: the letter leaves, as shown.
      expect(await submit(page, 'Send the follow-up')).toBe(303);
      await expect(text(page, '.flash')).resolves.toBe(
        'Follow-up inquiry queued on 2 open questions. The response is due Monday, 24 February 2025.',
      );
      expect(await inquiriesOfCase()).toHaveLength(2);
      await sink.waitFor(() => letters().length === 2, 30_000);
      expect(letters()[1].parsed.subject).toBe(subject);
    },
    SLOW,
  );

  it(
    'warns above the send button that the due date is over before the send is refused',
    async () => {
      const page = await signIn('officer');
      await page.goto(`/cases/${kase.id}/inquiries/new`);
      await page.locator('#inquiry-mode-date').check();
      await page.getByLabel('Due date', { exact: true }).fill('2025-01-31');
      expect(await submit(page, 'Preview the letter')).toBe(200);
      await check(page, 'messages-preview-past-due');
      const warning = page.locator('#send-form #due-warning');
      await expect(warning.textContent()).resolves.toMatch(
        /The due date has already passed\..*Friday, 31 January 2025, which is over/,
      );
      // Above the button, inside the form that sends.
      const order = await page.evaluate(() => {
        const doc = (
          globalThis as unknown as {
            document: { querySelector(selector: string): { compareDocumentPosition(other: unknown): number } };
          }
        ).document;
        return doc.querySelector('#due-warning').compareDocumentPosition(doc.querySelector('#send-form button.button'));
      });
      expect(order & 4).toBe(4);

      // Sending anyway is refused, by the due date field and in words, and nothing leaves.
      const before = sink.to(DPO).length;
      const letters = (await inquiriesOfCase()).length;
      expect(await submit(page, 'Send the inquiry')).toBe(400);
      await check(page, 'messages-send-past-due');
      await expect(text(page, '#inquiry-dueDate-error')).resolves.toBe(
        'Error: The due instant 31 Jan 2025, 23:59 CET has already passed',
      );
      expect(await inquiriesOfCase()).toHaveLength(letters);
      expect(sink.to(DPO)).toHaveLength(before);

      // A due date ahead: no warning.
      await page.getByLabel('Due date', { exact: true }).fill('2025-03-03');
      expect(await submit(page, 'Preview the letter')).toBe(200);
      await expect(page.locator('#due-warning').count()).resolves.toBe(0);
    },
    SLOW,
  );
});
