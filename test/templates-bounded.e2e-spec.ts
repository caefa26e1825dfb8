import { DataSource } from 'typeorm';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';

/** A letter whose HTML block repeats a 150,000-character literal 3,000 times: 450 MB of output without the limits. */
const BOMB = `{% layout 'letter' %}{% block subject %}Ref. {{ case.reference }}{% endblock %}{% block html %}{% for i in (1..3000) %}${'x'.repeat(150_000)}{% endfor %}{% endblock %}{% block text %}Text{% endblock %}`;
/** A billion empty iterations over one range, charged to the memory limit once: only the time limit stops it. */
const SLOW = `{% layout 'letter' %}{% block subject %}Ref. {{ case.reference }}{% endblock %}{% block html %}{% assign r = (1..1000) %}{% for i in r %}{% for j in r %}{% for k in r %}{% endfor %}{% endfor %}{% endfor %}{% endblock %}{% block text %}Text{% endblock %}`;

describe('user-edited templates are rendered within limits on time, size and memory', () => {
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let caseId: string;

  beforeAll(async () => {
    test = await startTestApp();
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    caseId = (await createCase(test, gpdp, await createProvider(test, gpdp.tokens.officer))).id;
    await createCase(test, pipc, await createProvider(test, pipc.tokens.officer, 'Kestrel Intelligence Ltd.'));
  });
  afterAll(() => test.close());

  const versions = async (key: string) =>
    (await test.app.get(DataSource).query('SELECT count(*)::int AS n FROM template_versions WHERE key = $1', [key]))[0]
      .n as number;

  it('refuses to save a template whose output is enormous, saying which limit, and saves nothing', async () => {
    const before = await versions('ai-inquiry');
    const response = await test
      .http()
      .post('/api/v1/templates/ai-inquiry/versions')
      .set(bearer(gpdp.tokens.admin))
      .send({ sources: { en: BOMB } })
      .expect(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.stringify(response.body)).toMatch(
      /Size limit exceeded: the letter would need more than 1,000,000 characters/,
    );
    expect(await versions('ai-inquiry')).toBe(before);
    const template = await test.http().get('/api/v1/templates/ai-inquiry').set(bearer(gpdp.tokens.officer)).expect(200);
    expect(template.body.version).toBe(2);
  });

  describe('a version saved before the limits (written straight into the table)', () => {
    beforeAll(async () => {
      await test.app.get(DataSource).query(
        `INSERT INTO template_versions (authority_id, key, version, kind, description, sources, default_question_ids, default_reminders, created_by)
         VALUES ($1, 'ai-inquiry', 2, 'inquiry', 'bomb', $2, ARRAY['ai.collection.categories'], '[]'::jsonb, 'test')`,
        [gpdp.authorityId, JSON.stringify({ en: BOMB, it: SLOW })],
      );
    });

    it('is not previewed for a viewer at all (403)', async () => {
      const response = await test
        .http()
        .post('/api/v1/templates/ai-inquiry/preview')
        .set(bearer(gpdp.tokens.viewer))
        .send({ caseId, locale: 'en' })
        .expect(403);
      expect(response.body.detail).toMatch(/roles admin, manager, officer/);
    });

    it("gets an officer a clear 400 while another authority's requests are answered", async () => {
      // Warm-up (parsing a new version and the first deadline computation cost more than rendering); refused too.
      await test
        .http()
        .post('/api/v1/templates/ai-inquiry/preview')
        .set(bearer(gpdp.tokens.officer))
        .send({ caseId, locale: 'en' })
        .expect(400);
      const alone: number[] = [];
      for (let index = 0; index < 8; index++) {
        const sent = performance.now();
        await test.http().get('/api/v1/cases').set(bearer(pipc.tokens.viewer)).expect(200);
        alone.push(Math.round(performance.now() - sent));
      }
      const rssBefore = process.memoryUsage().rss;
      const started = performance.now();
      // Two that run out of memory at once, two that run until the time limit (they held the event loop for a second
      // each before).
      const previews = ['en', 'it', 'en', 'it'].map((locale) =>
        test
          .http()
          .post('/api/v1/templates/ai-inquiry/preview')
          .set(bearer(gpdp.tokens.officer))
          .send({ caseId, locale })
          .then((response) => ({
            locale,
            status: response.status,
            body: response.body as { detail?: string },
            ms: performance.now() - started,
          })),
      );
      const others = Array.from({ length: 8 }, (_, index) =>
        new Promise((resolve) => setTimeout(resolve, index * 25)).then(async () => {
          const sent = performance.now();
          const response = await test.http().get('/api/v1/cases').set(bearer(pipc.tokens.viewer));
          return {
            status: response.status,
            count: (response.body as { items?: unknown[] }).items?.length ?? (response.body as unknown[]).length,
            ms: performance.now() - sent,
          };
        }),
      );
      const [bad, good] = await Promise.all([Promise.all(previews), Promise.all(others)]);
      for (const preview of bad) {
        expect(preview.status).toBe(400);
        expect(preview.body.detail).toMatch(
          preview.locale === 'en' ? /Size limit exceeded/ : /Time limit exceeded: rendering took longer than 1 second/,
        );
      }
      for (const answer of good) expect(answer).toMatchObject({ status: 200, count: 1 });
      const figures = {
        otherAuthorityAloneMs: alone,
        badPreviewsMs: bad.map((preview) => `${preview.locale}:${Math.round(preview.ms)}`),
        otherAuthorityMs: good.map((answer) => Math.round(answer.ms)),
        rssGrowthMb: Math.round((process.memoryUsage().rss - rssBefore) / 1e6),
      };
      process.stdout.write(`template bound figures: ${JSON.stringify(figures)}\n`);
    });
  });
});
