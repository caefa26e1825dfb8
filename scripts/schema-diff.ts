// Prints the SQL that would bring a database in line with the entities: the draft of a new migration.
// Usage: npm run build && DATABASE_URL=postgres://... node dist/scripts/schema-diff.js
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, pendingSchemaChanges, runMigrations } from '#docket/platform';
import { docketSchema, foreignKeysOfMigrations } from '#docket/schema';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a scratch database');
const dataSource = new DataSource(dataSourceOptions(url, docketSchema, 2));
await dataSource.initialize();
await runMigrations(dataSource);
for (const sql of await pendingSchemaChanges(dataSource, foreignKeysOfMigrations)) process.stdout.write(`${sql};\n`);
await dataSource.destroy();
