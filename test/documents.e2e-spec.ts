import { createHash, randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { SealsService } from '#docket/documents';
import { selfSignedPkcs12 } from './support/certificates.js';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';
import { cookieHeader, pageSession } from './support/page-session.js';
import { pdfText } from './support/pdf.js';
import { SmtpSink, type Received } from './support/smtp-sink.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/**
 * CJK text wraps without spaces, and pdftotext joins a word hyphenated at a line's end: extracted text is compared
 * without white space and hyphens.
 */
const compact = (text: string) => text.replace(/[\s-]+/g, '');
/** A real PNG image (solid colour, RGB), built here so the test needs no image file. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x40)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

async function waitForInquiry(test: TestApp, token: string, id: string, status: string, timeoutMs = 20000) {
  const started = Date.now();
  for (;;) {
    const response = await test.http().get(`/api/v1/inquiries/${id}`).set(bearer(token)).expect(200);
    if (response.body.status === status) return response.body;
    if (Date.now() - started > timeoutMs) throw new Error(`inquiry stayed ${response.body.status}, expected ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function pdfOf(mail: Received): Buffer {
  const parts = mail.parsed.attachments.filter((attachment) => attachment.contentType === 'application/pdf');
  expect(parts).toHaveLength(1);
  return parts[0].content;
}

describe('formal documents: letters as PDF, stored once, verifiable (real SMTP on loopback)', () => {
  let sink: SmtpSink;
  let test: TestApp;
  const tenants: Record<string, Tenant> = {};
  const providers: Record<string, string> = {};

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Docket <protocollo@docket.example>' } });
    tenants.GPDP = await createTenant(test, 'GPDP');
    tenants.PIPC = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    tenants.PPC = await createTenant(test, 'PPC', {
      country: 'JP',
      timezone: 'Asia/Tokyo',
      locale: 'ja-JP',
      holidayRegion: 'JP',
    });
    for (const code of Object.keys(tenants))
      providers[code] = await createProvider(test, tenants[code].tokens.officer, `${code} Provider AI Ltd.`);
  });
  afterAll(async () => {
    await test.close();
    await sink.stop();
  });

  const sent: { code: string; caseId: string; documentId: string; bytes: Buffer }[] = [];

  it.each([
    ['GPDP', 'it', 'it-IT', 'Europe/Rome'],
    ['PIPC', 'ko', 'ko-KR', 'Asia/Seoul'],
    ['PPC', 'ja', 'ja-JP', 'Asia/Tokyo'],
  ])(
    '%s: the inquiry in %s arrives as a PDF whose text has the reference, the questions and the due date',
    async (code, locale, intl, timeZone) => {
      const tenant = tenants[code];
      const kase = await createCase(test, tenant, providers[code]);
      const to = `dpo-${locale}@provider.example`;
      const created = await test
        .http()
        .post(`/api/v1/cases/${kase.id}/inquiries`)
        .set(bearer(tenant.tokens.officer))
        .send({
          template: 'ai-inquiry',
          locale,
          to: [to],
          questionIds: ['ai.collection.categories', 'ai.sources.origin', 'ai.training_use.prompts'],
          deadline: { count: 20, unit: 'calendar_days' },
        })
        .expect(202);
      expect(created.body.documentId).toEqual(expect.any(String));
      const inquiry = await waitForInquiry(test, tenant.tokens.officer, created.body.id, 'sent');
      const [mail] = await sink.waitFor(() => sink.to(to).length >= 1).then(() => sink.to(to));
      const pdf = pdfOf(mail);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = compact(pdfText(pdf));
      const due = new Intl.DateTimeFormat(intl, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(
        new Date(`${created.body.deadline.dueDate}T12:00:00Z`),
      );
      expect(text).toContain(compact(kase.reference));
      expect(text).toContain(compact(due));
      for (const question of inquiry.questions as { number: number; text: string }[])
        expect(text).toContain(compact(question.text));
      // The body is a short cover note in the letter's language, naming the reference and the due date.
      expect(mail.parsed.text).toContain(kase.reference);
      expect(mail.parsed.text).toContain(due);
      expect(mail.parsed.text?.length).toBeLessThan(1500);

      // Listed on the case, downloadable by the authority: the exact bytes that were mailed.
      const list = await test
        .http()
        .get(`/api/v1/cases/${kase.id}/documents`)
        .set(bearer(tenant.tokens.viewer))
        .expect(200);
      expect(list.body).toEqual([
        expect.objectContaining({
          id: created.body.documentId,
          kind: 'inquiry',
          title: inquiry.subject,
          sha256: sha256(pdf),
          signed: false,
          scan: 'not_applicable',
          createdAt: expect.any(String),
        }),
      ]);
      const download = await test
        .http()
        .get(`/api/v1/documents/${created.body.documentId}`)
        .set(bearer(tenant.tokens.viewer))
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200)
        .expect('content-type', 'application/pdf');
      expect(sha256(download.body as Buffer)).toBe(sha256(pdf));

      // Its SHA-256 is in the audit trail.
      const [audited] = await test.app
        .get(DataSource)
        .query(
          `SELECT after->>'sha256' AS sha256 FROM audit_events WHERE action = 'document.issued' AND entity_id = $1`,
          [created.body.documentId],
        );
      expect(audited.sha256).toBe(sha256(pdf));
      sent.push({ code, caseId: kase.id, documentId: created.body.documentId, bytes: pdf });
    },
  );

  it('embeds subset fonts in a PDF/A-2b file', () => {
    for (const { bytes } of sent) {
      const raw = bytes.toString('latin1');
      expect(raw).toMatch(/pdfaid:part>2</);
      expect(raw).toMatch(/\/FontFile2/);
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans/);
    }
  });

  it('gives another authority 404 on every document and on the case list', async () => {
    expect(sent.length).toBe(3);
    for (const document of sent) {
      for (const [code, tenant] of Object.entries(tenants)) {
        if (code === document.code) continue;
        await test.http().get(`/api/v1/documents/${document.documentId}`).set(bearer(tenant.tokens.admin)).expect(404);
        await test
          .http()
          .get(`/api/v1/cases/${document.caseId}/documents`)
          .set(bearer(tenant.tokens.admin))
          .expect(404);
      }
    }
    await test.http().get(`/api/v1/documents/${sent[0].documentId}`).expect(401);
  });

  it('says on the case timeline that the document was issued, in words', async () => {
    const tenant = tenants[sent[0].code];
    const timeline = await test
      .http()
      .get(`/api/v1/cases/${sent[0].caseId}/timeline`)
      .set(bearer(tenant.tokens.officer))
      .expect(200);
    const summaries = (timeline.body.items ?? timeline.body).map((event: { summary: string }) => event.summary);
    // The letter's title is in its own language (GPDP writes in Italian); the summary is the API's English.
    expect(summaries).toContainEqual(expect.stringMatching(/^Document issued: Richiesta di informazioni/));
    expect(summaries.filter((summary: string) => summary.startsWith('document issued'))).toEqual([]);
  });

  it('refuses to change or delete an issued document in SQL (trigger)', async () => {
    const db = test.app.get(DataSource);
    await expect(
      db.query(`UPDATE documents SET title = 'changed' WHERE id = $1`, [sent[0].documentId]),
    ).rejects.toThrow(/issued and cannot be changed/);
    await expect(db.query(`UPDATE documents SET sha256 = repeat('0', 64)`)).rejects.toThrow(/cannot be changed/);
    await expect(db.query(`DELETE FROM documents WHERE id = $1`, [sent[0].documentId])).rejects.toThrow(
      /cannot be changed/,
    );
    await expect(db.query(`TRUNCATE documents CASCADE`)).rejects.toThrow(/cannot be changed/);
  });

  it('verifies the exact bytes without sign-in, and not a one-byte change', async () => {
    const { bytes } = sent[0];
    const issued = await test
      .http()
      .post('/api/v1/documents/verify')
      .attach('file', bytes, { filename: 'letter.pdf', contentType: 'application/pdf' })
      .expect(200);
    const [row] = await test.app
      .get(DataSource)
      .query(`SELECT reference FROM documents WHERE id = $1`, [sent[0].documentId]);
    expect(issued.body).toEqual({
      issued: true,
      reference: row.reference,
      issuedAt: expect.any(String),
      signed: false,
    });
    const changed = Buffer.from(bytes);
    changed[Math.floor(changed.length / 2)] ^= 0x01;
    const forged = await test
      .http()
      .post('/api/v1/documents/verify')
      .attach('file', changed, { filename: 'letter.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(forged.body).toEqual({ issued: false });
    const missing = await test.http().post('/api/v1/documents/verify').field('x', 'y').expect(400);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
  });

  it('seals the authority’s documents once its admin uploads a PKCS#12 file; the seal verifies, a changed byte does not', async () => {
    const tenant = tenants.GPDP;
    const password = 'seal-password-2026';
    const p12 = selfSignedPkcs12(password);
    const upload = (token: string, file: Buffer | null, secret: string | null) => {
      const request = test.http().post('/api/v1/seal').set(bearer(token));
      if (secret !== null) request.field('password', secret);
      return file ? request.attach('certificate', file, 'seal.p12') : request;
    };
    await upload(tenant.tokens.officer, p12, password).expect(403);
    for (const [file, secret, field, message] of [
      [p12, 'not the password', 'password', /password does not open/],
      [Buffer.from('%PDF-1.7 this is not a certificate'), password, 'certificate', /not a PKCS#12/],
      [selfSignedPkcs12('x', { days: 5, startsInDays: -10 }), 'x', 'certificate', /expired/],
      [null, password, 'certificate', /PKCS#12 file/],
    ] as const) {
      const refused = await upload(tenant.tokens.admin, file, secret).expect(400);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(refused.body.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
    }
    expect((await test.http().get('/api/v1/seal').set(bearer(tenant.tokens.admin)).expect(200)).body).toEqual({
      configured: false,
    });
    const saved = await upload(tenant.tokens.admin, p12, password).expect(201);
    expect(saved.body).toMatchObject({
      configured: true,
      version: 1,
      holder: 'Garante per la protezione dei dati personali',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // Neither the key nor the password is ever sent back or kept in clear.
    const shown = await test.http().get('/api/v1/seal').set(bearer(tenant.tokens.admin)).expect(200);
    for (const body of [JSON.stringify(saved.body), JSON.stringify(shown.body)]) {
      expect(body).not.toContain(password);
      expect(body).not.toContain(p12.toString('base64').slice(0, 40));
      expect(body).not.toMatch(/sealed|PRIVATE KEY/i);
    }
    const [row] = await test.app.get(DataSource).query(`SELECT sealed_key FROM document_seals`);
    expect(row.sealed_key).toMatch(/^v1\./);
    expect(row.sealed_key).not.toContain(password);
    expect(row.sealed_key).not.toContain(p12.toString('base64').slice(0, 40));

    const kase = await createCase(test, tenant, providers.GPDP);
    const to = 'sealed@provider.example';
    const seals = test.app.get(SealsService);
    const openedBefore = seals.openings;
    const created = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(tenant.tokens.officer))
      .send({ template: 'ai-inquiry', locale: 'it', to: [to], deadline: { count: 20, unit: 'calendar_days' } })
      .expect(202);
    await sink.waitFor(() => sink.to(to).length >= 1);
    const pdf = pdfOf(sink.to(to)[0]);
    const text = pdfText(pdf);
    expect(text).toContain('Documento munito del sigillo elettronico di Garante per la protezione dei dati personali');
    expect(text).not.toContain('non reca sigillo');
    expect(pdf.toString('latin1')).toMatch(/pdfaid:part>2</);
    const list = await test
      .http()
      .get(`/api/v1/cases/${kase.id}/documents`)
      .set(bearer(tenant.tokens.viewer))
      .expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id: created.body.documentId, signed: true, sha256: sha256(pdf) }),
    ]);

    // The PKCS#12 file is opened once per seal version, not for every document: a second sealed letter reuses it,
    // a new version (uploaded again) is opened afresh.
    const sendSealed = async (address: string) => {
      await test
        .http()
        .post(`/api/v1/cases/${kase.id}/inquiries`)
        .set(bearer(tenant.tokens.officer))
        .send({ template: 'ai-inquiry', locale: 'it', to: [address], deadline: { count: 20, unit: 'calendar_days' } })
        .expect(202);
      await sink.waitFor(() => sink.to(address).length >= 1);
      return pdfOf(sink.to(address)[0]);
    };
    expect(pdfText(await sendSealed('sealed-again@provider.example'))).toContain('sigillo elettronico di Garante');
    expect(seals.openings - openedBefore).toBe(1);
    expect((await upload(tenant.tokens.admin, p12, password).expect(201)).body.version).toBe(2);
    expect(pdfText(await sendSealed('sealed-v2@provider.example'))).toContain('sigillo elettronico di Garante');
    expect(seals.openings - openedBefore).toBe(2);

    const verify = (bytes: Buffer) =>
      test
        .http()
        .post('/api/v1/documents/verify')
        .attach('file', bytes, { filename: 'letter.pdf', contentType: 'application/pdf' })
        .expect(200);
    expect((await verify(pdf)).body).toEqual({
      issued: true,
      reference: kase.reference,
      issuedAt: expect.any(String),
      signed: true,
      signatureValid: true,
    });
    // A byte of the signature dictionary (written first), one of the cross-reference table (at the end).
    for (const offset of [100, pdf.lastIndexOf('xref') + 12]) {
      const changed = Buffer.from(pdf);
      changed[offset] ^= 0x01;
      expect((await verify(changed)).body).toEqual({ issued: false, signed: true, signatureValid: false });
    }

    // Withdrawn: documents issued afterwards are unsigned and say so.
    await test.http().delete('/api/v1/seal').set(bearer(tenant.tokens.officer)).expect(403);
    await test.http().delete('/api/v1/seal').set(bearer(tenant.tokens.admin)).expect(204);
    expect((await test.http().get('/api/v1/seal').set(bearer(tenant.tokens.admin)).expect(200)).body).toEqual({
      configured: false,
    });
    const after = 'unsealed@provider.example';
    await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(tenant.tokens.officer))
      .send({ template: 'ai-inquiry', locale: 'it', to: [after], deadline: { count: 20, unit: 'calendar_days' } })
      .expect(202);
    await sink.waitFor(() => sink.to(after).length >= 1);
    const unsigned = pdfOf(sink.to(after)[0]);
    expect(pdfText(unsigned)).toContain('non reca sigillo elettronico');
    expect((await verify(unsigned)).body).toMatchObject({ issued: true, signed: false });
    expect((await verify(unsigned)).body.signatureValid).toBeUndefined();
  });

  it('sends the organisation formal notices of an extension, a stopped and a restarted clock, and acknowledges its reply', async () => {
    const tenant = tenants.GPDP;
    const kase = await createCase(test, tenant, providers.GPDP);
    const to = 'notices@provider.example';
    const created = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(tenant.tokens.officer))
      .send({ template: 'ai-inquiry', locale: 'de', to: [to], deadline: { count: 20, unit: 'calendar_days' } })
      .expect(202);
    await sink.waitFor(() => sink.to(to).length >= 1);
    const deadlineId = created.body.deadline.id as string;
    const long = (date: string) =>
      new Intl.DateTimeFormat('de', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${date}T12:00:00Z`),
      );
    const change = async (action: string, body: Record<string, unknown>, expected: number) => {
      const changed = await test
        .http()
        .post(`/api/v1/deadlines/${deadlineId}/${action}`)
        .set(bearer(tenant.tokens.officer))
        .send(body)
        .expect(200);
      await sink.waitFor(() => sink.to(to).length >= expected);
      const mail = sink.to(to)[expected - 1];
      expect(mail.parsed.text).toContain(kase.reference);
      return { deadline: changed.body, mail, text: compact(pdfText(pdfOf(mail))) };
    };
    const extended = await change('extend', { count: 30, unit: 'calendar_days', reason: 'asked for time' }, 2);
    expect(extended.mail.parsed.subject).toMatch(/^Verlängerung der Frist – Auskunftsersuchen/);
    expect(extended.text).toContain(compact('wird verlängert'));
    expect(extended.text).toContain(compact(long(extended.deadline.dueDate)));
    expect(extended.text).toContain(compact(`bisher: ${long(created.body.deadline.dueDate)}`));
    const suspended = await change('suspend', { reason: 'clarification requested' }, 3);
    expect(suspended.mail.parsed.subject).toMatch(/^Hemmung der Frist/);
    expect(suspended.text).toContain(compact('gehemmt'));
    const resumed = await change('resume', { reason: 'clarification received' }, 4);
    expect(resumed.mail.parsed.subject).toMatch(/^Fortsetzung des Fristlaufs/);
    expect(resumed.text).toContain(compact(`spätestens am ${long(resumed.deadline.dueDate)}`));

    await test
      .http()
      .post(`/api/v1/inquiries/${created.body.id}/responses`)
      .set(bearer(tenant.tokens.officer))
      .send({
        channel: 'email',
        summary: 'Antwort der Gesellschaft',
        answers: [],
        receivedAt: new Date().toISOString(),
      })
      .expect((response) => expect([response.status, response.body.detail]).toEqual([201, undefined]));
    await sink.waitFor(() => sink.to(to).length >= 5);
    const acknowledgement = sink.to(to)[4];
    expect(acknowledgement.parsed.subject).toBe(`Eingangsbestätigung Ihrer Antwort – Aktenzeichen ${kase.reference}`);
    expect(compact(pdfText(pdfOf(acknowledgement)))).toContain(compact('bei uns eingegangen ist'));

    const list = await test
      .http()
      .get(`/api/v1/cases/${kase.id}/documents`)
      .set(bearer(tenant.tokens.viewer))
      .expect(200);
    expect(list.body.map((document: { kind: string }) => document.kind)).toEqual([
      'inquiry',
      'extension_notice',
      'suspension_notice',
      'resumption_notice',
      'acknowledgement',
    ]);
    const mailed = sink
      .to(to)
      .slice(1)
      .map((mail) => sha256(pdfOf(mail)));
    expect(list.body.slice(1).map((document: { sha256: string }) => document.sha256)).toEqual(mailed);
  });

  it('refuses at saving a template version whose letter no embedded font can set (400, nothing saved)', async () => {
    const tenant = tenants.GPDP;
    const template = await test.http().get('/api/v1/templates/ai-inquiry').set(bearer(tenant.tokens.admin)).expect(200);
    const sources = { ...template.body.sources, en: `${template.body.sources.en}\n{% comment %}x{% endcomment %}` };
    sources.en = sources.en.replace('{% block text %}', '{% block text %}\n𓀀 𓁐 (hieroglyphs no font of Docket has)\n');
    const refused = await test
      .http()
      .post('/api/v1/templates/ai-inquiry/versions')
      .set(bearer(tenant.tokens.admin))
      .send({ sources })
      .expect(400);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.stringify(refused.body)).toMatch(/PDF document cannot be set: no font .*U\+13000/);
    const after = await test.http().get('/api/v1/templates/ai-inquiry').set(bearer(tenant.tokens.admin)).expect(200);
    expect(after.body.version).toBe(template.body.version);
  });

  it('prints the authority’s letterhead, set by its admin and versioned; a bad logo is a 400 when configured', async () => {
    const tenant = tenants.PIPC;
    const before = await test.http().get('/api/v1/letterhead').set(bearer(tenant.tokens.officer)).expect(200);
    expect(before.body).toMatchObject({ version: null, name: 'PIPC authority', logo: null });
    const save = (token: string) =>
      test
        .http()
        .post('/api/v1/letterhead')
        .set(bearer(token))
        .field('name', '개인정보보호위원회')
        .field('address', '서울특별시 종로구 세종대로 209\n정부서울청사')
        .field('referenceLabel', '문서번호')
        .field('signatoryName', '홍길동')
        .field('signatoryTitle', '조사조정국장');
    await save(tenant.tokens.officer).attach('logo', png(40, 20), 'logo.png').expect(403);
    for (const [bytes, message] of [
      [Buffer.from('GIF89a not what we take'), /PNG or JPEG/],
      [png(40, 20).subarray(0, 60), /cut short|no image data/],
      [Buffer.concat([png(40, 20), randomBytes(600 * 1024)]), /at most 500 KB/],
    ] as const) {
      const refused = await save(tenant.tokens.admin).attach('logo', bytes, 'logo.png').expect(400);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(refused.body.errors).toEqual([{ field: 'logo', message: expect.stringMatching(message) }]);
    }
    await test.http().post('/api/v1/letterhead').set(bearer(tenant.tokens.admin)).field('name', '').expect(400);
    const logo = png(120, 60);
    const saved = await save(tenant.tokens.admin).attach('logo', logo, 'logo.png').expect(201);
    expect(saved.body).toMatchObject({
      version: 1,
      name: '개인정보보호위원회',
      signatoryName: '홍길동',
      logo: { contentType: 'image/png', size: logo.length, sha256: sha256(logo) },
    });
    expect(JSON.stringify(saved.body)).not.toContain(logo.toString('base64').slice(0, 40));
    // A second version without a logo keeps the first one's.
    const second = await save(tenant.tokens.admin).expect(201);
    expect(second.body).toMatchObject({ version: 2, logo: { sha256: sha256(logo) } });

    const kase = await createCase(test, tenant, providers.PIPC);
    const to = 'letterhead@provider.example';
    await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(tenant.tokens.officer))
      .send({ template: 'ai-inquiry', locale: 'ko', to: [to], deadline: { count: 10, unit: 'calendar_days' } })
      .expect(202);
    await sink.waitFor(() => sink.to(to).length >= 1);
    const pdf = pdfOf(sink.to(to)[0]);
    const text = compact(pdfText(pdf));
    for (const printed of ['개인정보보호위원회', '정부서울청사', `문서번호${kase.reference}`, '조사조정국장', '홍길동'])
      expect(text).toContain(compact(printed));
    expect(pdf.toString('latin1')).toMatch(/\/Subtype \/Image/);
    const [row] = await test.app
      .get(DataSource)
      .query(`SELECT letterhead_version FROM documents WHERE case_id = $1`, [kase.id]);
    expect(row.letterhead_version).toBe(2);
  });

  it.each([
    ['GPDP', 'it'],
    ['PIPC', 'ko'],
    ['PPC', 'ja'],
  ])(
    '%s issues a decision letter (%s) for every outcome type, with the fine, compliance date and checks',
    async (code, locale) => {
      const tenant = tenants[code];
      const kase = await createCase(test, tenant, providers[code]);
      const extra: Record<string, Record<string, unknown>> = {
        fine: { fine: { amount: 15000000, currency: 'EUR' } },
        referral: { referralTo: 'Data Protection Commission (IE)' },
        third_party_notice: { noticeTo: 'App Store Operator Ltd.' },
        corrective_order: {
          compliance: { count: 30, unit: 'calendar_days' },
          followUpChecks: [
            { count: 3, unit: 'months' },
            { count: 6, unit: 'months' },
          ],
        },
      };
      const types = [
        'no_action',
        'recommendation',
        'corrective_order',
        'processing_limitation',
        'suspension',
        'fine',
        'referral',
        'third_party_notice',
        'commitments',
      ];
      const titles = new Set<string>();
      const mailedBefore = sink.to('dpo@provider.example').length;
      for (const type of types) {
        const recorded = await test
          .http()
          .post(`/api/v1/cases/${kase.id}/outcomes`)
          .set(bearer(tenant.tokens.officer))
          .send({
            type,
            decidedAt: new Date().toISOString(),
            summary: `Decision text ${type} (${code})`,
            ...extra[type],
          })
          .expect((response) => expect([response.status, response.body.detail]).toEqual([201, undefined]));
        expect(recorded.body.documentId).toEqual(expect.any(String));
        const pdf = await test
          .http()
          .get(`/api/v1/documents/${recorded.body.documentId}`)
          .set(bearer(tenant.tokens.viewer))
          .buffer(true)
          .parse((response, callback) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => callback(null, Buffer.concat(chunks)));
          })
          .expect(200);
        const text = compact(pdfText(pdf.body as Buffer));
        expect(text).toContain(compact(kase.reference));
        expect(text).toContain(compact(`Decision text ${type}`));
        if (type === 'fine') expect(text).toMatch(/15[.,\s ]?000[.,\s ]?000/);
        if (type === 'referral') expect(text).toContain(compact('Data Protection Commission (IE)'));
        if (type === 'third_party_notice') expect(text).toContain(compact('App Store Operator Ltd.'));
        if (type === 'corrective_order') {
          const dates = [
            recorded.body.compliance.dueDate,
            ...recorded.body.followUpChecks.map((c: { dueDate: string }) => c.dueDate),
          ];
          expect(dates).toHaveLength(3);
          const long = (date: string) =>
            compact(
              new Intl.DateTimeFormat(locale, {
                day: 'numeric',
                month: 'long',
                year: 'numeric',
                timeZone: 'UTC',
              }).format(new Date(`${date}T12:00:00Z`)),
            );
          expect(text).toContain(long(dates[0]));
          expect(text).toContain(`1.${long(dates[1])}2.${long(dates[2])}`);
        }
        titles.add(text.slice(0, 200));
      }
      const list = await test
        .http()
        .get(`/api/v1/cases/${kase.id}/documents`)
        .set(bearer(tenant.tokens.viewer))
        .expect(200);
      const decisions = list.body.filter((document: { kind: string }) => document.kind === 'decision');
      expect(decisions).toHaveLength(types.length);
      // Each outcome type has its own title.
      expect(new Set(decisions.map((document: { title: string }) => document.title.split(' – ')[0])).size).toBe(
        types.length,
      );
      const outcomes = (await test.http().get(`/api/v1/cases/${kase.id}`).set(bearer(tenant.tokens.viewer)).expect(200))
        .body.outcomes as { documentId: string }[];
      expect(
        outcomes.every((outcome) => decisions.some((document: { id: string }) => document.id === outcome.documentId)),
      ).toBe(true);
      // Each decision letter is mailed to the organisation's contacts in this authority, its PDF attached.
      await sink.waitFor(
        () =>
          sink.to('dpo@provider.example').filter((mail) => mail.parsed.text?.includes(kase.reference)).length >=
          types.length,
        30000,
      );
      const mailed = sink
        .to('dpo@provider.example')
        .filter((mail) => mail.parsed.text?.includes(kase.reference))
        .map((mail) => sha256(pdfOf(mail)))
        .sort();
      expect(mailed).toEqual(decisions.map((document: { sha256: string }) => document.sha256).sort());
      expect(sink.to('dpo@provider.example').length - mailedBefore).toBeGreaterThanOrEqual(types.length);
    },
  );

  it('encloses case documents with an inquiry and a decision letter: in the mail, listed in the letter and in the sent record', async () => {
    const tenant = tenants.GPDP;
    const kase = await createCase(test, tenant, providers.GPDP);
    const annex = Buffer.from('register;purpose\nprompts;training\n');
    const addFile = (token: string, caseId: string, file: Buffer | null, title?: string) => {
      const request = test.http().post(`/api/v1/cases/${caseId}/documents`).set(bearer(token));
      if (title !== undefined) request.field('title', title);
      return file ? request.attach('file', file, { filename: 'register.csv', contentType: 'text/csv' }) : request;
    };
    await addFile(tenant.tokens.viewer, kase.id, annex).expect(403);
    await addFile(tenants.PIPC.tokens.officer, kase.id, annex).expect(404);
    const empty = await addFile(tenant.tokens.officer, kase.id, Buffer.alloc(0)).expect(400);
    expect(empty.body.errors).toEqual([{ field: 'file', message: expect.stringMatching(/empty/) }]);
    await addFile(tenant.tokens.officer, kase.id, null).expect(400);
    const added = await addFile(tenant.tokens.officer, kase.id, annex, 'Annex 1: register of processing').expect(201);
    expect(added.body).toMatchObject({
      kind: 'case_file',
      title: 'Annex 1: register of processing',
      filename: 'register.csv',
      mediaType: 'text/csv',
      sha256: sha256(annex),
      signed: false,
      // No CLAMD_URL in this test app: nothing pretends the file was scanned.
      scan: 'not_scanned',
      scanDetail: expect.stringMatching(/no malware scanner/),
    });
    // Not issued by Docket: verifying its bytes says so.
    const verified = await test
      .http()
      .post('/api/v1/documents/verify')
      .attach('file', annex, { filename: 'register.csv', contentType: 'text/csv' })
      .expect(200);
    expect(verified.body).toEqual({ issued: false });
    const otherCase = await createCase(test, tenants.PIPC, providers.PIPC);
    const foreign = await addFile(tenants.PIPC.tokens.officer, otherCase.id, annex).expect(201);

    const send = (attachmentIds: unknown, to = 'enclosures@provider.example') =>
      test
        .http()
        .post(`/api/v1/cases/${kase.id}/inquiries`)
        .set(bearer(tenant.tokens.officer))
        .send({
          template: 'ai-inquiry',
          locale: 'it',
          to: [to],
          deadline: { count: 20, unit: 'calendar_days' },
          attachmentIds,
        });
    for (const [ids, message] of [
      [[foreign.body.id], /no document/],
      [[added.body.id, added.body.id], /twice/],
      [['not-a-uuid'], /document id/],
    ] as const) {
      const refused = await send(ids).expect(400);
      expect(refused.body.errors).toEqual([
        { field: expect.stringMatching(/^attachmentIds/), message: expect.stringMatching(message) },
      ]);
    }
    const created = await send([added.body.id]).expect(202);
    expect(created.body.attachments).toEqual([
      {
        documentId: added.body.id,
        filename: 'register.csv',
        title: 'Annex 1: register of processing',
        mediaType: 'text/csv',
        size: annex.length,
        sha256: sha256(annex),
      },
    ]);
    await sink.waitFor(() => sink.to('enclosures@provider.example').length >= 1);
    const [mail] = sink.to('enclosures@provider.example');
    const letter = pdfOf(mail);
    const enclosed = mail.parsed.attachments.find((attachment) => attachment.filename === 'register.csv');
    expect(enclosed?.contentType).toBe('text/csv');
    expect(sha256(enclosed!.content)).toBe(sha256(annex));
    // The letter lists what it encloses, by title and SHA-256.
    const text = compact(pdfText(letter));
    expect(text).toContain('Allegati');
    expect(text).toContain(compact('Annex 1: register of processing (register.csv)'));
    expect(text).toContain(sha256(annex));
    // The sent record: the inquiry, its outgoing message and the audit trail list the enclosure.
    const inquiry = await test
      .http()
      .get(`/api/v1/inquiries/${created.body.id}`)
      .set(bearer(tenant.tokens.viewer))
      .expect(200);
    expect(inquiry.body.attachments).toEqual(created.body.attachments);
    const db = test.app.get(DataSource);
    const [message] = await db.query(`SELECT attachments FROM outbound_messages WHERE dedupe_key = $1`, [
      `inquiry.${created.body.id}`,
    ]);
    expect(message.attachments.map((attachment: { filename: string }) => attachment.filename)).toEqual([
      expect.stringMatching(/-inquiry-.*\.pdf$/),
      'register.csv',
    ]);
    const [audited] = await db.query(
      `SELECT after->'attachments' AS attachments FROM audit_events WHERE action = 'inquiry.queued' AND entity_id = $1`,
      [created.body.id],
    );
    expect(audited.attachments).toEqual([
      { documentId: added.body.id, filename: 'register.csv', sha256: sha256(annex) },
    ]);

    // A decision letter encloses the case file and the inquiry's own letter; they travel with its mail.
    const outcome = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/outcomes`)
      .set(bearer(tenant.tokens.officer))
      .send({
        type: 'recommendation',
        decidedAt: new Date().toISOString(),
        summary: 'Recommendation with enclosures',
        attachmentIds: [added.body.id, created.body.documentId],
      })
      .expect(201);
    expect(outcome.body.attachments.map((attachment: { documentId: string }) => attachment.documentId)).toEqual([
      added.body.id,
      created.body.documentId,
    ]);
    const shown = (await test.http().get(`/api/v1/cases/${kase.id}`).set(bearer(tenant.tokens.viewer)).expect(200)).body
      .outcomes as { id: string; attachments: unknown[] }[];
    expect(shown.find((item) => item.id === outcome.body.id)?.attachments).toEqual(outcome.body.attachments);
    await sink.waitFor(() =>
      sink.to('dpo@provider.example').some((item) => item.parsed.text?.includes(kase.reference) ?? false),
    );
    const decisionMail = sink
      .to('dpo@provider.example')
      .find((item) => item.parsed.text?.includes(kase.reference)) as Received;
    const files = decisionMail.parsed.attachments.map((attachment) => [
      attachment.filename,
      sha256(attachment.content),
    ]);
    expect(files).toHaveLength(3);
    expect(files).toEqual(
      expect.arrayContaining([
        ['register.csv', sha256(annex)],
        [expect.stringMatching(/-inquiry-/), sha256(letter)],
      ]),
    );
    const refusedOutcome = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/outcomes`)
      .set(bearer(tenant.tokens.officer))
      .send({ type: 'no_action', decidedAt: new Date().toISOString(), summary: 'x', attachmentIds: [foreign.body.id] })
      .expect(400);
    expect(refusedOutcome.body.errors).toEqual([
      { field: 'attachmentIds', message: expect.stringMatching(/no document/) },
    ]);
  });

  it('pages: the case lists its documents with links, the public verify page, the admin letterhead form', async () => {
    const { caseId, documentId, bytes } = sent[0];
    const officer = cookieHeader(await pageSession(test, 'officer@gpdp.test', 'officer-password-123'));
    const page = await test.http().get(`/cases/${caseId}`).set('cookie', officer).expect(200);
    expect(page.text).toContain('id="documents-title"');
    expect(page.text).toContain(`href="/documents/${documentId}"`);
    expect(page.text).toContain(sha256(bytes));
    const opened = await test
      .http()
      .get(`/documents/${documentId}`)
      .set('cookie', officer)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('content-type', 'application/pdf');
    expect(sha256(opened.body as Buffer)).toBe(sha256(bytes));
    const other = cookieHeader(await pageSession(test, 'officer@pipc.test', 'officer-password-123'));
    await test.http().get(`/documents/${documentId}`).set('cookie', other).expect(404);

    // Anyone may verify, without signing in.
    const form = await test.http().get('/verify').expect(200);
    expect(form.text).toContain('enctype="multipart/form-data"');
    const issued = await test
      .http()
      .post('/verify')
      .attach('file', bytes, { filename: 'letter.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(issued.text).toContain('Issued by Docket');
    expect(issued.text).toContain('GPDP-');
    const changed = Buffer.from(bytes);
    changed[100] ^= 0x20;
    const forged = await test
      .http()
      .post('/verify')
      .attach('file', changed, { filename: 'letter.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(forged.text).toContain('Not issued by Docket');
    await test.http().post('/verify').field('x', 'y').expect(400);

    // The letterhead form checks its CSRF token once the multipart body is read; a bad logo shows its message.
    const admin = cookieHeader(await pageSession(test, 'admin@gpdp.test', 'admin-password-123'));
    const letterheadPage = await test.http().get('/admin/letterhead').set('cookie', admin).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(letterheadPage.text)?.[1] as string;
    await test.http().get('/admin/letterhead').set('cookie', officer).expect(403);
    await test.http().post('/admin/letterhead').set('cookie', admin).field('name', 'Garante').expect(403);
    const refused = await test
      .http()
      .post('/admin/letterhead')
      .set('cookie', admin)
      .field('_csrf', csrf)
      .field('name', 'Garante per la protezione dei dati personali')
      .attach('logo', Buffer.from('not an image'), 'logo.png')
      .expect(400);
    expect(refused.text).toMatch(/the logo must be a PNG or JPEG image/i);
    const saved = await test
      .http()
      .post('/admin/letterhead')
      .set('cookie', admin)
      .field('_csrf', csrf)
      .field('name', 'Garante per la protezione dei dati personali')
      .field('signatoryName', 'Mario Rossi')
      .attach('logo', png(30, 30), 'logo.png')
      .expect(303);
    expect(saved.headers.location).toBe('/admin/letterhead');
    const api = await test.http().get('/api/v1/letterhead').set(bearer(tenants.GPDP.tokens.viewer)).expect(200);
    expect(api.body).toMatchObject({ version: 1, signatoryName: 'Mario Rossi', logo: { contentType: 'image/png' } });
  });

  it('pages: the admin uploads, replaces and withdraws the seal; a wrong password shows the form with its message', async () => {
    const admin = cookieHeader(await pageSession(test, 'admin@gpdp.test', 'admin-password-123'));
    const officer = cookieHeader(await pageSession(test, 'officer@gpdp.test', 'officer-password-123'));
    await test.http().get('/admin/seal').set('cookie', officer).expect(403);
    const form = await test.http().get('/admin/seal').set('cookie', admin).expect(200);
    expect(form.text).toContain('No seal: documents are issued unsigned');
    expect(form.text).toContain('enctype="multipart/form-data"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] as string;
    const password = 'page-seal-password';
    const p12 = selfSignedPkcs12(password);
    const upload = (secret: string, token: string | null = csrf) => {
      const request = test.http().post('/admin/seal').set('cookie', admin);
      if (token) request.field('_csrf', token);
      return request.field('password', secret).attach('certificate', p12, 'seal.p12');
    };
    await upload(password, null).expect(403);
    const wrong = await upload('not the password').expect(400);
    expect(wrong.text).toContain('The password does not open this PKCS#12 file');
    expect(wrong.text).toContain('id="password-error"');
    expect(wrong.text).not.toContain('not the password');
    const notAFile = await test
      .http()
      .post('/admin/seal')
      .set('cookie', admin)
      .field('_csrf', csrf)
      .field('password', password)
      .attach('certificate', Buffer.from('not a certificate'), 'seal.p12')
      .expect(400);
    expect(notAFile.text).toContain('id="certificate-error"');
    expect((await test.http().get('/api/v1/seal').set(bearer(tenants.GPDP.tokens.admin)).expect(200)).body).toEqual({
      configured: false,
    });
    const saved = await upload(password).expect(303);
    expect(saved.headers.location).toBe('/admin/seal');
    const shown = await test.http().get('/admin/seal').set('cookie', admin).expect(200);
    const api = (await test.http().get('/api/v1/seal').set(bearer(tenants.GPDP.tokens.admin)).expect(200)).body;
    expect(shown.text).toContain(api.fingerprint);
    expect(shown.text).toContain('Garante per la protezione dei dati personali');
    expect(shown.text).toContain('Replace the certificate');
    expect(shown.text).not.toContain(password);
    // Replacing makes a new version.
    await upload(password).expect(303);
    expect(
      (await test.http().get('/api/v1/seal').set(bearer(tenants.GPDP.tokens.admin)).expect(200)).body.version,
    ).toBe(api.version + 1);
    await test.http().post('/admin/seal/withdraw').set('cookie', admin).type('form').send({}).expect(403);
    await test.http().post('/admin/seal/withdraw').set('cookie', admin).type('form').send({ _csrf: csrf }).expect(303);
    expect((await test.http().get('/admin/seal').set('cookie', admin).expect(200)).text).toContain('No seal');
  });

  it('pages: a case document added on its page is enclosed through the inquiry form; the preview opens the PDF as it will be sent, stored nowhere', async () => {
    const tenant = tenants.GPDP;
    const kase = await createCase(test, tenant, providers.GPDP);
    const officer = cookieHeader(await pageSession(test, 'officer@gpdp.test', 'officer-password-123'));
    const addPage = await test.http().get(`/cases/${kase.id}/documents/new`).set('cookie', officer).expect(200);
    expect(addPage.text).toContain('enctype="multipart/form-data"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(addPage.text)?.[1] as string;
    const missing = await test
      .http()
      .post(`/cases/${kase.id}/documents`)
      .set('cookie', officer)
      .field('_csrf', csrf)
      .field('title', 'Annex A')
      .expect(400);
    expect(missing.text).toContain('Choose a file that is not empty');
    expect(missing.text).toContain('value="Annex A"');
    const annex = Buffer.from('Annex A: the processing register');
    const added = await test
      .http()
      .post(`/cases/${kase.id}/documents`)
      .set('cookie', officer)
      .field('_csrf', csrf)
      .field('title', 'Annex A')
      .attach('file', annex, { filename: 'annex-a.txt', contentType: 'text/plain' })
      .expect(303);
    expect(added.headers.location).toBe(`/cases/${kase.id}#documents-title`);
    const [document] = (
      await test.http().get(`/api/v1/cases/${kase.id}/documents`).set(bearer(tenant.tokens.viewer)).expect(200)
    ).body as { id: string; kind: string }[];
    expect(document.kind).toBe('case_file');
    const casePage = await test.http().get(`/cases/${kase.id}`).set('cookie', officer).expect(200);
    expect(casePage.text).toContain('not scanned for malware');
    expect(casePage.text).toContain(`href="/cases/${kase.id}/documents/new"`);

    const formPage = await test.http().get(`/cases/${kase.id}/inquiries/new`).set('cookie', officer).expect(200);
    expect(formPage.text).toContain(`name="attachmentIds" value="${document.id}"`);
    const fields = {
      _csrf: csrf,
      template: 'ai-inquiry',
      locale: 'it',
      mode: 'period',
      count: '20',
      unit: 'calendar_days',
      contacts: 'dpo@provider.example',
      questionIds: ['ai.collection.categories', 'ai.sources.origin'],
      attachmentIds: document.id,
      extraWhen: 'before',
      extraAudience: 'assignee',
    };
    const preview = await test
      .http()
      .post(`/cases/${kase.id}/inquiries/preview`)
      .set('cookie', officer)
      .type('form')
      .send(fields)
      .expect(200);
    expect(preview.text).toContain('id="letter-pdf"');
    expect(preview.text).toContain(`action="/cases/${kase.id}/inquiries/preview/pdf"`);
    expect(preview.text).toContain('Annex A');
    expect(preview.text).toContain('your authority has no electronic seal');
    const pdf = await test
      .http()
      .post(`/cases/${kase.id}/inquiries/preview/pdf`)
      .set('cookie', officer)
      .type('form')
      .send(fields)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('content-type', 'application/pdf');
    const text = compact(pdfText(pdf.body as Buffer));
    expect(text).toContain(compact(kase.reference));
    expect(text).toContain(compact('Anteprima, documento non emesso'));
    expect(text).toContain(sha256(annex));
    // Stored nowhere, issued by nobody.
    expect(
      (await test.http().get(`/api/v1/cases/${kase.id}/documents`).set(bearer(tenant.tokens.viewer)).expect(200)).body,
    ).toHaveLength(1);
    const verified = await test
      .http()
      .post('/api/v1/documents/verify')
      .attach('file', pdf.body as Buffer, { filename: 'preview.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(verified.body).toEqual({ issued: false });
    // A form the preview refuses shows the form with its message, not a PDF.
    const refused = await test
      .http()
      .post(`/cases/${kase.id}/inquiries/preview/pdf`)
      .set('cookie', officer)
      .type('form')
      .send({ ...fields, count: 'soon' })
      .expect(400);
    expect(refused.headers['content-type']).toContain('text/html');

    const sent = await test
      .http()
      .post(`/cases/${kase.id}/inquiries`)
      .set('cookie', officer)
      .type('form')
      .send(fields)
      .expect(303);
    expect(sent.headers.location).toBe(`/cases/${kase.id}`);
    const [inquiry] = (await test.http().get(`/api/v1/cases/${kase.id}`).set(bearer(tenant.tokens.viewer)).expect(200))
      .body.inquiries as { attachments: { documentId: string }[] }[];
    expect(inquiry.attachments.map((attachment) => attachment.documentId)).toEqual([document.id]);
  });

  it('sends the chaser to the organisation as a PDF document too', async () => {
    const tenant = tenants.GPDP;
    const kase = await createCase(test, tenant, providers.GPDP);
    const to = 'chased@provider.example';
    const created = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(tenant.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'it',
        to: [to],
        deadline: { dueAt: inSeconds(3) },
        reminders: [{ offset: 'PT1S', audience: 'respondent' }],
      })
      .expect(202);
    await sink.waitFor(() => sink.to(to).length >= 2, 20000);
    const chaser = sink.to(to).find((mail) => mail.parsed.subject !== created.body.subject) as Received;
    const text = pdfText(pdfOf(chaser));
    expect(text).toContain(kase.reference);
    expect(chaser.parsed.text).toContain(kase.reference);
    const list = await test
      .http()
      .get(`/api/v1/cases/${kase.id}/documents`)
      .set(bearer(tenant.tokens.viewer))
      .expect(200);
    expect(list.body.map((document: { kind: string }) => document.kind)).toEqual(['inquiry', 'chaser']);
  });
});
