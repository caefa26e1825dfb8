import { DataSource } from 'typeorm';
import { bearer, createTenant, startTestApp, sysadminToken, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';
import { cookieHeader, pageSession } from './support/page-session.js';

describe('isolation: cookies authenticate pages only; closure reasons stay with their authority', () => {
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let sysadmin: string;
  let db: DataSource;

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    sysadmin = await sysadminToken(test);
  });
  afterAll(() => test.close());

  describe('the browser session cookie', () => {
    let cookie: string;
    let caseId: string;
    const status = async () => (await db.query(`SELECT status, version FROM cases WHERE id = $1`, [caseId]))[0];

    beforeAll(async () => {
      cookie = cookieHeader(await pageSession(test, 'manager@gpdp.test', 'manager-password-123'));
      caseId = (await createCase(test, gpdp, await createProvider(test, gpdp.tokens.officer))).id;
    });

    it('signs in pages', async () => {
      const page = await test.http().get('/dashboard').set('cookie', cookie).expect(200);
      expect(page.text).toContain('GPDP manager');
    });

    it.each([['/api/v1'], ['/API/v1'], ['/Api/v1'], ['/api/V1']])(
      'does not close a case through %s (same-origin form post, no bearer token)',
      async (prefix) => {
        const before = await status();
        const response = await test
          .http()
          .post(`${prefix}/cases/${caseId}/close`)
          .set('cookie', cookie)
          .set('sec-fetch-site', 'same-origin')
          .type('form')
          .send({ reason: 'closed from another page' });
        expect([401, 404]).toContain(response.status);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(await status()).toEqual(before);
        expect(before.status).toBe('open');
      },
    );

    it('is not read by the API at all: /api/v1/me with only the cookie is 401, the upper-case path matches nothing', async () => {
      await test.http().get('/api/v1/me').set('cookie', cookie).expect(401);
      await test.http().get('/API/v1/me').set('cookie', cookie).expect(404);
      // Path matching is case-exact for bearer callers too.
      await test.http().get('/API/v1/me').set(bearer(gpdp.tokens.manager)).expect(404);
      await test.http().get('/api/v1/me').set(bearer(gpdp.tokens.manager)).expect(200);
      await test.http().get('/Dashboard').set('cookie', cookie).expect(404);
    });

    it('still lets the bearer token close the case', async () => {
      await test
        .http()
        .post(`/api/v1/cases/${caseId}/close`)
        .set(bearer(gpdp.tokens.manager))
        .send({ reason: 'done' })
        .expect(200);
      expect((await status()).status).toBe('closed');
    });
  });

  describe('closure days', () => {
    const year = '2031';
    const days = async (token: string, code = 'GPDP') =>
      (
        await test
          .http()
          .get(`/api/v1/authorities/${code}/calendar?from=${year}-01-01&to=${year}-12-31`)
          .set(bearer(token))
          .expect(200)
      ).body.days as { date: string; name: string; source: string }[];

    beforeAll(async () => {
      await test
        .http()
        .post('/api/v1/authorities/GPDP/closures')
        .set(bearer(gpdp.tokens.admin))
        .send({ date: `${year}-03-14`, reason: 'internal strike' })
        .expect(201);
      await test
        .http()
        .post('/api/v1/authorities/GPDP/closures')
        .set(bearer(gpdp.tokens.admin))
        .send({ date: `${year}-03-17`, reason: 'office move' })
        .expect(201);
    });

    it('show their reasons to the authority itself and to the sysadmin', async () => {
      for (const token of [gpdp.tokens.viewer, sysadmin]) {
        const closures = (await test.http().get('/api/v1/authorities/GPDP/closures').set(bearer(token)).expect(200))
          .body;
        expect(closures.map((closure: { date: string; reason: string }) => [closure.date, closure.reason])).toEqual([
          [`${year}-03-14`, 'internal strike'],
          [`${year}-03-17`, 'office move'],
        ]);
        expect((await days(token)).filter((day) => day.source === 'closure')).toEqual([
          { date: `${year}-03-14`, name: 'internal strike', source: 'closure' },
          { date: `${year}-03-17`, name: 'office move', source: 'closure' },
        ]);
      }
    });

    it('show another authority which days are closed, never why; its closure list is 404', async () => {
      const response = await test
        .http()
        .get('/api/v1/authorities/GPDP/closures')
        .set(bearer(pipc.tokens.admin))
        .expect(404);
      expect(response.body.detail).toContain('/api/v1/authorities/GPDP/calendar');
      const seen = await days(pipc.tokens.viewer);
      expect(seen.filter((day) => day.source === 'closure')).toEqual([
        { date: `${year}-03-14`, name: 'closure day', source: 'closure' },
        { date: `${year}-03-17`, name: 'closure day', source: 'closure' },
      ]);
      // The public holidays are the same for everyone.
      expect(seen.filter((day) => day.source !== 'closure')).toEqual(
        (await days(gpdp.tokens.viewer)).filter((day) => day.source !== 'closure'),
      );

      // A due date on the other authority's calendar still moves past the closure, without the reason.
      const computed = async (token: string) =>
        (
          await test
            .http()
            .post('/api/v1/calendar/compute')
            .set(bearer(token))
            .send({ authority: 'GPDP', start: `${year}-03-04`, count: 10, unit: 'calendar_days' })
            .expect(200)
        ).body;
      const foreign = await computed(pipc.tokens.viewer);
      const own = await computed(gpdp.tokens.viewer);
      expect(foreign.dueDate).toBe(own.dueDate);
      expect(foreign.dueDate).toBe(`${year}-03-18`);
      expect(JSON.stringify(own)).toContain('internal strike');
      expect(JSON.stringify(foreign)).not.toMatch(/internal strike|office move/);
      expect(
        foreign.explanation
          .filter((entry: { kind: string }) => entry.kind === 'closure')
          .map((entry: { date: string }) => entry.date),
      ).toEqual([`${year}-03-14`, `${year}-03-17`]);
    });

    it('cannot be added to another authority', async () => {
      const before = await db.query(`SELECT count(*)::int AS n FROM authority_closures`);
      await test
        .http()
        .post('/api/v1/authorities/GPDP/closures')
        .set(bearer(pipc.tokens.admin))
        .send({ date: `${year}-04-01`, reason: 'staff training day' })
        .expect(403);
      expect(await db.query(`SELECT count(*)::int AS n FROM authority_closures`)).toEqual(before);
    });
  });
});
