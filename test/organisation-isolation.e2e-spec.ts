import { DataSource } from 'typeorm';
import { bearer, createTenant, startTestApp, sysadminToken, type Tenant, type TestApp } from './support/app.js';
import { createCase } from './support/fixtures.js';
import { cookieHeader, pageSession } from './support/page-session.js';
import { SmtpSink } from './support/smtp-sink.js';

/**
 * One identity, each authority's own address book: another authority can change the shared identity (and
 * every authority that follows the organisation sees that in its trail and history) but can neither see nor
 * change where the first authority's letters go.
 */
describe('organisations: shared identity, per-authority contacts (real SMTP on loopback)', () => {
  let sink: SmtpSink;
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;
  let dpc: Tenant;
  let sysadmin: string;
  let db: DataSource;
  const garanteContact = { name: 'DPO', email: 'dpo@provider.example', role: 'dpo' };

  const view = async (tenant: Tenant | string, id: string) =>
    (
      await test
        .http()
        .get(`/api/v1/organisations/${id}`)
        .set(bearer(typeof tenant === 'string' ? tenant : tenant.tokens.viewer))
        .expect(200)
    ).body;
  const trail = async (tenant: Tenant) =>
    (await test.http().get('/api/v1/audit?sort=seq').set(bearer(tenant.tokens.admin)).expect(200)).body.items as {
      action: string;
      entityId: string;
      actorLabel: string;
      before: unknown;
      after: unknown;
    }[];
  const register = async (name: string) =>
    (
      await test
        .http()
        .post('/api/v1/organisations')
        .set(bearer(gpdp.tokens.officer))
        .send({
          name,
          country: 'CN',
          contacts: [garanteContact],
          representatives: [{ jurisdiction: 'EU', appointed: false }],
        })
        .expect(201)
    ).body as { id: string; version: number };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Garante <protocollo@gpdp.example>' } });
    db = test.app.get(DataSource);
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    dpc = await createTenant(test, 'DPC', {
      country: 'IE',
      timezone: 'Europe/Dublin',
      locale: 'en-IE',
      holidayRegion: 'IE',
    });
    sysadmin = await sysadminToken(test);
  });
  afterAll(async () => {
    await test.close();
    await sink.stop();
  });

  it("registry scenario: PIPC's PATCH of the Garante's organisation contacts redirects no letter of the Garante's campaign", async () => {
    const organisation = await register('Redirect Target Co., Ltd.');
    const garanteBefore = await view(gpdp, organisation.id);
    const garanteTrailBefore = await trail(gpdp);
    const books = () =>
      db.query(
        `SELECT authority_id, contacts FROM organisation_address_books WHERE organisation_id = $1 ORDER BY authority_id`,
        [organisation.id],
      );
    const garanteBook = (await books()).find((row: { authority_id: string }) => row.authority_id === gpdp.authorityId);

    // PIPC does not see the Garante's contacts, and its PATCH (with the version it read) changes only its own book.
    const seen = await test
      .http()
      .get(`/api/v1/organisations/${organisation.id}`)
      .set(bearer(pipc.tokens.officer))
      .expect(200);
    expect(seen.body).toMatchObject({ contacts: [], representatives: [] });
    expect(JSON.stringify(seen.body)).not.toContain('dpo@provider.example');
    const pipcPage = (
      await test
        .http()
        .get(`/organisations/${organisation.id}`)
        .set('cookie', cookieHeader(await pageSession(test, 'officer@pipc.test', 'officer-password-123')))
        .expect(200)
    ).text;
    expect(pipcPage).not.toContain('dpo@provider.example');
    const patched = await test
      .http()
      .patch(`/api/v1/organisations/${organisation.id}`)
      .set(bearer(pipc.tokens.officer))
      .set('If-Match', seen.headers.etag)
      .send({
        contacts: [{ email: 'attacker@evil.example', role: 'dpo' }],
        representatives: [{ jurisdiction: 'KR', appointed: true, name: 'Agent', email: 'attacker@evil.example' }],
      })
      .expect(200);
    expect(patched.body.contacts).toEqual([{ name: null, email: 'attacker@evil.example', role: 'dpo' }]);

    // The Garante's view, book and trail are exactly as before.
    expect(await view(gpdp, organisation.id)).toEqual(garanteBefore);
    expect((await books()).find((row: { authority_id: string }) => row.authority_id === gpdp.authorityId)).toEqual(
      garanteBook,
    );
    expect(await trail(gpdp)).toEqual(garanteTrailBefore);
    expect((await trail(pipc)).at(-1)).toMatchObject({
      action: 'organisation.contacts_updated',
      entityId: organisation.id,
      after: { contacts: [{ email: 'attacker@evil.example' }] },
    });

    // The Garante's next campaign letter goes to the Garante's own contact.
    const created = await test
      .http()
      .post('/api/v1/campaigns')
      .set(bearer(gpdp.tokens.officer))
      .send({
        title: 'Training on prompts',
        template: 'ai-inquiry',
        locale: 'en',
        deadline: { count: 20, unit: 'calendar_days' },
        organisationIds: [organisation.id],
        caseDefaults: { type: 'ex_officio', assigneeId: gpdp.userIds.officer },
      })
      .expect(202);
    const started = Date.now();
    let campaign: { counts: Record<string, number> };
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      campaign = (
        await test.http().get(`/api/v1/campaigns/${created.body.id}`).set(bearer(gpdp.tokens.viewer)).expect(200)
      ).body;
      if (Date.now() - started > 30_000) throw new Error(`campaign not sent: ${JSON.stringify(campaign.counts)}`);
    } while (campaign.counts.sent + campaign.counts.failed < 1);
    expect(campaign.counts).toMatchObject({ sent: 1, failed: 0 });
    const letters = sink.received.filter(
      (mail) => mail.parsed.subject && mail.envelopeTo.some((to) => /provider\.example|evil\.example/.test(to)),
    );
    expect(letters.map((mail) => mail.envelopeTo)).toEqual([['dpo@provider.example']]);
    expect(sink.received.some((mail) => mail.envelopeTo.includes('attacker@evil.example'))).toBe(false);
  });

  it('another authority changing the shared identity is versioned and in the trail of every authority that follows it', async () => {
    const organisation = await register('Versioned Identity Ltd');
    await createCase(test, dpc, organisation.id);
    const current = await test
      .http()
      .get(`/api/v1/organisations/${organisation.id}`)
      .set(bearer(pipc.tokens.officer))
      .expect(200);
    const changed = await test
      .http()
      .patch(`/api/v1/organisations/${organisation.id}`)
      .set(bearer(pipc.tokens.officer))
      .set('If-Match', current.headers.etag)
      .send({ name: 'Versioned Identity Holdings Ltd', website: 'https://versioned.example' })
      .expect(200);
    expect(changed.body.version).toBe(2);

    // The Garante (registrar) and the DPC (a case) see the new identity and the change in their trails; their contacts
    // stay theirs.
    const garante = await view(gpdp, organisation.id);
    expect(garante).toMatchObject({
      name: 'Versioned Identity Holdings Ltd',
      website: 'https://versioned.example',
      version: 2,
      contacts: [garanteContact],
    });
    expect((await view(dpc, organisation.id)).contacts).toEqual([]);
    for (const tenant of [gpdp, dpc, pipc]) {
      expect({ code: tenant.code, last: (await trail(tenant)).at(-1) }).toEqual({
        code: tenant.code,
        last: expect.objectContaining({
          action: 'organisation.updated',
          entityId: organisation.id,
          actorLabel: expect.stringContaining('officer@pipc.test'),
          before: { name: 'Versioned Identity Ltd', website: null },
          after: { name: 'Versioned Identity Holdings Ltd', website: 'https://versioned.example', version: 2 },
        }),
      });
    }

    const history = (
      await test
        .http()
        .get(`/api/v1/organisations/${organisation.id}/history`)
        .set(bearer(gpdp.tokens.viewer))
        .expect(200)
    ).body;
    expect(history.items).toEqual([
      expect.objectContaining({
        version: 2,
        authority: 'PIPC',
        actor: expect.stringContaining('officer@pipc.test'),
        changed: ['name', 'website'],
        identity: expect.objectContaining({ name: 'Versioned Identity Holdings Ltd' }),
      }),
      expect.objectContaining({
        version: 1,
        authority: 'GPDP',
        changed: ['name', 'tradingNames', 'country', 'website', 'legalEntities', 'products'],
        identity: expect.objectContaining({ name: 'Versioned Identity Ltd' }),
      }),
    ]);
    expect(JSON.stringify(history)).not.toContain('dpo@provider.example');
    await test
      .http()
      .get('/api/v1/organisations/00000000-0000-4000-8000-000000000000/history')
      .set(bearer(gpdp.tokens.viewer))
      .expect(404);

    // The Garante's organisation page shows the change and who made it, with the Garante's own contacts.
    const cookie = cookieHeader(await pageSession(test, 'viewer@gpdp.test', 'viewer-password-123'));
    const page = (await test.http().get(`/organisations/${organisation.id}`).set('cookie', cookie).expect(200)).text;
    const shown = page.slice(page.indexOf('History of its identity'));
    expect(shown).toMatch(
      /<td data-label="Version">2<\/td>[\s\S]*PIPC: PIPC officer &lt;officer@pipc.test&gt;[\s\S]*name, website/,
    );
    expect(shown).toMatch(/<td data-label="Version">1<\/td>[\s\S]*GPDP: GPDP officer/);
    expect(page).toContain('dpo@provider.example');

    // The Garante's own contact change bumps only the Garante's version; a stale If-Match is refused.
    await test
      .http()
      .patch(`/api/v1/organisations/${organisation.id}`)
      .set(bearer(gpdp.tokens.officer))
      .set('If-Match', '"1"')
      .send({ contacts: [] })
      .expect(412);
    const own = await test
      .http()
      .patch(`/api/v1/organisations/${organisation.id}`)
      .set(bearer(gpdp.tokens.officer))
      .set('If-Match', '"2"')
      .send({ contacts: [{ email: 'new-dpo@provider.example', role: 'dpo' }] })
      .expect(200);
    expect(own.body.version).toBe(3);
    expect(own.headers.etag).toBe('"3"');
    expect((await view(pipc, organisation.id)).version).toBe(2);
    expect((await view(dpc, organisation.id)).contacts).toEqual([]);
  });

  it('lists show each authority its own contacts only; the sysadmin sees none and cannot write any', async () => {
    const organisation = await register('Listed Contacts Ltd');
    const listed = async (token: string) =>
      (await test.http().get('/api/v1/organisations?q=listed%20contacts').set(bearer(token)).expect(200)).body.items;
    expect((await listed(gpdp.tokens.viewer)).map((item: { contacts: unknown }) => item.contacts)).toEqual([
      [garanteContact],
    ]);
    expect((await listed(pipc.tokens.viewer)).map((item: { contacts: unknown }) => item.contacts)).toEqual([[]]);
    expect((await listed(sysadmin)).map((item: { contacts: unknown }) => item.contacts)).toEqual([[]]);
    expect((await view(sysadmin, organisation.id)).contacts).toEqual([]);
    const before = await view(gpdp, organisation.id);
    await test
      .http()
      .patch(`/api/v1/organisations/${organisation.id}`)
      .set(bearer(sysadmin))
      .set('If-Match', '"1"')
      .send({ contacts: [{ email: 'x@evil.example', role: 'dpo' }] })
      .expect(403);
    expect(await view(gpdp, organisation.id)).toEqual(before);
  });
});
