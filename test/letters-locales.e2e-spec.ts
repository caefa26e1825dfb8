import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Campaign, CampaignsService, CampaignTarget } from '#docket/campaigns';
import { RequestContext } from '#docket/platform';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createCase } from './support/fixtures.js';
import { pdfText } from './support/pdf.js';
import { SmtpSink, type Received } from './support/smtp-sink.js';

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`not reached in time: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The letter a mail carries: its PDF document's text (the mail itself is a cover note). */
function letterOf(mail: Received): string {
  const pdf = mail.parsed.attachments.find((attachment) => attachment.contentType === 'application/pdf');
  if (!pdf) throw new Error(`no PDF letter in "${mail.parsed.subject}"`);
  return pdfText(pdf.content);
}

/** Letters in German and Dutch, questions of an authority's own, and no 500 for a language (issue 20). */
describe('letters in every language and questions of an authority (real SMTP on loopback)', () => {
  let sink: SmtpSink;
  let test: TestApp;
  let berlin: Tenant;
  let gpdp: Tenant;
  let german: string;
  let irish: string;
  const GERMAN_DPO = 'datenschutz@kuenstliche-intelligenz.example';
  const OWN_ID = 'blnbdi.minors.school_accounts';
  const OWN_DE_V1 =
    'Bitte teilen Sie mit, ob Sie Schulen oder Schulträgern besondere Konten für Schülerinnen und Schüler anbieten.';
  const OWN_DE_V2 =
    'Bitte teilen Sie mit, ob und unter welchen Bedingungen Sie Schulen Konten für Schülerinnen und Schüler anbieten.';

  const mailTo = (address: string) => (received: Received[]) =>
    received.filter((mail) => mail.envelopeTo.includes(address));
  const count = async (table: string, authorityId: string) =>
    (
      await test.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM ${table} WHERE authority_id = $1`, [authorityId])
    )[0].n as number;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Docket <docket@docket.example>' } });
    berlin = await createTenant(test, 'BLNBDI', {
      country: 'DE',
      timezone: 'Europe/Berlin',
      locale: 'de',
      holidayRegion: 'DE-BE',
    });
    gpdp = await createTenant(test, 'GPDP');
    const organisation = async (name: string, country: string, email: string) =>
      (
        await test
          .http()
          .post('/api/v1/organisations')
          .set(bearer(berlin.tokens.officer))
          .send({ name, country, contacts: [{ name: 'Datenschutz', email, role: 'dpo' }] })
          .expect(201)
      ).body.id as string;
    german = await organisation('Künstliche Intelligenz Beispiel GmbH', 'DE', GERMAN_DPO);
    irish = await organisation('Example Reasoning Ireland Ltd', 'IE', 'dpo@reasoning-ireland.example');
  });
  afterAll(async () => {
    await test.close();
    await sink.stop();
  });

  it('refuses with a 400 naming what is missing an authority question without its language, and saves nothing', async () => {
    const before = await count('authority_questions', berlin.authorityId);
    const refused = await test
      .http()
      .post('/api/v1/questions')
      .set(bearer(berlin.tokens.admin))
      .send({ id: OWN_ID, topic: 'minors', text: { en: 'Please state whether you offer school accounts.' } })
      .expect(400);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.errors).toEqual([
      { field: 'text.de', message: expect.stringContaining('needs its text in "de"') },
    ]);
    const bad = await test
      .http()
      .post('/api/v1/questions')
      .set(bearer(berlin.tokens.admin))
      .send({ id: 'ai.minors.mine', topic: 'kittens', text: { de: 'Text.', 'xx-!!': 'Text.' } })
      .expect(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'id',
      'text.xx-!!',
      'topic',
    ]);
    await test
      .http()
      .post('/api/v1/questions')
      .set(bearer(berlin.tokens.officer))
      .send({ id: OWN_ID, topic: 'minors', text: { de: OWN_DE_V1 } })
      .expect(403);
    expect(await count('authority_questions', berlin.authorityId)).toBe(before);
    // The shared bank is read-only.
    await test
      .http()
      .put('/api/v1/questions/ai.minors.age_assurance')
      .set(bearer(berlin.tokens.admin))
      .send({ topic: 'minors', text: { de: 'Geändert.' } })
      .expect(409);
  });

  it('puts a question of its own in a sent letter; a later edit changes neither that letter nor its chaser', async () => {
    const created = await test
      .http()
      .post('/api/v1/questions')
      .set(bearer(berlin.tokens.admin))
      .send({ id: OWN_ID, topic: 'minors', text: { de: OWN_DE_V1 } })
      .expect(201);
    expect(created.body).toMatchObject({ id: OWN_ID, version: 1, source: 'authority', retired: false });
    // Never visible to another authority.
    const theirs = await test.http().get('/api/v1/questions').set(bearer(gpdp.tokens.viewer)).expect(200);
    expect(theirs.body.map((question: { id: string }) => question.id)).not.toContain(OWN_ID);
    await test.http().get(`/api/v1/questions/${OWN_ID}`).set(bearer(gpdp.tokens.admin)).expect(404);
    await test
      .http()
      .post('/api/v1/cases/' + (await createCase(test, gpdp, german)).id + '/inquiries')
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'it',
        to: ['x@example.org'],
        questionIds: [OWN_ID],
        deadline: { count: 20, unit: 'calendar_days' },
      })
      .expect(400);

    const kase = await createCase(test, berlin, german);
    const sent = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(berlin.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'de',
        to: [GERMAN_DPO],
        questionIds: ['ai.collection.categories', OWN_ID],
        deadline: { count: 4, unit: 'weeks' },
      })
      .expect(202);
    const [letter] = await sink
      .waitFor((received) => mailTo(GERMAN_DPO)(received).length >= 1)
      .then(mailTo(GERMAN_DPO));
    expect(letter!.parsed.subject).toBe(
      `Auskunftsersuchen – Künstliche Intelligenz Beispiel GmbH – Unser Zeichen ${kase.reference}`,
    );
    expect(letterOf(letter!)).toContain(`2. ${OWN_DE_V1}`);
    expect(letterOf(letter!)).toContain('1. Bitte benennen Sie sämtliche Kategorien personenbezogener Daten');

    const edited = await test
      .http()
      .put(`/api/v1/questions/${OWN_ID}`)
      .set(bearer(berlin.tokens.admin))
      .send({
        topic: 'minors',
        text: { de: OWN_DE_V2, en: 'Please state whether and on which terms you offer school accounts.' },
      })
      .expect(200);
    expect(edited.body).toMatchObject({ version: 2, text: { de: OWN_DE_V2 } });
    const history = await test.http().get(`/api/v1/questions/${OWN_ID}`).set(bearer(berlin.tokens.viewer)).expect(200);
    expect(history.body.versions.map((version: { version: number }) => version.version)).toEqual([1, 2]);

    const inquiry = await test
      .http()
      .get(`/api/v1/inquiries/${sent.body.id}`)
      .set(bearer(berlin.tokens.viewer))
      .expect(200);
    expect(inquiry.body.questions[1]).toMatchObject({ id: OWN_ID, text: OWN_DE_V1 });

    // Retired: no new letter asks it; the letter already sent keeps it.
    await test.http().delete(`/api/v1/questions/${OWN_ID}`).set(bearer(berlin.tokens.admin)).expect(200);
    const refused = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(berlin.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'de',
        to: [GERMAN_DPO],
        questionIds: [OWN_ID],
        deadline: { count: 4, unit: 'weeks' },
      })
      .expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'questionIds.0' });
    await test
      .http()
      .put(`/api/v1/questions/${OWN_ID}`)
      .set(bearer(berlin.tokens.admin))
      .send({ topic: 'minors', text: { de: OWN_DE_V2 } })
      .expect(409);
    const again = await test
      .http()
      .get(`/api/v1/inquiries/${sent.body.id}`)
      .set(bearer(berlin.tokens.viewer))
      .expect(200);
    expect(again.body.questions[1].text).toBe(OWN_DE_V1);
  });

  it('refuses a template version whose questions have no text in one of its locales (400 naming them), saving nothing', async () => {
    const only = 'blnbdi.transfers.only_german';
    await test
      .http()
      .post('/api/v1/questions')
      .set(bearer(berlin.tokens.admin))
      .send({ id: only, topic: 'transfers', text: { de: 'Bitte nennen Sie alle Empfänger in Drittländern.' } })
      .expect(201);
    const current = await test.http().get('/api/v1/templates/ai-inquiry').set(bearer(berlin.tokens.admin)).expect(200);
    const versions = async () =>
      (await test.app.get(DataSource).query(`SELECT count(*)::int AS n FROM template_versions`))[0].n as number;
    const before = await versions();
    // German and English sources, but the default question is written in German only.
    const refused = await test
      .http()
      .post('/api/v1/templates/ai-inquiry/versions')
      .set(bearer(berlin.tokens.admin))
      .send({ sources: { de: current.body.sources.de, en: current.body.sources.en }, defaultQuestionIds: [only] })
      .expect(400);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.errors).toEqual([
      { field: 'sources.en', message: expect.stringContaining(`"${only}" has no text in "en"`) },
    ]);
    // A language the shared bank is not written in.
    const spanish = await test
      .http()
      .post('/api/v1/templates/ai-inquiry/versions')
      .set(bearer(berlin.tokens.admin))
      .send({ sources: { de: current.body.sources.de, es: current.body.sources.en } })
      .expect(400);
    expect(spanish.body.errors).toEqual([
      { field: 'sources.es', message: expect.stringMatching(/"ai\.collection\.categories", .* have no text in "es"/) },
    ]);
    expect(await versions()).toBe(before);
    // With German only, it is saved.
    await test
      .http()
      .post('/api/v1/templates/ai-inquiry/versions')
      .set(bearer(berlin.tokens.admin))
      .send({ sources: { de: current.body.sources.de }, defaultQuestionIds: ['ai.transfers.recipients', only] })
      .expect(201);
  });

  it("sends German letters from a Berlin campaign in 'auto' to a German company; a language its questions lack is a 400 up front", async () => {
    // Berlin's ai-inquiry is now German only, with a German-only question of its own.
    const refused = await test
      .http()
      .post('/api/v1/campaigns')
      .set(bearer(berlin.tokens.officer))
      .send({
        title: 'Übermittlungen in Drittländer',
        template: 'ai-inquiry',
        locale: 'en',
        deadline: { count: 4, unit: 'weeks' },
        organisationIds: [german, irish],
        caseDefaults: { type: 'ex_officio' },
      })
      .expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'locale' });
    const casesBefore = await count('cases', berlin.authorityId);
    const created = await test
      .http()
      .post('/api/v1/campaigns')
      .set(bearer(berlin.tokens.officer))
      .send({
        title: 'Übermittlungen in Drittländer',
        template: 'ai-inquiry',
        locale: 'auto',
        deadline: { count: 4, unit: 'weeks' },
        organisationIds: [german, irish],
        caseDefaults: { type: 'ex_officio', legalBasis: 'Art. 58 Abs. 1 Buchst. a DSGVO' },
      })
      .expect(202);
    const settled = await eventually(
      async () =>
        (await test.http().get(`/api/v1/campaigns/${created.body.id}`).set(bearer(berlin.tokens.viewer)).expect(200))
          .body,
      (body) => body.counts.pending === 0 && body.counts.queued === 0,
    );
    expect(settled.counts).toMatchObject({ total: 2, sent: 2, failed: 0 });
    // The Irish company's letter is German too: the template has no English any more for Berlin.
    const letters = await sink.waitFor((received) => mailTo(GERMAN_DPO)(received).length >= 2).then(mailTo(GERMAN_DPO));
    const letter = letters[letters.length - 1]!;
    expect(letter.parsed.subject).toMatch(
      /^Auskunftsersuchen – Künstliche Intelligenz Beispiel GmbH – Unser Zeichen BLNBDI-/,
    );
    expect(letter.parsed.text).toContain('Sehr geehrte Damen und Herren,');
    expect(letterOf(letter)).toContain('2. Bitte nennen Sie alle Empfänger in Drittländern.');
    expect(letterOf(letter)).toContain('Für Ihre Antwort setzen wir Ihnen eine Frist bis zum');
    expect(letter.parsed.html).toContain('<html lang="de">');
    expect(await count('cases', berlin.authorityId)).toBe(casesBefore + 1);

    // The Garante's question of its own is written in Italian only: 'auto' would write German to the German company.
    await test
      .http()
      .post('/api/v1/questions')
      .set(bearer(gpdp.tokens.admin))
      .send({
        id: 'gpdp.minors.scuole',
        topic: 'minors',
        text: { it: 'Si chiede di indicare se il servizio sia offerto alle scuole.' },
      })
      .expect(201);
    const campaignsBefore = await count('campaigns', gpdp.authorityId);
    const garante = await test
      .http()
      .post('/api/v1/campaigns')
      .set(bearer(gpdp.tokens.officer))
      .send({
        title: 'Servizi per le scuole',
        template: 'ai-inquiry',
        locale: 'auto',
        questionIds: ['gpdp.minors.scuole'],
        deadline: { count: 20, unit: 'calendar_days' },
        organisationIds: [german],
        caseDefaults: { type: 'ex_officio' },
      })
      .expect(400);
    expect(garante.body.errors).toEqual([
      {
        field: 'questionIds.0',
        message: expect.stringMatching(
          /"gpdp\.minors\.scuole" has no text in "de".*letters in "de" to Künstliche Intelligenz Beispiel GmbH/,
        ),
      },
    ]);
    expect(await count('campaigns', gpdp.authorityId)).toBe(campaignsBefore);
  });

  it('fails a target whose letter cannot be written alone, and opens no empty case for it', async () => {
    const data = test.app.get(DataSource);
    const campaign = data.getRepository(Campaign).create({
      id: randomUUID(),
      authorityId: berlin.authorityId,
      title: 'Kein leerer Vorgang',
      templateKey: 'ai-inquiry',
      templateVersion: 1,
      // Written when the question was still in use: retired since, as happens between a campaign and its jobs.
      locale: 'de',
      questionIds: [OWN_ID],
      deadline: { count: 4, unit: 'weeks' },
      reminders: [],
      caseDefaults: { type: 'ex_officio', legalBasis: null, priority: null, assigneeId: null },
      createdById: berlin.userIds.officer,
      createdBy: 'officer',
      createdAt: new Date(),
    });
    await data.getRepository(Campaign).insert(campaign);
    const target = data.getRepository(CampaignTarget).create({
      campaignId: campaign.id,
      organisationId: irish,
      authorityId: berlin.authorityId,
      position: 0,
      status: 'pending',
      attempt: 1,
      updatedAt: new Date(),
    });
    await data.getRepository(CampaignTarget).insert(target);
    const casesBefore = await count('cases', berlin.authorityId);
    await RequestContext.run(() => test.app.get(CampaignsService).fanOut(campaign, target, false), {
      userId: berlin.userIds.officer,
      authorityId: berlin.authorityId,
      role: 'system',
      label: 'officer',
    });
    const after = await data.getRepository(CampaignTarget).findOneByOrFail({ campaignId: campaign.id });
    expect(after).toMatchObject({ status: 'failed', caseId: null });
    expect(after.error).toContain(OWN_ID);
    expect(await count('cases', berlin.authorityId)).toBe(casesBefore);
  });

  it('tells an Italian officer in Italian that a letter was not delivered, and a German one in German of a case assigned', async () => {
    // Test users are created reading English; these two read their authority's language.
    await test.http().patch('/api/v1/me').set(bearer(gpdp.tokens.officer)).send({ language: 'it' }).expect(200);
    await test.http().patch('/api/v1/me').set(bearer(berlin.tokens.officer)).send({ language: 'de' }).expect(200);
    const refusedAddress = 'rifiutato@provider-italia.example';
    sink.refuseRecipients([refusedAddress]);
    const italian = (
      await test
        .http()
        .post('/api/v1/organisations')
        .set(bearer(gpdp.tokens.officer))
        .send({ name: 'Fornitore Italiano S.r.l.', country: 'IT', contacts: [{ email: refusedAddress, role: 'dpo' }] })
        .expect(201)
    ).body.id as string;
    const kase = await createCase(test, gpdp, italian);
    const sent = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(gpdp.tokens.officer))
      .send({
        template: 'ai-inquiry',
        locale: 'it',
        to: [refusedAddress],
        deadline: { count: 20, unit: 'calendar_days' },
      })
      .expect(202);
    await eventually(
      async () =>
        (await test.http().get(`/api/v1/inquiries/${sent.body.id}`).set(bearer(gpdp.tokens.viewer)).expect(200)).body
          .status,
      (status) => status === 'failed',
    );
    const [notice] = await sink
      .waitFor((received) =>
        mailTo('officer@gpdp.test')(received).some((mail) => mail.parsed.subject?.includes(kase.reference)),
      )
      .then((received) =>
        mailTo('officer@gpdp.test')(received).filter((mail) => mail.parsed.subject?.includes(kase.reference)),
      );
    expect(notice!.parsed.subject).toMatch(
      new RegExp(`^\\[${kase.reference}\\] Comunicazione non recapitata: Richiesta di informazioni`),
    );
    expect(notice!.parsed.text).toContain('non è stata recapitata');
    expect(notice!.parsed.text).toContain(refusedAddress);
    expect(notice!.parsed.text).toContain('Risposta del server di posta: ');
    expect(notice!.parsed.html).toContain('<html lang="it">');

    // Berlin's manager gives a case to the officer: the officer is told, in German; nobody is told of their own act.
    const berlinCase = await createCase(test, berlin, irish, { assigneeId: berlin.userIds.manager });
    const current = await test
      .http()
      .get(`/api/v1/cases/${berlinCase.id}`)
      .set(bearer(berlin.tokens.manager))
      .expect(200);
    await test
      .http()
      .patch(`/api/v1/cases/${berlinCase.id}`)
      .set(bearer(berlin.tokens.manager))
      .set('if-match', String(current.body.version))
      .send({ assigneeId: berlin.userIds.officer })
      .expect(200);
    const [assigned] = await sink
      .waitFor((received) =>
        mailTo('officer@blnbdi.test')(received).some((mail) => mail.parsed.subject?.includes('zugewiesen')),
      )
      .then((received) =>
        mailTo('officer@blnbdi.test')(received).filter((mail) => mail.parsed.subject?.includes('zugewiesen')),
      );
    expect(assigned!.parsed.subject).toBe(
      `[${berlinCase.reference}] Vorgang zugewiesen – Example Reasoning Ireland Ltd`,
    );
    expect(assigned!.parsed.text).toContain(`der Vorgang ${berlinCase.reference}`);
    expect(assigned!.parsed.text).toMatch(/wurde Ihnen von .+ zugewiesen\./);
  });
});
