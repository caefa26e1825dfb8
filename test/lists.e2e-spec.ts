import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';

interface CaseItem {
  id: string;
  reference: string;
  title: string;
  priority: string;
  type: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}
interface AuditItem {
  seq: string;
  action: string;
  caseId: string | null;
  actorId: string | null;
  occurredAt: string;
}

describe('lists page by cursor, sort and filter', () => {
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let organisationId: string;

  const get = async <T>(tenant: Tenant, path: string, query: Record<string, string | number> = {}) =>
    (await test.http().get(path).query(query).set(bearer(tenant.tokens.admin)).expect(200)).body as {
      items: T[];
      nextCursor: string | null;
    };
  const refuse = async (path: string, query: Record<string, string>, field: string) => {
    const response = await test.http().get(path).query(query).set(bearer(gpdp.tokens.admin)).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  };

  /** Walks a list by cursor, calling `between` after each page (to write rows meanwhile). */
  async function walk<T>(
    tenant: Tenant,
    path: string,
    query: Record<string, string | number>,
    between: () => Promise<unknown> = async () => undefined,
  ): Promise<T[]> {
    const seen: T[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: T[]; nextCursor: string | null } = await get<T>(tenant, path, {
        ...query,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items);
      cursor = page.nextCursor;
      await between();
      if (++pages > 200) throw new Error('the walk does not end');
    } while (cursor);
    return seen;
  }

  beforeAll(async () => {
    test = await startTestApp();
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    organisationId = await createProvider(test, gpdp.tokens.officer);
    const priorities = ['low', 'normal', 'high', 'urgent'];
    const types = ['ex_officio', 'complaint', 'cooperation', 'breach'];
    for (let i = 0; i < 18; i++)
      await createCase(test, gpdp, organisationId, {
        title: `Matter ${String.fromCharCode(65 + ((i * 7) % 26))} ${i}`,
        priority: priorities[i % 4],
        type: types[(i >> 1) % 4],
        tags: i % 3 === 0 ? ['kestrel'] : [],
        riskFlags: i % 5 === 0 ? ['children'] : [],
      });
    const pipcOrg = await createProvider(test, pipc.tokens.officer, 'Hanbit AI Co., Ltd.');
    await createCase(test, pipc, pipcOrg, { title: 'Matter of PIPC' });
  });
  afterAll(() => test.close());

  it.each([
    '-createdAt',
    'createdAt',
    'updatedAt',
    '-updatedAt',
    'reference',
    'title',
    '-title',
    'priority',
    '-priority',
    'nextDueAt',
  ])('walks every case sorted by %s, with no duplicate and no gap while cases are opened', async (sort) => {
    const before = await walk<CaseItem>(gpdp, '/api/v1/cases', { limit: 200, sort });
    let added = 0;
    const seen = await walk<CaseItem>(gpdp, '/api/v1/cases', { limit: 4, sort }, async () => {
      if (added++ < 3)
        await createCase(test, gpdp, organisationId, { title: `Opened meanwhile ${sort} ${added}`, priority: 'high' });
    });
    const ids = seen.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of before) expect(ids).toContain(item.id);
    // In the order asked for.
    const key = sort.replace('-', '') as 'createdAt' | 'updatedAt' | 'reference' | 'title' | 'priority';
    if (key !== ('nextDueAt' as string)) {
      const rank = (item: CaseItem) =>
        key === 'priority' ? ['low', 'normal', 'high', 'urgent'].indexOf(item.priority) : item[key];
      const values = seen.map(rank);
      const ordered = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (sort.startsWith('-')) ordered.reverse();
      // Text is ordered by the database's collation: compare the order of the numbers and instants only.
      if (key !== 'title' && key !== 'reference') expect(values).toEqual(ordered);
    }
    expect(seen.some((item) => item.title === 'Matter of PIPC')).toBe(false);
  });

  it('keeps the order by due date in step as deadlines are added, extended, met and waived', async () => {
    const officer = bearer(gpdp.tokens.officer);
    const provider = await createProvider(test, gpdp.tokens.officer, 'Due Order Provider S.p.A.');
    const [a, b, c] = [
      await createCase(test, gpdp, provider, { title: 'Due order A' }),
      await createCase(test, gpdp, provider, { title: 'Due order B' }),
      await createCase(test, gpdp, provider, { title: 'Due order C' }),
    ];
    const names = new Map([a, b, c].map((kase, i) => [kase.id, 'ABC'[i]]));
    const order = async (statuses?: string) =>
      (
        await walk<CaseItem>(gpdp, '/api/v1/cases', {
          organisationId: provider,
          sort: 'nextDueAt',
          limit: 2,
          ...(statuses ? { status: statuses } : {}),
        })
      )
        .map((item) => names.get(item.id))
        .join('');
    const addDeadline = async (caseId: string, count: number) =>
      (
        await test
          .http()
          .post(`/api/v1/cases/${caseId}/deadlines`)
          .set(officer)
          .send({ label: `Due in ${count} days`, count, unit: 'calendar_days' })
          .expect(201)
      ).body as { id: string };
    // Without pending deadlines every case sorts last, by id.
    expect(await order()).toBe(
      [a, b, c]
        .map((kase) => kase.id)
        .sort()
        .map((id) => names.get(id))
        .join(''),
    );

    const inA = await addDeadline(a.id, 30);
    await addDeadline(b.id, 10);
    const inquiry = (
      await test
        .http()
        .post(`/api/v1/cases/${c.id}/inquiries`)
        .set(officer)
        .send({
          template: 'ai-inquiry',
          locale: 'en',
          to: ['dpo@provider.example'],
          deadline: { count: 20, unit: 'calendar_days' },
        })
        .expect(202)
    ).body as { id: string; deadline: { id: string } };
    expect(await order()).toBe('BCA');

    // B's deadline extended past A's and C's.
    const [inB] = (await test.http().get('/api/v1/deadlines').query({ caseId: b.id }).set(officer).expect(200)).body
      .items as { id: string }[];
    await test
      .http()
      .post(`/api/v1/deadlines/${inB.id}/extend`)
      .set(officer)
      .send({ count: 60, unit: 'calendar_days', reason: 'More time asked for and granted' })
      .expect(200);
    expect(await order()).toBe('CAB');

    // A second, earlier deadline on A: its earliest one counts.
    const soonInA = await addDeadline(a.id, 5);
    expect(await order()).toBe('ACB');

    // C's deadline met by the response: no pending deadline left, C sorts last; in C's new status too.
    await test
      .http()
      .post(`/api/v1/inquiries/${inquiry.id}/responses`)
      .set(officer)
      .send({ channel: 'email', summary: 'Reply of the provider', answers: [], receivedAt: new Date().toISOString() })
      .expect(201);
    expect(await order()).toBe('ABC');
    expect(await order('under_review')).toBe('C');

    // A's earlier deadline waived: A is due at its 30-day deadline again, still before B's extended one.
    await test
      .http()
      .post(`/api/v1/deadlines/${soonInA.id}/waive`)
      .set(officer)
      .send({ reason: 'No longer needed' })
      .expect(200);
    expect(await order()).toBe('ABC');
    // And A's last one: neither A nor C has a pending deadline.
    await test
      .http()
      .post(`/api/v1/deadlines/${inA.id}/waive`)
      .set(officer)
      .send({ reason: 'No longer needed' })
      .expect(200);
    expect(await order()).toBe(
      `B${[a, c]
        .map((kase) => kase.id)
        .sort()
        .map((id) => names.get(id))
        .join('')}`,
    );
  });

  it('filters cases by priority, type, tag, risk flag and opening dates, with the filters and sort together', async () => {
    const all = await walk<CaseItem>(gpdp, '/api/v1/cases', { limit: 200 });
    const urgent = await walk<CaseItem>(gpdp, '/api/v1/cases', { priority: 'urgent,high', sort: 'title', limit: 3 });
    expect(urgent.map((item) => item.id).sort()).toEqual(
      all
        .filter((item) => ['urgent', 'high'].includes(item.priority))
        .map((item) => item.id)
        .sort(),
    );
    const complaints = await get<CaseItem>(gpdp, '/api/v1/cases', { type: 'complaint', limit: 200 });
    expect(complaints.items.length).toBeGreaterThan(0);
    expect(complaints.items.every((item) => item.type === 'complaint')).toBe(true);
    const kestrel = await get<CaseItem>(gpdp, '/api/v1/cases', { tag: 'kestrel', limit: 200 });
    expect(kestrel.items).toHaveLength(6);
    expect(kestrel.items.every((item) => item.tags.includes('kestrel'))).toBe(true);
    const children = await get<CaseItem & { riskFlags: string[] }>(gpdp, '/api/v1/cases', {
      riskFlag: 'children',
      limit: 200,
    });
    expect(children.items).toHaveLength(4);
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Rome' });
    expect(
      (await get<CaseItem>(gpdp, '/api/v1/cases', { openedFrom: today, openedTo: today, limit: 200 })).items,
    ).toHaveLength(all.length);
    expect((await get<CaseItem>(gpdp, '/api/v1/cases', { openedTo: '2020-01-01', limit: 200 })).items).toHaveLength(0);
    expect((await get<CaseItem>(gpdp, '/api/v1/cases', { updatedFrom: '2199-01-01', limit: 200 })).items).toHaveLength(
      0,
    );

    // Bad input: unknown sort key, a cursor of another sort, impossible ranges, unknown values.
    await refuse('/api/v1/cases', { sort: 'colour' }, 'sort');
    await refuse('/api/v1/cases', { priority: 'extreme' }, 'priority');
    await refuse('/api/v1/cases', { riskFlag: 'weather' }, 'riskFlag');
    await refuse('/api/v1/cases', { openedFrom: '2025-02-30' }, 'openedFrom');
    await refuse('/api/v1/cases', { openedFrom: '2025-03-01', openedTo: '2025-02-01' }, 'openedTo');
    await refuse('/api/v1/cases', { unknownFilter: 'x' }, 'unknownFilter');
    const byTitle = await get<CaseItem>(gpdp, '/api/v1/cases', { sort: 'title', limit: 2 });
    await refuse('/api/v1/cases', { sort: 'priority', cursor: byTitle.nextCursor! }, 'cursor');
    await refuse(
      '/api/v1/cases',
      { cursor: Buffer.from('["x","not-a-uuid","-createdAt"]').toString('base64url') },
      'cursor',
    );
    await refuse(
      '/api/v1/cases',
      { sort: 'createdAt', cursor: Buffer.from(`["yesterday","${all[0].id}","createdAt"]`).toString('base64url') },
      'cursor',
    );
    // prevCursor pages back through the same pages.
    const forwardPages: string[][] = [];
    let page = await get<CaseItem>(gpdp, '/api/v1/cases', { sort: '-priority', limit: 5 });
    forwardPages.push(page.items.map((item) => item.id));
    while (page.nextCursor) {
      page = await get<CaseItem>(gpdp, '/api/v1/cases', { sort: '-priority', limit: 5, cursor: page.nextCursor });
      forwardPages.push(page.items.map((item) => item.id));
    }
    const backPages: string[][] = [page.items.map((item) => item.id)];
    let back = page as typeof page & { prevCursor?: string | null };
    while (back.prevCursor) {
      back = await get<CaseItem>(gpdp, '/api/v1/cases', { sort: '-priority', limit: 5, cursor: back.prevCursor });
      backPages.unshift(back.items.map((item) => item.id));
    }
    expect(backPages).toEqual(forwardPages);
    // A cursor given out before sort= existed still pages the default order.
    const legacy = Buffer.from(JSON.stringify([all[1].createdAt, all[1].id])).toString('base64url');
    const after = await get<CaseItem>(gpdp, '/api/v1/cases', { cursor: legacy, limit: 200 });
    expect(after.items.map((item) => item.id)).toEqual(all.slice(2).map((item) => item.id));
  });

  it('reads opening and update dates as days of the authority, whatever the database session zone', async () => {
    const db = test.app.get(DataSource);
    const openedAt = async (tenant: Tenant, organisation: string, title: string, at: string) => {
      const { id } = await createCase(test, tenant, organisation, { title });
      await db.query(`UPDATE cases SET created_at = $2, updated_at = $2 WHERE id = $1`, [id, at]);
      return id;
    };
    const [pipcOrganisation] = (await db.query(`SELECT organisation_id AS id FROM cases WHERE authority_id = $1`, [
      pipc.authorityId,
    ])) as { id: string }[];
    // Half an hour after local midnight, and half an hour before it: the day before in UTC in both zones.
    const romeEarly = await openedAt(gpdp, organisationId, 'Opened at 00:30 in Rome', '2026-03-10T23:30:00Z');
    const romeLate = await openedAt(gpdp, organisationId, 'Opened at 23:30 in Rome', '2026-03-11T22:30:00Z');
    const seoulEarly = await openedAt(pipc, pipcOrganisation!.id, 'Opened at 00:30 in Seoul', '2026-03-10T15:30:00Z');
    try {
      const ids = async (tenant: Tenant, query: Record<string, string>) =>
        (await get<CaseItem>(tenant, '/api/v1/cases', { ...query, limit: 200 })).items.map((item) => item.id).sort();
      const day = (date: string) => ({ openedFrom: date, openedTo: date });
      expect(await ids(gpdp, day('2026-03-11'))).toEqual([romeEarly, romeLate].sort());
      expect(await ids(gpdp, day('2026-03-10'))).toEqual([]);
      expect(await ids(gpdp, day('2026-03-12'))).toEqual([]);
      expect(await ids(gpdp, { updatedFrom: '2026-03-11', updatedTo: '2026-03-11' })).toEqual(
        [romeEarly, romeLate].sort(),
      );
      expect(await ids(pipc, day('2026-03-11'))).toEqual([seoulEarly]);
      expect(await ids(pipc, day('2026-03-10'))).toEqual([]);
    } finally {
      await db.query(`UPDATE cases SET created_at = now(), updated_at = now() WHERE id = ANY($1::uuid[])`, [
        [romeEarly, romeLate, seoulEarly],
      ]);
    }
  });

  it('lists the audit trail newest first, walks it by cursor while entries are appended, and filters it', async () => {
    const cases = await get<CaseItem>(gpdp, '/api/v1/cases', { limit: 3 });
    const newest = await get<AuditItem>(gpdp, '/api/v1/audit', { limit: 5 });
    const seqs = newest.items.map((item) => Number(item.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const oldest = await get<AuditItem>(gpdp, '/api/v1/audit', { limit: 1, sort: 'seq' });
    expect(oldest.items[0]).toMatchObject({ seq: '1', action: 'authority.created' });

    const everything = await walk<AuditItem>(gpdp, '/api/v1/audit', { limit: 500 });
    let notes = 0;
    const walked = await walk<AuditItem>(gpdp, '/api/v1/audit', { limit: 7 }, async () => {
      if (notes++ < 4)
        await test
          .http()
          .post(`/api/v1/cases/${cases.items[0].id}/notes`)
          .set(bearer(gpdp.tokens.officer))
          .send({ text: `Written while the trail is read ${notes}` })
          .expect(201);
    });
    const walkedSeqs = walked.map((item) => item.seq);
    expect(new Set(walkedSeqs).size).toBe(walkedSeqs.length);
    expect(walkedSeqs).toEqual(everything.map((item) => item.seq));
    const forwards = await walk<AuditItem>(gpdp, '/api/v1/audit', { limit: 9, sort: 'seq' });
    expect(forwards.map((item) => Number(item.seq))).toEqual(Array.from({ length: forwards.length }, (_, i) => i + 1));

    const ofCase = await get<AuditItem>(gpdp, '/api/v1/audit', { caseId: cases.items[0].id, action: 'note.' });
    expect(ofCase.items.length).toBeGreaterThanOrEqual(4);
    expect(ofCase.items.every((item) => item.caseId === cases.items[0].id && item.action.startsWith('note.'))).toBe(
      true,
    );
    const byOfficer = await get<AuditItem>(gpdp, '/api/v1/audit', {
      actorId: gpdp.userIds.officer,
      action: 'case.created',
    });
    expect(byOfficer.items.length).toBeGreaterThanOrEqual(18);
    expect(
      byOfficer.items.every((item) => item.actorId === gpdp.userIds.officer && item.action === 'case.created'),
    ).toBe(true);
    const future = await get<AuditItem>(gpdp, '/api/v1/audit', { from: '2199-01-01T00:00:00Z' });
    expect(future.items).toEqual([]);
    const past = await get<AuditItem>(gpdp, '/api/v1/audit', {
      to: new Date(Date.now() + 60_000).toISOString(),
      limit: 1,
    });
    expect(past.items).toHaveLength(1);
    // Another authority's trail is never in it.
    expect(
      (await walk<AuditItem & { authorityId: string }>(pipc, '/api/v1/audit', { limit: 50 })).every(
        (item) => item.authorityId === pipc.authorityId,
      ),
    ).toBe(true);

    await refuse('/api/v1/audit', { sort: 'occurredAt' }, 'sort');
    await refuse('/api/v1/audit', { cursor: 'abc' }, 'cursor');
    await refuse('/api/v1/audit', { sort: 'seq', cursor: newest.nextCursor! }, 'cursor');
    await refuse('/api/v1/audit', { action: "case'; DROP" }, 'action');
    await refuse('/api/v1/audit', { from: 'yesterday' }, 'from');
    await refuse('/api/v1/audit', { limit: '0' }, 'limit');
    await refuse('/api/v1/audit', { from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'to');
  });

  /**
   * Every other list of an authority, walked the same way: each sort, a small page size, rows written between the
   * pages; the rows there were before the walk are each seen once. Lists the contract fixed as bare arrays carry
   * their cursors in headers.
   */
  interface ListCase {
    name: string;
    path: () => string;
    sorts: string[];
    /** The value ordered by, when it compares as written (instants, numbers); text follows the collation. */
    ordered?: Record<string, (item: Record<string, unknown>) => string | number>;
    idOf: (item: Record<string, unknown>) => string;
    insert: (n: number) => Promise<unknown>;
    badFilter: Record<string, string>;
  }
  let campaignId: string;
  let timelineCaseId: string;
  const db = () => test.app.get(DataSource);
  const instant = (key: string) => (item: Record<string, unknown>) => new Date(String(item[key])).getTime();
  const LISTS: ListCase[] = [
    {
      name: 'deadlines',
      path: () => '/api/v1/deadlines',
      sorts: ['dueAt', '-dueAt', 'eventAt', '-createdAt', 'label', '-kind'],
      ordered: { dueAt: instant('dueAt') },
      idOf: (item) => String(item.id),
      insert: (n) =>
        test
          .http()
          .post(`/api/v1/cases/${timelineCaseId}/deadlines`)
          .set(bearer(gpdp.tokens.officer))
          .send({
            label: `Written while listed ${n}`,
            dueAt: new Date(Date.now() + (n + 1) * 86_400_000).toISOString(),
          })
          .expect(201),
      badFilter: { status: 'late' },
    },
    {
      name: 'outbox',
      path: () => '/api/v1/outbox',
      sorts: ['-createdAt', 'createdAt', 'sentAt', '-status', 'subject'],
      ordered: { createdAt: instant('createdAt') },
      idOf: (item) => String(item.id),
      insert: (n) => outboxMessage(`Written while listed ${n}`),
      badFilter: { kind: 'postcard' },
    },
    {
      name: 'inbox',
      path: () => '/api/v1/inbound',
      sorts: ['-receivedAt', 'receivedAt', 'from', '-subject', 'status'],
      ordered: { receivedAt: instant('receivedAt') },
      idOf: (item) => String(item.id),
      insert: (n) => inboxMessage(`Written while listed ${n}`),
      badFilter: { status: 'lost' },
    },
    {
      name: 'users',
      path: () => '/api/v1/users',
      sorts: ['name', '-name', 'email', '-role', 'createdAt'],
      idOf: (item) => String(item.id),
      insert: (n) =>
        test
          .http()
          .post('/api/v1/users')
          .set(bearer(gpdp.tokens.admin))
          .send({
            email: `listed-${n}-${randomUUID().slice(0, 8)}@gpdp.example`,
            name: `Aaron Listed ${n}`,
            password: 'a-long-password-for-tests-1',
            role: 'officer',
            authority: gpdp.code,
          })
          .expect(201),
      badFilter: { role: 'king' },
    },
    {
      name: 'case timeline',
      path: () => `/api/v1/cases/${timelineCaseId}/timeline`,
      sorts: ['seq', '-seq'],
      ordered: { seq: (item) => Number(item.seq) },
      idOf: (item) => String(item.seq),
      insert: (n) =>
        test
          .http()
          .post(`/api/v1/cases/${timelineCaseId}/notes`)
          .set(bearer(gpdp.tokens.officer))
          .send({ text: `Written while listed ${n}` })
          .expect(201),
      badFilter: { actorId: 'someone' },
    },
    {
      name: 'campaigns',
      path: () => '/api/v1/campaigns',
      sorts: ['-createdAt', 'createdAt', 'title', '-title'],
      ordered: { createdAt: instant('createdAt') },
      idOf: (item) => String(item.id),
      insert: (n) => campaign(`Written while listed ${n}`),
      badFilter: { q: '' },
    },
    {
      name: 'campaign targets',
      path: () => `/api/v1/campaigns/${campaignId}/targets`,
      sorts: ['position', '-position', 'organisation', '-status', 'updatedAt'],
      ordered: { position: (item) => Number(item.position ?? 0) },
      idOf: (item) => String(item.organisationId),
      insert: (n) => target(campaignId, 100 + n),
      badFilter: { overdue: 'maybe' },
    },
  ];

  async function outboxMessage(subject: string, at = new Date()) {
    await db().query(
      `INSERT INTO outbound_messages (authority_id, kind, dedupe_key, to_addresses, subject, html, text, status, sent_at, created_at)
       VALUES ($1, 'notification', $2, '{dpo@provider.example}', $3, '', '', 'sent', $4, $4)`,
      [gpdp.authorityId, `test.${randomUUID()}`, subject, at],
    );
  }
  async function inboxMessage(subject: string, at = new Date()) {
    await db().query(
      `INSERT INTO inbound_messages (authority_id, status, received_at, envelope_from, envelope_to, from_address, subject, text_body, attachments, raw_sha256, raw_size)
       VALUES ($1, 'triage', $2, 'someone@provider.example', '{inbox@docket.test}', $3, $4, 'A question', '[]', $5, 10)`,
      [gpdp.authorityId, at, `sender-${randomUUID().slice(0, 6)}@provider.example`, subject, randomUUID()],
    );
  }
  async function campaign(title: string): Promise<string> {
    const [row] = (await db().query(
      `INSERT INTO campaigns (authority_id, title, template_key, template_version, question_ids, deadline, reminders, case_defaults, created_by)
       VALUES ($1, $2, 'ai-inquiry', 1, '{}', '{"count":20,"unit":"calendar_days"}', '[]', '{"type":"ex_officio"}', 'test') RETURNING id`,
      [gpdp.authorityId, title],
    )) as { id: string }[];
    return row.id;
  }
  async function target(campaign: string, position: number) {
    const [organisation] = (await db().query(
      `INSERT INTO organisations (legal_name, trading_names, country, legal_entities, products, search_text, version, created_at, updated_at)
       VALUES ($1, '{}', 'CN', '[]', '[]', lower($1), 1, now(), now()) RETURNING id`,
      [`Listed provider ${position} ${randomUUID().slice(0, 6)}`],
    )) as { id: string }[];
    await db().query(
      `INSERT INTO campaign_targets (campaign_id, organisation_id, authority_id, position, status, error, updated_at)
       VALUES ($1, $2, $3, $4, 'failed', 'no address', now())`,
      [campaign, organisation.id, gpdp.authorityId, position],
    );
  }

  /** One page of any list: {items, nextCursor} in the body, or a bare array with its cursor in X-Next-Cursor. */
  async function listPage(path: string, query: Record<string, string | number>) {
    const response = await test.http().get(path).query(query).set(bearer(gpdp.tokens.admin)).expect(200);
    const body = response.body as Record<string, unknown>[] | { items: Record<string, unknown>[]; nextCursor?: string };
    return Array.isArray(body)
      ? {
          items: body,
          nextCursor: (response.headers['x-next-cursor'] as string | undefined) ?? null,
          link: response.headers.link as string | undefined,
        }
      : { items: body.items, nextCursor: body.nextCursor ?? null, link: undefined };
  }

  describe('every other list', () => {
    beforeAll(async () => {
      timelineCaseId = (await get<CaseItem>(gpdp, '/api/v1/cases', { limit: 1 })).items[0].id;
      campaignId = await campaign('Kestrel sweep');
      for (let i = 0; i < 9; i++) {
        await outboxMessage(`Letter ${i}`, new Date(Date.now() - i * 60_000));
        await inboxMessage(`Question ${i}`, new Date(Date.now() - i * 60_000));
        await target(campaignId, i);
        if (i < 6) await campaign(`Campaign ${i}`);
      }
      for (let i = 0; i < 4; i++)
        await test
          .http()
          .post(`/api/v1/cases/${timelineCaseId}/deadlines`)
          .set(bearer(gpdp.tokens.officer))
          .send({ label: `Deadline ${i}`, dueAt: new Date(Date.now() + (i + 3) * 86_400_000).toISOString() })
          .expect(201);
    });

    it.each(LISTS.map((list) => [list.name, list] as const))(
      '%s: walks every row by cursor in each sort while rows are written, with no duplicate and no gap; bad sort, cursor and filter are 400',
      async (_name, list) => {
        let written = 0;
        for (const sort of list.sorts) {
          const before: Record<string, unknown>[] = [];
          for (let cursor: string | null = null, first = true; first || cursor; first = false) {
            const page = await listPage(list.path(), { sort, limit: 500, ...(cursor ? { cursor } : {}) });
            before.push(...page.items);
            cursor = page.nextCursor;
          }
          expect(before.length).toBeGreaterThan(3);
          const seen: Record<string, unknown>[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page = await listPage(list.path(), { sort, limit: 3, ...(cursor ? { cursor } : {}) });
            if (page.nextCursor && page.link !== undefined) expect(page.link).toContain('rel="next"');
            seen.push(...page.items);
            cursor = page.nextCursor;
            if (pages++ < 2) await list.insert(written++);
            if (pages > 100) throw new Error(`${list.name} does not end`);
          } while (cursor);
          const ids = seen.map(list.idOf);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids).toEqual(expect.arrayContaining(before.map(list.idOf)));
          const key = sort.replace(/^-/, '');
          const valueOf = list.ordered?.[key];
          if (valueOf) {
            const values = seen.map(valueOf);
            const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            expect(values).toEqual(sort.startsWith('-') ? sorted.reverse() : sorted);
          }
        }
        const refuse = async (query: Record<string, string>, field: string) => {
          const response = await test.http().get(list.path()).query(query).set(bearer(gpdp.tokens.admin)).expect(400);
          expect(response.headers['content-type']).toContain('application/problem+json');
          expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
        };
        const bad = await test
          .http()
          .get(list.path())
          .query({ sort: 'colour' })
          .set(bearer(gpdp.tokens.admin))
          .expect(400);
        expect(bad.body.errors[0].message).toContain(list.sorts[0].replace(/^-/, ''));
        await refuse({ cursor: 'not-a-cursor' }, 'cursor');
        const page = await listPage(list.path(), { sort: list.sorts[0], limit: 1 });
        await refuse({ sort: list.sorts[1], cursor: page.nextCursor! }, 'cursor');
        await refuse(list.badFilter, Object.keys(list.badFilter)[0]);
        await refuse({ limit: '0' }, 'limit');
        await refuse({ unknownFilter: 'x' }, 'unknownFilter');
        // Another authority's rows are never in it.
        if (!list.path().includes(campaignId) && !list.path().includes(timelineCaseId)) {
          const response = await test
            .http()
            .get(list.path())
            .query({ limit: 500 })
            .set(bearer(pipc.tokens.admin))
            .expect(200);
          const items = (Array.isArray(response.body) ? response.body : response.body.items) as Record<
            string,
            unknown
          >[];
          const mine = new Set((await listPage(list.path(), { limit: 500 })).items.map(list.idOf));
          expect(mine.size).toBeGreaterThan(0);
          expect(items.filter((item) => mine.has(list.idOf(item)))).toEqual([]);
        } else await test.http().get(list.path()).set(bearer(pipc.tokens.admin)).expect(404);
      },
    );
  });
});
