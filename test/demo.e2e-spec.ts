import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { DEMO_AUTHORITIES, demoEmail, demoPassword, GARANTE_QUESTIONS, PROVIDER, type DemoRole } from '#docket/demo';
import { runCli } from '../apps/cli/src/commands.js';
import { bearer, createTenant, startTestApp, tokenFor, type TestApp } from './support/app.js';

const COUNTED = [
  'authorities',
  'users',
  'organisations',
  'cases',
  'inquiries',
  'deadlines',
  'reminders',
  'responses',
  'outcomes',
  'outbound_messages',
  'case_notes',
  'audit_events',
] as const;
const localDate = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toISODate();

describe('the demo (npm run seed:demo)', () => {
  let test: TestApp;
  let db: DataSource;
  let dataDir: string;
  let env: Record<string, string>;
  let loadStarted: Date;
  let loadEnded: Date;
  const firstRun: string[] = [];
  const secondRun: string[] = [];
  const tokens = new Map<string, string>();

  const counts = async () => {
    const row = (await db.query(
      `SELECT ${COUNTED.map((table) => `(SELECT count(*)::int FROM ${table}) AS ${table}`).join(', ')}`,
    )) as Record<string, number>[];
    return row[0];
  };
  const token = async (code: string, role: DemoRole = 'manager') => {
    const key = `${code}/${role}`;
    if (!tokens.has(key)) tokens.set(key, await tokenFor(test, demoEmail(code, role), demoPassword(code, role)));
    return tokens.get(key) as string;
  };
  const get = async (code: string, path: string) =>
    (
      await test
        .http()
        .get(path)
        .set(bearer(await token(code)))
        .expect(200)
    ).body;
  /** The demo case of an authority with this tag, as its case file. */
  const demoCase = async (code: string, tag: string) => {
    const page = await get(code, '/api/v1/cases?limit=200');
    const found = (page.items as { id: string; tags: string[] }[]).filter((kase) => kase.tags.includes(tag));
    expect(found).toHaveLength(1);
    return get(code, `/api/v1/cases/${found[0].id}`);
  };

  beforeAll(async () => {
    // No workers: nothing but the demo changes the database between the two runs.
    // The app and the seeding CLI share one data folder, hence one audit key (<data dir>/audit.key).
    dataDir = mkdtempSync(join(tmpdir(), 'docket-demo-'));
    test = await startTestApp({ roles: 'api', dataDir });
    db = test.app.get(DataSource);
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: test.databaseUrl,
      DOCKET_DATA_DIR: dataDir,
      QUEUE_PREFIX: test.database.name,
    };
    loadStarted = new Date();
    expect(await runCli(['seed-demo'], env, (line) => firstRun.push(line))).toBe(0);
    loadEnded = new Date();
  });

  afterAll(async () => {
    if (test) await test.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads once and a second run changes nothing, saying what it skipped', async () => {
    const before = await counts();
    expect(before).toMatchObject({ authorities: 7, users: 7 * 4 + 1, organisations: 6, cases: 19, outcomes: 5 });
    expect(firstRun.join('\n')).toContain('manager@gpdp.demo.example / demo-gpdp-manager');

    expect(await runCli(['seed-demo'], env, (line) => secondRun.push(line))).toBe(0);
    expect(await counts()).toEqual(before);
    const said = secondRun.join('\n');
    expect(said).toContain('Demo already loaded, nothing changed');
    expect(said).toContain('19 cases');
    // Passwords are printed by the run that creates the users only.
    expect(said).not.toContain('demo-gpdp-manager');
  });

  it("has the Garante's request of 28 Jan 2025: 20 days to 17 Feb, seven questions, answered insufficiently on 30 Jan, limited the same day", async () => {
    const kase = await demoCase('GPDP', 'demo:gpdp-2025-request');
    expect(kase.reference).toBe('GPDP-2025-0001');
    const [inquiry] = kase.inquiries;
    expect(inquiry.questions.map((question: { id: string }) => question.id)).toEqual(GARANTE_QUESTIONS);
    expect(inquiry.locale).toBe('it');
    expect(inquiry.status).toBe('sent');
    expect(localDate(inquiry.sentAt, 'Europe/Rome')).toBe('2025-01-28');
    expect(inquiry.deadline).toMatchObject({ dueDate: '2025-02-17', dueAt: '2025-02-17T22:59:59.999Z', status: 'met' });
    const deadline = await get('GPDP', `/api/v1/deadlines/${inquiry.deadline.id}`);
    expect(localDate(deadline.eventAt, 'Europe/Rome')).toBe('2025-01-28');
    expect(deadline.rule).toEqual({ type: 'period', count: 20, unit: 'calendar_days' });
    expect(deadline.reminders).toEqual([]);

    const [response] = kase.responses;
    expect(localDate(response.receivedAt, 'Europe/Rome')).toBe('2025-01-30');
    expect(response.onTime).toBe(true);
    expect(response.assessments).toMatchObject({ insufficient: 7, answered: 0 });
    expect(response.answers.map((answer: { assessment: string }) => answer.assessment)).toEqual(
      Array(7).fill('insufficient'),
    );

    expect(kase.outcomes).toHaveLength(1);
    expect(kase.outcomes[0].type).toBe('processing_limitation');
    expect(localDate(kase.outcomes[0].decidedAt, 'Europe/Rome')).toBe('2025-01-30');
    expect(kase.status).toBe('decided');

    // The trail says who did what, and when.
    const timeline = (await get('GPDP', `/api/v1/cases/${kase.id}/timeline`)).items as {
      at: string;
      action: string;
      actor: { label: string };
    }[];
    const step = (action: string) => timeline.find((line) => line.action === action);
    expect(step('case.created')?.actor.label).toBe('Marco Rossi <officer1@gpdp.demo.example>');
    expect(step('case.shared')?.actor.label).toBe('Giulia Bianchi <manager@gpdp.demo.example>');
    expect(step('outcome.recorded')).toMatchObject({
      at: '2025-01-30T17:00:00.000Z',
      actor: { label: 'Giulia Bianchi <manager@gpdp.demo.example>' },
    });
    expect(timeline.map((line) => line.at)).toEqual([...timeline.map((line) => line.at)].sort());
  });

  it("has PIPC's suspension from 15 Feb 2025 18:00 KST and the 24 Apr recommendations: 10 days by the Korean calendar, two follow-up checks", async () => {
    const kase = await demoCase('PIPC', 'demo:pipc-2025-questionnaire');
    expect(kase.inquiries[0].questions.map((question: { topic: string }) => question.topic)).toEqual([
      'representative',
      'collection',
      'storage_location',
      'transfers',
    ]);
    const suspension = kase.outcomes.find((outcome: { type: string }) => outcome.type === 'suspension');
    expect(suspension.decidedAt).toBe(DateTime.fromISO('2025-02-15T18:00:00+09:00').toUTC().toISO());
    const recommendation = kase.outcomes.find((outcome: { type: string }) => outcome.type === 'recommendation');
    expect(localDate(recommendation.decidedAt, 'Asia/Seoul')).toBe('2025-04-24');

    // 24 Apr + 10 days is Sunday 4 May; 5 May is Children's Day and Buddha's Birthday, 6 May their substitute holiday.
    const computed = (
      await test
        .http()
        .post('/api/v1/calendar/compute')
        .set(bearer(await token('PIPC')))
        .send({ authority: 'PIPC', start: recommendation.decidedAt, count: 10, unit: 'calendar_days' })
        .expect(200)
    ).body;
    expect(computed.dueDate).toBe('2025-05-07');
    expect(recommendation.compliance.dueDate).toBe(computed.dueDate);
    const compliance = await get('PIPC', `/api/v1/deadlines/${recommendation.compliance.id}`);
    expect(compliance.explanation.map((entry: { date: string }) => entry.date)).toEqual(
      expect.arrayContaining(['2025-05-04', '2025-05-05', '2025-05-06', '2025-05-07']),
    );
    expect(recommendation.followUpChecks.map((check: { dueDate: string }) => check.dueDate)).toEqual([
      '2025-07-24',
      '2025-10-24',
    ]);

    // The domestic representative PIPC recorded on 10 Feb 2025 is in PIPC's own address book; the Garante's
    // record (no EU and no Korean representative, as registered) is the Garante's.
    const organisation = await get('PIPC', `/api/v1/organisations/${kase.organisationId}`);
    expect(organisation.representatives).toEqual([expect.objectContaining({ jurisdiction: 'KR', appointed: true })]);
    const garante = await get('GPDP', `/api/v1/organisations/${kase.organisationId}`);
    expect(garante.representatives).toEqual([
      expect.objectContaining({ jurisdiction: 'EU', appointed: false }),
      expect.objectContaining({ jurisdiction: 'KR', appointed: false }),
    ]);
    expect(organisation.legalEntities.map((entity: { name: string }) => entity.name)).toEqual([
      PROVIDER,
      'Beijing DeepSeek Artificial Intelligence Basic Technology Research Co., Ltd.',
    ]);
  });

  it("has Berlin's request of 6 May 2025 and the notice to the app stores of 27 Jun", async () => {
    const kase = await demoCase('BLNBDI', 'demo:blnbdi-2025-request');
    expect(localDate(kase.inquiries[0].sentAt, 'Europe/Berlin')).toBe('2025-05-06');
    expect(kase.inquiries[0].locale).toBe('de');
    expect(kase.inquiries[0].subject).toMatch(/^Auskunftsersuchen – /);
    const [notice] = kase.outcomes;
    expect(notice.type).toBe('third_party_notice');
    expect(localDate(notice.decidedAt, 'Europe/Berlin')).toBe('2025-06-27');
    expect(notice.noticeTo).toMatch(/Apple.*Google/);
    // The request was ignored: decided without an answer, its deadline missed, then settled by the decision.
    expect(kase.responses).toEqual([]);
    expect(kase.status).toBe('decided');
    const deadline = await get('BLNBDI', `/api/v1/deadlines/${kase.inquiries[0].deadline.id}`);
    expect(deadline.history.map((entry: { action: string }) => entry.action)).toEqual(['created', 'missed', 'waived']);
  });

  it('shows the shared cases of all seven authorities in the coordination view of the provider', async () => {
    const organisations = (await get('DPC', '/api/v1/coordination/organisations')) as {
      organisationId: string;
      name: string;
      authorities: string[];
    }[];
    const provider = organisations.find((organisation) => organisation.name === PROVIDER);
    expect(provider?.authorities).toEqual(DEMO_AUTHORITIES.map((authority) => authority.code).sort());
    const view = await get('DPC', `/api/v1/coordination?organisationId=${provider?.organisationId}`);
    expect(view.authorities).toEqual(DEMO_AUTHORITIES.map((authority) => authority.code).sort());
    const byAuthority = new Map(
      (
        view.cases as {
          authority: { code: string };
          reference: string;
          ownCase: boolean;
          latestOutcome: { type: string } | null;
        }[]
      ).map((line) => [line.authority.code, line]),
    );
    expect(byAuthority.get('GPDP')).toMatchObject({
      reference: 'GPDP-2025-0001',
      ownCase: false,
      latestOutcome: { type: 'processing_limitation' },
    });
    expect(byAuthority.get('PIPC')?.latestOutcome?.type).toBe('recommendation');
    expect(byAuthority.get('BLNBDI')?.latestOutcome?.type).toBe('third_party_notice');
    expect(byAuthority.get('DPC')?.ownCase).toBe(true);
  });

  it("gives the Garante's managers overdue and due-soon work from the current set, with reminders firing within minutes", async () => {
    const dashboard = await get('GPDP', '/api/v1/dashboard');
    expect(dashboard.deadlines.overdue).toBe(1);
    expect(dashboard.deadlines.dueIn7Days).toBeGreaterThanOrEqual(1);
    expect(dashboard.deadlines.dueIn30Days).toBeGreaterThanOrEqual(2);
    expect(dashboard.cases.open).toBe(5);

    const live = await demoCase('GPDP', 'demo:now-gpdp-verdant');
    const deadline = await get('GPDP', `/api/v1/deadlines/${live.inquiries[0].deadline.id}`);
    const soon = (deadline.reminders as { fireAt: string; status: string; audience: string }[]).filter(
      (reminder) =>
        reminder.status === 'scheduled' && new Date(reminder.fireAt).getTime() <= loadEnded.getTime() + 3 * 60_000,
    );
    expect(soon.map((reminder) => reminder.audience).sort()).toEqual(['assignee', 'manager', 'respondent']);
    for (const reminder of soon)
      expect(new Date(reminder.fireAt).getTime()).toBeGreaterThan(loadStarted.getTime() + 59_000);

    // Nothing of the past is left to fire: every scheduled reminder lies after the load.
    const [{ stale }] = (await db.query(
      `SELECT count(*)::int AS stale FROM reminders WHERE status = 'scheduled' AND fire_at < $1`,
      [loadStarted],
    )) as { stale: number }[];
    expect(stale).toBe(0);
    // Every deadline of the 2025 story is settled.
    const [{ open }] = (await db.query(
      `SELECT count(*)::int AS open FROM deadlines WHERE due_at < '2026-01-01' AND status IN ('pending', 'suspended', 'missed')`,
    )) as { open: number }[];
    expect(open).toBe(0);
    // The letters went out at the dates of their story, into the outbox.
    expect(readdirSync(join(dataDir, 'mail')).length).toBe((await counts()).inquiries);
  });

  it("verifies every authority's audit chain", async () => {
    for (const { code } of DEMO_AUTHORITIES) {
      const check = await get(code, '/api/v1/audit/verify');
      expect({ code, valid: check.valid }).toEqual({ code, valid: true });
      expect(check.entries).toBeGreaterThan(5);
    }
  });

  it('is never loaded into a database that holds other work', async () => {
    const other = await startTestApp({ roles: 'api' });
    try {
      await createTenant(other, 'AEPD', {
        country: 'ES',
        timezone: 'Europe/Madrid',
        locale: 'es',
        holidayRegion: 'ES',
      });
      await expect(
        runCli(
          ['seed-demo'],
          { ...env, DATABASE_URL: other.databaseUrl, QUEUE_PREFIX: other.database.name },
          () => undefined,
        ),
      ).rejects.toThrow(/not part of the demo \(AEPD\)/);
      const [{ users }] = (await other.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS users FROM users WHERE email LIKE '%.demo.example'`)) as { users: number }[];
      expect(users).toBe(0);
    } finally {
      await other.close();
    }
  });
});
