import request from 'supertest';
import { DataSource } from 'typeorm';
import { PASSWORD_RULE } from '#docket/identity';
import {
  bearer,
  createTenant,
  startTestApp,
  sysadminToken,
  tokenFor,
  type Tenant,
  type TestApp,
} from './support/app.js';
import { SmtpSink } from './support/smtp-sink.js';

type Agent = ReturnType<typeof request.agent>;

/** A browser's session: signs in through the sign-in form (CSRF token included) and keeps the cookie. */
async function signInPage(test: TestApp, email: string, password: string): Promise<Agent> {
  const agent = request.agent(test.app.getHttpServer());
  const form = await agent.get('/login').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
  await agent.post('/login').type('form').send({ email, password, _csrf: csrf }).expect(303);
  await agent.get('/dashboard').expect(200);
  return agent;
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe('people: roles, deactivation, passwords and reset links', () => {
  let sink: SmtpSink;
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let counter = 0;

  const db = () => test.app.get(DataSource);
  const auditActions = async (token: string) =>
    (await test.http().get('/api/v1/audit?sort=seq').set(bearer(token)).expect(200)).body.items as {
      action: string;
      entityId: string;
      before: unknown;
      after: unknown;
    }[];

  /** A fresh user of an authority (so tests do not depend on each other's changes). */
  async function person(tenant: Tenant, role: 'admin' | 'manager' | 'officer' | 'viewer') {
    counter += 1;
    const email = `${role}${counter}@${tenant.code.toLowerCase()}.test`;
    const password = `first-secret-${counter}-pass`;
    const created = await test
      .http()
      .post('/api/v1/users')
      .set(bearer(tenant.tokens.admin))
      .send({ email, name: `Person ${counter}`, password, role, authority: tenant.code, language: 'en' })
      .expect(201);
    return { id: created.body.id as string, email, password, token: await tokenFor(test, email, password) };
  }

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({ env: { SMTP_URL: sink.url, PUBLIC_URL: 'http://docket.test' } });
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
  });
  afterAll(async () => {
    await test.close();
    await sink.stop();
  });

  describe('PATCH /api/v1/users/{id}', () => {
    it("changes a role, ends the person's tokens and web sessions at once, and audits it", async () => {
      const officer = await person(gpdp, 'officer');
      const browser = await signInPage(test, officer.email, officer.password);
      const changed = await test
        .http()
        .patch(`/api/v1/users/${officer.id}`)
        .set(bearer(gpdp.tokens.admin))
        .send({ role: 'manager' })
        .expect(200);
      expect(changed.body).toMatchObject({ id: officer.id, role: 'manager', active: true });
      await test.http().get('/api/v1/me').set(bearer(officer.token)).expect(401);
      const page = await browser.get('/dashboard').expect(303);
      expect(page.headers.location).toMatch(/^\/login/);
      const fresh = await tokenFor(test, officer.email, officer.password);
      expect((await test.http().get('/api/v1/me').set(bearer(fresh)).expect(200)).body.role).toBe('manager');
      const event = (await auditActions(gpdp.tokens.admin)).find(
        (item) => item.action === 'user.role_changed' && item.entityId === officer.id,
      );
      expect(event).toMatchObject({ before: { role: 'officer' }, after: { role: 'manager', endedSessions: 2 } });
      expect(
        (await test.http().get('/api/v1/audit/verify').set(bearer(gpdp.tokens.admin)).expect(200)).body.valid,
      ).toBe(true);
    });

    it('deactivates: the token and the cookie are refused at once, sign-in too; reactivation lets the person sign in again', async () => {
      const viewer = await person(gpdp, 'viewer');
      const browser = await signInPage(test, viewer.email, viewer.password);
      await test
        .http()
        .patch(`/api/v1/users/${viewer.id}`)
        .set(bearer(gpdp.tokens.admin))
        .send({ active: false })
        .expect(200);
      await test.http().get('/api/v1/cases').set(bearer(viewer.token)).expect(401);
      expect((await browser.get('/cases').expect(303)).headers.location).toMatch(/^\/login/);
      await test.http().post('/api/v1/auth/token').send({ email: viewer.email, password: viewer.password }).expect(401);
      const listed = (await test.http().get('/api/v1/users').set(bearer(gpdp.tokens.admin)).expect(200)).body.find(
        (user: { id: string }) => user.id === viewer.id,
      );
      expect(listed.active).toBe(false);

      await test
        .http()
        .patch(`/api/v1/users/${viewer.id}`)
        .set(bearer(gpdp.tokens.admin))
        .send({ active: true })
        .expect(200);
      await test.http().get('/api/v1/cases').set(bearer(viewer.token)).expect(401);
      await tokenFor(test, viewer.email, viewer.password);
      const actions = (await auditActions(gpdp.tokens.admin))
        .filter((item) => item.entityId === viewer.id)
        .map((item) => item.action);
      expect(actions).toEqual(['user.created', 'user.deactivated', 'user.reactivated']);
    });

    it('keeps the last active admin: demoting or deactivating them is a 409 that says why, and nothing changes', async () => {
      const tenant = await createTenant(test, 'CNIL', {
        country: 'FR',
        timezone: 'Europe/Paris',
        locale: 'fr-FR',
        holidayRegion: 'FR',
      });
      const before = await db().query(`SELECT role, active FROM users WHERE id = $1`, [tenant.userIds.admin]);
      for (const change of [{ role: 'manager' }, { active: false }, { role: 'viewer', active: false }]) {
        const refused = await test
          .http()
          .patch(`/api/v1/users/${tenant.userIds.admin}`)
          .set(bearer(tenant.tokens.admin))
          .send(change)
          .expect(409);
        expect(refused.headers['content-type']).toMatch(/problem\+json/);
        expect(refused.body.detail).toMatch(
          /CNIL admin is the last active administrator of CNIL .*make another user administrator first/,
        );
      }
      // Not even the sysadmin can leave an authority without an administrator.
      await test
        .http()
        .patch(`/api/v1/users/${tenant.userIds.admin}`)
        .set(bearer(await sysadminToken(test)))
        .send({ active: false })
        .expect(409);
      expect(await db().query(`SELECT role, active FROM users WHERE id = $1`, [tenant.userIds.admin])).toEqual(before);
      await test.http().get('/api/v1/me').set(bearer(tenant.tokens.admin)).expect(200);

      // With a second administrator, the first may step down, and cannot raise themself again.
      await test
        .http()
        .patch(`/api/v1/users/${tenant.userIds.manager}`)
        .set(bearer(tenant.tokens.admin))
        .send({ role: 'admin' })
        .expect(200);
      await test
        .http()
        .patch(`/api/v1/users/${tenant.userIds.admin}`)
        .set(bearer(tenant.tokens.admin))
        .send({ role: 'manager' })
        .expect(200);
      const stepped = await tokenFor(test, 'admin@cnil.test', 'admin-password-123');
      await test
        .http()
        .patch(`/api/v1/users/${tenant.userIds.admin}`)
        .set(bearer(stepped))
        .send({ role: 'admin' })
        .expect(403);
      expect((await db().query(`SELECT role FROM users WHERE id = $1`, [tenant.userIds.admin]))[0].role).toBe(
        'manager',
      );
    });

    it("refuses bad input with 400 and other authorities' users with 404, changing nothing", async () => {
      const officer = await person(gpdp, 'officer');
      for (const body of [{ role: 'sysadmin' }, { role: 'boss' }, { active: 'no' }, { name: '' }, { email: 'x@y.z' }]) {
        await test.http().patch(`/api/v1/users/${officer.id}`).set(bearer(gpdp.tokens.admin)).send(body).expect(400);
      }
      await test
        .http()
        .patch('/api/v1/users/not-a-uuid')
        .set(bearer(gpdp.tokens.admin))
        .send({ active: false })
        .expect(400);
      await test
        .http()
        .patch(`/api/v1/users/${officer.id}`)
        .set(bearer(pipc.tokens.admin))
        .send({ active: false })
        .expect(404);
      await test.http().post(`/api/v1/users/${officer.id}/password-reset`).set(bearer(pipc.tokens.admin)).expect(404);
      await test
        .http()
        .patch(`/api/v1/users/${officer.id}`)
        .set(bearer(gpdp.tokens.manager))
        .send({ active: false })
        .expect(403);
      await test.http().get('/api/v1/me').set(bearer(officer.token)).expect(200);
      expect((await db().query(`SELECT role, active FROM users WHERE id = $1`, [officer.id]))[0]).toEqual({
        role: 'officer',
        active: true,
      });
    });
  });

  describe('POST /api/v1/me/password', () => {
    it('refuses a wrong current password and a weak new one, saying the rule; nothing changes', async () => {
      const officer = await person(gpdp, 'officer');
      const wrong = await test
        .http()
        .post('/api/v1/me/password')
        .set(bearer(officer.token))
        .send({ currentPassword: 'not-my-password', newPassword: 'a perfectly fine passphrase' })
        .expect(400);
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: 'The current password is not correct' }]);
      for (const [newPassword, problem] of [
        ['short', 'it has fewer than 12 characters'],
        ['password1234', 'it is a very common password'],
        ['123456789012', 'it is a very common password'],
        [officer.email, 'it is your e-mail address'],
        [officer.password, 'it is the password you have now'],
      ]) {
        const weak = await test
          .http()
          .post('/api/v1/me/password')
          .set(bearer(officer.token))
          .send({ currentPassword: officer.password, newPassword })
          .expect(400);
        expect(weak.body.errors).toEqual([
          { field: 'newPassword', message: `This password cannot be used: ${problem}. ${PASSWORD_RULE}` },
        ]);
      }
      await tokenFor(test, officer.email, officer.password);
      await test.http().get('/api/v1/me').set(bearer(officer.token)).expect(200);
    });

    it('changes it (204): the token used stays valid, every other token and session ends', async () => {
      const officer = await person(gpdp, 'officer');
      const other = await tokenFor(test, officer.email, officer.password);
      const browser = await signInPage(test, officer.email, officer.password);
      await test
        .http()
        .post('/api/v1/me/password')
        .set(bearer(officer.token))
        .send({ currentPassword: officer.password, newPassword: 'seven lanterns over the harbour' })
        .expect(204);
      await test.http().get('/api/v1/me').set(bearer(officer.token)).expect(200);
      await test.http().get('/api/v1/me').set(bearer(other)).expect(401);
      expect((await browser.get('/dashboard').expect(303)).headers.location).toMatch(/^\/login/);
      await test
        .http()
        .post('/api/v1/auth/token')
        .send({ email: officer.email, password: officer.password })
        .expect(401);
      await tokenFor(test, officer.email, 'seven lanterns over the harbour');
      expect(
        (await auditActions(gpdp.tokens.admin)).find(
          (item) => item.action === 'user.password_changed' && item.entityId === officer.id,
        )?.after,
      ).toEqual({ endedSessions: 2 });
    });

    it('on the profile page, keeps the session that changed it and ends the others', async () => {
      const officer = await person(gpdp, 'officer');
      const browser = await signInPage(test, officer.email, officer.password);
      const me = await browser.get('/me').expect(200);
      expect(me.text).toContain(PASSWORD_RULE);
      const weak = await browser
        .post('/me/password')
        .type('form')
        .send({
          _csrf: csrfOf(me.text),
          currentPassword: officer.password,
          newPassword: 'password1234',
          confirmPassword: 'password1234',
        })
        .expect(400);
      expect(weak.text).toContain('This password cannot be used: it is a very common password.');
      const mismatch = await browser
        .post('/me/password')
        .type('form')
        .send({
          _csrf: csrfOf(me.text),
          currentPassword: officer.password,
          newPassword: 'seven lanterns over the harbour',
          confirmPassword: 'seven lanterns',
        })
        .expect(400);
      expect(mismatch.text).toContain('Enter the same new password twice');
      await browser
        .post('/me/password')
        .type('form')
        .send({
          _csrf: csrfOf(me.text),
          currentPassword: officer.password,
          newPassword: 'seven lanterns over the harbour',
          confirmPassword: 'seven lanterns over the harbour',
        })
        .expect(303);
      expect((await browser.get('/me').expect(200)).text).toContain('Your password is changed');
      await test.http().get('/api/v1/me').set(bearer(officer.token)).expect(401);
    });
  });

  describe('POST /api/v1/users/{id}/password-reset', () => {
    const linkIn = (email: string) => {
      const mails = sink.to(email);
      const text = mails.at(-1)?.parsed.text ?? '';
      return /http:\/\/docket\.test\/reset\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? null;
    };

    it('writes the link’s mail in the language its recipient reads Docket in', async () => {
      const officer = await person(gpdp, 'officer');
      await test
        .http()
        .patch(`/api/v1/users/${officer.id}`)
        .set(bearer(gpdp.tokens.admin))
        .send({ language: 'de' })
        .expect(200);
      await test.http().post(`/api/v1/users/${officer.id}/password-reset`).set(bearer(gpdp.tokens.admin)).expect(202);
      const mail = sink.to(officer.email).at(-1)!;
      expect(mail.parsed.subject).toBe('Neues Docket-Passwort festlegen');
      expect(mail.parsed.text).toMatch(/^Guten Tag .+,\n\nDie Administration Ihrer Behörde hat veranlasst/);
      expect(mail.parsed.text).toMatch(/gilt bis zum \d{1,2}\. \S+ \d{4} um \d\d:\d\d UTC\./);
      expect(mail.parsed.html).toContain('>Neues Passwort festlegen</a>');
      expect(linkIn(officer.email)).toBeTruthy();
    });

    it('mails a single-use link (only its hash stored) that sets a password once and ends every session', async () => {
      const officer = await person(gpdp, 'officer');
      await test.http().post(`/api/v1/users/${officer.id}/password-reset`).set(bearer(gpdp.tokens.viewer)).expect(403);
      const sent = await test
        .http()
        .post(`/api/v1/users/${officer.id}/password-reset`)
        .set(bearer(gpdp.tokens.admin))
        .expect(202);
      expect(Date.parse(sent.body.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
      const token = linkIn(officer.email)!;
      expect(token).toBeTruthy();
      const stored = await db().query(`SELECT token_hash FROM password_resets WHERE user_id = $1`, [officer.id]);
      expect(stored).toHaveLength(1);
      expect(stored[0].token_hash).not.toContain(token);
      expect(
        await db().query(`SELECT count(*)::int AS n FROM outbound_messages WHERE text LIKE $1 OR html LIKE $1`, [
          `%${token}%`,
        ]),
      ).toEqual([{ n: 0 }]);

      const anonymous = request.agent(test.app.getHttpServer());
      const form = await anonymous.get(`/reset/${token}`).expect(200);
      expect(form.text).toContain(PASSWORD_RULE);
      const weak = await anonymous
        .post(`/reset/${token}`)
        .type('form')
        .send({ _csrf: csrfOf(form.text), newPassword: 'qwertyuiop12', confirmPassword: 'qwertyuiop12' })
        .expect(400);
      expect(weak.text).toContain('This password cannot be used: it is a very common password.');
      await test.http().get('/api/v1/me').set(bearer(officer.token)).expect(200);

      const done = await anonymous
        .post(`/reset/${token}`)
        .type('form')
        .send({
          _csrf: csrfOf(form.text),
          newPassword: 'a brand new passphrase',
          confirmPassword: 'a brand new passphrase',
        })
        .expect(303);
      expect(done.headers.location).toBe('/login');
      await test.http().get('/api/v1/me').set(bearer(officer.token)).expect(401);
      await tokenFor(test, officer.email, 'a brand new passphrase');

      const reused = await anonymous
        .post(`/reset/${token}`)
        .type('form')
        .send({
          _csrf: csrfOf(form.text),
          newPassword: 'yet another passphrase',
          confirmPassword: 'yet another passphrase',
        })
        .expect(410);
      expect(reused.text).toContain('This password-reset link has already been used');
      expect((await anonymous.get(`/reset/${token}`).expect(410)).text).toContain('already been used');
      await tokenFor(test, officer.email, 'a brand new passphrase');
      const actions = (await auditActions(gpdp.tokens.admin))
        .filter((item) => item.entityId === officer.id)
        .map((item) => item.action);
      expect(actions).toEqual(['user.created', 'user.password_reset_sent', 'user.password_reset']);
    });

    it('refuses an expired link, a link replaced by a newer one and a made-up one, clearly', async () => {
      const officer = await person(gpdp, 'officer');
      await test.http().post(`/api/v1/users/${officer.id}/password-reset`).set(bearer(gpdp.tokens.admin)).expect(202);
      const first = linkIn(officer.email)!;
      await test.http().post(`/api/v1/users/${officer.id}/password-reset`).set(bearer(gpdp.tokens.admin)).expect(202);
      const second = linkIn(officer.email)!;
      expect(second).not.toBe(first);
      const anonymous = request.agent(test.app.getHttpServer());
      expect((await anonymous.get(`/reset/${first}`).expect(410)).text).toContain('a newer link was sent');
      await db().query(`UPDATE password_resets SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [
        officer.id,
      ]);
      expect((await anonymous.get(`/reset/${second}`).expect(410)).text).toContain(
        'This password-reset link has expired',
      );
      expect((await anonymous.get(`/reset/${'A'.repeat(43)}`).expect(404)).text).toContain(
        'This password-reset link is not valid',
      );
      await tokenFor(test, officer.email, officer.password);
    });

    it('sends no link to a deactivated person (409)', async () => {
      const viewer = await person(gpdp, 'viewer');
      await test
        .http()
        .patch(`/api/v1/users/${viewer.id}`)
        .set(bearer(gpdp.tokens.admin))
        .send({ active: false })
        .expect(200);
      const refused = await test
        .http()
        .post(`/api/v1/users/${viewer.id}/password-reset`)
        .set(bearer(gpdp.tokens.admin))
        .expect(409);
      expect(refused.body.detail).toMatch(/deactivated: reactivate the account/);
      expect(sink.to(viewer.email)).toHaveLength(0);
    });
  });
});
