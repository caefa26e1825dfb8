import { DataSource } from 'typeorm';
import { DeadlinesService } from '#docket/deadlines';
import { CountersService } from '#docket/reporting';
import { bearer, createTenant, startTestApp, sysadminToken, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        cell += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || (char === '\r' && text[i + 1] === '\n')) {
      if (char === '\r') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += char;
    }
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** The content lines of an iCalendar text, unfolded. */
const unfold = (ics: string) =>
  ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean);
const icsUtc = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600_000).toISOString();

describe('exports and coordination', () => {
  let test: TestApp;
  let db: DataSource;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;

  const get = async (token: string, path: string) => (await test.http().get(path).set(bearer(token)).expect(200)).body;
  const deadline = (tenant: Tenant, caseId: string, label: string, dueAt: string) =>
    test
      .http()
      .post(`/api/v1/cases/${caseId}/deadlines`)
      .set(bearer(tenant.tokens.officer))
      .send({ label, dueAt })
      .expect(201)
      .then((response) => response.body);
  const csv = async (token: string, query = '') => {
    const response = await test
      .http()
      .get(`/api/v1/deadlines.csv${query}`)
      .set(bearer(token))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    return response;
  };

  beforeAll(async () => {
    test = await startTestApp({ env: { PUBLIC_URL: 'https://docket.example' } });
    db = test.app.get(DataSource);
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    organisationId = await createProvider(test, gpdp.tokens.officer);
  });
  afterAll(async () => {
    await test.close();
  });

  it('exports the deadline list as CSV with the list filters, safe against formula injection', async () => {
    const kase = await createCase(test, gpdp, organisationId, {
      title: '=HYPERLINK("http://evil.example","click me")',
    });
    const first = await deadline(gpdp, kase.id, '@SUM(1+1) acceptance, "quoted"', inDays(5));
    const second = await deadline(gpdp, kase.id, '-10 days follow-up\nsecond line', inDays(40));
    await test
      .http()
      .post(`/api/v1/deadlines/${second.id}/suspend`)
      .set(bearer(gpdp.tokens.officer))
      .send({ reason: 'waiting for translation' })
      .expect(200);
    const foreign = await createCase(test, pipc, organisationId);
    await deadline(pipc, foreign.id, 'PIPC only', inDays(5));

    const all = await csv(gpdp.tokens.viewer, `?caseId=${kase.id}`);
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(all.headers['content-disposition']).toMatch(
      /^attachment; filename="deadlines-GPDP-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const text = all.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([
      'case_reference',
      'case_title',
      'case_status',
      'organisation',
      'assignee',
      'deadline_label',
      'kind',
      'status',
      'due_date',
      'due_at',
      'overdue',
      'event_at',
      'settled_at',
      'deadline_id',
      'case_id',
      'case_url',
      // Added by issue 21 at the end, so the columns before keep their places.
      'event_date',
      'rule_set',
      'holiday_data_version',
    ]);
    expect(rows).toHaveLength(2);
    const cell = (row: string[], column: string) => row[header.indexOf(column)];
    expect(rows.map((row) => cell(row, 'deadline_id'))).toEqual([first.id, second.id]);
    expect(cell(rows[0], 'case_title')).toBe(`'=HYPERLINK("http://evil.example","click me")`);
    expect(cell(rows[0], 'deadline_label')).toBe(`'@SUM(1+1) acceptance, "quoted"`);
    expect(cell(rows[1], 'deadline_label')).toBe(`'-10 days follow-up\nsecond line`);
    expect(cell(rows[0], 'case_reference')).toBe(kase.reference);
    expect(cell(rows[0], 'assignee')).toBe('GPDP officer');
    expect(cell(rows[0], 'due_at')).toBe(first.dueAt);
    expect(cell(rows[0], 'case_url')).toBe(`https://docket.example/cases/${kase.id}`);
    expect(cell(rows[1], 'status')).toBe('suspended');
    // No cell a spreadsheet would evaluate.
    for (const row of rows) for (const value of row) expect(value).not.toMatch(/^[=+\-@\t\r]/);

    const pending = parseCsv(
      ((await csv(gpdp.tokens.viewer, `?status=pending&caseId=${kase.id}`)).body as string).slice(1),
    );
    expect(pending.slice(1).map((row) => row[header.indexOf('deadline_id')])).toEqual([first.id]);
    const everything = parseCsv(((await csv(gpdp.tokens.manager)).body as string).slice(1));
    expect(everything.slice(1).some((row) => row.includes('PIPC only'))).toBe(false);

    const bad = await csv(gpdp.tokens.viewer, '?status=late');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body as string).errors[0].field).toBe('status');
    expect((await csv(await sysadminToken(test))).status).toBe(403);
  });

  it('serves each user a private iCalendar feed of their deadlines that stops when revoked or replaced', async () => {
    const mine = await createCase(test, gpdp, organisationId, { title: 'Feed case' });
    const theirs = await createCase(test, gpdp, organisationId, {
      title: 'Someone else',
      assigneeId: gpdp.userIds.manager,
    });
    const a = await deadline(gpdp, mine.id, 'Acceptance of the recommendations', inDays(10));
    // A deadline due on a date: an all-day event on the authority's date; one due at an instant: that instant in UTC.
    const b = await test
      .http()
      .post(`/api/v1/cases/${mine.id}/deadlines`)
      .set(bearer(gpdp.tokens.officer))
      .send({ label: 'First compliance check', dueDate: inDays(90).slice(0, 10) })
      .expect(201)
      .then((response) => response.body);
    const waived = await deadline(gpdp, mine.id, 'Dropped', inDays(20));
    await test
      .http()
      .post(`/api/v1/deadlines/${waived.id}/waive`)
      .set(bearer(gpdp.tokens.officer))
      .send({ reason: 'no longer needed' })
      .expect(200);
    await deadline(gpdp, theirs.id, 'Not in the officer feed', inDays(10));

    const issued = await test.http().post('/api/v1/me/ical-token').set(bearer(gpdp.tokens.officer)).expect(200);
    const url = new URL(issued.body.url);
    expect(url.origin).toBe('https://docket.example');
    expect(url.pathname).toMatch(/^\/ical\/[A-Za-z0-9_-]{40,}\.ics$/);

    const fetchFeed = () => test.http().get(url.pathname);
    const feed = await fetchFeed().expect(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const ics = feed.text;
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const lines = unfold(ics);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines[lines.length - 1]).toBe('END:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    // The officer's cases: both deadlines of "Feed case" and those of earlier tests' cases assigned to them; never
    // waived ones or another assignee's.
    const events = ics
      .split('BEGIN:VEVENT')
      .slice(1)
      .map((block) => unfold(`BEGIN:VEVENT${block}`));
    const ours = events.filter((event) =>
      event.some((line) => line.startsWith('SUMMARY:') && line.includes(mine.reference)),
    );
    expect(ours).toHaveLength(2);
    const eventOf = (id: string) => ours.find((event) => event.some((line) => line.startsWith('UID:deadline-' + id)));
    expect(eventOf(a.id)).toContain(`DTSTART:${icsUtc(a.dueAt)}`);
    expect(eventOf(b.id)).toEqual(
      expect.arrayContaining([
        `DTSTART;VALUE=DATE:${b.dueDate.replace(/-/g, '')}`,
        `DTEND;VALUE=DATE:${icsUtc(new Date(Date.parse(`${b.dueDate}T00:00:00Z`) + 86_400_000).toISOString()).slice(0, 8)}`,
      ]),
    );
    for (const id of [a.id, b.id]) {
      const event = eventOf(id);
      expect(event).toBeDefined();
      expect(event).toContain(`UID:deadline-${id}@docket.example`);
      expect(event).toContain(`URL;VALUE=URI:https://docket.example/cases/${mine.id}`);
    }
    expect(
      events.every(
        (event) =>
          event.filter((line) => line.startsWith('BEGIN:VEVENT')).length === 1 &&
          event.some((line) => /^DTSTART(;VALUE=DATE:\d{8}|:\d{8}T\d{6}Z)$/.test(line)),
      ),
    ).toBe(true);
    expect(ics).not.toContain('Dropped');
    expect(ics).not.toContain('Not in the officer feed');
    // Stable UIDs: the same deadlines give the same events next time.
    const again = unfold((await fetchFeed().expect(200)).text).filter((line) => line.startsWith('UID:'));
    expect(again).toEqual(lines.filter((line) => line.startsWith('UID:')));

    // Replacing the address retires the old one; revoking retires the new one.
    const replaced = await test.http().post('/api/v1/me/ical-token').set(bearer(gpdp.tokens.officer)).expect(200);
    await fetchFeed().expect(404);
    const newPath = new URL(replaced.body.url).pathname;
    await test.http().get(newPath).expect(200);
    expect(
      (await test.http().delete('/api/v1/me/ical-token').set(bearer(gpdp.tokens.officer)).expect(200)).body,
    ).toEqual({ revoked: 1 });
    await test.http().get(newPath).expect(404);
    await test.http().get('/ical/not-a-token.ics').expect(404);
    // A calendar token is no API token.
    const third = await test.http().post('/api/v1/me/ical-token').set(bearer(gpdp.tokens.viewer)).expect(200);
    await test.http().get('/api/v1/me').set(bearer(third.body.token)).expect(401);
  });

  it('shows, for one organisation, the shared cases of every authority and nothing else', async () => {
    const provider = await createProvider(
      test,
      gpdp.tokens.officer,
      'Beijing DeepSeek Artificial Intelligence Co., Ltd.',
    );
    const italian = await createCase(test, gpdp, provider, {
      title: 'Garante: limitation of processing',
      tags: ['ai'],
    });
    const hidden = await createCase(test, gpdp, provider, { title: 'Internal preliminary assessment' });
    await test
      .http()
      .post(`/api/v1/cases/${italian.id}/notes`)
      .set(bearer(gpdp.tokens.officer))
      .send({ text: 'SECRET-NOTE: informant in the company' })
      .expect(201);
    await deadline(gpdp, italian.id, 'Reply to the limitation', inDays(12));
    const korean = await createCase(test, pipc, provider, { title: 'PIPC: pre-inspection of the app' });
    const koreanDue = await deadline(pipc, korean.id, 'Acceptance of recommendations', inDays(10));

    // PIPC records a recommendation (inquiry → response → outcome).
    const inquiry = (
      await test
        .http()
        .post(`/api/v1/cases/${korean.id}/inquiries`)
        .set(bearer(pipc.tokens.officer))
        .send({
          template: 'ai-inquiry',
          locale: 'ko',
          to: ['dpo@provider.example'],
          questionIds: ['ai.collection.categories'],
          deadline: { count: 10, unit: 'calendar_days' },
        })
        .expect(202)
    ).body;
    await test
      .http()
      .post(`/api/v1/inquiries/${inquiry.id}/responses`)
      .set(bearer(pipc.tokens.officer))
      .send({
        receivedAt: new Date().toISOString(),
        channel: 'email',
        summary: 'Partly neglected Korean law',
        answers: [{ questionId: 'ai.collection.categories', assessment: 'partial', note: 'ASSESSMENT-NOTE' }],
      })
      .expect(201);
    const decidedAt = new Date(Date.now() - 1000).toISOString();
    await test
      .http()
      .post(`/api/v1/cases/${korean.id}/outcomes`)
      .set(bearer(pipc.tokens.officer))
      .send({ type: 'recommendation', decidedAt, summary: 'Corrective recommendations' })
      .expect(201);

    // Sharing is for managers and admins; officers and viewers may not; another authority's case is not found.
    await test.http().post(`/api/v1/cases/${italian.id}/share`).set(bearer(gpdp.tokens.officer)).expect(403);
    await test.http().post(`/api/v1/cases/${italian.id}/share`).set(bearer(pipc.tokens.manager)).expect(404);
    const shared = await test
      .http()
      .post(`/api/v1/cases/${italian.id}/share`)
      .set(bearer(gpdp.tokens.manager))
      .expect(200);
    expect(shared.body).toMatchObject({ reference: italian.reference, sharedForCoordination: true });
    await test.http().post(`/api/v1/cases/${korean.id}/share`).set(bearer(pipc.tokens.admin)).expect(200);

    const view = await get(pipc.tokens.viewer, `/api/v1/coordination?organisationId=${provider}`);
    expect(view.organisation).toEqual({
      id: provider,
      name: 'Beijing DeepSeek Artificial Intelligence Co., Ltd.',
      country: 'CN',
    });
    expect(view.authorities).toEqual(['GPDP', 'PIPC']);
    expect(view.cases).toEqual([
      expect.objectContaining({
        authority: { code: 'GPDP', name: 'GPDP authority', country: 'IT' },
        ownCase: false,
        reference: italian.reference,
        title: 'Garante: limitation of processing',
        status: 'open',
        nextDueDate: expect.any(String),
        latestOutcome: null,
      }),
      expect.objectContaining({
        authority: { code: 'PIPC', name: 'PIPC authority', country: 'KR' },
        ownCase: true,
        reference: korean.reference,
        status: 'decided',
        latestOutcome: { type: 'recommendation', decidedAt },
      }),
    ]);
    expect(view.cases[1].nextDueAt).toBe(koreanDue.dueAt);
    const text = JSON.stringify(view);
    for (const secret of [
      'SECRET-NOTE',
      'ASSESSMENT-NOTE',
      hidden.reference,
      'Internal preliminary',
      gpdp.userIds.officer,
      '"tags"',
      '"assignee',
      '"notes"',
    ])
      expect(text).not.toContain(secret);
    expect(Object.keys(view.cases[0]).sort()).toEqual([
      'authority',
      'closedAt',
      'latestOutcome',
      'nextDueAt',
      'nextDueDate',
      'openedAt',
      'ownCase',
      'reference',
      'status',
      'title',
    ]);

    const organisations = await get(gpdp.tokens.viewer, '/api/v1/coordination/organisations');
    expect(organisations).toContainEqual({
      organisationId: provider,
      name: 'Beijing DeepSeek Artificial Intelligence Co., Ltd.',
      country: 'CN',
      sharedCases: 2,
      authorities: ['GPDP', 'PIPC'],
    });

    // The decision is in the owner's audit trail, and on the case timeline.
    const audit = (await get(gpdp.tokens.manager, `/api/v1/audit?caseId=${italian.id}`)).items;
    expect(audit.map((event: { action: string }) => event.action)).toContain('case.shared');
    expect((await get(pipc.tokens.manager, `/api/v1/audit?caseId=${italian.id}`)).items).toEqual([]);
    const timeline = (await get(gpdp.tokens.viewer, `/api/v1/cases/${italian.id}/timeline`)).items.map(
      (item: { summary: string }) => item.summary,
    );
    expect(timeline).toContain("Shared with other authorities' coordination view");

    // Unsharing takes it out again; sharing twice records once.
    await test.http().post(`/api/v1/cases/${italian.id}/share`).set(bearer(gpdp.tokens.manager)).expect(200);
    await test.http().post(`/api/v1/cases/${italian.id}/unshare`).set(bearer(gpdp.tokens.manager)).expect(200);
    const after = await get(gpdp.tokens.viewer, `/api/v1/coordination?organisationId=${provider}`);
    expect(after.cases.map((c: { reference: string }) => c.reference)).toEqual([korean.reference]);
    const actions = (await get(gpdp.tokens.manager, `/api/v1/audit?caseId=${italian.id}`)).items.map(
      (event: { action: string }) => event.action,
    );
    expect(actions.filter((action: string) => action === 'case.shared')).toHaveLength(1);
    expect(actions.filter((action: string) => action === 'case.unshared')).toHaveLength(1);

    await test.http().get('/api/v1/coordination').set(bearer(gpdp.tokens.viewer)).expect(400);
    await test
      .http()
      .get(`/api/v1/coordination?organisationId=00000000-0000-4000-8000-000000000000`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(404);
    // No write happened through the coordination view: the shared case of PIPC is unchanged in PIPC's hands.
    expect(Number((await db.query('SELECT count(*) AS n FROM case_notes WHERE case_id = $1', [korean.id]))[0].n)).toBe(
      0,
    );
  });

  it('answers dashboards asked at the same moment each with its own authority, and never with a read begun before the ask', async () => {
    const total = (board: { cases: { total: number } }) => board.cases.total;
    const before = {
      gpdp: total(await get(gpdp.tokens.viewer, '/api/v1/dashboard')),
      pipc: total(await get(pipc.tokens.viewer, '/api/v1/dashboard')),
    };
    // Many at once, of two authorities: those of one authority may share a read, never with the other's.
    const boards = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        get(index % 2 ? pipc.tokens.viewer : gpdp.tokens.manager, '/api/v1/dashboard').then((board) => [
          index % 2 ? 'pipc' : 'gpdp',
          total(board),
        ]),
      ),
    );
    for (const [authority, cases] of boards) expect(cases).toBe(before[authority as 'gpdp' | 'pipc']);
    // A case opened while dashboards are being read: every dashboard asked after its creation answered counts it.
    const busy = Array.from({ length: 6 }, () => get(gpdp.tokens.viewer, '/api/v1/dashboard'));
    await createCase(test, gpdp, organisationId);
    const after = await Promise.all(Array.from({ length: 6 }, () => get(gpdp.tokens.viewer, '/api/v1/dashboard')));
    await Promise.all(busy);
    expect(after.map(total)).toEqual(Array(6).fill(before.gpdp + 1));
  });

  it('keeps the dashboard counters exact while cases are reassigned and deadlines pass at the same time', async () => {
    const counters = test.app.get(CountersService);
    const deadlines = test.app.get(DeadlinesService);
    const cases = await Promise.all(Array.from({ length: 8 }, () => createCase(test, gpdp, organisationId)));
    for (const kase of cases)
      for (let i = 0; i < 3; i++)
        await deadline(gpdp, kase.id, `Check ${i}`, new Date(Date.now() + 1500).toISOString());
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const assignees = [gpdp.userIds.manager, gpdp.userIds.admin, gpdp.userIds.officer];
    // Reassignments race the sweep that marks the deadlines missed.
    await Promise.all([
      deadlines.markOverdue(),
      ...cases.map(async (kase, index) => {
        const version = (await get(gpdp.tokens.manager, `/api/v1/cases/${kase.id}`)).version;
        await test
          .http()
          .patch(`/api/v1/cases/${kase.id}`)
          .set(bearer(gpdp.tokens.manager))
          .set('If-Match', String(version))
          .send({ assigneeId: assignees[index % 3] })
          .expect(200);
      }),
      deadlines.markOverdue(),
    ]);
    await deadlines.markOverdue();
    expect(
      Number(
        (
          await db.query(`SELECT count(*) AS n FROM deadlines WHERE case_id = ANY($1::uuid[]) AND status = 'missed'`, [
            cases.map((kase) => kase.id),
          ])
        )[0].n,
      ),
    ).toBe(24);
    expect(await counters.check(gpdp.authorityId)).toEqual([]);
    const board = await get(gpdp.tokens.viewer, '/api/v1/dashboard');
    const missedOf = (userId: string) =>
      board.byAssignee.find((line: { assigneeId: string }) => line.assigneeId === userId)?.overdueDeadlines ?? 0;
    expect(missedOf(gpdp.userIds.admin)).toBe(9);
  });

  it('documents every new endpoint with its request schema and error responses', async () => {
    const document = (await test.http().get('/api/docs-json').expect(200)).body;
    const operation = (path: string, method: string) => document.paths[path]?.[method];
    for (const [path, method] of [
      ['/api/v1/inquiries/{id}/responses', 'post'],
      ['/api/v1/responses/{id}/follow-up', 'post'],
      ['/api/v1/responses/{id}/attachments', 'post'],
      ['/api/v1/attachments/{id}', 'get'],
      ['/api/v1/cases/{id}/outcomes', 'post'],
      ['/api/v1/dashboard', 'get'],
      ['/api/v1/deadlines.csv', 'get'],
      ['/api/v1/me/ical-token', 'post'],
      ['/api/v1/me/ical-token', 'delete'],
      ['/ical/{token}.ics', 'get'],
      ['/api/v1/coordination', 'get'],
      ['/api/v1/coordination/organisations', 'get'],
      ['/api/v1/cases/{id}/share', 'post'],
      ['/api/v1/cases/{id}/unshare', 'post'],
    ]) {
      expect(operation(path, method)).toBeDefined();
    }
    expect(Object.keys(operation('/api/v1/inquiries/{id}/responses', 'post').responses)).toEqual(
      expect.arrayContaining(['201', '400', '403', '404', '409']),
    );
    expect(Object.keys(operation('/api/v1/responses/{id}/attachments', 'post').responses)).toEqual(
      expect.arrayContaining(['201', '400', '413']),
    );
    const schemas = document.components.schemas;
    expect(Object.keys(schemas.ResponseRequest.properties)).toEqual(
      expect.arrayContaining(['receivedAt', 'channel', 'summary', 'answers']),
    );
    expect(Object.keys(schemas.OutcomeRequest.properties)).toEqual(
      expect.arrayContaining([
        'type',
        'decidedAt',
        'summary',
        'fine',
        'compliance',
        'followUpChecks',
        'referralTo',
        'noticeTo',
        'published',
        'legalBasis',
      ]),
    );
    expect(Object.keys(schemas.FineRequest.properties)).toEqual(['amount', 'currency']);
  });
});
