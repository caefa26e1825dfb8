import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { DataSource } from 'typeorm';
import { InboundService } from '#docket/inbound';
import { MalwareScanner } from '#docket/scanning';
import { RequestContext } from '#docket/platform';
import { bearer, createTenant, startTestApp, tokenFor, type Tenant, type TestApp } from './support/app.js';
import { Clamd, EICAR, EICAR_SIGNATURE } from './support/clamd.js';
import { createProvider } from './support/fixtures.js';
import { sendInquiry, type SentInquiry } from './support/mail-fixtures.js';
import { cookieHeader, pageSession } from './support/page-session.js';

describe('malware scanning of every file that enters (real clamd)', () => {
  let clamd: Clamd;
  let test: TestApp;
  let db: DataSource;
  let gpdp: Tenant;
  let pipc: Tenant;
  let inquiry: SentInquiry;
  let responseId: string;

  const upload = (content: Buffer, filename: string, token = gpdp.tokens.officer) =>
    test
      .http()
      .post(`/api/v1/responses/${responseId}/attachments`)
      .set(bearer(token))
      .attach('file', content, { filename, contentType: 'application/octet-stream' });
  const notices = async () =>
    (await db.query(
      `SELECT subject, to_addresses FROM outbound_messages WHERE kind = 'malware-quarantine' AND authority_id = $1 ORDER BY created_at`,
      [gpdp.authorityId],
    )) as { subject: string; to_addresses: string[] }[];

  beforeAll(async () => {
    clamd = await new Clamd().start();
    test = await startTestApp({ env: { CLAMD_URL: clamd.url } });
    db = test.app.get(DataSource);
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    const organisationId = await createProvider(test, gpdp.tokens.officer);
    inquiry = await sendInquiry(test, gpdp, organisationId);
    const response = await test
      .http()
      .post(`/api/v1/inquiries/${inquiry.id}/responses`)
      .set(bearer(gpdp.tokens.officer))
      .send({ channel: 'post', summary: 'Letter by post', answers: [], receivedAt: new Date().toISOString() })
      .expect(201);
    responseId = response.body.id;
  });

  afterAll(async () => {
    await test?.close();
    await clamd?.stop();
  });

  it('quarantines an uploaded EICAR file: kept as evidence, not downloadable, staff told', async () => {
    const infected = await upload(EICAR, 'invoice.pdf').expect(201);
    expect(infected.body.scan).toMatchObject({ status: 'infected', detail: expect.stringContaining(EICAR_SIGNATURE) });
    const download = await test.http().get(infected.body.url).set(bearer(gpdp.tokens.viewer)).expect(409);
    expect(download.body.detail).toContain('quarantine');
    expect(download.headers['content-type']).toContain('application/problem+json');
    // A reader of Italian is told in Italian (the finding, the scanner's name for it, as it is).
    await test
      .http()
      .post('/api/v1/users')
      .set(bearer(gpdp.tokens.admin))
      .send({
        email: 'conti@gpdp.test',
        name: 'Conti',
        password: 'a-long-password-12',
        role: 'viewer',
        authority: 'GPDP',
        language: 'it',
      })
      .expect(201);
    const italian = await test
      .http()
      .get(infected.body.url)
      .set(bearer(await tokenFor(test, 'conti@gpdp.test', 'a-long-password-12')))
      .expect(409);
    expect(italian.body.detail).toBe(
      `invoice.pdf contiene ${infected.body.scan.detail}; il file è conservato in quarantena a fini probatori e non viene reso disponibile.`,
    );
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'attachment.quarantined' AND entity_id = $1`,
      [infected.body.id],
    );
    expect(n).toBe(1);
    const [notice] = await notices();
    expect(notice.subject).toBe('Rilevato malware, file in quarantena: invoice.pdf');
    expect(notice.to_addresses.sort()).toEqual(['admin@gpdp.test', 'manager@gpdp.test']);
  });

  it('serves a clean file with the engine’s verdict', async () => {
    const clean = await upload(Buffer.from('%PDF-1.4 a clean letter'), 'letter.pdf').expect(201);
    expect(clean.body.scan).toMatchObject({ status: 'clean', detail: null, scannedAt: expect.any(String) });
    const download = await test
      .http()
      .get(clean.body.url)
      .set(bearer(gpdp.tokens.viewer))
      .responseType('blob')
      .expect(200);
    expect(Buffer.from(download.body).toString()).toBe('%PDF-1.4 a clean letter');
    await test.http().get(clean.body.url).set(bearer(pipc.tokens.admin)).expect(404);
  });

  it('scans the attachments of an e-mailed reply on arrival and carries them into the confirmed response', async () => {
    const raw = await new MailComposer({
      from: 'dpo@provider.example',
      to: inquiry.replyTo,
      subject: 'Re: our answers',
      inReplyTo: inquiry.messageId,
      text: 'Our answers are attached.',
      attachments: [
        { filename: 'answers.txt', content: 'Data is stored in Singapore.', contentType: 'text/plain' },
        { filename: 'tool.exe', content: EICAR, contentType: 'application/octet-stream' },
      ],
    })
      .compile()
      .build();
    const message = await RequestContext.run(() =>
      test.app.get(InboundService).ingest(raw, { from: 'dpo@provider.example', to: [inquiry.replyTo] }),
    );
    const view = await test.http().get(`/api/v1/inbound/${message.id}`).set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(view.body.status).toBe('draft');
    const [text, exe] = view.body.attachments;
    expect(text).toMatchObject({ filename: 'answers.txt', scan: { status: 'clean' }, url: expect.any(String) });
    expect(exe).toMatchObject({ filename: 'tool.exe', scan: { status: 'infected' }, url: null });
    const file = await test.http().get(text.url).set(bearer(gpdp.tokens.officer)).responseType('blob').expect(200);
    expect(Buffer.from(file.body).toString()).toBe('Data is stored in Singapore.');
    await test.http().get(text.url).set(bearer(pipc.tokens.officer)).expect(404);
    await test.http().get(`/api/v1/inbound/${message.id}/attachments/1`).set(bearer(gpdp.tokens.officer)).expect(409);
    const italian = await test
      .http()
      .get(`/api/v1/inbound/${message.id}/attachments/1`)
      .set(bearer(await tokenFor(test, 'conti@gpdp.test', 'a-long-password-12')))
      .expect(409);
    expect(italian.body.detail).toMatch(/^tool\.exe contiene .+; il file è conservato in quarantena/);
    await test.http().get(`/api/v1/inbound/${message.id}/attachments/7`).set(bearer(gpdp.tokens.officer)).expect(404);
    expect((await notices()).map((notice) => notice.subject)).toContain(
      'Rilevato malware, file in quarantena: tool.exe',
    );
    // Pages: the message and the draft on the case page list each file with its type, size, SHA-256 and scan; a
    // clean one opens under the session, a quarantined one is not linked (and answers 409).
    const officer = cookieHeader(await pageSession(test, 'officer@gpdp.test', 'officer-password-123'));
    const other = cookieHeader(await pageSession(test, 'officer@pipc.test', 'officer-password-123'));
    const messagePage = await test.http().get(`/inbox/${message.id}`).set('cookie', officer).expect(200);
    const draftPage = await test.http().get(`/cases/${inquiry.caseId}`).set('cookie', officer).expect(200);
    for (const page of [messagePage.text, draftPage.text]) {
      expect(page).toContain(text.sha256);
      expect(page).toContain(exe.sha256);
      expect(page).toContain(`href="/inbox/${message.id}/attachments/0"`);
      expect(page).not.toContain(`href="/inbox/${message.id}/attachments/1"`);
      expect(page).toContain(`Quarantined: contains ${exe.scan.detail}`);
      expect(page).toContain('checked: no malware found');
    }
    const opened = await test
      .http()
      .get(`/inbox/${message.id}/attachments/0`)
      .set('cookie', officer)
      .responseType('blob')
      .expect(200);
    expect(Buffer.from(opened.body).toString()).toBe('Data is stored in Singapore.');
    expect(opened.headers['content-disposition']).toMatch(/^attachment; filename="answers.txt"/);
    await test.http().get(`/inbox/${message.id}/attachments/1`).set('cookie', officer).expect(409);
    await test.http().get(`/inbox/${message.id}/attachments/0`).set('cookie', other).expect(404);

    const confirmed = await test
      .http()
      .post(`/api/v1/inbound/${message.id}/confirm`)
      .set(bearer(gpdp.tokens.officer))
      .send({ answers: [] })
      .expect(201);
    const response = await test
      .http()
      .get(`/api/v1/responses/${confirmed.body.response.id}`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    const carried = response.body.attachments as { filename: string; url: string; scan: { status: string } }[];
    expect(carried.map((attachment) => [attachment.filename, attachment.scan.status])).toEqual([
      ['answers.txt', 'clean'],
      ['tool.exe', 'infected'],
    ]);
    expect(
      Buffer.from(
        (await test.http().get(carried[0].url).set(bearer(gpdp.tokens.viewer)).responseType('blob').expect(200)).body,
      ).toString(),
    ).toBe('Data is stored in Singapore.');
    await test.http().get(carried[1].url).set(bearer(gpdp.tokens.viewer)).expect(409);
    // The case page lists the files received with its responses, the clean one opening under the session.
    const casePage = await test.http().get(`/cases/${inquiry.caseId}`).set('cookie', officer).expect(200);
    const [cleanId, infectedId] = (response.body.attachments as { id: string }[]).map((attachment) => attachment.id);
    expect(casePage.text).toContain('id="received-title"');
    expect(casePage.text).toContain(`href="/attachments/${cleanId}"`);
    expect(casePage.text).not.toContain(`href="/attachments/${infectedId}"`);
    const kept = await test
      .http()
      .get(`/attachments/${cleanId}`)
      .set('cookie', officer)
      .responseType('blob')
      .expect(200);
    expect(Buffer.from(kept.body).toString()).toBe('Data is stored in Singapore.');
    await test.http().get(`/attachments/${infectedId}`).set('cookie', officer).expect(409);
    await test.http().get(`/attachments/${cleanId}`).set('cookie', other).expect(404);
  });

  it('quarantines an EICAR file added to a case’s documents: listed, not served, never enclosed with a letter', async () => {
    const caseId = inquiry.caseId;
    const added = await test
      .http()
      .post(`/api/v1/cases/${caseId}/documents`)
      .set(bearer(gpdp.tokens.officer))
      .field('title', 'Annex sent by the provider')
      .attach('file', EICAR, { filename: 'annex.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(added.body).toMatchObject({
      kind: 'case_file',
      scan: 'infected',
      scanDetail: expect.stringContaining(EICAR_SIGNATURE),
      signed: false,
    });
    const clean = await test
      .http()
      .post(`/api/v1/cases/${caseId}/documents`)
      .set(bearer(gpdp.tokens.officer))
      .attach('file', Buffer.from('Register of processing, 2025'), {
        filename: 'register.txt',
        contentType: 'text/plain',
      })
      .expect(201);
    expect(clean.body).toMatchObject({ scan: 'clean', scanDetail: null, mediaType: 'text/plain' });
    const listed = await test
      .http()
      .get(`/api/v1/cases/${caseId}/documents`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(200);
    expect(listed.body.map((document: { id: string; scan: string }) => [document.id, document.scan])).toEqual(
      expect.arrayContaining([
        [added.body.id, 'infected'],
        [clean.body.id, 'clean'],
      ]),
    );
    const download = await test
      .http()
      .get(`/api/v1/documents/${added.body.id}`)
      .set(bearer(gpdp.tokens.viewer))
      .expect(409);
    expect(download.body.detail).toContain('quarantine');
    const italian = await test
      .http()
      .get(`/api/v1/documents/${added.body.id}`)
      .set(bearer(await tokenFor(test, 'conti@gpdp.test', 'a-long-password-12')))
      .expect(409);
    expect(italian.body.detail).toMatch(/^annex\.pdf contiene .+; il file è conservato in quarantena/);
    await test.http().get(`/api/v1/documents/${clean.body.id}`).set(bearer(gpdp.tokens.viewer)).expect(200);
    const refused = await test
      .http()
      .post(`/api/v1/cases/${caseId}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'it',
        to: ['dpo@provider.example'],
        deadline: { count: 20, unit: 'calendar_days' },
        attachmentIds: [clean.body.id, added.body.id],
      })
      .expect(400);
    expect(refused.body.errors).toEqual([{ field: 'attachmentIds', message: expect.stringMatching(/quarantined/) }]);
    expect((await notices()).map((notice) => notice.subject)).toContain(
      'Rilevato malware, file in quarantena: annex.pdf',
    );
  });

  it('never passes a quarantined file on to another authority through a procedure', async () => {
    const caseId = inquiry.caseId;
    const kase = await test.http().get(`/api/v1/cases/${caseId}`).set(bearer(gpdp.tokens.viewer)).expect(200);
    const evidence = await test
      .http()
      .post(`/api/v1/cases/${caseId}/documents`)
      .set(bearer(gpdp.tokens.officer))
      .field('title', 'Evidence kept in quarantine')
      .attach('file', EICAR, { filename: 'evidence.pdf', contentType: 'application/pdf' })
      .expect(201);
    expect(evidence.body.scan).toBe('infected');
    const procedure = await test
      .http()
      .post('/api/v1/procedures')
      .set(bearer(gpdp.tokens.officer))
      .send({
        type: 'mutual_assistance',
        participants: ['PIPC'],
        organisationId: kase.body.organisationId,
        caseId,
        subject: 'Storage of users’ prompts',
      })
      .expect(201);
    const officer = cookieHeader(await pageSession(test, 'officer@gpdp.test', 'officer-password-123'));
    const page = await test.http().get(`/procedures/${procedure.body.id}`).set('cookie', officer).expect(200);
    expect(page.text).not.toContain(evidence.body.id);
    const refused = await test
      .http()
      .post(`/api/v1/procedures/${procedure.body.id}/documents`)
      .set(bearer(gpdp.tokens.officer))
      .send({ documentId: evidence.body.id })
      .expect(409);
    expect(refused.body.title).toBe('File quarantined');
    const shared = async () => Number((await db.query(`SELECT count(*) AS n FROM procedure_documents`))[0].n as string);
    expect(await shared()).toBe(0);
    // A share recorded before the file's verdict changed is not served either.
    await db.query(
      `INSERT INTO procedure_documents (procedure_id, document_id, authority_id, shared_by, shared_at)
       VALUES ($1, $2, $3, 'officer', now())`,
      [procedure.body.id, evidence.body.id, gpdp.authorityId],
    );
    await test
      .http()
      .get(`/api/v1/procedures/${procedure.body.id}/documents/${evidence.body.id}`)
      .set(bearer(pipc.tokens.viewer))
      .expect(409);
  });

  it('says "not scanned", with the reason, when clamd cannot be reached, and never pretends a file is clean', async () => {
    await clamd.stop();
    const unscanned = await upload(Buffer.from('scanned by nobody'), 'note.txt').expect(201);
    expect(unscanned.body.scan).toMatchObject({
      status: 'not_scanned',
      detail: expect.stringContaining('could not be reached'),
      scannedAt: null,
    });
    await test.http().get(unscanned.body.url).set(bearer(gpdp.tokens.viewer)).expect(200);
  });

  it('without CLAMD_URL nothing is scanned and the verdict says so', async () => {
    const scanner = new MalwareScanner({ config: {} } as never, { now: () => new Date() } as never);
    await expect(scanner.scan(EICAR)).resolves.toEqual({
      status: 'not_scanned',
      detail: 'no malware scanner is configured (CLAMD_URL)',
      engine: null,
      scannedAt: null,
    });
  });
});
