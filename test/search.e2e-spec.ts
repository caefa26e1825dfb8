import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { InboundService } from '#docket/inbound';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';
import { minimalPdf } from './support/pdf.js';

interface Hit {
  caseId: string | null;
  reference: string | null;
  kind: string;
  title: string;
  where: string;
  snippet: string;
  score: number;
  sharedFrom: string | null;
}
interface Page {
  items: Hit[];
  nextCursor: string | null;
}

describe('search', () => {
  let test: TestApp;
  let db: DataSource;
  let gpdp: Tenant;
  let pipc: Tenant;
  let dataDir: string;
  let gpdpOrg: string;
  let pipcOrg: string;

  const search = async (tenant: Tenant, query: Record<string, string | number>): Promise<Page> =>
    (await test.http().get('/api/v1/search').query(query).set(bearer(tenant.tokens.viewer)).expect(200)).body as Page;
  const note = (tenant: Tenant, caseId: string, text: string) =>
    test.http().post(`/api/v1/cases/${caseId}/notes`).set(bearer(tenant.tokens.officer)).send({ text }).expect(201);
  const inquire = async (tenant: Tenant, caseId: string, locale: string) =>
    (
      await test
        .http()
        .post(`/api/v1/cases/${caseId}/inquiries`)
        .set(bearer(tenant.tokens.officer))
        .send({
          template: 'ai-inquiry',
          locale,
          to: ['dpo@provider.example'],
          questionIds: ['ai.collection.categories'],
          deadline: { count: 20, unit: 'calendar_days' },
        })
        .expect(202)
    ).body as { id: string };

  beforeAll(async () => {
    dataDir = `var/test/search-${process.pid}-${Date.now()}`;
    test = await startTestApp({ dataDir });
    db = test.app.get(DataSource);
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    gpdpOrg = (
      await test
        .http()
        .post('/api/v1/organisations')
        .set(bearer(gpdp.tokens.officer))
        .send({
          name: 'Aster Minds S.r.l.',
          tradingNames: ['Zephyrline Chat'],
          country: 'IT',
          contacts: [{ name: 'DPO', email: 'privacy@asterminds.example', role: 'dpo' }],
        })
        .expect(201)
    ).body.id as string;
    pipcOrg = await createProvider(test, pipc.tokens.officer, 'Hanbit AI Co., Ltd.');
  });
  afterAll(async () => {
    await test.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("finds a case by its organisation's trading name and contacts' domain, only in the authority that has cases of it", async () => {
    const kase = await createCase(test, gpdp, gpdpOrg, { title: 'Chatbot for minors' });
    const byTradingName = await search(gpdp, { q: 'zephyrline' });
    expect(byTradingName.items.map((hit) => [hit.caseId, hit.kind])).toEqual([[kase.id, 'organisation']]);
    expect(byTradingName.items[0].snippet).toContain('<mark>Zephyrline</mark>');
    // A misspelt name is found by trigram similarity.
    expect((await search(gpdp, { q: 'zephyrlyne' })).items.map((hit) => hit.caseId)).toEqual([kase.id]);
    const byDomain = await search(gpdp, { q: 'asterminds.example' });
    expect(byDomain.items.map((hit) => [hit.caseId, hit.kind])).toEqual([[kase.id, 'contact']]);
    // PIPC has no case of this organisation, and its own address book does not name the domain.
    expect((await search(pipc, { q: 'zephyrline' })).items).toEqual([]);
    expect((await search(pipc, { q: 'asterminds.example' })).items).toEqual([]);
  });

  it('finds a case by a word of a note, stemmed in the authority language, and follows edits at once', async () => {
    const kase = await createCase(test, gpdp, gpdpOrg, { title: 'Registro dei trattamenti' });
    await note(gpdp, kase.id, 'Il titolare non ha indicato i tempi di conservazione dei dati degli utenti.');
    const hits = await search(gpdp, { q: 'conservazioni' });
    expect(hits.items.map((hit) => [hit.caseId, hit.kind, hit.reference])).toEqual([[kase.id, 'note', kase.reference]]);
    expect(hits.items[0].snippet).toContain('<mark>conservazione</mark>');
    expect(hits.items[0].where).toMatch(/^Note by /);

    // The index is written in the same transaction as the case: a renamed case is found by its new title only.
    const current = await test.http().get(`/api/v1/cases/${kase.id}`).set(bearer(gpdp.tokens.officer)).expect(200);
    await test
      .http()
      .patch(`/api/v1/cases/${kase.id}`)
      .set(bearer(gpdp.tokens.officer))
      .set('if-match', `"${current.body.version}"`)
      .send({ title: 'Tempi di archiviazione' })
      .expect(200);
    expect((await search(gpdp, { q: 'archiviazione', type: 'case' })).items.map((hit) => hit.caseId)).toEqual([
      kase.id,
    ]);
    expect((await search(gpdp, { q: 'registro', type: 'case' })).items).toEqual([]);
  });

  it('finds a case by a word in a reply received by e-mail, and the triage inbox by its sender', async () => {
    const kase = await createCase(test, gpdp, gpdpOrg, { title: 'Risposte del fornitore' });
    const inbound = test.app.get(InboundService);
    const raw = (subject: string, text: string) =>
      Buffer.from(
        [
          `Message-ID: <${Math.random().toString(36).slice(2)}@asterminds.example>`,
          'MIME-Version: 1.0',
          'From: Legal <legal@asterminds.example>',
          'To: replies@docket.test',
          `Subject: ${subject}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          text,
        ].join('\r\n'),
      );
    await inbound.ingest(raw(`Re: ${kase.reference}`, 'Our platypus pipeline deletes prompts after 30 days.'), {
      from: 'legal@asterminds.example',
      to: ['replies@docket.test'],
      triageAuthority: 'GPDP',
    });
    const hits = await search(gpdp, { q: 'platypus' });
    expect(hits.items.map((hit) => [hit.caseId, hit.kind])).toEqual([[kase.id, 'reply']]);
    expect(hits.items[0].where).toContain('legal@asterminds.example');

    await inbound.ingest(raw('Unrelated question', 'Does the kookaburra rule apply?'), {
      from: 'someone@else.example',
      to: ['replies@docket.test'],
      triageAuthority: 'GPDP',
    });
    const inbox = await search(gpdp, { q: 'kookaburra' });
    expect(inbox.items.map((hit) => [hit.caseId, hit.kind, hit.title])).toEqual([
      [null, 'inbox', 'Unrelated question'],
    ]);
    expect((await search(pipc, { q: 'kookaburra' })).items).toEqual([]);
  });

  it('finds a case by a word inside an attached PDF, by a response summary and by an outcome summary', async () => {
    const kase = await createCase(test, gpdp, gpdpOrg, { title: 'Documenti allegati' });
    const inquiry = await inquire(gpdp, kase.id, 'it');
    const response = await test
      .http()
      .post(`/api/v1/inquiries/${inquiry.id}/responses`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        channel: 'email',
        receivedAt: new Date().toISOString(),
        summary: 'Risposta con allegato sul quetzal',
        answers: [],
      })
      .expect(201);
    await test
      .http()
      .post(`/api/v1/responses/${response.body.id}/attachments`)
      .set(bearer(gpdp.tokens.officer))
      .attach('file', minimalPdf('The retention schedule mentions zygomorphic datasets.'), {
        filename: 'schedule.pdf',
        contentType: 'application/pdf',
      })
      .expect(201);
    const inPdf = await search(gpdp, { q: 'zygomorphic' });
    expect(inPdf.items.map((hit) => [hit.caseId, hit.kind])).toEqual([[kase.id, 'attachment']]);
    expect(inPdf.items[0].where).toBe('Attachment: schedule.pdf');
    expect(inPdf.items[0].snippet).toContain('<mark>zygomorphic</mark>');
    // Extracted once per content.
    expect(Number((await db.query(`SELECT count(*) AS n FROM search_extracts`))[0].n)).toBe(1);
    expect((await search(gpdp, { q: 'quetzal' })).items.map((hit) => hit.kind)).toEqual(['response']);
    await test
      .http()
      .post(`/api/v1/cases/${kase.id}/outcomes`)
      .set(bearer(gpdp.tokens.officer))
      .send({ type: 'recommendation', decidedAt: new Date().toISOString(), summary: 'Raccomandazione sul capybara' })
      .expect(201);
    expect((await search(gpdp, { q: 'capybara' })).items.map((hit) => [hit.caseId, hit.kind])).toEqual([
      [kase.id, 'outcome'],
    ]);
  });

  it('finds a Korean phrase in a letter (no word spaces: bigram phrase), only in its own authority', async () => {
    const withLetter = await createCase(test, pipc, pipcOrg, { title: '얼굴인식 서비스 조사' });
    await createCase(test, pipc, pipcOrg, { title: '다른 사건' });
    await inquire(pipc, withLetter.id, 'ko');
    const hits = await search(pipc, { q: '무궁한 발전을' });
    expect(hits.items.map((hit) => [hit.caseId, hit.kind])).toEqual([[withLetter.id, 'letter']]);
    expect(hits.items[0].snippet).toMatch(/<mark>무궁한<\/mark> <mark>발전을<\/mark>|<mark>무궁한 발전을<\/mark>/);
    // A part of a word (Korean attaches particles to words).
    expect((await search(pipc, { q: '얼굴인식' })).items.map((hit) => hit.caseId)).toEqual([withLetter.id]);
    // One character: no bigram to match, so a substring (trigram-indexed only in documents written in such scripts).
    expect((await search(pipc, { q: '얼' })).items.map((hit) => hit.caseId)).toEqual([withLetter.id]);
    expect((await search(gpdp, { q: '무궁한 발전을' })).items).toEqual([]);
  });

  it('finds nothing of another authority but the reference and title of a case it shared for coordination', async () => {
    const own = await createCase(test, gpdp, gpdpOrg, { title: 'Wombat tracking' });
    const theirs = await createCase(test, pipc, pipcOrg, { title: 'Numbat profiling' });
    await note(pipc, theirs.id, 'Internal: the wombat vendor is also involved.');
    await note(pipc, theirs.id, 'Internal: the bandicoot vendor.');
    expect((await search(gpdp, { q: 'numbat' })).items).toEqual([]);
    await test.http().post(`/api/v1/cases/${theirs.id}/share`).set(bearer(pipc.tokens.manager)).expect(200);

    const shared = await search(gpdp, { q: 'numbat' });
    expect(shared.items.map((hit) => [hit.caseId, hit.kind, hit.sharedFrom])).toEqual([[theirs.id, 'case', 'PIPC']]);
    expect((await search(gpdp, { q: 'wombat' })).items.map((hit) => hit.caseId)).toEqual([own.id]);
    expect((await search(gpdp, { q: 'bandicoot' })).items).toEqual([]);
    expect((await search(gpdp, { q: theirs.reference })).items.map((hit) => hit.caseId)).toEqual([theirs.id]);
  });

  it('pages ranked results by cursor without duplicates, filters by kind and groups hits by case', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 13; i++) ids.add((await createCase(test, gpdp, gpdpOrg, { title: `Ocelot inquiry ${i}` })).id);
    const first = [...ids][0];
    await note(gpdp, first, 'Ocelot note one');
    await note(gpdp, first, 'Ocelot note two');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search(gpdp, { q: 'ocelot', limit: 5, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((hit) => hit.caseId!));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(13);
    expect(new Set(seen)).toEqual(ids);
    const notes = await search(gpdp, { q: 'ocelot', type: 'note' });
    expect(notes.items.map((hit) => [hit.caseId, hit.kind])).toEqual([[first, 'note']]);
  });

  it('ranks a word of many documents in tiers of the newest ones and still pages to every case once', async () => {
    // More matching documents than are ranked at once (1,000): 1,300 notes over seven cases, written in SQL (the
    // triggers index them), one more case whose only match is older than all of them, and one of another authority.
    const cases: string[] = [];
    for (let i = 0; i < 7; i++) cases.push((await createCase(test, gpdp, gpdpOrg, { title: `Quokka matter ${i}` })).id);
    const oldest = (await createCase(test, gpdp, gpdpOrg, { title: 'Marsupial matter' })).id;
    const elsewhere = (await createCase(test, pipc, pipcOrg, { title: 'Marsupial matter of PIPC' })).id;
    await db.query(
      `INSERT INTO case_notes (authority_id, case_id, author_id, author_label, text, created_at)
       SELECT c.authority_id, c.id, NULL, 'test', 'Sighting of a quokka, number ' || g, now()
         FROM generate_series(1, 1300) g JOIN cases c ON c.id = ($1::uuid[])[1 + g % 7]`,
      [cases],
    );
    await note(gpdp, oldest, 'One quokka seen long ago');
    await note(pipc, elsewhere, 'A quokka of PIPC');
    await db.query(
      `UPDATE search_documents SET updated_at = now() - interval '1 day' WHERE kind = 'note' AND case_id = $1`,
      [oldest],
    );

    const first = await search(gpdp, { q: 'quokka', limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.items[0].snippet).toContain('<mark>quokka</mark>');
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search(gpdp, { q: 'quokka', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((hit) => hit.caseId!));
      cursor = page.nextCursor ?? undefined;
      if (++pages > 50) throw new Error('the walk does not end');
    } while (cursor);
    expect(seen).toHaveLength(new Set(seen).size);
    expect(new Set(seen)).toEqual(new Set([...cases, oldest]));
    // The case found only by its older note comes after every case of the newer tiers.
    expect(seen.at(-1)).toBe(oldest);
    expect((await search(pipc, { q: 'quokka' })).items.map((hit) => hit.caseId)).toEqual([elsewhere]);
  });

  it('refuses bad input with problem+json and a named field', async () => {
    const refuse = async (query: Record<string, string>, field: string) => {
      const response = await test.http().get('/api/v1/search').query(query).set(bearer(gpdp.tokens.viewer)).expect(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    };
    await refuse({ q: '' }, 'q');
    await refuse({ q: '   ' }, 'q');
    await refuse({}, 'q');
    await refuse({ q: 'x'.repeat(10_000) }, 'q');
    await refuse({ q: 'ocelot', cursor: 'not-a-cursor' }, 'cursor');
    await refuse({ q: 'ocelot', cursor: Buffer.from('["x","y"]').toString('base64url') }, 'cursor');
    await refuse({ q: 'ocelot', type: 'letters' }, 'type');
    await refuse({ q: 'ocelot', limit: '0' }, 'limit');
    await refuse({ q: 'ocelot', sort: 'score' }, 'sort');
    // Operators and odd characters are words, never SQL or tsquery syntax errors.
    for (const q of ["o'reilly & | ! <-> (", '"unbalanced', '-', '%_\\', ':*'])
      await test.http().get('/api/v1/search').query({ q }).set(bearer(gpdp.tokens.viewer)).expect(200);
    // A user of no authority has nothing to search.
    const sysadmin = await test
      .http()
      .post('/api/v1/auth/token')
      .send({ email: 'sysadmin@docket.test', password: 'sysadmin-password-1' })
      .expect(200);
    await test.http().get('/api/v1/search?q=ocelot').set(bearer(sysadmin.body.token)).expect(403);
  });

  it('rebuilds the same index from the tables (the reconciliation step)', async () => {
    const before = (await db.query(
      `SELECT kind, source_id, authority_id, case_id, heading, body FROM search_documents ORDER BY kind, source_id`,
    )) as unknown[];
    await db.query(`DELETE FROM search_documents WHERE kind = 'note'`);
    expect((await search(gpdp, { q: 'conservazioni' })).items).toEqual([]);
    await db.query(`SELECT search_reindex_all()`);
    const after = (await db.query(
      `SELECT kind, source_id, authority_id, case_id, heading, body FROM search_documents ORDER BY kind, source_id`,
    )) as unknown[];
    expect(after).toEqual(before);
    expect((await search(gpdp, { q: 'conservazioni' })).items).toHaveLength(1);
  });
});
