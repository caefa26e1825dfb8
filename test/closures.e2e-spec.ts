import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';

interface DeadlineBody {
  id: string;
  dueDate: string;
  dueAt: string;
  history: { action: string; previousDueAt: string | null; dueAt: string | null; reason: string | null }[];
  reminders: { id: string; fireAt: string; status: string }[];
}

describe('a closure day moves only the deadlines it touches', () => {
  let test: TestApp;
  let gpdp: Tenant;
  let caseId: string;

  beforeAll(async () => {
    test = await startTestApp();
    gpdp = await createTenant(test, 'GPDP');
    const organisationId = await createProvider(test, gpdp.tokens.officer);
    caseId = (await createCase(test, gpdp, organisationId)).id;
  });
  afterAll(async () => {
    await test?.close();
  });

  const get = async (id: string): Promise<DeadlineBody> =>
    (await test.http().get(`/api/v1/deadlines/${id}`).set(bearer(gpdp.tokens.officer)).expect(200)).body;

  it('counts, records and replans only the deadline whose due instant changed', async () => {
    // Three Mondays of March 2030 (no Italian holiday near them); the closure falls on the second.
    const ids: string[] = [];
    for (const dueDate of ['2030-03-04', '2030-03-11', '2030-03-18']) {
      const created = await test
        .http()
        .post(`/api/v1/cases/${caseId}/deadlines`)
        .set(bearer(gpdp.tokens.officer))
        .send({ label: `Due ${dueDate}`, dueDate, reminders: [{ offset: '-P1D', audience: 'assignee' }] })
        .expect(201);
      ids.push(created.body.id);
    }
    const before = await Promise.all(ids.map(get));
    expect(before.map((deadline) => deadline.dueDate)).toEqual(['2030-03-04', '2030-03-11', '2030-03-18']);

    const added = await test
      .http()
      .post('/api/v1/authorities/GPDP/closures')
      .set(bearer(gpdp.tokens.admin))
      .send({ date: '2030-03-11', reason: 'Office move' })
      .expect(201);
    expect(added.body.recomputedDeadlines).toBe(1);

    const after = await Promise.all(ids.map(get));
    expect(after.map((deadline) => deadline.dueDate)).toEqual(['2030-03-04', '2030-03-12', '2030-03-18']);

    // The moved one: one history entry from the old instant to the new, its reminder planned anew.
    const moved = after[1];
    const recomputed = moved.history.filter((event) => event.action === 'recomputed');
    expect(recomputed).toHaveLength(1);
    expect(recomputed[0]).toMatchObject({ previousDueAt: before[1].dueAt, dueAt: moved.dueAt });
    expect(recomputed[0].reason).toContain('2030-03-11');
    const pending = moved.reminders.filter((reminder) => reminder.status === 'scheduled');
    expect(pending.map((reminder) => reminder.fireAt)).toEqual([
      new Date(new Date(moved.dueAt).getTime() - 24 * 3600_000).toISOString(),
    ]);

    // The others: untouched, no history entry, the same reminders.
    for (const index of [0, 2]) {
      expect(after[index].dueAt).toBe(before[index].dueAt);
      expect(after[index].history).toEqual(before[index].history);
      expect(after[index].history.some((event) => event.action === 'recomputed')).toBe(false);
      expect(after[index].reminders).toEqual(before[index].reminders);
    }

    // A second closure day that touches no deadline moves nothing and writes nothing.
    const none = await test
      .http()
      .post('/api/v1/authorities/GPDP/closures')
      .set(bearer(gpdp.tokens.admin))
      .send({ date: '2030-03-06', reason: 'Strike' })
      .expect(201);
    expect(none.body.recomputedDeadlines).toBe(0);
    const again = await Promise.all(ids.map(get));
    expect(again.map((deadline) => deadline.history)).toEqual(after.map((deadline) => deadline.history));
  });
});
