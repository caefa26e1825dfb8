import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CalendarChangesService, ProceduresService } from '#docket/cooperation';
import { FixedClock, RequestContext } from '#docket/platform';
import { bearer, createTenant, startTestApp, tokenFor, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';

const TABLES = ['procedures', 'procedure_participants', 'procedure_steps', 'procedure_messages', 'procedure_deadlines'];

describe('cooperation procedures between authorities', () => {
  let test: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let dpc: Tenant;
  let pipc: Tenant;
  let ppc: Tenant;
  let gpdp: Tenant;
  let cnil: Tenant;
  let organisationId: string;
  const cases: Record<string, string> = {};

  const tenants = () => [dpc, pipc, ppc, gpdp, cnil];
  /** Tokens live at most 30 days of the test clock: moving it signs everybody in again. */
  const at = async (instant: string) => {
    clock.set(new Date(instant));
    for (const tenant of tenants()) {
      for (const role of ['admin', 'manager', 'officer', 'viewer'] as const)
        tenant.tokens[role] = await tokenFor(test, `${role}@${tenant.code.toLowerCase()}.test`, `${role}-password-123`);
    }
  };
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (table) => [table, Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n)]),
      ),
    );
  const open = (tenant: Tenant, body: Record<string, unknown>) =>
    test
      .http()
      .post('/api/v1/procedures')
      .set(bearer(tenant.tokens.officer))
      .send({ organisationId, caseId: cases[tenant.code], subject: 'Storage of users’ prompts', ...body });
  const step = (tenant: Tenant, id: string, kind: string, body = `${kind} of ${tenant.code}`) =>
    test.http().post(`/api/v1/procedures/${id}/steps`).set(bearer(tenant.tokens.officer)).send({ kind, body });
  const sweep = () => RequestContext.run(() => test.app.get(ProceduresService).sweep());
  const notices = async (authorityId: string) =>
    (await db.query(
      `SELECT subject, to_addresses FROM outbound_messages WHERE kind = 'cooperation-notice' AND authority_id = $1 ORDER BY created_at`,
      [authorityId],
    )) as { subject: string; to_addresses: string[] }[];

  beforeAll(async () => {
    clock = new FixedClock(new Date('2026-02-02T10:00:00+00:00'));
    test = await startTestApp({ clock });
    db = test.app.get(DataSource);
    dpc = await createTenant(test, 'DPC', {
      country: 'IE',
      timezone: 'Europe/Dublin',
      locale: 'en-IE',
      holidayRegion: 'IE',
    });
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    ppc = await createTenant(test, 'PPC', {
      country: 'JP',
      timezone: 'Asia/Tokyo',
      locale: 'ja-JP',
      holidayRegion: 'JP',
    });
    gpdp = await createTenant(test, 'GPDP');
    cnil = await createTenant(test, 'CNIL', {
      country: 'FR',
      timezone: 'Europe/Paris',
      locale: 'fr-FR',
      holidayRegion: 'FR',
    });
    organisationId = await createProvider(test, gpdp.tokens.officer);
    for (const tenant of tenants()) cases[tenant.code] = (await createCase(test, tenant, organisationId)).id;
  });

  afterAll(async () => {
    await test?.close();
  });

  it('a mutual-assistance request from the DPC is due one month later on the PIPC calendar and escalated when missed', async () => {
    const created = await open(dpc, {
      type: 'mutual_assistance',
      participants: ['PIPC'],
      body: 'Please tell us …',
    }).expect(201);
    expect(created.body.reference).toMatch(/^COOP-2026-\d{4}$/);
    expect(created.body.myRole).toBe('requesting');
    // 2 Feb 2026 + one month = Mon 2 Mar, the substitute holiday for Independence Movement Day (Sun 1 Mar) in
    // Korea: the PIPC's reply is due on Tue 3 Mar, the end of that day in Seoul.
    expect(created.body.deadlines).toEqual([
      expect.objectContaining({
        authority: 'PIPC',
        kind: 'reply',
        status: 'pending',
        dueDate: '2026-03-03',
        dueAt: '2026-03-03T14:59:59.999Z',
      }),
    ]);
    expect(created.body.deadlines[0].explanation).toMatch(/GDPR Art\. 61\(2\)/);
    expect(created.body.deadlines[0].explanation).toMatch(/2026-03-02/);
    expect(created.body.messages).toEqual([expect.objectContaining({ authority: 'DPC', body: 'Please tell us …' })]);
    // The PIPC was told, in Korean; its own case is not shown to the DPC, nor the DPC's to it.
    expect((await notices(pipc.authorityId)).map((notice) => notice.subject)).toEqual([
      expect.stringContaining('협력 절차 개시'),
    ]);
    const seenByPipc = await test
      .http()
      .get(`/api/v1/procedures/${created.body.id}`)
      .set(bearer(pipc.tokens.viewer))
      .expect(200);
    expect(seenByPipc.body.participants).toEqual([
      { code: 'DPC', name: 'DPC authority', role: 'requesting', caseId: null },
      { code: 'PIPC', name: 'PIPC authority', role: 'requested', caseId: null },
    ]);
    const inbox = await test.http().get('/api/v1/procedures').set(bearer(pipc.tokens.officer)).expect(200);
    expect(inbox.body).toEqual([
      expect.objectContaining({
        reference: created.body.reference,
        myNextDue: expect.objectContaining({ dueDate: '2026-03-03' }),
      }),
    ]);
    // Both audit trails hold the opening.
    for (const tenant of [dpc, pipc]) {
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE authority_id = $1 AND action = 'procedure.opened' AND entity_id = $2`,
        [tenant.authorityId, created.body.id],
      );
      expect(n).toBe(1);
    }

    // A week before: the PIPC's managers are reminded once.
    clock.set(new Date('2026-02-25T09:00:00Z'));
    await sweep();
    await sweep();
    expect((await notices(pipc.authorityId)).map((notice) => notice.subject)).toEqual([
      expect.stringContaining('협력 절차 개시'),
      expect.stringContaining('처리기한 2026-03-03'),
    ]);
    // Still pending at the last instant of the day in Seoul; missed one millisecond later, and escalated to both.
    clock.set(new Date('2026-03-03T14:59:59.999Z'));
    await sweep();
    clock.set(new Date('2026-03-03T15:00:00.000Z'));
    await sweep();
    const missed = await db.query(`SELECT status FROM procedure_deadlines WHERE procedure_id = $1`, [created.body.id]);
    expect(missed).toEqual([{ status: 'missed' }]);
    expect((await notices(pipc.authorityId)).at(-1)!.subject).toContain('처리기한 경과');
    const dpcNotices = await notices(dpc.authorityId);
    expect(dpcNotices.at(-1)!.subject).toContain('overdue since 2026-03-03');
    expect(dpcNotices.at(-1)!.to_addresses.sort()).toEqual(['admin@dpc.test', 'manager@dpc.test']);
  });

  it('a reply settles the requested authority’s clock', async () => {
    await at('2026-04-01T08:00:00Z');
    const created = await open(dpc, { type: 'mutual_assistance', participants: ['PIPC'] }).expect(201);
    await step(dpc, created.body.id, 'reply').expect(403);
    const replied = await step(pipc, created.body.id, 'reply', '답변드립니다.').expect(201);
    expect(replied.body.deadlines).toEqual([expect.objectContaining({ authority: 'PIPC', status: 'met' })]);
    expect(replied.body.steps).toEqual([expect.objectContaining({ seq: 1, kind: 'reply', authority: 'PIPC' })]);
  });

  it('an Art. 60 draft: an objection within four weeks is taken, one after the window is refused, a revised draft gives two weeks', async () => {
    await at('2026-06-01T09:00:00+02:00');
    const created = await open(gpdp, { type: 'lead_authority', participants: ['PIPC', 'CNIL'] }).expect(201);
    expect(created.body.myRole).toBe('lead');
    expect(created.body.deadlines).toEqual([]);
    await step(pipc, created.body.id, 'objection').expect(409);
    await step(pipc, created.body.id, 'draft_decision').expect(403);
    const draft = await step(gpdp, created.body.id, 'draft_decision', 'Draft decision: order to stop transfers').expect(
      201,
    );
    // Four weeks from Mon 1 Jun 2026: Mon 29 Jun in Paris and in Seoul.
    // Four weeks from Mon 1 Jun 2026: Mon 29 Jun, the end of the day in Seoul coming before the end in Paris.
    expect(
      draft.body.deadlines.map((d: { authority: string; dueDate: string; kind: string }) => [
        d.authority,
        d.kind,
        d.dueDate,
      ]),
    ).toEqual([
      ['PIPC', 'objections', '2026-06-29'],
      ['CNIL', 'objections', '2026-06-29'],
    ]);
    await at('2026-06-20T10:00:00+02:00');
    const objected = await step(pipc, created.body.id, 'objection', 'Relevant and reasoned objection: …').expect(201);
    expect(objected.body.deadlines.find((d: { authority: string }) => d.authority === 'PIPC').status).toBe('met');
    await step(pipc, created.body.id, 'objection').expect(409);

    await at('2026-06-30T10:00:00+02:00');
    await sweep();
    const before = await counts();
    const late = await step(cnil, created.body.id, 'objection').expect(409);
    expect(late.body.detail).toContain('ended on 2026-06-29');
    expect(await counts()).toEqual(before);
    const lapsed = await db.query(
      `SELECT status FROM procedure_deadlines d JOIN authorities a ON a.id = d.authority_id WHERE procedure_id = $1 AND a.code = 'CNIL'`,
      [created.body.id],
    );
    expect(lapsed).toEqual([{ status: 'lapsed' }]);

    const revised = await step(gpdp, created.body.id, 'revised_draft_decision', 'Revised draft').expect(201);
    const windows = revised.body.deadlines.filter((d: { status: string }) => d.status === 'pending');
    // Two weeks from Tue 30 Jun: Tue 14 Jul, a working day in Korea; in France the Fête nationale moves it to the 15th.
    expect(windows.map((d: { authority: string; dueDate: string }) => [d.authority, d.dueDate]).sort()).toEqual([
      ['CNIL', '2026-07-15'],
      ['PIPC', '2026-07-14'],
    ]);
    const decided = await step(gpdp, created.body.id, 'decision', 'Final decision adopted').expect(201);
    expect(decided.body).toMatchObject({ status: 'closed', outcome: 'Final decision adopted' });
    expect(decided.body.deadlines.filter((d: { status: string }) => d.status === 'pending')).toEqual([]);
    await test
      .http()
      .post(`/api/v1/procedures/${created.body.id}/messages`)
      .set(bearer(cnil.tokens.officer))
      .send({ body: 'Noted.' })
      .expect(201);
    await step(cnil, created.body.id, 'objection').expect(409);
  });

  it('an authority that does not take part gets 404 on the procedure, its messages and its steps, and changes nothing', async () => {
    await at('2026-07-01T09:00:00Z');
    const created = await open(dpc, { type: 'mutual_assistance', participants: ['PIPC'] }).expect(201);
    const before = await counts();
    await test.http().get(`/api/v1/procedures/${created.body.id}`).set(bearer(ppc.tokens.admin)).expect(404);
    await test
      .http()
      .post(`/api/v1/procedures/${created.body.id}/messages`)
      .set(bearer(ppc.tokens.officer))
      .send({ body: 'Let us in' })
      .expect(404);
    await step(ppc, created.body.id, 'reply').expect(404);
    expect(await counts()).toEqual(before);
    const inbox = await test.http().get('/api/v1/procedures').set(bearer(ppc.tokens.officer)).expect(200);
    expect(inbox.body).toEqual([]);
    // A message is seen by the other participant.
    await test
      .http()
      .post(`/api/v1/procedures/${created.body.id}/messages`)
      .set(bearer(pipc.tokens.officer))
      .send({ body: '추가 자료를 송부합니다.' })
      .expect(201);
    const seen = await test
      .http()
      .get(`/api/v1/procedures/${created.body.id}`)
      .set(bearer(dpc.tokens.viewer))
      .expect(200);
    expect(seen.body.messages).toEqual([
      expect.objectContaining({ authority: 'PIPC', body: '추가 자료를 송부합니다.' }),
    ]);
  });

  it('refuses a procedure with one participant, an unknown participant, another authority’s case or a rule set not yet in force', async () => {
    const before = await counts();
    const alone = await open(dpc, { type: 'mutual_assistance', participants: ['DPC'] }).expect(400);
    expect(JSON.stringify(alone.body)).toContain('at least one other authority');
    const unknown = await open(dpc, { type: 'mutual_assistance', participants: ['PIPC', 'NOPE'] }).expect(400);
    expect(JSON.stringify(unknown.body)).toContain('no authority with code NOPE');
    await open(dpc, { type: 'mutual_assistance', participants: [] }).expect(400);
    await open(dpc, { type: 'mutual_assistance', participants: ['PIPC'], caseId: cases.GPDP }).expect(404);
    await open(dpc, { type: 'exchange', participants: ['PIPC'] }).expect(400);
    const early = await open(gpdp, { type: 'investigation', participants: ['CNIL'] }).expect(400);
    expect(JSON.stringify(early.body)).toContain('2027-04-02');
    await open(dpc, { type: 'mutual_assistance', participants: ['PIPC'], subject: '' }).expect(400);
    expect(await counts()).toEqual(before);
  });

  it('an urgency procedure: measures expire after three months, the urgent opinion is due four weeks before', async () => {
    await at('2026-08-08T11:00:00+02:00');
    const created = await open(gpdp, { type: 'urgency', participants: ['DPC'] }).expect(201);
    const byKind = Object.fromEntries(
      created.body.deadlines.map((d: { kind: string; dueDate: string }) => [d.kind, d.dueDate]),
    );
    // Sat 8 Aug + 3 months = Sun 8 Nov 2026: a validity of at most three months is not moved on to Monday. Four weeks
    // before is Sun 11 Oct: the request must reach the Board by the working day before, Fri 9 Oct.
    expect(byKind).toEqual({ measure_expiry: '2026-11-08', urgent_opinion_request: '2026-10-09' });
    expect(created.body.deadlines.find((d: { kind: string }) => d.kind === 'measure_expiry').explanation).toContain(
      'not moved to a working day',
    );
  });

  it('opens the 2025/2518 kinds from 2 April 2027 and extends an investigation once', async () => {
    await at('2027-04-02T09:00:00+02:00');
    const created = await open(gpdp, { type: 'investigation', participants: ['CNIL'] }).expect(201);
    expect(created.body.ruleSet).toBe('eu-2025-2518');
    expect(created.body.deadlines).toEqual([
      expect.objectContaining({ authority: 'GPDP', kind: 'investigation', dueDate: '2028-07-03' }),
    ]);
    const extended = await step(gpdp, created.body.id, 'extension', 'Complex processing: extended by 12 months').expect(
      201,
    );
    expect(extended.body.deadlines[0].dueDate).toBe('2029-07-03');
    await step(gpdp, created.body.id, 'extension').expect(409);
  });

  it('computes one due instant for GPDP, PIPC and PPC around Golden Week and Italian holidays', async () => {
    const joint = await test
      .http()
      .post('/api/v1/calendar/joint')
      .set(bearer(gpdp.tokens.viewer))
      .send({ authorities: ['GPDP', 'PIPC', 'PPC'], start: '2026-04-24', count: 10, unit: 'calendar_days' })
      .expect(200);
    // Own dates: Rome Mon 4 May; Seoul Mon 4 May; Tokyo 4 May is Greenery Day, 5 May Children's Day and 6 May the
    // substitute for Constitution Day (Sun 3 May): Thu 7 May. The latest, the end of 7 May in Tokyo, is a working
    // day in Rome (16:59) and in Seoul (23:59).
    expect(joint.body.dueAt).toBe('2026-05-07T14:59:59.999Z');
    expect(joint.body.perAuthority).toEqual([
      expect.objectContaining({ code: 'GPDP', ownDueDate: '2026-05-04', localDate: '2026-05-07' }),
      expect.objectContaining({ code: 'PIPC', ownDueDate: '2026-05-04', localDate: '2026-05-07' }),
      expect.objectContaining({ code: 'PPC', ownDueDate: '2026-05-07', localDate: '2026-05-07' }),
    ]);
    // A joint instant that falls on another authority's holiday moves on: 2 days from Wed 29 Apr end on Fri 1 May,
    // Labour Day in Italy, so Rome's own date is Mon 4 May; its end (23:59 in Rome) is already Tue 5 May in Tokyo,
    // Children's Day, and 6 May is the substitute holiday: the joint instant is the end of Thu 7 May in Tokyo.
    const moved = await test
      .http()
      .post('/api/v1/calendar/joint')
      .set(bearer(gpdp.tokens.viewer))
      .send({ authorities: ['GPDP', 'PPC'], start: '2026-04-29', count: 2, unit: 'calendar_days' })
      .expect(200);
    expect(moved.body.dueAt).toBe('2026-05-07T14:59:59.999Z');
    const ppcSteps = moved.body.perAuthority.find((entry: { code: string }) => entry.code === 'PPC');
    expect(ppcSteps).toMatchObject({ ownDueDate: '2026-05-01', localDate: '2026-05-07' });
    expect(ppcSteps.explanation.join(' ')).toMatch(/2026-05-05 is not a working day here/);
    expect(ppcSteps.explanation.join(' ')).toMatch(/2026-05-06 is not a working day here/);
    await test
      .http()
      .post('/api/v1/calendar/joint')
      .set(bearer(gpdp.tokens.viewer))
      .send({ authorities: ['GPDP'], start: '2026-04-24', count: 10, unit: 'calendar_days' })
      .expect(400);
    await test
      .http()
      .post('/api/v1/calendar/joint')
      .set(bearer(gpdp.tokens.viewer))
      .send({ authorities: ['GPDP', 'XX'], start: '2026-04-24', count: 10, unit: 'calendar_days' })
      .expect(400);
    await test
      .http()
      .post('/api/v1/calendar/joint')
      .set(bearer(gpdp.tokens.viewer))
      .send({ authorities: ['GPDP', 'PPC'], start: 'tomorrow', count: 10, unit: 'calendar_days' })
      .expect(400);
  });

  it('keeps a joint deadline for GPDP, PIPC and PPC; a closure day moves it: all are told (never why) and one re-aligns it', async () => {
    await at('2026-04-20T09:00:00+02:00');
    const created = await open(gpdp, { type: 'joint_operation', participants: ['PIPC', 'PPC'] }).expect(201);
    const id = created.body.id as string;
    const setJoint = (tenant: Tenant, body: Record<string, unknown>) =>
      test.http().post(`/api/v1/procedures/${id}/joint-deadlines`).set(bearer(tenant.tokens.officer)).send(body);
    const letter = { label: 'Coordinated letter: reply due', start: '2026-04-24', count: 10, unit: 'calendar_days' };
    const jointRows = async () => Number((await db.query(`SELECT count(*) AS n FROM joint_deadlines`))[0].n);
    const before = await jointRows();
    await setJoint(dpc, letter).expect(404);
    await setJoint(gpdp, { ...letter, count: 0 }).expect(400);
    await setJoint(gpdp, { ...letter, unit: 'fortnights' }).expect(400);
    await setJoint(gpdp, { ...letter, start: 'tomorrow' }).expect(400);
    await setJoint(gpdp, { ...letter, label: '' }).expect(400);
    expect(await jointRows()).toBe(before);

    // The same period as POST /calendar/joint: Golden Week in Tokyo puts the joint instant at the end of Thu 7 May.
    const stored = await setJoint(gpdp, letter).expect(201);
    expect(stored.body).toMatchObject({ status: 'aligned', dueAt: '2026-05-07T14:59:59.999Z', proposedDueAt: null });
    expect(stored.body.perAuthority.map((share: { code: string; localDate: string }) => share.code)).toEqual([
      'GPDP',
      'PIPC',
      'PPC',
    ]);
    const jointId = stored.body.id as string;
    const seen = async (tenant: Tenant) =>
      (await test.http().get(`/api/v1/procedures/${id}`).set(bearer(tenant.tokens.viewer)).expect(200)).body;
    expect((await seen(pipc)).jointDeadlines).toEqual([expect.objectContaining({ id: jointId, status: 'aligned' })]);
    const jointNotices = async (tenant: Tenant) =>
      (await db.query(
        `SELECT subject, text FROM outbound_messages WHERE kind = 'cooperation-notice' AND authority_id = $1 AND dedupe_key LIKE $2 ORDER BY created_at, subject`,
        [tenant.authorityId, `cooperation:${id}:joint_%`],
      )) as { subject: string; text: string }[];

    // The PPC closes on Thu 7 May: the joint instant would move to the end of Fri 8 May in Tokyo. Every participant
    // is told in its own language, the day but not the PPC's reason.
    const secret = 'Relocation of the server room (internal)';
    await test
      .http()
      .post('/api/v1/authorities/PPC/closures')
      .set(bearer(ppc.tokens.admin))
      .send({ date: '2026-05-07', reason: secret })
      .expect(201);
    const affected = (await seen(gpdp)).jointDeadlines[0];
    expect(affected).toMatchObject({
      status: 'affected',
      dueAt: '2026-05-07T14:59:59.999Z',
      proposedDueAt: '2026-05-08T14:59:59.999Z',
      changes: [expect.objectContaining({ authority: 'PPC', date: '2026-05-07', change: 'added' })],
    });
    expect(JSON.stringify(await seen(pipc))).not.toContain('Relocation');
    const told = { GPDP: 'termine congiunto', PIPC: '공동 기한', PPC: '共同期限' };
    for (const tenant of [gpdp, pipc, ppc]) {
      const [notice, ...more] = await jointNotices(tenant);
      expect(more).toEqual([]);
      expect(notice.subject).toContain(told[tenant.code as keyof typeof told]);
      expect(notice.text).toContain('2026-05-07');
      expect(notice.text).toContain('2026-05-08');
      expect(notice.text).not.toContain('Relocation');
    }
    const [{ n: audited }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'procedure.joint_deadline_affected' AND entity_id = $1 AND after::text NOT LIKE '%Relocation%'`,
      [id],
    );
    expect(audited).toBe(3);

    // A closure of an authority that takes no part changes nothing and tells no one.
    await test
      .http()
      .post('/api/v1/authorities/DPC/closures')
      .set(bearer(dpc.tokens.admin))
      .send({ date: '2026-05-07', reason: 'Staff day' })
      .expect(201);
    expect((await jointNotices(gpdp)).length).toBe(1);

    // The PIPC re-aligns it with one action: recomputed, the move recorded with its reason, the others told.
    const realign = (tenant: Tenant, reason: string) =>
      test
        .http()
        .post(`/api/v1/procedures/${id}/joint-deadlines/${jointId}/realign`)
        .set(bearer(tenant.tokens.officer))
        .send({ reason });
    await realign(pipc, '').expect(400);
    await realign(dpc, 'Not ours').expect(404);
    const realigned = await realign(pipc, 'The PPC is closed on 7 May: the letters go out on 8 May').expect(200);
    expect(realigned.body).toMatchObject({
      status: 'aligned',
      dueAt: '2026-05-08T14:59:59.999Z',
      proposedDueAt: null,
      changes: [],
      moves: [
        expect.objectContaining({
          authority: 'PIPC',
          fromDueAt: '2026-05-07T14:59:59.999Z',
          toDueAt: '2026-05-08T14:59:59.999Z',
          reason: 'The PPC is closed on 7 May: the letters go out on 8 May',
          changes: [expect.objectContaining({ authority: 'PPC', date: '2026-05-07' })],
        }),
      ],
    });
    expect(
      realigned.body.perAuthority.map((share: { code: string; localDate: string }) => [share.code, share.localDate]),
    ).toEqual([
      ['GPDP', '2026-05-08'],
      ['PIPC', '2026-05-08'],
      ['PPC', '2026-05-08'],
    ]);
    await realign(pipc, 'Again').expect(409);
    expect((await jointNotices(pipc)).length).toBe(1);
    expect((await jointNotices(gpdp)).at(-1)!.subject).toContain('2026-05-08');
    expect((await jointNotices(ppc)).at(-1)!.text).toContain('The PPC is closed on 7 May');

    // The PPC opens on 7 May after all: the earlier instant is possible again, and all are told so.
    await test
      .http()
      .delete('/api/v1/authorities/PPC/closures/2026-05-07')
      .set(bearer(ppc.tokens.admin))
      .send({ reason: 'The move was postponed' })
      .expect(200);
    expect((await seen(ppc)).jointDeadlines[0]).toMatchObject({
      status: 'affected',
      dueAt: '2026-05-08T14:59:59.999Z',
      proposedDueAt: '2026-05-07T14:59:59.999Z',
      changes: [expect.objectContaining({ authority: 'PPC', date: '2026-05-07', change: 'removed' })],
    });
    for (const tenant of [gpdp, pipc, ppc]) expect((await jointNotices(tenant)).length).toBe(tenant === pipc ? 2 : 3);

    // A closure day on the PPC's own reply date (Wed 20 May, one month after the invitation) moves its running clock
    // as it would move a deadline: to Thu 21 May, explained by the day alone. The joint deadline is not moved by it,
    // so no one is told about that.
    await test
      .http()
      .post('/api/v1/authorities/PPC/closures')
      .set(bearer(ppc.tokens.admin))
      .send({ date: '2026-05-20', reason: 'Evacuation drill (internal)' })
      .expect(201);
    const clocks = (await seen(gpdp)).deadlines as { authority: string; dueDate: string; explanation: string }[];
    expect(clocks.map((clock) => [clock.authority, clock.dueDate])).toEqual([
      ['PIPC', '2026-05-20'],
      ['PPC', '2026-05-21'],
    ]);
    expect(clocks[1].explanation).toContain('2026-05-20');
    expect(JSON.stringify(clocks)).not.toContain('Evacuation');
    const [{ n: recomputed }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'procedure.clock_recomputed' AND entity_id = $1`,
      [id],
    );
    expect(recomputed).toBe(3);
    // Every participant is told the new date of the PPC's clock and the day closed, never why.
    for (const tenant of [gpdp, pipc, ppc]) {
      const moves = (await db.query(
        `SELECT text FROM outbound_messages WHERE kind = 'cooperation-notice' AND authority_id = $1 AND dedupe_key LIKE $2`,
        [tenant.authorityId, `cooperation:${id}:clock_moved:%`],
      )) as { text: string }[];
      expect(moves).toHaveLength(1);
      expect(moves[0].text).toContain('2026-05-20');
      expect(moves[0].text).toContain('2026-05-21');
      expect(moves[0].text).not.toContain('Evacuation');
    }
    for (const tenant of [gpdp, pipc, ppc]) expect((await jointNotices(tenant)).length).toBe(tenant === pipc ? 2 : 3);
  });

  it('compares the provider’s answers across authorities: only opted-in answers, divergences flagged, revocable', async () => {
    await at('2027-05-03T10:00:00+02:00');
    const ask = async (tenant: Tenant) =>
      (
        await test
          .http()
          .post(`/api/v1/cases/${cases[tenant.code]}/inquiries`)
          .set(bearer(tenant.tokens.officer))
          .send({
            template: 'ai-inquiry',
            locale: 'en',
            to: ['dpo@provider.example'],
            questionIds: ['ai.storage_location.countries', 'ai.training_use.prompts'],
            deadline: { count: 20, unit: 'calendar_days' },
          })
          .expect(202)
      ).body.id as string;
    const gpdpInquiry = await ask(gpdp);
    const pipcInquiry = await ask(pipc);
    await at('2027-05-10T10:00:00+02:00');
    const respond = (tenant: Tenant, inquiryId: string, storage: string, note: string) =>
      test
        .http()
        .post(`/api/v1/inquiries/${inquiryId}/responses`)
        .set(bearer(tenant.tokens.officer))
        .send({
          receivedAt: '2027-05-10T09:00:00+02:00',
          channel: 'email',
          summary: `Reply to ${tenant.code}`,
          answers: [
            { questionId: 'ai.storage_location.countries', assessment: storage, note },
            {
              questionId: 'ai.training_use.prompts',
              assessment: 'answered',
              note: 'Prompts are not used for training.',
            },
          ],
        })
        .expect(201);
    await respond(gpdp, gpdpInquiry, 'insufficient', 'Says the data of EU users stays in the PRC.');
    await respond(pipc, pipcInquiry, 'answered', 'Says Korean users’ data is stored in Singapore, not in the PRC.');
    const compare = async (tenant: Tenant) =>
      (
        await test
          .http()
          .get(`/api/v1/organisations/${organisationId}/answers-compared`)
          .set(bearer(tenant.tokens.viewer))
          .expect(200)
      ).body;

    // Off by default: each authority sees its own answers only, even for a case shared for coordination.
    await test.http().post(`/api/v1/cases/${cases.PIPC}/share`).set(bearer(pipc.tokens.manager)).expect(200);
    expect((await compare(gpdp)).authorities).toEqual(['GPDP']);
    expect((await compare(pipc)).authorities).toEqual(['PIPC']);

    await test
      .http()
      .put(`/api/v1/cases/${cases.PIPC}/answer-sharing`)
      .set(bearer(pipc.tokens.officer))
      .send({ shared: true })
      .expect(403);
    await test
      .http()
      .put(`/api/v1/cases/${cases.PIPC}/answer-sharing`)
      .set(bearer(pipc.tokens.manager))
      .send({ shared: 'yes' })
      .expect(400);
    await test
      .http()
      .put(`/api/v1/cases/${cases.PIPC}/answer-sharing`)
      .set(bearer(gpdp.tokens.manager))
      .send({ shared: true })
      .expect(404);
    await test
      .http()
      .put(`/api/v1/cases/${cases.PIPC}/answer-sharing`)
      .set(bearer(pipc.tokens.manager))
      .send({ shared: true })
      .expect(200);
    const shared = await compare(gpdp);
    expect(shared.authorities).toEqual(['GPDP', 'PIPC']);
    const storage = shared.topics.find((topic: { topic: string }) => topic.topic === 'storage_location');
    expect(storage.divergent).toBe(true);
    expect(storage.reasons.join(' ')).toContain('GPDP insufficient, PIPC answered');
    expect(storage.answers).toEqual([
      expect.objectContaining({ authority: 'GPDP', own: true, caseReference: expect.stringMatching(/^GPDP-/) }),
      expect.objectContaining({
        authority: 'PIPC',
        own: false,
        caseReference: null,
        note: 'Says Korean users’ data is stored in Singapore, not in the PRC.',
      }),
    ]);
    expect(shared.topics.find((topic: { topic: string }) => topic.topic === 'training_use').divergent).toBe(false);
    // An authority that shares nothing and has no answers sees PIPC's but no GPDP's.
    expect((await compare(ppc)).authorities).toEqual(['PIPC']);

    const marked = await test
      .http()
      .post(`/api/v1/organisations/${organisationId}/answers-compared/inconsistencies`)
      .set(bearer(gpdp.tokens.officer))
      .send({ topic: 'training_use', otherAuthority: 'PIPC', note: 'Told us prompts train the model.' })
      .expect(201);
    expect(marked.body).toMatchObject({ topic: 'training_use', otherAuthority: 'PIPC' });
    await test
      .http()
      .post(`/api/v1/organisations/${organisationId}/answers-compared/inconsistencies`)
      .set(bearer(gpdp.tokens.officer))
      .send({ topic: 'training_use', otherAuthority: 'PPC', note: 'x' })
      .expect(400);
    expect(
      (await compare(gpdp)).topics.find((topic: { topic: string }) => topic.topic === 'training_use'),
    ).toMatchObject({
      divergent: true,
      reasons: [expect.stringContaining('GPDP marked its answer inconsistent with PIPC')],
    });

    // Revoked: GPDP loses PIPC's answers, and both changes are in PIPC's audit trail.
    await test
      .http()
      .put(`/api/v1/cases/${cases.PIPC}/answer-sharing`)
      .set(bearer(pipc.tokens.manager))
      .send({ shared: false })
      .expect(200);
    const revoked = await compare(gpdp);
    expect(revoked.authorities).toEqual(['GPDP']);
    expect(revoked.topics.every((topic: { divergent: boolean }) => !topic.divergent)).toBe(true);
    const audit = await db.query(
      `SELECT action FROM audit_events WHERE authority_id = $1 AND action LIKE 'case.answers_%' ORDER BY seq`,
      [pipc.authorityId],
    );
    expect(audit.map((row: { action: string }) => row.action)).toEqual([
      'case.answers_shared',
      'case.answers_unshared',
    ]);
  });

  it('shares a document into a procedure: every participant reads it, nobody else does', async () => {
    const [letter] = (
      await test.http().get(`/api/v1/cases/${cases.GPDP}/documents`).set(bearer(gpdp.tokens.viewer)).expect(200)
    ).body as { id: string; sha256: string }[];
    const created = await open(gpdp, { type: 'mutual_assistance', participants: ['PIPC'] }).expect(201);
    const share = (tenant: Tenant, documentId: string) =>
      test
        .http()
        .post(`/api/v1/procedures/${created.body.id}/documents`)
        .set(bearer(tenant.tokens.officer))
        .send({ documentId });
    const sharedRows = async () => Number((await db.query(`SELECT count(*) AS n FROM procedure_documents`))[0].n);
    const none = await sharedRows();
    await share(pipc, letter.id).expect(404);
    await share(ppc, letter.id).expect(404);
    await share(gpdp, 'not-a-document').expect(400);
    await share(gpdp, '00000000-0000-4000-8000-000000000000').expect(404);
    expect(await sharedRows()).toBe(none);
    const shared = await share(gpdp, letter.id).expect(201);
    await share(gpdp, letter.id).expect(201);
    expect(shared.body.documents).toEqual([
      expect.objectContaining({ id: letter.id, authority: 'GPDP', sha256: letter.sha256 }),
    ]);
    const url = shared.body.documents[0].url as string;
    const file = await test.http().get(url).set(bearer(pipc.tokens.viewer)).responseType('blob').expect(200);
    expect(
      createHash('sha256')
        .update(file.body as Buffer)
        .digest('hex'),
    ).toBe(letter.sha256);
    await test.http().get(url).set(bearer(ppc.tokens.admin)).expect(404);
    await test.http().get(`/api/v1/documents/${letter.id}`).set(bearer(pipc.tokens.admin)).expect(404);
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'procedure.document_shared' AND entity_id = $1`,
      [created.body.id],
    );
    expect(n).toBe(2);
  });

  it('shows that a provider has no representative here and records attempts to serve it by other routes', async () => {
    await at('2027-06-27T10:00:00+02:00');
    const organisation = await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(gpdp.tokens.officer))
      .send({
        name: 'Unrepresented AI Co., Ltd.',
        country: 'CN',
        legalEntities: [{ name: 'Unrepresented AI (Beijing) Co., Ltd.', country: 'CN', address: 'Beijing' }],
        representatives: [
          { jurisdiction: 'EU', appointed: false },
          { jurisdiction: 'KR', appointed: true, name: 'Unrepresented Korea Ltd.', email: 'rep@kr.example' },
        ],
        products: [{ name: 'Chat app', kind: 'app' }],
      })
      .expect(201);
    const kase = await createCase(test, gpdp, organisation.body.id);
    const service = await test
      .http()
      .get(`/api/v1/cases/${kase.id}/service`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    expect(service.body).toMatchObject({ representative: null, recordedNone: true, attempts: [], servedFrom: null });
    expect(service.body.routes.map((route: { route: string }) => route.route)).toEqual([
      'parent_company',
      'other_representative',
      'app_store',
      'hosting_provider',
      'publication',
    ]);
    const attempt = (body: Record<string, unknown>, token = gpdp.tokens.officer) =>
      test
        .http()
        .post(`/api/v1/cases/${kase.id}/service-attempts`)
        .set(bearer(token))
        .send({
          route: 'app_store',
          recipient: 'Apple Distribution International Ltd.',
          attemptedAt: '2027-06-27T09:30:00+02:00',
          servedFrom: '2027-06-27',
          ...body,
        });
    await attempt({ attemptedAt: '2027-06-28T09:30:00+02:00' }).expect(400);
    await attempt({ servedFrom: '2027-06-26' }).expect(400);
    await attempt({ route: 'carrier_pigeon' }).expect(400);
    await attempt({}, gpdp.tokens.viewer).expect(403);
    await attempt({}, pipc.tokens.officer).expect(404);
    await attempt({}).expect(201);
    await attempt({
      route: 'parent_company',
      recipient: 'Unrepresented AI (Beijing) Co., Ltd.',
      attemptedAt: '2027-06-27T09:45:00+02:00',
      servedFrom: '2027-07-02',
    }).expect(201);
    const after = await test.http().get(`/api/v1/cases/${kase.id}/service`).set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(after.body.attempts.map((entry: { route: string }) => entry.route)).toEqual(['app_store', 'parent_company']);
    expect(after.body.servedFrom).toBe('2027-06-27');
    await test.http().get(`/api/v1/cases/${kase.id}/service`).set(bearer(pipc.tokens.viewer)).expect(404);
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'case.service_attempted' AND case_id = $1`,
      [kase.id],
    );
    expect(n).toBe(2);
  });

  it('a change of calendar settings or of the holiday data recounts running clocks and marks joint deadlines affected, all told', async () => {
    await at('2027-07-20T09:00:00+09:00');
    const created = await open(gpdp, { type: 'mutual_assistance', participants: ['PIPC'] }).expect(201);
    const id = created.body.id as string;
    // Tue 20 Jul + one month = Fri 20 Aug 2027, a working day in Seoul.
    expect(created.body.deadlines).toEqual([expect.objectContaining({ authority: 'PIPC', dueDate: '2027-08-20' })]);
    const stored = await test
      .http()
      .post(`/api/v1/procedures/${id}/joint-deadlines`)
      .set(bearer(gpdp.tokens.officer))
      .send({ label: 'Coordinated letter', start: '2027-07-20', count: 30, unit: 'calendar_days' })
      .expect(201);
    // The end of Thu 19 Aug in Rome is Fri 20 Aug in Seoul, a working day there too.
    expect(stored.body).toMatchObject({ status: 'aligned', dueAt: '2027-08-19T21:59:59.999Z' });
    const seen = async () =>
      (await test.http().get(`/api/v1/procedures/${id}`).set(bearer(gpdp.tokens.viewer)).expect(200)).body;
    const told = async (tenant: Tenant, event: string) =>
      (await db.query(
        `SELECT subject, text FROM outbound_messages WHERE kind = 'cooperation-notice' AND authority_id = $1 AND dedupe_key LIKE $2 ORDER BY created_at, subject`,
        [tenant.authorityId, `cooperation:${id}:${event}:%`],
      )) as { subject: string; text: string }[];
    const recomputed = async () =>
      (await db.query(
        `SELECT authority_id, after->>'from' AS "from", after->>'to' AS "to", after->>'because' AS because FROM audit_events WHERE action = 'procedure.clock_recomputed' AND entity_id = $1 ORDER BY id`,
        [id],
      )) as { authority_id: string; from: string; to: string; because: string }[];
    const settings = (weekendDays: number[], token = pipc.tokens.admin) =>
      test.http().patch('/api/v1/authorities/PIPC/calendar-settings').set(bearer(token)).send({ weekendDays });

    // A refused change moves nothing.
    await settings([8]).expect(400);
    await settings([5, 6, 7], gpdp.tokens.admin).expect(403);
    expect((await seen()).deadlines[0].dueDate).toBe('2027-08-20');

    // The PIPC makes Friday a weekend day: its reply clock moves to Mon 23 Aug in the same transaction, both
    // participants' audit trails say so, and each is told in its language, with the day of the change.
    await at('2027-07-22T10:00:00+09:00');
    await settings([5, 6, 7]).expect(200);
    const moved = await seen();
    expect(moved.deadlines).toEqual([expect.objectContaining({ authority: 'PIPC', dueDate: '2027-08-23' })]);
    expect(moved.deadlines[0].explanation).toContain('2027-08-20');
    const audits = await recomputed();
    expect(audits.map((row) => row.authority_id).sort()).toEqual([gpdp.authorityId, pipc.authorityId].sort());
    for (const row of audits) {
      expect(row).toMatchObject({ from: '2027-08-20', to: '2027-08-23' });
      expect(row.because).toContain('calendar settings changed on 2027-07-22 (weekendDays)');
    }
    const [italian, ...moreItalian] = await told(gpdp, 'clock_moved');
    expect(moreItalian).toEqual([]);
    expect(italian.subject).toContain('scade ora il 2027-08-23');
    expect(italian.text).toContain('ha modificato le impostazioni del proprio calendario il 2027-07-22');
    expect(italian.text).toContain('2027-08-20');
    expect((await told(pipc, 'clock_moved')).map((notice) => notice.subject)).toEqual([
      expect.stringContaining('2027-08-23(으)로 변경'),
    ]);
    // The joint instant (the end of Thu 19 Aug in Rome) is a Friday in Seoul now: affected, both told.
    expect(moved.jointDeadlines[0]).toMatchObject({
      status: 'affected',
      dueAt: '2027-08-19T21:59:59.999Z',
      changes: [{ authority: 'PIPC', date: '2027-07-22', change: 'settings', at: expect.any(String) }],
    });
    expect(new Date(moved.jointDeadlines[0].proposedDueAt).getTime()).toBeGreaterThan(
      new Date('2027-08-19T21:59:59.999Z').getTime(),
    );
    for (const tenant of [gpdp, pipc]) {
      const notices = await told(tenant, 'joint_affected');
      expect(notices).toHaveLength(1);
      expect(notices[0].text).toContain('2027-07-22');
    }
    expect((await told(gpdp, 'joint_affected'))[0].subject).toContain('una modifica del calendario');

    // Back to Saturday and Sunday: the clock returns to Fri 20 Aug and the joint deadline is aligned again.
    await settings([6, 7]).expect(200);
    const back = await seen();
    expect(back.deadlines[0].dueDate).toBe('2027-08-20');
    expect(back.jointDeadlines[0]).toMatchObject({ status: 'aligned', proposedDueAt: null, changes: [] });
    expect(await told(gpdp, 'clock_moved')).toHaveLength(2);

    // A release with other holiday data: the clock and the joint deadline computed with the old data are counted
    // again (here the old data had put the reply on Thu 19 Aug and the joint instant on Wed 18 Aug).
    await at('2027-07-23T10:00:00+09:00');
    await db.query(
      `UPDATE procedure_deadlines SET due_date = '2027-08-19', due_at = '2027-08-19T14:59:59.999Z', holiday_data_version = 'date-holidays@3.0.0+supplements.000000000000' WHERE procedure_id = $1`,
      [id],
    );
    await db.query(
      `UPDATE joint_deadlines SET due_at = '2027-08-18T21:59:59.999Z', holiday_data_version = NULL WHERE procedure_id = $1`,
      [id],
    );
    const changes = test.app.get(CalendarChangesService);
    expect(await RequestContext.run(() => changes.applyHolidayDataUpdate())).toBe(2);
    const updated = await seen();
    expect(updated.deadlines[0].dueDate).toBe('2027-08-20');
    expect((await recomputed()).at(-1)!.because).toContain('public-holiday data updated');
    expect((await told(pipc, 'clock_moved')).at(-1)!.text).toContain('공휴일 정보가 2027-07-23에 갱신');
    expect(updated.jointDeadlines[0]).toMatchObject({
      status: 'affected',
      dueAt: '2027-08-18T21:59:59.999Z',
      proposedDueAt: '2027-08-19T21:59:59.999Z',
      changes: [expect.objectContaining({ change: 'holiday_data' })],
    });
    expect((await told(pipc, 'joint_affected')).at(-1)!.subject).toContain('일정 변경으로');
    // Nothing is left counted with other data: a second pass does nothing.
    expect(await RequestContext.run(() => changes.applyHolidayDataUpdate())).toBe(0);
  });
});
