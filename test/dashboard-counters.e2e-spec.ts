import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CASE_STATUSES } from '#docket/cases';
import { DEADLINE_STATUSES } from '#docket/deadlines';
import { dataSourceOptions } from '#docket/platform';
import {
  assembleDashboard,
  COUNTER_VALUES_SQL,
  DASHBOARD_SQL,
  dashboardParameters,
  DROP_ZERO_TOTALS_SQL,
  FOLD_SQL,
  loadDashboard,
  OLDEST_LIMIT,
  ORGANISATION_LIMIT,
  PENDING_DUE_DAY,
  RECOUNT_SQL,
  type Dashboard,
} from '#docket/reporting';
import { docketSchema } from '#docket/schema';
import { generateData } from '../apps/cli/src/generate-data.js';
import { createTestDatabase, dropDatabase } from './support/database.js';

/** Organisation ids that sort as their number does. */
const organisation = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const DAY_MS = 24 * 3600_000;

/** A small deterministic generator (mulberry32), so that a failing sequence of changes can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)],
  };
}

describe("the dashboard's counters: folded totals plus the deltas not folded yet, the organisations read by rank", () => {
  let database: { name: string; url: string };
  let db: DataSource;

  const query = async (sql: string, parameters: unknown[]) =>
    (await db.query(sql, parameters)) as Record<string, unknown>[];
  const prepared = (statement: { text: string }, parameters: unknown[]) => query(statement.text, parameters);
  const fold = async (authorityId: string) => {
    await db.query(FOLD_SQL, [authorityId]);
    await db.query(DROP_ZERO_TOTALS_SQL, [authorityId]);
  };
  /** Each counter as deltas that sum to its value, as the triggers leave them between folds. */
  const counters = async (authorityId: string, rows: [string, string, number][]) => {
    for (const [metric, key, value] of rows)
      await db.query(
        `INSERT INTO dashboard_counters (authority_id, metric, key, delta) VALUES ($1, $2, $3, $4), ($1, $2, $3, 2), ($1, $2, $3, -2)`,
        [authorityId, metric, key, value],
      );
  };
  /** How many counters the dashboard's statement read: its organisations' and the others. */
  const countersRead = async (authorityId: string, now: Date) => {
    const [row] = await query(DASHBOARD_SQL, dashboardParameters(authorityId, now));
    return (row.counters as unknown[]).length;
  };

  /**
   * The dashboard as its definitions say, from every counter of the authority (totals and deltas summed, nothing
   * ranked beforehand) and, for what depends on the clock, from the deadlines themselves (no per-day counters).
   */
  const direct = async (authorityId: string, now: Date): Promise<Dashboard> => {
    const all = (await query(COUNTER_VALUES_SQL, [authorityId])).filter((row) => row.metric !== PENDING_DUE_DAY);
    const [windows] = await query(
      `SELECT count(*) FILTER (WHERE due_at > $2 AND due_at <= $2::timestamptz + interval '7 days')::int AS week,
              count(*) FILTER (WHERE due_at > $2 AND due_at <= $2::timestamptz + interval '30 days')::int AS month
         FROM deadlines WHERE authority_id = $1 AND status = 'pending'`,
      [authorityId, now],
    );
    const pastDue = await query(
      `SELECT c.assignee_id, c.organisation_id FROM deadlines d JOIN cases c ON c.id = d.case_id
        WHERE d.authority_id = $1 AND d.status = 'pending' AND d.due_at <= $2`,
      [authorityId, now],
    );
    const oldest = await query(
      `SELECT c.id, c.reference, c.title, c.status, c.created_at, c.assignee_id, u.name AS assignee_name, c.organisation_id, o.legal_name
         FROM cases c JOIN organisations o ON o.id = c.organisation_id LEFT JOIN users u ON u.id = c.assignee_id
        WHERE c.authority_id = $1 AND c.status <> 'closed' ORDER BY c.created_at, c.id LIMIT $2`,
      [authorityId, OLDEST_LIMIT],
    );
    const users = await query(`SELECT id, name FROM users WHERE authority_id = $1`, [authorityId]);
    const organisations = await query(`SELECT id, legal_name FROM organisations`, []);
    return assembleDashboard({
      now,
      counters: all.map((row) => ({ metric: String(row.metric), key: String(row.key), value: Number(row.value) })),
      windows: { pendingPastDue: pastDue.length, dueIn7Days: Number(windows.week), dueIn30Days: Number(windows.month) },
      pastDue: pastDue.map((row) => ({
        assigneeId: (row.assignee_id as string | null) ?? null,
        organisationId: String(row.organisation_id),
        count: 1,
      })),
      oldest: oldest.map((row) => ({
        id: String(row.id),
        reference: String(row.reference),
        title: String(row.title),
        status: row.status as (typeof CASE_STATUSES)[number],
        createdAt: row.created_at as Date,
        assigneeId: (row.assignee_id as string | null) ?? null,
        assigneeName: (row.assignee_name as string | null) ?? null,
        organisationId: String(row.organisation_id),
        organisationName: String(row.legal_name),
      })),
      userNames: new Map(users.map((row) => [String(row.id), String(row.name)])),
      organisationNames: new Map(organisations.map((row) => [String(row.id), String(row.legal_name)])),
      organisationLimit: ORGANISATION_LIMIT,
    });
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

  it('lists the same organisations, ties at the last place broken by overdue deadlines, folded or not', async () => {
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
    const expected = [...Array.from({ length: 18 }, (_, i) => organisation(i + 1)), organisation(23), organisation(19)];
    // Nothing folded yet: every organisation the deltas name is read.
    expect(await countersRead(authorityId, now)).toBe(30 + 3 + 2);
    let dashboard = await loadDashboard(prepared, authorityId, now);
    expect(dashboard.byOrganisation.map((line) => line.organisationId)).toEqual(expected);
    expect(dashboard).toEqual(await direct(authorityId, now));

    // Folded: 23 organisations' open cases and two of their missed deadlines, the assignee's and the cases'.
    await fold(authorityId);
    expect(
      Number((await query(`SELECT count(*) AS n FROM dashboard_counters WHERE authority_id = $1`, [authorityId]))[0].n),
    ).toBe(0);
    expect(await countersRead(authorityId, now)).toBe(23 + 2 + 2);
    dashboard = await loadDashboard(prepared, authorityId, now);
    expect(dashboard.byOrganisation.map((line) => line.organisationId)).toEqual(expected);
    expect(dashboard).toEqual(await direct(authorityId, now));
    expect(dashboard.deadlines.missed).toBe(58);

    // A delta not folded yet moves 30 from behind to the top, and 2 down into the tie: both read, the tie too.
    await counters(authorityId, [
      ['open_cases.organisation', organisation(30), 100],
      ['open_cases.organisation', organisation(2), -88],
    ]);
    dashboard = await loadDashboard(prepared, authorityId, now);
    expect(dashboard.byOrganisation.map((line) => line.organisationId)).toEqual([
      organisation(30),
      organisation(1),
      ...Array.from({ length: 16 }, (_, i) => organisation(i + 3)),
      organisation(23),
      organisation(19),
    ]);
    expect(dashboard).toEqual(await direct(authorityId, now));
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
    for (const folded of [false, true]) {
      if (folded) await fold(authorityId);
      const dashboard = await loadDashboard(prepared, authorityId, now);
      expect(
        dashboard.byOrganisation.map((line) => [line.organisationId, line.openCases, line.overdueDeadlines]),
      ).toEqual([
        [organisation(1), 3, 0],
        [organisation(2), 1, 4],
        [organisation(3), 0, 2],
      ]);
      expect(dashboard).toEqual(await direct(authorityId, now));
    }
  });

  it('answers as a direct count after random changes, folded at random moments, at any time of day', async () => {
    const seed = 20261203;
    const rng = random(seed);
    await generateData(
      db,
      { authority: 'RAND', cases: 400, deadlinesPerCase: 3, organisations: 40, officers: 5, keepTriggers: true },
      () => {},
    );
    const [{ id: authorityId }] = (await query(`SELECT id FROM authorities WHERE code = 'RAND'`, [])) as {
      id: string;
    }[];
    const ids = async (sql: string) => (await query(sql, [authorityId])).map((row) => String(row.id));
    const allCases = await ids(`SELECT id FROM cases WHERE authority_id = $1 ORDER BY id`);
    const deadlines = await ids(`SELECT id FROM deadlines WHERE authority_id = $1 ORDER BY id`);
    const responses = await ids(`SELECT id FROM responses WHERE authority_id = $1 ORDER BY id`);
    const officers = await ids(`SELECT id FROM users WHERE authority_id = $1 AND role = 'officer' ORDER BY id`);
    const organisations = (
      await query(`SELECT id FROM organisations WHERE legal_name LIKE 'Generated provider RAND %' ORDER BY id`, [])
    ).map((row) => String(row.id));
    // The generated data spreads cases unevenly and the changes close and move them: organisations beyond the list
    // each keep one open case that no change touches, so the list's ranking is exercised whatever the draw.
    const anchored = organisations.slice(0, ORGANISATION_LIMIT + 5);
    for (const [index, organisationId] of anchored.entries())
      await db.query(
        `UPDATE cases SET organisation_id = $2, status = 'under_review', closed_at = NULL, close_reason = NULL
          WHERE id = $1`,
        [allCases[index], organisationId],
      );
    const cases = allCases.slice(anchored.length);
    const sample = (from: string[], most = 12) => Array.from({ length: 1 + rng.int(most) }, () => rng.pick(from));
    const base = Date.now();
    const instant = () => {
      // Around the windows' edges (now, the next midnight, 7 and 30 days on) and anywhere in the next five weeks.
      const midnight = Math.floor(base / DAY_MS) * DAY_MS;
      const edges = [base, midnight + DAY_MS, base + 7 * DAY_MS, base + 30 * DAY_MS, midnight + 8 * DAY_MS];
      return new Date(
        rng.next() < 0.5 ? rng.pick(edges) + rng.pick([-1, 0, 1, -3600_000]) : base + (rng.next() * 37 - 2) * DAY_MS,
      );
    };
    const changes: (() => Promise<unknown>)[] = [
      () =>
        db.query(
          `UPDATE cases SET status = $2, closed_at = CASE WHEN $2 = 'closed' THEN now() END,
                  close_reason = CASE WHEN $2 = 'closed' THEN 'random' END WHERE id = ANY($1::uuid[])`,
          [sample(cases), rng.pick(CASE_STATUSES)],
        ),
      () =>
        db.query(`UPDATE cases SET assignee_id = $2 WHERE id = ANY($1::uuid[])`, [
          sample(cases),
          rng.next() < 0.2 ? null : rng.pick(officers),
        ]),
      // Many cases at once to one organisation, often one from beyond the list: it jumps the ranking before a fold.
      () =>
        db.query(
          `UPDATE cases SET organisation_id = $2, status = 'under_review', closed_at = NULL, close_reason = NULL
            WHERE id = ANY($1::uuid[])`,
          [sample(cases, 40), rng.pick(organisations)],
        ),
      () =>
        db.query(`UPDATE cases SET organisation_id = $2 WHERE id = ANY($1::uuid[])`, [
          sample(cases),
          rng.pick(organisations),
        ]),
      () =>
        db.query(`UPDATE deadlines SET status = $2 WHERE id = ANY($1::uuid[])`, [
          sample(deadlines),
          rng.pick(DEADLINE_STATUSES),
        ]),
      () =>
        db.query(`UPDATE deadlines SET due_at = $2, status = 'pending' WHERE id = ANY($1::uuid[])`, [
          sample(deadlines),
          instant(),
        ]),
      () =>
        db.query(`UPDATE responses SET on_time = NOT on_time, days_to_respond = $2 WHERE id = ANY($1::uuid[])`, [
          sample(responses),
          rng.int(40),
        ]),
      () => fold(authorityId),
    ];
    for (let round = 0; round < 25; round++) {
      for (let change = 0; change < 1 + rng.int(4); change++) await rng.pick(changes)();
      const context = `seed ${seed}, round ${round}`;
      const recount = (await query(`${RECOUNT_SQL} ORDER BY 1, 2`, [authorityId])).map((row) => ({ ...row, context }));
      expect(
        (await query(`${COUNTER_VALUES_SQL} ORDER BY 1, 2`, [authorityId])).map((row) => ({ ...row, context })),
      ).toEqual(recount);
      for (const now of [new Date(base), instant(), instant()]) {
        const dashboard = await loadDashboard(prepared, authorityId, now);
        expect({ context, dashboard }).toEqual({ context, dashboard: await direct(authorityId, now) });
      }
    }
    // The list's ranking was exercised: organisations with open cases beyond the list.
    expect(
      (await query(COUNTER_VALUES_SQL, [authorityId])).filter((row) => row.metric === 'open_cases.organisation').length,
    ).toBeGreaterThan(ORGANISATION_LIMIT);
  });
});
