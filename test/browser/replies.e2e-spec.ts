import nodemailer, { type Transporter } from 'nodemailer';
import { bearer, createTenant, type Tenant } from '../support/app.js';
import { createProvider } from '../support/fixtures.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { BrowserSession, screenshot, scrollsSideways } from './support.js';

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('replies by e-mail are seen, in headless Chromium (built server, real SMTP)', () => {
  let sink: SmtpSink;
  let server: BuiltServer;
  let mailer: Transporter;
  let gpdp: Tenant;
  let organisationId: string;
  const session = new BrowserSession(() => server.baseURL);
  const { check, visit, signIn: signedIn } = session;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    server = await startBuiltServer({
      freePorts: ['INBOUND_SMTP_PORT'],
      env: { SMTP_URL: sink.url, MAIL_FROM: 'Garante <protocollo@gpdp.example>', INBOUND_DOMAINS: 'gpdp.example=GPDP' },
    });
    mailer = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.ports.INBOUND_SMTP_PORT,
      secure: false,
      ignoreTLS: true,
    });
    await session.start();
    gpdp = await createTenant(server, 'GPDP');
    organisationId = await createProvider(server, gpdp.tokens.officer);
  });

  afterAll(async () => {
    await session.close();
    mailer?.close();
    await server?.close();
    await sink?.stop();
  });

  it('a reply by SMTP shows with a badge and under Replies to review, holds the chaser, and is filed as an extension request', async () => {
    const kase = (
      await server
        .http()
        .post('/api/v1/cases')
        .set(bearer(gpdp.tokens.officer))
        .send({
          organisationId,
          title: 'Voice assistant recordings',
          type: 'ex_officio',
          assigneeId: gpdp.userIds.officer,
        })
        .expect(201)
    ).body as { id: string; reference: string };
    const created = await server
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'en',
        to: ['dpo@provider.example'],
        deadline: { dueAt: inSeconds(3 * 3600) },
        reminders: [
          { offset: '-PT1H', audience: 'respondent' },
          { offset: '-PT30M', audience: 'assignee' },
        ],
      })
      .expect(202);
    const deadlineId = created.body.deadline.id as string;
    await sink.waitFor((received) =>
      received.some(
        (mail) =>
          mail.envelopeTo.includes('dpo@provider.example') && (mail.parsed.subject ?? '').includes(kase.reference),
      ),
    );

    const officer = await signedIn('officer@gpdp.test', 'officer-password-123');
    await expect(
      officer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox', exact: true }).count(),
    ).resolves.toBe(1);

    // The provider asks for more time, quoting the case reference (no reply token): it matches the case's inquiry.
    const subject = `Re: ${kase.reference} – request for an extension`;
    const raw = [
      `Message-ID: <ext-${Date.now()}@provider.example>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'From: DPO <dpo@provider.example>',
      'To: protocollo@gpdp.example',
      `Subject: ${subject}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'We kindly ask for four more weeks: our engineering team is collecting the training-data records.',
    ].join('\r\n');
    expect(
      (await mailer.sendMail({ envelope: { from: 'dpo@provider.example', to: ['protocollo@gpdp.example'] }, raw }))
        .response,
    ).toMatch(/^250 /);

    // The assignee's notice, linking to the message on this server.
    await sink.waitFor(() =>
      sink.to('officer@gpdp.test').some((mail) => (mail.parsed.subject ?? '').endsWith(`: ${subject}`)),
    );
    const notice = sink.to('officer@gpdp.test').find((mail) => (mail.parsed.subject ?? '').endsWith(`: ${subject}`))!;
    const link = new RegExp(`https?://[^\\s/]+:${server.port}/inbox/([0-9a-f-]{36})`).exec(notice.parsed.text ?? '');
    expect(link).not.toBeNull();
    const messageId = link![1];

    // The badge on the Inbox link and the reply under "Replies to review".
    await visit(officer, '/dashboard');
    const inbox = officer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox 1 to review' });
    await expect(inbox.count()).resolves.toBe(1);
    await Promise.all([officer.waitForURL('**/inbox'), inbox.click()]);
    await check(officer);
    const row = officer.locator('#replies-to-review tbody tr', { hasText: kase.reference });
    await expect(row.getByRole('link', { name: subject }).getAttribute('href')).resolves.toBe(`/inbox/${messageId}`);
    await screenshot(officer, 'replies-to-review');

    // The deadline says a reply awaits assessment; the chaser is held, the officer's reminder is not.
    await visit(officer, `/deadlines/${deadlineId}`);
    await expect(officer.locator('.summary').textContent()).resolves.toContain('reply received, to be assessed');
    const reminders = officer.locator('#reminders-title + table tbody tr');
    await expect(reminders.nth(0).textContent()).resolves.toMatch(/the organisation \(chaser letter\)[\s\S]*held/);
    await expect(reminders.nth(1).textContent()).resolves.toMatch(/the assigned officer[\s\S]*scheduled/);

    // At 375 px the inbox does not scroll sideways.
    const phone = await signedIn('officer@gpdp.test', 'officer-password-123', 375);
    await visit(phone, '/inbox');
    expect(await scrollsSideways(phone)).toBe(false);

    // Filed as an extension request: the extend form opens with the request quoted.
    await visit(officer, `/inbox/${messageId}`);
    await Promise.all([
      officer.waitForURL(`**/deadlines/${deadlineId}?extension-request=${messageId}*`),
      officer.getByRole('button', { name: 'File as an extension request' }).click(),
    ]);
    await expect(officer.locator('.flash').textContent()).resolves.toContain('filed as an extension request');
    await check(officer);
    const reason = await officer.locator('#extend-form').getByLabel('Reason').inputValue();
    expect(reason).toContain('"DPO" <dpo@provider.example>');
    expect(reason).toContain(subject);
    expect(reason).toContain('four more weeks');
    await expect(officer.locator('.summary').textContent()).resolves.not.toContain('reply received, to be assessed');
    await expect(reminders.nth(0).textContent()).resolves.toMatch(/the organisation \(chaser letter\)[\s\S]*scheduled/);
    await officer.locator('#extend-form').getByLabel('Number').fill('28');
    await Promise.all([
      officer.waitForURL(`**/deadlines/${deadlineId}`),
      officer.getByRole('button', { name: 'Extend deadline' }).click(),
    ]);
    await expect(officer.locator('.flash').textContent()).resolves.toContain('Deadline extended');
    await expect(officer.locator('main').textContent()).resolves.toContain('Extension requested by e-mail');

    // No reply waits any more: no badge; the message is on the case as an extension request, not a response.
    await expect(
      officer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox', exact: true }).count(),
    ).resolves.toBe(1);
    const file = (await server.http().get(`/api/v1/cases/${kase.id}`).set(bearer(gpdp.tokens.viewer)).expect(200)).body;
    expect(file.responses).toEqual([]);
    expect(file.inbound).toEqual([expect.objectContaining({ id: messageId, status: 'extension_request' })]);
  }, 120_000);
});
