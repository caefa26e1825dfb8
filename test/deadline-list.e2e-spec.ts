import { DataSource } from 'typeorm';
import { FixedClock } from '#docket/platform';
import { DeadlineLabels1764000017500 } from '../migrations/1764000017500-deadline-labels.js';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const START = new Date('2025-03-10T09:00:00Z');
const at = (ms: number) => new Date(START.getTime() + ms).toISOString();

describe('the deadline list: kinds, the dashboard windows, order and paging', () => {
  let test: TestApp;
  let clock: FixedClock;
  let db: DataSource;
  let gpdp: Tenant;
  let pipc: Tenant;
  const ids: Record<string, string> = {};

  const list = async (query: string, token = gpdp.tokens.viewer) =>
    (await test.http().get(`/api/v1/deadlines?${query}`).set(bearer(token)).expect(200)).body as {
      items: { id: string; label: string; kind: string; status: string }[];
      nextCursor: string | null;
    };
  const idsOf = async (query: string) => (await list(query)).items.map((item) => item.id);
  /** Every page of a query, following nextCursor `limit` rows at a time. */
  const allPages = async (query: string, limit: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  };

  beforeAll(async () => {
    // The deadlines now past were set ten days earlier (a due instant already past is refused).
    clock = new FixedClock(new Date(START.getTime() - 10 * DAY));
    // Tokens outlive the clock's moves (the default 12 h would lapse when it jumps ten days).
    test = await startTestApp({ clock, env: { TOKEN_TTL_MINUTES: String(60 * 24 * 30) } });
    db = test.app.get(DataSource);
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    const organisation = await createProvider(test, gpdp.tokens.officer);
    const mine = await createCase(test, gpdp, organisation, { title: 'Officer case' });
    const theirs = await createCase(test, gpdp, organisation, {
      title: 'Manager case',
      assigneeId: gpdp.userIds.manager,
    });
    const foreign = await createCase(test, pipc, organisation);
    const add = async (name: string, tenant: Tenant, caseId: string, dueAt: string) => {
      const response = await test
        .http()
        .post(`/api/v1/cases/${caseId}/deadlines`)
        .set(bearer(tenant.tokens.officer))
        .send({ label: name, dueAt })
        .expect(201);
      ids[name] = response.body.id;
    };
    await add('missed1', gpdp, mine.id, at(-9 * DAY));
    await add('missed2', gpdp, theirs.id, at(-5 * DAY));
    await add('foreign', pipc, foreign.id, at(-3 * DAY));
    clock.set(START);
    await add('soonPast', gpdp, mine.id, at(HOUR));
    await add('in3', gpdp, mine.id, at(3 * DAY));
    await add('in5', gpdp, theirs.id, at(5 * DAY));
    await add('in20', gpdp, mine.id, at(20 * DAY));
    await add('in60', gpdp, mine.id, at(60 * DAY));
    await add('stopped', gpdp, mine.id, at(10 * DAY));
    await test
      .http()
      .post(`/api/v1/deadlines/${ids.stopped}/suspend`)
      .set(bearer(gpdp.tokens.officer))
      .send({ reason: 'waiting for a translation' })
      .expect(200);
    // An inquiry sets a response deadline (20 calendar days, to 30 March).
    const inquiry = await test
      .http()
      .post(`/api/v1/cases/${mine.id}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'en',
        to: ['dpo@provider.example'],
        deadline: { count: 20, unit: 'calendar_days' },
      })
      .expect(202);
    ids.response = inquiry.body.deadline.id;
    // Two hours on, "soonPast" is past its due instant but may not have been marked missed yet: overdue all the same.
    clock.set(new Date(START.getTime() + 2 * HOUR));
  });

  afterAll(async () => {
    await test?.close();
  });

  it('names a response deadline by the date of its inquiry, never by the template', async () => {
    const responses = await list('kind=response');
    expect(responses.items.map((item) => [item.id, item.label, item.kind])).toEqual([
      [ids.response, 'Response to the inquiry of 2025-03-10', 'response'],
    ]);
    expect((await idsOf('kind=other')).sort()).toEqual(
      Object.entries(ids)
        .filter(([name]) => name !== 'response' && name !== 'foreign')
        .map(([, id]) => id)
        .sort(),
    );
  });

  it("lists exactly what the dashboard counts in each window, in the caller's authority only", async () => {
    const dashboard = (await test.http().get('/api/v1/dashboard').set(bearer(gpdp.tokens.viewer)).expect(200)).body;
    const overdue = await idsOf('due=overdue');
    expect(overdue).toEqual([ids.missed1, ids.missed2, ids.soonPast]);
    expect(dashboard.deadlines.overdue).toBe(overdue.length);
    const week = await idsOf('due=next7days');
    expect(week).toEqual([ids.in3, ids.in5]);
    expect(dashboard.deadlines.dueIn7Days).toBe(week.length);
    const month = await idsOf('due=next30days');
    // The suspended deadline is never in a window; the response deadline (30 March) is.
    expect(month).toEqual([ids.in3, ids.in5, ids.in20, ids.response]);
    expect(dashboard.deadlines.dueIn30Days).toBe(month.length);

    // The windows combine with the other filters.
    expect(await idsOf(`due=overdue&assigneeId=${gpdp.userIds.manager}`)).toEqual([ids.missed2]);
    expect(await idsOf('due=next30days&kind=response')).toEqual([ids.response]);
    expect(await idsOf('due=next30days&status=suspended')).toEqual([]);
    expect(await idsOf('status=suspended')).toEqual([ids.stopped]);
    expect((await list('due=overdue', pipc.tokens.viewer)).items.map((item) => item.id)).toEqual([ids.foreign]);
  });

  it('sorts latest first and pages either way without losing or repeating a deadline', async () => {
    const ascending = await idsOf('limit=100');
    expect(ascending).toHaveLength(9);
    const descending = await idsOf('sort=-dueAt&limit=100');
    expect(descending).toEqual([...ascending].reverse());
    expect(await allPages('sort=dueAt', 2)).toEqual(ascending);
    expect(await allPages('sort=-dueAt', 2)).toEqual(descending);
    expect(await allPages('sort=-dueAt&due=overdue', 2)).toEqual([ids.soonPast, ids.missed2, ids.missed1]);
  });

  it('refuses unknown kinds, windows, orders and cursors with the field named, and exports the same filters as CSV', async () => {
    for (const [query, field] of [
      ['kind=reply', 'kind'],
      ['due=soon', 'due'],
      ['sort=priority', 'sort'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['not a date', 'x'])).toString('base64url')}`, 'cursor'],
    ]) {
      const response = await test.http().get(`/api/v1/deadlines?${query}`).set(bearer(gpdp.tokens.viewer)).expect(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
    }
    const csv = await test
      .http()
      .get('/api/v1/deadlines.csv?due=overdue&sort=-dueAt')
      .set(bearer(gpdp.tokens.viewer))
      .buffer(true)
      .expect(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    // One line per deadline (no cell here holds a line break), each naming its deadline's id.
    expect(lines.slice(1).map((line) => Object.values(ids).filter((id) => line.includes(id)))).toEqual([
      [ids.soonPast],
      [ids.missed2],
      [ids.missed1],
    ]);
  });

  it('relabels the response deadlines set before, named after their template', async () => {
    await db.query(
      `UPDATE deadlines SET label = 'Response to the ai-inquiry letter', event_at = '2025-01-27T23:30:00Z' WHERE id = $1`,
      [ids.response],
    );
    const runner = db.createQueryRunner();
    try {
      await new DeadlineLabels1764000017500().up(runner);
    } finally {
      await runner.release();
    }
    // 23:30 UTC on 27 January is 28 January in Rome; the other labels are left alone.
    expect((await list('kind=response')).items[0].label).toBe('Response to the inquiry of 2025-01-28');
    expect((await list(`kind=other&due=overdue`)).items.map((item) => item.label)).toEqual([
      'missed1',
      'missed2',
      'soonPast',
    ]);
  });
});
