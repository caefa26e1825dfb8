import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { HOLIDAY_DATA_VERSION, localDateTimeOf } from '#docket/calendar';
import { canonicalJson, DeadlineNotices } from '#docket/deadlines';
import { FixedClock } from '#docket/platform';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';
import { cookieHeader, pageSession } from './support/page-session.js';

interface DeadlineBody {
  id: string;
  status: string;
  dueDate: string;
  dueAt: string;
  ruleSet: string;
  holidayDataVersion: string | null;
  warnings: string[];
  label: string;
  suspendedAt: string | null;
  explanation: { date: string; kind: string; reason: string }[];
  history: { action: string; previousDueAt: string | null; dueAt: string | null; reason: string | null }[];
  reminders: { offset: string; fireAt: string; status: string; audience: string }[];
}

describe('legal time (issue 21)', () => {
  let test: TestApp;
  let clock: FixedClock;
  let gpdp: Tenant;
  let anpd: Tenant;
  let pipc: Tenant;
  let gpdpCase: string;
  let anpdCase: string;
  let db: DataSource;

  beforeAll(async () => {
    clock = new FixedClock(new Date('2026-12-02T14:00:00Z'));
    test = await startTestApp({ clock });
    db = test.app.get(DataSource);
    gpdp = await createTenant(test, 'GPDP');
    anpd = await createTenant(test, 'ANPD', {
      country: 'BR',
      timezone: 'America/Sao_Paulo',
      locale: 'pt-BR',
      holidayRegion: 'BR',
    });
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    gpdpCase = (await createCase(test, gpdp, await createProvider(test, gpdp.tokens.officer))).id;
    anpdCase = (
      await createCase(test, anpd, await createProvider(test, anpd.tokens.officer, 'Provedora Exemplo Ltda.'))
    ).id;
  });
  afterAll(async () => {
    await test?.close();
  });

  const get = async (tenant: Tenant, id: string): Promise<DeadlineBody> =>
    (await test.http().get(`/api/v1/deadlines/${id}`).set(bearer(tenant.tokens.officer)).expect(200)).body;
  const create = async (tenant: Tenant, caseId: string, body: Record<string, unknown>, status = 201) =>
    test.http().post(`/api/v1/cases/${caseId}/deadlines`).set(bearer(tenant.tokens.officer)).send(body).expect(status);
  const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('the Brazilian case: an outcome decided on 2026-12-02 is that day in São Paulo, and its deadline matches calendar/compute', async () => {
    const outcome = await test
      .http()
      .post(`/api/v1/cases/${anpdCase}/outcomes`)
      .set(bearer(anpd.tokens.officer))
      .send({
        type: 'corrective_order',
        decidedAt: '2026-12-02',
        summary: 'Order to stop processing',
        compliance: { count: 10, unit: 'calendar_days' },
      })
      .expect(201);
    expect(outcome.body.decidedAt).toBe('2026-12-02T03:00:00.000Z');
    expect(outcome.body.decidedDate).toBe('2026-12-02');
    const compute = await test
      .http()
      .post('/api/v1/calendar/compute')
      .set(bearer(anpd.tokens.officer))
      .send({ authority: 'ANPD', start: '2026-12-02', count: 10, unit: 'calendar_days' })
      .expect(200);
    expect(compute.body.dueDate).toBe('2026-12-14');
    const deadline = await get(anpd, outcome.body.compliance.id);
    expect(deadline.dueDate).toBe(compute.body.dueDate);
    expect(deadline.dueAt).toBe(new Date(compute.body.dueAt).toISOString());
    // Office-hours defaults: 09:00 in São Paulo (12:00 UTC), the assignee one and five working days before.
    const fire = deadline.reminders.map((reminder) => reminder.fireAt).sort();
    expect(fire).toEqual(['2026-12-07T12:00:00.000Z', '2026-12-11T12:00:00.000Z', '2026-12-14T12:00:00.000Z']);
  });

  it('a new inquiry’s default reminders land at 09:00 local in Seoul, Rome and São Paulo, on working days', async () => {
    for (const [tenant, zone] of [
      [pipc, 'Asia/Seoul'],
      [gpdp, 'Europe/Rome'],
      [anpd, 'America/Sao_Paulo'],
    ] as const) {
      const kase = await createCase(
        test,
        tenant,
        await createProvider(test, tenant.tokens.officer, `${tenant.code} AI`),
      );
      const inquiry = await test
        .http()
        .post(`/api/v1/cases/${kase.id}/inquiries`)
        .set(bearer(tenant.tokens.officer))
        .send({
          template: 'ai-inquiry',
          locale: 'en',
          to: ['dpo@provider.example'],
          deadline: { count: 20, unit: 'calendar_days' },
        })
        .expect(202);
      expect(inquiry.body.deadline.dueDate).toBe('2026-12-22');
      const deadline = await get(tenant, inquiry.body.deadline.id);
      const local = deadline.reminders.map(
        (reminder) => `${reminder.audience} ${localDateTimeOf(new Date(reminder.fireAt), zone)}`,
      );
      // Due Tuesday 22 Dec: the assignee 5 and 1 working days before, the managers the first working day after (the
      // deadline missed), the chaser 3 working days after: past Christmas (and St Stephen's Day in Rome) to Monday 28.
      expect(local.sort()).toEqual([
        'assignee 2026-12-15 09:00',
        'assignee 2026-12-21 09:00',
        'manager 2026-12-23 09:00',
        'respondent 2026-12-28 09:00',
      ]);
    }
  });

  it('a date-only filter is the authority’s local date', async () => {
    const list = await test
      .http()
      .get('/api/v1/deadlines?dueAfter=2026-12-14&dueBefore=2026-12-15')
      .set(bearer(anpd.tokens.officer))
      .expect(200);
    expect(list.body.items.map((item: { dueDate: string }) => item.dueDate)).toEqual(['2026-12-14']);
  });

  it('lists rule sets and counts hours, under eu-1182-71 from the next hour', async () => {
    const sets = await test.http().get('/api/v1/rule-sets').set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(sets.body.items.map((set: { id: string }) => set.id)).toEqual(
      expect.arrayContaining(['national', 'eu-1182-71']),
    );
    expect(sets.body.holidayDataVersion).toBe(HOLIDAY_DATA_VERSION);
    const hours = await test
      .http()
      .post('/api/v1/calendar/compute')
      .set(bearer(gpdp.tokens.officer))
      .send({ authority: 'GPDP', start: '2026-03-28T12:25:00+01:00', count: 24, unit: 'hours', ruleSet: 'eu-1182-71' })
      .expect(200);
    expect(hours.body).toMatchObject({ dueAt: '2026-03-29T14:00:00.000+02:00', ruleSet: 'eu-1182-71' });

    const created = await create(gpdp, gpdpCase, {
      label: 'Breach notification (GDPR Art. 33)',
      start: '2026-12-02T10:00:00+01:00',
      count: 72,
      unit: 'hours',
      ruleSet: 'eu-1182-71',
    });
    expect(created.body).toMatchObject({
      dueAt: '2026-12-05T09:00:00.000Z',
      ruleSet: 'eu-1182-71',
      holidayDataVersion: HOLIDAY_DATA_VERSION,
    });
  });

  it('an outcome’s deadline in hours is due at an exact instant, under the rule set it names', async () => {
    const outcome = async (compliance: Record<string, unknown>, status: number) =>
      test
        .http()
        .post(`/api/v1/cases/${anpdCase}/outcomes`)
        .set(bearer(anpd.tokens.officer))
        .send({
          type: 'corrective_order',
          decidedAt: '2026-12-01T16:30:00-03:00',
          summary: 'Notify the breach',
          compliance,
        })
        .expect(status);
    const before = await count('deadlines');
    for (const bad of [
      { count: 0, unit: 'hours' },
      { count: 8761, unit: 'hours' },
      { count: 72, unit: 'hours', ruleSet: 'eu-9999' },
    ]) {
      const refused = await outcome(bad, 400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    expect(await count('deadlines')).toBe(before);
    // Reg. 1182/71 art. 3(1): the hour of the event (16:xx) is not counted; 72 hours from 17:00 São Paulo.
    const created = (await outcome({ count: 72, unit: 'hours', ruleSet: 'eu-1182-71' }, 201)).body;
    const deadline = await get(anpd, created.compliance.id);
    expect(deadline).toMatchObject({ dueAt: '2026-12-04T20:00:00.000Z', dueDate: '2026-12-04', ruleSet: 'eu-1182-71' });
    expect(deadline.explanation.some((entry) => entry.reason.includes('art. 3(1)'))).toBe(true);
  });

  it.each([
    [{ count: 0, unit: 'hours' }, 'count'],
    [{ count: 8761, unit: 'hours' }, 'count'],
    [{ count: 2, unit: 'calendar_days', ruleSet: 'eu-9999' }, 'ruleSet'],
  ])('refuses %j with a 400 naming %s, and writes nothing', async (period, field) => {
    const before = await count('deadlines');
    const computed = await test
      .http()
      .post('/api/v1/calendar/compute')
      .set(bearer(gpdp.tokens.officer))
      .send({ authority: 'GPDP', start: '2026-12-02', ...period })
      .expect(400);
    expect(computed.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    const refused = await create(gpdp, gpdpCase, { label: 'Refused', ...period }, 400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(await count('deadlines')).toBe(before);
  });

  it('a receipt cut-off moves an event after it to the next working day; a cut-off that is not a time is refused', async () => {
    const bad = await test
      .http()
      .patch('/api/v1/authorities/GPDP/calendar-settings')
      .set(bearer(gpdp.tokens.admin))
      .send({ receiptCutoff: '25:00' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('receiptCutoff');
    const set = await test
      .http()
      .patch('/api/v1/authorities/GPDP/calendar-settings')
      .set(bearer(gpdp.tokens.admin))
      .send({ receiptCutoff: '18:00' })
      .expect(200);
    expect(set.body.receiptCutoff).toBe('18:00');
    const late = await test
      .http()
      .post('/api/v1/calendar/compute')
      .set(bearer(gpdp.tokens.officer))
      .send({ authority: 'GPDP', start: '2026-12-04T19:00:00+01:00', count: 10, unit: 'calendar_days' })
      .expect(200);
    expect(late.body.dueDate).toBe('2026-12-17');
    expect(late.body.explanation.some((entry: { kind: string }) => entry.kind === 'cutoff')).toBe(true);
    await test
      .http()
      .patch('/api/v1/authorities/GPDP/calendar-settings')
      .set(bearer(gpdp.tokens.admin))
      .send({ receiptCutoff: null })
      .expect(200);
  });

  it('removes a closure day with a reason: the deadline moves back and its history says why', async () => {
    const deadline = (await create(gpdp, gpdpCase, { label: 'Due 2030-03-11', dueDate: '2030-03-11' })).body;
    await test
      .http()
      .post('/api/v1/authorities/GPDP/closures')
      .set(bearer(gpdp.tokens.admin))
      .send({ date: '2030-03-11', reason: 'Office move' })
      .expect(201);
    expect((await get(gpdp, deadline.id)).dueDate).toBe('2030-03-12');
    // The assignee reads Italian from now on: the second notice is written in Italian.
    await test.http().patch('/api/v1/me').set(bearer(gpdp.tokens.officer)).send({ language: 'it' }).expect(200);
    await test
      .http()
      .delete('/api/v1/authorities/GPDP/closures/2030-03-11')
      .set(bearer(gpdp.tokens.admin))
      .send({})
      .expect(400);
    await test
      .http()
      .delete('/api/v1/authorities/GPDP/closures/2030-03-13')
      .set(bearer(gpdp.tokens.admin))
      .send({ reason: 'Not a closure day' })
      .expect(404);
    const removed = await test
      .http()
      .delete('/api/v1/authorities/GPDP/closures/2030-03-11')
      .set(bearer(gpdp.tokens.admin))
      .send({ reason: 'Entered by mistake: the move is in April' })
      .expect(200);
    expect(removed.body).toMatchObject({ date: '2030-03-11', reason: 'Office move', recomputedDeadlines: 1 });
    const after = await get(gpdp, deadline.id);
    expect(after.dueDate).toBe('2030-03-11');
    const last = after.history[after.history.length - 1];
    expect(last.action).toBe('recomputed');
    expect(last.reason).toContain('removed: Entered by mistake');
    // The assignee was told of both moves, each with its reason, in the language they read at the time.
    await test.http().patch('/api/v1/me').set(bearer(gpdp.tokens.officer)).send({ language: 'en' }).expect(200);
    const told = (await db.query(
      `SELECT subject, text FROM outbound_messages WHERE kind = 'notification' AND subject LIKE '%Due 2030-03-11' ORDER BY created_at`,
    )) as { subject: string; text: string }[];
    expect(told.map((row) => row.subject.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'Deadline moved to 12 March 2030: Due 2030-03-11',
      'Nuova scadenza del termine: 11 marzo 2030 – Due 2030-03-11',
    ]);
    expect(told[0].text).toContain('from 11 March 2030 at 23:59 to 12 March 2030 at 23:59 (Europe/Rome)');
    expect(told[0].text).toContain('Why: closure day 11 March 2030 added: Office move.');
    expect(told[1].text).toContain(
      'Motivo: eliminato il giorno di chiusura 11 marzo 2030 (Office move): Entered by mistake: the move is in April.',
    );
    expect(told[1].text).toContain('i relativi promemoria sono stati ripianificati');
    expect(told[1].text).not.toMatch(/Deadline|Why|closure day/);
  });

  it('a suspension may start in the past, not before the event and never in the future', async () => {
    const deadline = (
      await create(gpdp, gpdpCase, {
        label: 'Answer',
        start: '2026-11-20T10:00:00+01:00',
        count: 20,
        unit: 'calendar_days',
      })
    ).body;
    expect(deadline.dueDate).toBe('2026-12-10');
    const suspend = (from: string, status: number) =>
      test
        .http()
        .post(`/api/v1/deadlines/${deadline.id}/suspend`)
        .set(bearer(gpdp.tokens.officer))
        .send({ reason: 'Waiting for the translation', from })
        .expect(status);
    expect((await suspend('2026-11-19', 400)).body.errors[0].field).toBe('from');
    expect((await suspend('2026-12-03T10:00:00Z', 400)).body.errors[0].field).toBe('from');
    expect((await get(gpdp, deadline.id)).status).toBe('pending');
    const suspended = (await suspend('2026-11-27', 200)).body;
    // A date is the authority's local date: its first instant in Rome.
    expect(suspended).toMatchObject({ status: 'suspended', suspendedAt: '2026-11-26T23:00:00.000Z' });
    clock.set(new Date('2026-12-02T15:00:00Z'));
    const resumed = (
      await test
        .http()
        .post(`/api/v1/deadlines/${deadline.id}/resume`)
        .set(bearer(gpdp.tokens.officer))
        .send({})
        .expect(200)
    ).body;
    // Stopped 27 Nov to 2 Dec: 5 days added to 10 Dec = Tuesday 15 Dec.
    expect(resumed.dueDate).toBe('2026-12-15');
  });

  it('a period restarts from a new event, keeping its history', async () => {
    const deadline = (
      await create(gpdp, gpdpCase, {
        label: 'Answer',
        start: '2026-11-02T10:00:00+01:00',
        count: 30,
        unit: 'calendar_days',
      })
    ).body;
    await test
      .http()
      .post(`/api/v1/deadlines/${deadline.id}/restart`)
      .set(bearer(gpdp.tokens.officer))
      .send({ eventAt: '2026-11-01', reason: 'too early' })
      .expect(400);
    const restarted = (
      await test
        .http()
        .post(`/api/v1/deadlines/${deadline.id}/restart`)
        .set(bearer(gpdp.tokens.officer))
        .send({ eventAt: '2026-12-01T10:00:00+01:00', reason: 'Clarification received' })
        .expect(200)
    ).body;
    expect(restarted.dueDate).toBe('2026-12-31');
    expect(restarted.history.map((event: { action: string }) => event.action)).toEqual(['created', 'restarted']);
    expect(restarted.explanation[0].reason).toContain('Clarification received');
  });

  it('new holiday data moves a running deadline, records it and tells the assignee', async () => {
    const deadline = (await create(gpdp, gpdpCase, { label: 'Due after Christmas', dueDate: '2026-12-29' })).body;
    // As computed by a release whose data did not know St Stephen's Day: due on 26 December, now a holiday → 28.
    await db.query(
      `UPDATE deadlines SET due_date = '2026-12-26', due_at = '2026-12-26T22:59:59.999Z', holiday_data_version = 'date-holidays@3.0.0+supplements.000000000000', rule = '{"type":"date","dueDate":"2026-12-26"}' WHERE id = $1`,
      [deadline.id],
    );
    const moved = await test.app.get(DeadlineNotices).applyHolidayDataUpdate();
    expect(moved).toBeGreaterThanOrEqual(1);
    const after = await get(gpdp, deadline.id);
    expect(after.dueDate).toBe('2026-12-28');
    expect(after.holidayDataVersion).toBe(HOLIDAY_DATA_VERSION);
    const last = after.history[after.history.length - 1];
    expect(last).toMatchObject({ action: 'recomputed', previousDueAt: '2026-12-26T22:59:59.999Z' });
    expect(last.reason).toContain('holiday data updated');
    const notices = await db.query(
      `SELECT to_addresses AS "to", subject FROM outbound_messages WHERE kind = 'notification' AND subject LIKE '%Deadline moved%: Due after Christmas'`,
    );
    expect(notices).toHaveLength(1);
    expect(JSON.stringify(notices[0].to)).toContain('officer@gpdp.test');
    // A second pass finds nothing to do.
    expect(await test.app.get(DeadlineNotices).applyHolidayDataUpdate()).toBe(0);
  });

  it('a change of calendar settings moves running deadlines at once, records each move and tells the assignee', async () => {
    // Under IT, Tuesday 29 June 2027 is a working day; in Rome (IT-62-RM) it is Saints Peter and Paul.
    const dated = (await create(gpdp, gpdpCase, { label: 'Settings: Rome holiday', dueDate: '2027-06-29' })).body;
    // Tuesday 2 March 2027 at 19:00: 10 days end on Friday 12 March; with an 18:00 cut-off the event counts on
    // Wednesday 3 March, 10 days end on Saturday 13 March, so Monday 15 March.
    const counted = (
      await create(gpdp, gpdpCase, {
        label: 'Settings: late event',
        start: '2027-03-02T19:00:00+01:00',
        count: 10,
        unit: 'calendar_days',
      })
    ).body;
    expect([dated.dueDate, counted.dueDate]).toEqual(['2027-06-29', '2027-03-12']);
    const settings = (body: Record<string, unknown>, status: number) =>
      test
        .http()
        .patch('/api/v1/authorities/GPDP/calendar-settings')
        .set(bearer(gpdp.tokens.admin))
        .send(body)
        .expect(status);
    const calendarChanges = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'authority.calendar_changed' AND authority_id = $1`,
          [gpdp.authorityId],
        )
      )[0].n as number;
    const changesBefore = await calendarChanges();

    // Bad input changes nothing.
    expect((await settings({ holidayRegion: 'IT-99' }, 400)).body.errors[0].field).toBe('holidayRegion');
    expect((await settings({ receiptCutoff: 'six pm' }, 400)).body.errors[0].field).toBe('receiptCutoff');
    expect((await get(gpdp, dated.id)).history).toHaveLength(1);
    expect(await calendarChanges()).toBe(changesBefore);

    const changed = (await settings({ holidayRegion: 'IT-62-RM', receiptCutoff: '18:00' }, 200)).body;
    expect(changed).toMatchObject({ holidayRegion: 'IT-62-RM', receiptCutoff: '18:00' });
    expect(changed.recomputedDeadlines).toBeGreaterThanOrEqual(2);
    for (const [deadline, from, to] of [
      [dated, '2027-06-29', '2027-06-30'],
      [counted, '2027-03-12', '2027-03-15'],
    ] as const) {
      const after = await get(gpdp, deadline.id);
      expect(after.dueDate).toBe(to);
      const last = after.history[after.history.length - 1];
      expect(last).toMatchObject({ action: 'recomputed', previousDueAt: deadline.dueAt });
      expect(last.reason).toContain('calendar settings changed');
      expect(last.reason).toContain('holidayRegion "IT" → "IT-62-RM"');
      expect(last.reason).toContain('receiptCutoff null → "18:00"');
      const notices = await db.query(
        `SELECT to_addresses AS "to", subject, text FROM outbound_messages WHERE kind = 'notification' AND subject LIKE $1`,
        [
          `%Deadline moved to ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${to}T00:00:00Z`))}: ${after.label}`,
        ],
      );
      expect(notices).toHaveLength(1);
      expect(JSON.stringify(notices[0].to)).toContain('officer@gpdp.test');
      expect(notices[0].text).toContain('calendar settings changed');
      expect(from).not.toBe(to);
    }
    expect(await calendarChanges()).toBe(changesBefore + 1);

    // Back as it was: the deadlines move back, each with its own history entry.
    await settings({ holidayRegion: 'IT', receiptCutoff: null }, 200);
    expect((await get(gpdp, dated.id)).dueDate).toBe('2027-06-29');
    const back = await get(gpdp, counted.id);
    expect(back.dueDate).toBe('2027-03-12');
    expect(back.history.map((event) => event.action)).toEqual(['created', 'recomputed', 'recomputed']);
  });

  it('an Indian deadline counted through 2027 says its lunar holidays are not verified, and 2026 does not', async () => {
    const dpb = await createTenant(test, 'DPBI', {
      country: 'IN',
      timezone: 'Asia/Kolkata',
      locale: 'en-IN',
      holidayRegion: 'IN',
    });
    const compute = async (start: string) =>
      (
        await test
          .http()
          .post('/api/v1/calendar/compute')
          .set(bearer(dpb.tokens.officer))
          .send({ authority: 'DPBI', start, count: 10, unit: 'calendar_days' })
          .expect(200)
      ).body;
    expect((await compute('2026-03-11')).warnings).toEqual([]);
    const later = await compute('2027-03-12');
    expect(later.dueDate).toBe('2027-03-22');
    expect(later.warnings).toHaveLength(1);
    expect(later.warnings[0]).toContain('IN holiday data for 2027 is not verified');
    const kase = (await createCase(test, dpb, await createProvider(test, dpb.tokens.officer, 'Example India Pvt Ltd')))
      .id;
    const deadline = (
      await create(dpb, kase, { label: 'Reply', start: '2027-03-12', count: 10, unit: 'calendar_days' })
    ).body;
    expect(deadline.warnings).toEqual(later.warnings);
    expect(deadline.explanation.filter((entry: { kind: string }) => entry.kind === 'unverified')).toHaveLength(1);
    // Computed by a release that did not know the gap: the maintenance step records the current data and its
    // explanation (with the warning); the due date did not move, so no history entry and no mail.
    await db.query(
      `UPDATE deadlines SET holiday_data_version = 'date-holidays@3.0.0+supplements.000000000000', explanation = '[]'::jsonb WHERE id = $1`,
      [deadline.id],
    );
    expect(await test.app.get(DeadlineNotices).applyHolidayDataUpdate()).toBe(0);
    const refreshed = await get(dpb, deadline.id);
    expect(refreshed).toMatchObject({ dueDate: '2027-03-22', holidayDataVersion: HOLIDAY_DATA_VERSION });
    expect(refreshed.warnings).toEqual(later.warnings);
    expect(refreshed.history.map((event) => event.action)).toEqual(['created']);
    const holidays = await test
      .http()
      .get('/api/v1/authorities/DPBI/calendar?from=2026-12-01&to=2027-01-31')
      .set(bearer(dpb.tokens.viewer))
      .expect(200);
    expect(holidays.body.warnings).toHaveLength(1);
    expect(holidays.body.days.map((day: { date: string }) => day.date)).toContain('2027-01-26');
  });

  it('issues a deadline certificate whose SHA-256 is in the audit trail', async () => {
    const deadline = (await create(gpdp, gpdpCase, { label: 'Certified', dueDate: '2026-12-24' })).body;
    const first = await test
      .http()
      .get(`/api/v1/deadlines/${deadline.id}/certificate`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    const again = await test
      .http()
      .get(`/api/v1/deadlines/${deadline.id}/certificate`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    expect(again.body.sha256).toBe(first.body.sha256);
    expect(createHash('sha256').update(canonicalJson(first.body.certificate)).digest('hex')).toBe(first.body.sha256);
    expect(first.body.certificate).toMatchObject({
      ruleSet: { id: 'national' },
      holidayDataVersion: HOLIDAY_DATA_VERSION,
      due: { date: '2026-12-24' },
      reproducedWithCurrentData: true,
    });
    const audit = await db.query(
      `SELECT after FROM audit_events WHERE action = 'deadline.certificate_issued' AND entity_id = $1`,
      [deadline.id],
    );
    expect(audit.map((row: { after: { sha256: string } }) => row.after.sha256)).toEqual([
      first.body.sha256,
      first.body.sha256,
    ]);
    await test.http().get(`/api/v1/deadlines/${deadline.id}/certificate`).set(bearer(anpd.tokens.viewer)).expect(404);
  });

  it('the calendar page removes a closure day with a reason, and re-renders with its message without one', async () => {
    await test
      .http()
      .post('/api/v1/authorities/GPDP/closures')
      .set(bearer(gpdp.tokens.admin))
      .send({ date: '2031-03-11', reason: 'Strike' })
      .expect(201);
    const cookie = cookieHeader(await pageSession(test, 'admin@gpdp.test', 'admin-password-123'));
    const page = await test.http().get('/calendar?year=2031').set('cookie', cookie).expect(200);
    expect(page.text).toContain('Remove closure day');
    expect(page.text).toContain('Receipt cut-off');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const refused = await test
      .http()
      .post('/calendar/closures/remove')
      .type('form')
      .set('cookie', cookie)
      .send({ _csrf: csrf, date: '2031-03-11', reason: '' })
      .expect(400);
    expect(refused.text).toContain('Enter why the closure day is removed');
    expect(await count("authority_closures WHERE date = '2031-03-11'")).toBe(1);
    await test
      .http()
      .post('/calendar/closures/remove')
      .type('form')
      .set('cookie', cookie)
      .send({ _csrf: csrf, date: '2031-03-11', reason: 'Strike called off' })
      .expect(303);
    expect(await count("authority_closures WHERE date = '2031-03-11'")).toBe(0);
    const audit = await db.query(`SELECT after FROM audit_events WHERE action = 'closure.removed'`);
    expect(audit.map((row: { after: { removedBecause: string } }) => row.after.removedBecause)).toContain(
      'Strike called off',
    );
  });
});
