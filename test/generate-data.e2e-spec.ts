import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '#docket/platform';
import { COUNTER_VALUES_SQL, RECOUNT_SQL } from '#docket/reporting';
import { docketSchema } from '#docket/schema';
import { backfillDerived, DERIVED_TRIGGERS, generateData } from '../apps/cli/src/generate-data.js';
import { createEmptyDatabase, dropDatabase } from './support/database.js';

const SMALL = { cases: 400, deadlinesPerCase: 3, organisations: 30, officers: 5 };

describe('bench data generated with the derived-data triggers off (generate-data)', () => {
  let database: { name: string; url: string };
  let db: DataSource;

  const authorityId = async (code: string) =>
    ((await db.query(`SELECT id FROM authorities WHERE code = $1`, [code])) as { id: string }[])[0].id;
  /** The authority's dashboard counters (folded totals plus deltas) and its cases' next due instants. */
  const derived = async (id: string) => ({
    counters: (await db.query(`${COUNTER_VALUES_SQL} ORDER BY 1, 2`, [id])) as {
      metric: string;
      key: string;
      value: string;
    }[],
    nextDue: (await db.query(`SELECT id, next_due_at::text AS at FROM cases WHERE authority_id = $1 ORDER BY id`, [
      id,
    ])) as { id: string; at: string }[],
  });

  beforeAll(async () => {
    database = await createEmptyDatabase();
    db = new DataSource(dataSourceOptions(database.url, docketSchema, 2));
    await db.initialize();
    await runMigrations(db);
  });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(database.name);
  });

  it('backfills exactly what the triggers write for the same rows', async () => {
    await generateData(db, { authority: 'TRIGS', ...SMALL, keepTriggers: true }, () => {});
    const id = await authorityId('TRIGS');
    const byTriggers = await derived(id);
    // Every kind of counter and both kinds of next due instant are there to compare.
    const metrics = new Set(byTriggers.counters.map((row) => row.metric));
    for (const metric of [
      'cases',
      'open_cases.assignee',
      'open_cases.organisation',
      'missed.assignee',
      'missed.organisation',
      'pending.due_day',
      'responses.on_time',
    ])
      expect(metrics).toContain(metric);
    expect(byTriggers.nextDue.filter((row) => row.at === 'infinity').length).toBeGreaterThan(50);
    expect(byTriggers.nextDue.filter((row) => row.at !== 'infinity').length).toBeGreaterThan(10);

    await db.query(`DELETE FROM dashboard_counters WHERE authority_id = $1`, [id]);
    await db.query(`DELETE FROM dashboard_totals WHERE authority_id = $1`, [id]);
    await db.query(`UPDATE cases SET next_due_at = 'infinity' WHERE authority_id = $1`, [id]);
    expect((await derived(id)).counters).toEqual([]);
    await db.transaction((manager) => backfillDerived(manager, id));
    expect(await derived(id)).toEqual(byTriggers);
  });

  it('generates with the triggers off, counts as a recount does and leaves the triggers on', async () => {
    await generateData(db, { authority: 'BULK', ...SMALL }, () => {});
    const id = await authorityId('BULK');
    const { counters, nextDue } = await derived(id);
    expect(counters).toEqual(await db.query(`${RECOUNT_SQL} ORDER BY 1, 2`, [id]));
    const expected = (await db.query(
      `SELECT c.id, coalesce(min(d.due_at) FILTER (WHERE d.status = 'pending'), 'infinity')::text AS at
         FROM cases c LEFT JOIN deadlines d ON d.case_id = c.id WHERE c.authority_id = $1 GROUP BY c.id ORDER BY c.id`,
      [id],
    )) as typeof nextDue;
    expect(nextDue).toEqual(expected);
    expect(nextDue.some((row) => row.at !== 'infinity')).toBe(true);
    // Loaded without the foreign-key triggers (as a replica), the rows still reference rows that exist.
    const [orphans] = (await db.query(
      `SELECT (SELECT count(*) FROM deadlines d WHERE NOT EXISTS (SELECT FROM cases c WHERE c.id = d.case_id))
            + (SELECT count(*) FROM deadlines d WHERE d.inquiry_id IS NOT NULL AND NOT EXISTS (SELECT FROM inquiries i WHERE i.id = d.inquiry_id))
            + (SELECT count(*) FROM responses r WHERE NOT EXISTS (SELECT FROM deadlines d WHERE d.id = r.deadline_id))
            + (SELECT count(*) FROM outcomes o WHERE NOT EXISTS (SELECT FROM cases c WHERE c.id = o.case_id))
            + (SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT FROM organisations o WHERE o.id = c.organisation_id))
            AS n`,
    )) as { n: string }[];
    expect(Number(orphans.n)).toBe(0);
    const enabled = (await db.query(
      `SELECT tgname FROM pg_trigger WHERE tgname = ANY($1::text[]) AND tgenabled = 'O'`,
      [DERIVED_TRIGGERS.map(([, trigger]) => trigger)],
    )) as { tgname: string }[];
    expect(enabled.map((row) => row.tgname).sort()).toEqual(DERIVED_TRIGGERS.map(([, trigger]) => trigger).sort());
  });
});
