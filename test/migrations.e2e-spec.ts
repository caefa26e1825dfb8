import { DataSource } from 'typeorm';
import { dataSourceOptions, pendingSchemaChanges, runMigrations } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { createEmptyDatabase, dropDatabase } from './support/database.js';

describe('migrations', () => {
  it('build exactly the schema the entities describe, and a second run does nothing', async () => {
    const database = await createEmptyDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.url, docketSchema, 2));
    await dataSource.initialize();
    try {
      const applied = await runMigrations(dataSource);
      expect(applied.length).toBe((docketSchema.migrations as unknown[]).length);
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
      expect(await runMigrations(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
      await dropDatabase(database.name);
    }
  });

  it('refuses to change or remove audit entries', async () => {
    const database = await createEmptyDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.url, docketSchema, 2));
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
      await dataSource.query(`INSERT INTO audit_events (authority_id, seq, occurred_at, actor_label, action, entity_type, entity_id, prev_hash, hash, keyed)
        VALUES (gen_random_uuid(), 1, now(), 'test', 'x', 'y', 'z', repeat('0', 64), repeat('1', 64), true)`);
      await expect(dataSource.query(`UPDATE audit_events SET action = 'edited'`)).rejects.toThrow(/append-only/);
      await expect(dataSource.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
      await expect(dataSource.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    } finally {
      await dataSource.destroy();
      await dropDatabase(database.name);
    }
  });
});
