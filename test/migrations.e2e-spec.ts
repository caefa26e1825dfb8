import { DataSource } from 'typeorm';
import { dataSourceOptions, pendingSchemaChanges, runMigrations } from '#docket/platform';
import { docketSchema, foreignKeysOfMigrations } from '#docket/schema';
import { createEmptyDatabase, dropDatabase } from './support/database.js';

describe('migrations', () => {
  it('build exactly the schema the entities describe, and a second run does nothing', async () => {
    const database = await createEmptyDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.url, docketSchema, 2));
    await dataSource.initialize();
    try {
      const applied = await runMigrations(dataSource);
      expect(applied.length).toBe((docketSchema.migrations as unknown[]).length);
      expect(await pendingSchemaChanges(dataSource, foreignKeysOfMigrations)).toEqual([]);
      expect(await runMigrations(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
      await dropDatabase(database.name);
    }
  });

  it('keeps the cross-context foreign keys the migrations own, as listed, and leaves out only their drops', async () => {
    const database = await createEmptyDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.url, docketSchema, 2));
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
      const keys: { name: string; table: string; column: string; references: string }[] = await dataSource.query(
        `SELECT c.conname AS name, t.relname AS "table", a.attname AS "column", r.relname AS "references"
           FROM pg_constraint c
           JOIN pg_class t ON t.oid = c.conrelid
           JOIN pg_class r ON r.oid = c.confrelid
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
          WHERE c.contype = 'f' AND c.conname = ANY($1)`,
        [foreignKeysOfMigrations.map((key) => key.name)],
      );
      const described = (key: { name: string; table: string; column: string; references: string }) =>
        `${key.name}: ${key.table}.${key.column} → ${key.references}`;
      expect(keys.map(described).sort()).toEqual(foreignKeysOfMigrations.map(described).sort());
      // Without the list, the schema builder drops exactly these keys (no entity declares them) and changes nothing
      // else: every entry is needed, and no other difference hides behind them.
      expect((await pendingSchemaChanges(dataSource)).sort()).toEqual(
        foreignKeysOfMigrations.map((key) => `ALTER TABLE "${key.table}" DROP CONSTRAINT "${key.name}"`).sort(),
      );
    } finally {
      await dataSource.destroy();
      await dropDatabase(database.name);
    }
  });

  it('still reports any drift but the listed drops: a missing or an unlisted key, a changed column', async () => {
    const database = await createEmptyDatabase();
    const dataSource = new DataSource(dataSourceOptions(database.url, docketSchema, 2));
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
      const listed = foreignKeysOfMigrations[0]!;
      await dataSource.query(`ALTER TABLE "reminders" DROP CONSTRAINT "FK_f242d97761ad67b881f8355344e"`);
      await dataSource.query(
        `ALTER TABLE "${listed.table}" ADD CONSTRAINT "FK_unlisted" FOREIGN KEY ("${listed.column}") REFERENCES "${listed.references}"("id")`,
      );
      await dataSource.query(`ALTER TABLE "${listed.table}" ALTER COLUMN "created_at" DROP DEFAULT`);
      const changes = await pendingSchemaChanges(dataSource, foreignKeysOfMigrations);
      expect(changes).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ALTER TABLE "reminders" ADD CONSTRAINT "FK_f242d97761ad67b881f8355344e" FOREIGN KEY/),
          `ALTER TABLE "${listed.table}" DROP CONSTRAINT "FK_unlisted"`,
          `ALTER TABLE "${listed.table}" ALTER COLUMN "created_at" SET DEFAULT now()`,
        ]),
      );
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
