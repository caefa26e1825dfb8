import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { migrations } from '../migrations/index.js';
import { OrganisationAddressBooks1764000016800 } from '../migrations/1764000016800-organisation-address-books.js';
import { createEmptyDatabase, dropDatabase } from './support/database.js';

/**
 * The hand-written data move of the address-book migration, on data written the old way: each authority
 * keeps the lists its own users last wrote, the registering authority keeps what nobody else wrote, and
 * nothing is lost.
 */
describe('migration to per-authority address books', () => {
  it('gives each authority the contacts its own users wrote, and loses nothing', async () => {
    const database = await createEmptyDatabase();
    try {
      await migrateOldData(database.url);
    } finally {
      await dropDatabase(database.name);
    }
  });
});

async function migrateOldData(url: string): Promise<void> {
  const before = migrations.slice(0, migrations.indexOf(OrganisationAddressBooks1764000016800));
  const old = new DataSource(dataSourceOptions(url, { entities: [], migrations: before }, 2));
  await old.initialize();
  const [gpdp, pipc, dpc] = [
    '11111111-1111-4111-8111-111111111111',
    '22222222-2222-4222-8222-222222222222',
    '33333333-3333-4333-8333-333333333333',
  ];
  const [attacked, untouched, orphan] = [
    'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
    'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
  ];
  const garante = [{ name: 'DPO', email: 'dpo@provider.example', role: 'dpo' }];
  const attacker = [{ name: null, email: 'attacker@evil.example', role: 'dpo' }];
  const representatives = [{ jurisdiction: 'EU', appointed: false, name: null, email: null, address: null }];
  try {
    await runMigrations(old);
    for (const [id, code] of [
      [gpdp, 'GPDP'],
      [pipc, 'PIPC'],
      [dpc, 'DPC'],
    ]) {
      await old.query(
        `INSERT INTO authorities (id, code, name, country, timezone, locale, holiday_region, weekend_days) VALUES ($1, $2, $2, 'IT', 'Europe/Rome', 'it-IT', 'IT', '{0,6}')`,
        [id, code],
      );
    }
    const organisation = async (id: string, name: string, contacts: unknown, version: number) =>
      old.query(
        `INSERT INTO organisations (id, legal_name, trading_names, country, website, legal_entities, contacts, representatives, products, search_text, version, created_at, updated_at)
         VALUES ($1, $2, '{}', 'CN', NULL, '[]', $3, $4, '[]', lower($2), $5, now(), now())`,
        [id, name, JSON.stringify(contacts), JSON.stringify(representatives), version],
      );
    let seq = 0;
    const event = async (authorityId: string, action: string, entityId: string, after: unknown) =>
      old.query(
        `INSERT INTO audit_events (authority_id, seq, occurred_at, actor_label, action, entity_type, entity_id, after, prev_hash, hash)
         VALUES ($1, $2, now() + $6 * interval '1 second', 'someone', $3, 'organisation', $4, $5, repeat('0', 64), repeat('1', 64))`,
        [authorityId, ++seq, action, entityId, JSON.stringify(after), seq],
      );
    // The registry scenario before the fix: the Garante registered it, PIPC then rewrote the contacts.
    await organisation(attacked, 'Attacked Ltd', attacker, 2);
    await event(gpdp, 'organisation.created', attacked, { name: 'Attacked Ltd', contacts: garante, representatives });
    await event(pipc, 'organisation.updated', attacked, { contacts: attacker });
    // Registered by the DPC, with a case of the Garante on it.
    await organisation(untouched, 'Untouched Ltd', garante, 1);
    await event(dpc, 'organisation.created', untouched, { name: 'Untouched Ltd', contacts: garante, representatives });
    await old.query(
      `INSERT INTO cases (id, authority_id, reference, title, organisation_id, products, type, priority, tags, risk_flags, status, version, shared_for_coordination, created_at, updated_at)
      VALUES (gen_random_uuid(), $1, 'GPDP-2025-0001', 'x', $2, '{}', 'ex_officio', 'normal', '{}', '{}', 'open', 1, false, now(), now())`,
      [gpdp, untouched],
    );
    // No trace of who wrote it.
    await organisation(orphan, 'Orphan Ltd', garante, 1);
  } finally {
    await old.destroy();
  }

  const current = new DataSource(dataSourceOptions(url, docketSchema, 2));
  await current.initialize();
  try {
    expect(await runMigrations(current)).toContain('OrganisationAddressBooks1764000016800');
    const books = async (id: string) =>
      Object.fromEntries(
        (
          (await current.query(
            `SELECT authority_id, contacts, representatives, version FROM organisation_address_books WHERE organisation_id = $1`,
            [id],
          )) as { authority_id: string }[]
        ).map((row) => [row.authority_id, row]),
      );
    const registrar = async (id: string) =>
      (await current.query(`SELECT registered_by_authority_id FROM organisations WHERE id = $1`, [id]))[0]
        .registered_by_authority_id;

    expect(await registrar(attacked)).toBe(gpdp);
    expect(await books(attacked)).toEqual({
      [gpdp]: { authority_id: gpdp, contacts: garante, representatives, version: 0 },
      [pipc]: { authority_id: pipc, contacts: attacker, representatives: [], version: 0 },
    });
    expect(await registrar(untouched)).toBe(dpc);
    expect(await books(untouched)).toEqual({
      [dpc]: { authority_id: dpc, contacts: garante, representatives, version: 0 },
      [gpdp]: { authority_id: gpdp, contacts: [], representatives: [], version: 0 },
    });
    expect(await registrar(orphan)).toBeNull();
    expect(await books(orphan)).toEqual({});
    expect(
      await current.query(
        `SELECT contacts, representatives FROM organisation_contacts_unattributed WHERE organisation_id = $1`,
        [orphan],
      ),
    ).toEqual([{ contacts: garante, representatives }]);
    // The identity as found is its first recorded version, at the version number it had.
    expect(
      await current.query(
        `SELECT organisation_id, version, identity->>'name' AS name FROM organisation_versions ORDER BY version, organisation_id`,
      ),
    ).toEqual([
      { organisation_id: untouched, version: 1, name: 'Untouched Ltd' },
      { organisation_id: orphan, version: 1, name: 'Orphan Ltd' },
      { organisation_id: attacked, version: 2, name: 'Attacked Ltd' },
    ]);
  } finally {
    await current.destroy();
  }
}
