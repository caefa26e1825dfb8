import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#docket/platform';
import { DASHBOARD_SQL, loadDashboard, ORGANISATION_LIMIT } from '#docket/reporting';
import { docketSchema } from '#docket/schema';
import { createTestDatabase, dropDatabase } from './support/database.js';

/** Organisation ids that sort as their number does. */
const organisation = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe("the dashboard's counters statement reads only the organisations that can make the list", () => {
  let database: { name: string; url: string };
  let db: DataSource;

  const query = async (sql: string, parameters: unknown[]) =>
    (await db.query(sql, parameters)) as Record<string, unknown>[];
  /** Each counter as deltas that sum to its value, as the triggers leave them between compactions. */
  const counters = async (authorityId: string, rows: [string, string, number][]) => {
    for (const [metric, key, value] of rows)
      await db.query(
        `INSERT INTO dashboard_counters (authority_id, metric, key, delta) VALUES ($1, $2, $3, $4), ($1, $2, $3, 2), ($1, $2, $3, -2)`,
        [authorityId, metric, key, value],
      );
  };
  /** The dashboard as assembled from every counter of the authority. */
  const fromEveryCounter = async (authorityId: string, now: Date) => {
    const all = await query(
      `SELECT metric, key, sum(delta)::bigint AS value FROM dashboard_counters WHERE authority_id = $1 GROUP BY 1, 2 HAVING sum(delta) <> 0`,
      [authorityId],
    );
    return loadDashboard(
      (sql, parameters) =>
        sql === DASHBOARD_SQL.counters
          ? Promise.resolve(all.filter((row) => row.metric !== 'pending.due_day'))
          : query(sql, parameters),
      authorityId,
      now,
    );
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new DataSource(dataSourceOptions(database.url, docketSchema, 2));
    await db.initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(database.name);
  });

  it('lists the same organisations, ties at the last place broken by overdue deadlines', async () => {
    const authorityId = randomUUID();
    const now = new Date();
    // 1–18 ahead on open cases; 19–23 tied at the 20th place; 24–30 behind, 30 with the most missed deadlines.
    const open = (n: number) => (n <= 18 ? 100 - n : n <= 23 ? 10 : 5);
    await counters(authorityId, [
      ...Array.from({ length: 30 }, (_, i): [string, string, number] => [
        'open_cases.organisation',
        organisation(i + 1),
        open(i + 1),
      ]),
      ['missed.organisation', organisation(23), 7],
      ['missed.organisation', organisation(19), 1],
      ['missed.organisation', organisation(30), 50],
      ['missed.assignee', '', 58],
      ['cases', 'open', 2000],
    ]);
    const read = await query(DASHBOARD_SQL.counters, [authorityId, ORGANISATION_LIMIT]);
    // 23 organisations' open cases and two of their missed deadlines, the assignee's and the cases'.
    expect(read).toHaveLength(23 + 2 + 2);
    const dashboard = await loadDashboard(query, authorityId, now);
    expect(dashboard.byOrganisation.map((line) => line.organisationId)).toEqual([
      ...Array.from({ length: 18 }, (_, i) => organisation(i + 1)),
      organisation(23),
      organisation(19),
    ]);
    expect(dashboard).toEqual(await fromEveryCounter(authorityId, now));
    expect(dashboard.deadlines.missed).toBe(58);
  });

  it('reads every organisation while fewer than the list can hold have open cases', async () => {
    const authorityId = randomUUID();
    const now = new Date();
    await counters(authorityId, [
      ['open_cases.organisation', organisation(1), 3],
      ['open_cases.organisation', organisation(2), 1],
      ['missed.organisation', organisation(2), 4],
      ['missed.organisation', organisation(3), 2],
    ]);
    const dashboard = await loadDashboard(query, authorityId, now);
    expect(
      dashboard.byOrganisation.map((line) => [line.organisationId, line.openCases, line.overdueDeadlines]),
    ).toEqual([
      [organisation(1), 3, 0],
      [organisation(2), 1, 4],
      [organisation(3), 0, 2],
    ]);
    expect(dashboard).toEqual(await fromEveryCounter(authorityId, now));
  });
});
