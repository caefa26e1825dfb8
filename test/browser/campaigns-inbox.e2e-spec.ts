import nodemailer, { type Transporter } from 'nodemailer';
import type { Page } from 'playwright-core';
import { bearer, createTenant, type Tenant } from '../support/app.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, scrollsSideways, submit, text } from './support.js';

const PROVIDERS = ['Alpha Chat Ltd', 'Beta Bots SpA', 'Gamma Models GmbH'];
const emailOf = (index: number) => `dpo@provider-${index}.example`;

describe('campaign and inbox pages in headless Chromium (real SMTP both ways)', () => {
  let sink: SmtpSink;
  let test: BuiltServer;
  let mailer: Transporter;
  let gpdp: Tenant;
  let campaignId: string;
  const session = new BrowserSession(() => test.baseURL);
  const { visit, check, signIn } = session;

  const signInAs = (tenant: 'gpdp' | 'pipc', role: string, width?: number) =>
    signIn(`${role}@${tenant}.test`, `${role}-password-123`, width);

  const count = async (page: Page, key: string) =>
    Number(await text(page, `#campaign-counts [data-count="${key}"] .count__number`));

  /** Reloads the campaign page until no letter is waiting or queued. */
  async function settled(page: Page): Promise<void> {
    const started = Date.now();
    for (;;) {
      await page.goto(`/campaigns/${campaignId}`);
      if ((await count(page, 'pending')) === 0 && (await count(page, 'queued')) === 0) return;
      if (Date.now() - started > 30_000)
        throw new Error(`campaign not settled: ${await text(page, '#campaign-counts')}`);
      await page.waitForTimeout(200);
    }
  }

  const rawMessage = (headers: Record<string, string>, body: string) =>
    `${Object.entries({
      'Message-ID': `<${Math.random().toString(36).slice(2)}@provider.example>`,
      Date: new Date().toUTCString(),
      'MIME-Version': '1.0',
      ...headers,
    })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n')}\r\n\r\n${body}`;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startBuiltServer({
      freePorts: ['INBOUND_SMTP_PORT'],
      env: { SMTP_URL: sink.url, MAIL_FROM: 'Garante <protocollo@gpdp.example>', INBOUND_DOMAINS: 'gpdp.example=GPDP' },
    });
    mailer = nodemailer.createTransport({
      host: '127.0.0.1',
      port: test.ports.INBOUND_SMTP_PORT,
      secure: false,
      ignoreTLS: true,
    });
    await session.start();
    gpdp = await createTenant(test, 'GPDP');
    await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    for (const [index, name] of PROVIDERS.entries()) {
      await test
        .http()
        .post('/api/v1/organisations')
        .set(bearer(gpdp.tokens.officer))
        .send({ name, country: 'IT', contacts: [{ name: 'DPO', email: emailOf(index), role: 'dpo' }] })
        .expect(201);
    }
    // The third provider's mail server refuses the letter until told otherwise.
    sink.refuseRecipients([emailOf(2)]);
  });

  afterAll(async () => {
    mailer?.close();
    await session.close();
    await test?.close();
    await sink?.stop();
  });

  it('starts a campaign from the form, shows each organisation’s progress and retries only the refused letter', async () => {
    const page = await signInAs('gpdp', 'officer');
    await visit(page, '/campaigns', 'campaigns-empty');
    await expect(text(page, 'main')).resolves.toContain('There are no campaigns yet.');
    await Promise.all([page.waitForURL('**/campaigns/new'), page.getByRole('link', { name: 'New campaign' }).click()]);
    await check(page, 'campaign-new');

    // Nothing chosen and no name: the form comes back with both errors and sends nothing.
    expect(await submit(page, 'Check the letters')).toBe(400);
    await check(page, 'campaign-new-error');
    await expect(page.title()).resolves.toMatch(/^Error:/);
    await expect(page.locator('.error-summary a[href="#campaign-title"]').count()).resolves.toBe(1);
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('Choose at least one organisation');
    expect(
      (await test.http().get('/api/v1/campaigns').set(bearer(gpdp.tokens.officer)).expect(200)).body.items,
    ).toHaveLength(0);

    await page.getByLabel('Name of the campaign').fill('Chatbot providers: training on user prompts');
    for (const name of PROVIDERS) await page.getByLabel(name).check();
    await page.getByLabel('Language of the letters').selectOption('en');
    // First what would be sent to whom: three letters, each organisation's address, the letter; nothing sent yet.
    expect(await submit(page, 'Check the letters')).toBe(200);
    await check(page, 'campaign-confirm');
    await expect(text(page, 'h1')).resolves.toBe('Check the campaign before you start it');
    await expect(text(page, '#campaign-letters')).resolves.toBe('3');
    const recipients = page.locator('#campaign-recipients tbody tr');
    await expect(recipients.count()).resolves.toBe(3);
    for (const [index, name] of PROVIDERS.entries())
      await expect(
        recipients.filter({ hasText: name }).locator('td[data-label="Letter to"]').textContent(),
      ).resolves.toBe(emailOf(index));
    await expect(text(page, '#letter .letter__subject')).resolves.not.toBe('');
    await expect(page.locator('#letter iframe').count()).resolves.toBe(1);
    expect(
      (await test.http().get('/api/v1/campaigns').set(bearer(gpdp.tokens.officer)).expect(200)).body.items,
    ).toHaveLength(0);
    expect(PROVIDERS.flatMap((_, index) => sink.to(emailOf(index)))).toHaveLength(0);
    expect(await submit(page, 'Start the campaign: send 3 letters')).toBe(303);
    campaignId = /\/campaigns\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
    expect(campaignId).not.toBe('');
    await expect(text(page, '.flash')).resolves.toBe(
      'Campaign “Chatbot providers: training on user prompts” started: 3 letters are being sent.',
    );

    await settled(page);
    await check(page, 'campaign-partly-failed');
    expect(await count(page, 'total')).toBe(3);
    expect(await count(page, 'sent')).toBe(2);
    expect(await count(page, 'failed')).toBe(1);
    const rows = page.locator('#campaign-targets tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    const refused = rows.filter({ hasText: PROVIDERS[2] });
    await expect(refused.locator('.tag').first().textContent()).resolves.toBe('failed');
    await expect(refused.locator('.error-text').textContent()).resolves.toMatch(/refus|unavailable|550/i);
    for (const name of PROVIDERS.slice(0, 2))
      await expect(rows.filter({ hasText: name }).locator('.tag').first().textContent()).resolves.toBe('sent');
    await expect(rows.filter({ hasText: PROVIDERS[0] }).locator('a[href^="/cases/"]').textContent()).resolves.toMatch(
      /^GPDP-\d{4}-\d{4}$/,
    );
    await expect(rows.first().locator('td[data-label="Response due"] time').getAttribute('datetime')).resolves.toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );

    // The provider's server accepts again: the retry sends only the refused letter.
    sink.acceptRecipients();
    const delivered = sink.received.length;
    expect(await submit(page, 'Retry the 1 failed organisation')).toBe(303);
    await expect(text(page, '.flash')).resolves.toBe('1 organisation is sent the letter again.');
    await settled(page);
    expect(await count(page, 'sent')).toBe(3);
    expect(await count(page, 'failed')).toBe(0);
    await expect(page.getByRole('button', { name: /^Retry the/ }).count()).resolves.toBe(0);
    const lettersSince = () =>
      sink.received
        .slice(delivered)
        .flatMap((mail) => mail.envelopeTo)
        .filter((address) => address.startsWith('dpo@provider-'));
    const deadline = Date.now() + 10_000;
    while (lettersSince().length === 0 && Date.now() < deadline) await page.waitForTimeout(100);
    expect(lettersSince()).toEqual([emailOf(2)]);
    expect(sink.received.filter((mail) => mail.envelopeTo.includes(emailOf(0)))).toHaveLength(1);

    await visit(page, '/campaigns', 'campaigns-list');
    const listed = page.locator('#campaigns tbody tr');
    await expect(listed.count()).resolves.toBe(1);
    await expect(listed.first().locator('[data-count="sent"] strong').textContent()).resolves.toBe('3');

    // A viewer reads the progress but has no form to start or retry.
    const viewer = await signInAs('gpdp', 'viewer');
    await visit(viewer, `/campaigns/${campaignId}`);
    await expect(viewer.getByRole('link', { name: 'New campaign' }).count()).resolves.toBe(0);
    expect((await viewer.goto('/campaigns/new'))?.status()).toBe(403);
  }, 180_000); // the form, the confirmation with its letter, the start and a retry: slow on a loaded machine

  it('shows another authority’s campaign to nobody', async () => {
    const page = await signInAs('pipc', 'manager');
    await visit(page, '/campaigns');
    await expect(page.locator('#campaigns').count()).resolves.toBe(0);
    await visit(page, `/campaigns/${campaignId}`, undefined, 404);
  });

  it('files a draft reply on its case, confirms it as the response, and triages a message that matched nothing', async () => {
    const campaign = (
      await test.http().get(`/api/v1/campaigns/${campaignId}`).set(bearer(gpdp.tokens.officer)).expect(200)
    ).body as { targets: { organisationName: string; caseId: string; caseReference: string; inquiryId: string }[] };
    const [first, second] = PROVIDERS.map((name) =>
      campaign.targets.find((target) => target.organisationName === name)!,
    );
    const inquiry = (
      await test.http().get(`/api/v1/inquiries/${first.inquiryId}`).set(bearer(gpdp.tokens.officer)).expect(200)
    ).body as { replyTo: string; messageId: string; questions: unknown[] };

    // A reply to the inquiry's own address, with HTML that must never run; and a letter to the general address.
    const html =
      '<p>We train only on <b>opted-in</b> prompts.</p><script>document.title = "owned"</script><img src="x" onerror="document.title = \'owned\'">';
    await mailer.sendMail({
      envelope: { from: 'dpo@provider-0.example', to: [inquiry.replyTo] },
      raw: rawMessage(
        {
          From: 'DPO <dpo@provider-0.example>',
          To: inquiry.replyTo,
          Subject: 'Our answers on training',
          'In-Reply-To': inquiry.messageId,
          'Content-Type': 'text/html; charset=utf-8',
        },
        html,
      ),
    });
    await mailer.sendMail({
      envelope: { from: 'legal@provider-1.example', to: ['protocollo@gpdp.example'] },
      raw: rawMessage(
        {
          From: 'Legal <legal@provider-1.example>',
          To: 'protocollo@gpdp.example',
          Subject: 'Regarding your letter',
          'Content-Type': 'text/plain; charset=utf-8',
        },
        `About ${second.caseReference}: our answers follow within the week.`,
      ),
    });

    const page = await signInAs('gpdp', 'officer');
    await visit(page, `/cases/${first.caseId}`, 'case-with-draft-reply');
    const received = page.locator('section', { has: page.getByRole('heading', { name: 'Received by e-mail' }) });
    await expect(received.locator('.tag').first().textContent()).resolves.toBe('draft reply');
    await expect(received.locator('pre').first().textContent()).resolves.toContain(
      'We train only on opted-in prompts.',
    );
    await Promise.all([
      page.waitForURL('**/confirm'),
      received.getByRole('link', { name: /^Confirm as response/ }).click(),
    ]);
    await check(page, 'inbox-confirm');
    await expect(page.title()).resolves.not.toBe('owned');
    await expect(page.locator('iframe.letter__frame').getAttribute('sandbox')).resolves.toBe('');
    await expect(page.locator('iframe.letter__frame').getAttribute('srcdoc')).resolves.not.toMatch(/<script|onerror/i);
    await expect(page.locator('fieldset.fieldset legend').count()).resolves.toBe(inquiry.questions.length);

    // An assessment left out: the form comes back with the error by the question, and records nothing.
    for (let index = 1; index < inquiry.questions.length; index++)
      await page.locator(`#confirm-answer-${index}-partial`).check();
    await page.getByLabel('Summary of the response').fill('Training only on opted-in prompts; nothing on storage.');
    expect(await submit(page, 'Confirm as the response')).toBe(400);
    await check(page, 'inbox-confirm-error');
    await expect(page.locator('.error-summary a[href="#confirm-answer-0"]').count()).resolves.toBe(1);
    await expect(page.getByLabel('Summary of the response').inputValue()).resolves.toBe(
      'Training only on opted-in prompts; nothing on storage.',
    );
    await expect(page.locator('#confirm-answer-1-partial').isChecked()).resolves.toBe(true);
    const before = (await test.http().get(`/api/v1/cases/${first.caseId}`).set(bearer(gpdp.tokens.officer)).expect(200))
      .body as { responses: unknown[] };
    expect(before.responses).toHaveLength(0);

    await page.locator('#confirm-answer-0').check();
    expect(await submit(page, 'Confirm as the response')).toBe(303);
    await check(page, 'case-reply-confirmed');
    await expect(text(page, '.flash')).resolves.toBe('E-mail confirmed as the response: received on time.');
    await expect(text(page, '.summary .tag')).resolves.toBe('under review');
    await expect(received.locator('.tag').first().textContent()).resolves.toBe('confirmed as response');

    // The letter to the general address waits in the inbox; filed by the case reference, it becomes that case's draft.
    await visit(page, '/inbox', 'inbox');
    const triage = page.locator('#inbox tbody tr');
    await expect(triage.count()).resolves.toBe(1);
    await expect(triage.first().textContent()).resolves.toContain(`About ${second.caseReference}`);
    await Promise.all([
      page.waitForURL('**/inbox/*'),
      triage.first().getByRole('link', { name: 'Regarding your letter' }).click(),
    ]);
    await check(page, 'inbox-message');
    await page.getByLabel('Case reference').fill('GPDP-1999-0001');
    expect(await submit(page, 'File to the case')).toBe(400);
    await check(page, 'inbox-message-error');
    await expect(page.locator('#assign-reference-error').textContent()).resolves.toContain(
      'There is no case GPDP-1999-0001 in your authority',
    );
    await page.getByLabel('Case reference').fill(second.caseReference);
    expect(await submit(page, 'File to the case')).toBe(303);
    expect(page.url()).toContain(`/cases/${second.caseId}`);
    await expect(text(page, '.flash')).resolves.toBe(
      `Message filed to case ${second.caseReference} as a draft reply: confirm it to record the response.`,
    );
    await expect(
      page
        .locator('section', { has: page.getByRole('heading', { name: 'Received by e-mail' }) })
        .locator('.tag')
        .first()
        .textContent(),
    ).resolves.toBe('draft reply');
    await visit(page, '/inbox');
    await expect(text(page, 'main')).resolves.toContain('Nothing to triage.');

    // Another authority's staff see neither the inbox's messages nor a message's page.
    const messages = (await test.http().get('/api/v1/inbound').set(bearer(gpdp.tokens.officer)).expect(200)).body as {
      id: string;
    }[];
    const pipcPage = await signInAs('pipc', 'officer');
    await visit(pipcPage, '/inbox');
    await expect(text(pipcPage, 'main')).resolves.toContain('Nothing to triage.');
    for (const message of messages) await visit(pipcPage, `/inbox/${message.id}`, undefined, 404);
  });

  it('fits a phone 375 px wide without sideways scrolling', async () => {
    const page = await signInAs('gpdp', 'manager', 375);
    const messages = (await test.http().get('/api/v1/inbound').set(bearer(gpdp.tokens.officer)).expect(200)).body as {
      id: string;
    }[];
    for (const [path, name] of [
      ['/campaigns', 'phone-campaigns'],
      ['/campaigns/new', 'phone-campaign-new'],
      [`/campaigns/${campaignId}`, 'phone-campaign'],
      ['/inbox', 'phone-inbox'],
      [`/inbox/${messages[0].id}`, 'phone-inbox-message'],
    ]) {
      await visit(page, path, name);
      expect({ path, sideways: await scrollsSideways(page) }).toEqual({ path, sideways: false });
    }
  });
});
