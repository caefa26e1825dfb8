import { DataSource } from 'typeorm';
import { Clock } from '#docket/platform';
import { bearer, createTenant, startTestApp, tokenFor, type TestApp } from './support/app.js';
import { cookieHeader, loginForm } from './support/page-session.js';
import { SmtpSink } from './support/smtp-sink.js';

/** The real time, moved by `shiftMs` (to see a lock end without waiting for it). */
class ShiftedClock extends Clock {
  shiftMs = 0;
  now(): Date {
    return new Date(Date.now() + this.shiftMs);
  }
}

describe('sign-in throttling per account (PostgreSQL) and per client address', () => {
  const clock = new ShiftedClock();
  let sink: SmtpSink;
  let test: TestApp;
  let other: TestApp;
  let db: DataSource;
  const officer = { email: 'officer@gpdp.test', password: 'officer-password-123' };
  const token = (app: TestApp, email: string, password: string) =>
    app.http().post('/api/v1/auth/token').send({ email, password });
  const lockMails = () => sink.to(officer.email).filter((mail) => /locked/i.test(mail.parsed.subject ?? ''));

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    const env = { SMTP_URL: sink.url, LOGIN_ATTEMPTS_PER_MINUTE: '70' };
    test = await startTestApp({ clock, env });
    db = test.app.get(DataSource);
    await createTenant(test, 'GPDP');
    // A second API process on the same database: the per-account count is shared through PostgreSQL.
    other = await startTestApp({ clock, env, database: test.database });
  });
  afterAll(async () => {
    await other.close();
    await test.close();
    await sink.stop();
  });

  it('locks an account after ten wrong passwords from any process, refuses even the right one, and tells the owner once', async () => {
    for (let attempt = 1; attempt <= 9; attempt++)
      await token(attempt % 2 ? test : other, officer.email, `wrong-${attempt}`).expect(401);
    const locked = await token(other, officer.email, 'wrong-10').expect(429);
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(locked.body.detail).toMatch(/locked until \d\d:\d\d UTC/);

    // Locked in both processes, even with the right password; other accounts are not affected.
    await token(test, officer.email, officer.password).expect(429);
    await token(other, officer.email, officer.password).expect(429);
    await token(test, 'manager@gpdp.test', 'manager-password-123').expect(200);

    // The owner gets one mail, however many more attempts follow.
    await sink.waitFor(() => lockMails().length === 1);
    for (let attempt = 0; attempt < 5; attempt++) await token(test, officer.email, 'still-wrong').expect(429);
    expect(lockMails()).toHaveLength(1);
    expect(lockMails()[0].parsed.text).toContain('10 times');

    // After the lock, the right password works again and the count starts over.
    clock.shiftMs += 16 * 60_000;
    await token(test, officer.email, officer.password).expect(200);
    expect(await db.query(`SELECT count(*)::int AS n FROM login_throttles WHERE email = $1`, [officer.email])).toEqual([
      { n: 0 },
    ]);
    await token(test, officer.email, 'wrong-again').expect(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lockMails()).toHaveLength(1);
  });

  it('tells the owner of a locked account in the language they read Docket in', async () => {
    const viewer = { email: 'viewer@gpdp.test', password: 'viewer-password-123' };
    const signedIn = await tokenFor(test, viewer.email, viewer.password);
    await test.http().patch('/api/v1/me').set(bearer(signedIn)).send({ language: 'ja' }).expect(200);
    for (let attempt = 1; attempt <= 9; attempt++) await token(test, viewer.email, `falsch-${attempt}`).expect(401);
    await token(test, viewer.email, 'falsch-10').expect(429);
    await sink.waitFor(() => sink.to(viewer.email).length === 1);
    const [mail] = sink.to(viewer.email);
    expect(mail.parsed.subject).toBe('Docketアカウントが一時的にロックされました');
    expect(mail.parsed.text).toMatch(
      /誤ったパスワードが10回入力されたため、\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d\d（UTC）までログインをロックしました。/,
    );
    expect(mail.parsed.text).not.toMatch(/wrong password|locked until/);
  });

  it('locks an unknown address the same way (the lock tells nothing about which accounts exist) and mails nobody', async () => {
    const mailsBefore = sink.received.length;
    for (let attempt = 1; attempt <= 9; attempt++)
      await token(test, 'nobody@gpdp.test', `wrong-${attempt}`).expect(401);
    await token(test, 'nobody@gpdp.test', 'wrong-10').expect(429);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.received.length).toBe(mailsBefore);
  });

  it('answers the sign-in page with the form and a message when the account is locked', async () => {
    const manager = { email: 'manager@gpdp.test', password: 'manager-password-123' };
    for (let attempt = 1; attempt <= 10; attempt++)
      await token(other, manager.email, `wrong-${attempt}`).expect(attempt < 10 ? 401 : 429);
    const { csrf, jar } = await loginForm(test);
    const page = await test
      .http()
      .post('/login')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrf, email: manager.email, password: manager.password })
      .expect(429);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('<form method="post" action="/login"');
    expect(page.text).toMatch(
      /Too many wrong passwords for this account: signing in is locked until \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    expect(page.text).toContain(`value="${manager.email}"`);
    expect(page.headers['set-cookie'] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringContaining('docket_session=')]),
    );
  });

  it('answers the sign-in page with the form and a message when this address made too many attempts, the API with problem+json', async () => {
    // Each attempt for another address, so that no account lock interferes.
    let status = 0;
    for (let attempt = 0; attempt < 80 && status !== 429; attempt++)
      status = (await token(test, `someone-${attempt}@elsewhere.test`, 'x')).status;
    expect(status).toBe(429);
    const refused = await token(test, 'viewer@gpdp.test', 'viewer-password-123').expect(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.detail).toContain('from this address');
    const { csrf, jar } = await loginForm(test);
    const page = await test
      .http()
      .post('/login')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrf, email: 'viewer@gpdp.test', password: 'viewer-password-123' })
      .expect(429);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('Too many sign-in attempts from your network');
    expect(page.text).toContain('<form method="post" action="/login"');
  });
});
