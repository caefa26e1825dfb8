import { DataSource, MigrationExecutor, type DataSourceOptions, type MixedList } from 'typeorm';

export interface SchemaParts {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  /**
   * The tables the application may only read and append to, each declared by the context that owns it (the audit
   * trail's): where Docket manages the database role (the embedded default) the role is refused the rest.
   */
  appendOnlyTables: string[];
}

/**
 * The application's connection options. node-postgres sends unnamed statements (parse, bind, execute in one
 * round trip) unless a query is given a name, and Docket names only the few hot statements run through
 * queryPrepared, which runs them unnamed behind PgBouncer (DB_PGBOUNCER): there nothing is prepared across
 * transactions, so PgBouncer's transaction pooling needs no prepared-statement support.
 */
export function dataSourceOptions(
  url: string,
  schema: Pick<SchemaParts, 'entities' | 'migrations'>,
  poolSize = 10,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'docket_migrations',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    logging: ['error'],
    extra: { max: poolSize, application_name: 'docket' },
  };
}

/** Arbitrary constant: one Docket migration at a time per database. */
const MIGRATION_LOCK_KEY = 0x646f636b;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so several processes can start together. Behind
 * PgBouncer in transaction pooling a session lock could be taken on one server connection and released on
 * another (and stay held for good): there the lock is transaction-scoped and every migration runs in that one
 * transaction.
 */
export async function runMigrations(
  dataSource: DataSource,
  options: { transactionPooling?: boolean } = {},
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  if (options.transactionPooling) {
    try {
      await runner.startTransaction();
      await runner.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      const done = await executor.executePendingMigrations();
      await runner.commitTransaction();
      return done.map((migration) => migration.name);
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * A foreign key that the migrations declare and no entity does: a context's entity keeps only the id of another
 * context's row (no TypeORM relation, so no import of that context's entity), and the database still holds the
 * reference.
 */
export interface ForeignKeyOfMigrations {
  /** The constraint's name in the database. */
  name: string;
  table: string;
  column: string;
  references: string;
  why: string;
}

/**
 * The SQL that would bring the database in line with the entities; empty when migrations and entities agree. The
 * schema builder proposes to drop every foreign key no entity declares: that one statement is left out for the keys
 * listed in `keptByMigrations`, and only that one (any other change, on those tables too, is still reported).
 */
export async function pendingSchemaChanges(
  dataSource: DataSource,
  keptByMigrations: readonly ForeignKeyOfMigrations[] = [],
): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  const kept = new Set(keptByMigrations.map((key) => `ALTER TABLE "${key.table}" DROP CONSTRAINT "${key.name}"`));
  return sql.upQueries.map((query) => query.query).filter((query) => !kept.has(query));
}
