import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { Clock, Runtime } from '#docket/platform';
import { createTestDatabase, dropDatabase } from './database.js';

export type QueueKind = 'postgres' | 'redis';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SYSADMIN = { email: 'sysadmin@docket.test', password: 'sysadmin-password-1' };

/** What the fixtures need of a server: HTTP requests to it (an in-process app or a built server in its own process). */
export interface HttpTarget {
  http: () => ReturnType<typeof request>;
}

export interface TestApp extends HttpTarget {
  app: NestExpressApplication;
  runtime: Runtime;
  databaseUrl: string;
  database: { name: string; url: string };
  /** `keepDatabase` leaves the database for a restarted app. */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  queue?: QueueKind;
  clock?: Clock;
  env?: Record<string, string>;
  roles?: string;
  dataDir?: string;
  /** Reuse this database (a restarted process) instead of creating one; it is then left in place on close. */
  database?: { name: string; url: string };
  /** Modules of the test beside the application's (a contribution to an extension point, say). */
  imports?: Type[];
}

/**
 * The application, loaded at the first start rather than at the top: the browser specs use this module's HTTP helpers
 * against a built server in its own process, and loading every lib into jest's module registry cost each of them
 * seconds. One import after the other, once (shared by concurrent starts): jest's module loader fails on concurrent
 * first imports of a shared module ("request for … is not in cache").
 */
const importApplication = async () => ({
  ...(await import('@nestjs/core')),
  ...(await import('#docket/platform')),
  ...(await import('#docket/schema')),
  ...(await import('../../apps/server/src/app.module.js')),
});
let application: ReturnType<typeof importApplication> | undefined;
const loadApplication = () => (application ??= importApplication());

/** Boots the whole server (all modules, real PostgreSQL, real queue backend) on a fresh database. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { NestFactory, configureHttpApp, httpAdapter, loadConfig, prepareRuntime, docketSchema, AppModule } =
    await loadApplication();
  const database = options.database ?? (await createTestDatabase());
  const queue = options.queue ?? 'postgres';
  const config = loadConfig({
    NODE_ENV: 'test',
    // TEST_LOG_LEVEL=error shows what the server logged while a test failed.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database.url,
    DOCKET_ADMIN_EMAIL: SYSADMIN.email,
    DOCKET_ADMIN_PASSWORD: SYSADMIN.password,
    DOCKET_ROLES: options.roles ?? 'api,worker',
    DOCKET_DATA_DIR: options.dataDir ?? `var/test/${database.name}`,
    QUEUE_PREFIX: database.name,
    LOGIN_ATTEMPTS_PER_MINUTE: '1000',
    ...(queue === 'redis' ? { REDIS_URL } : {}),
    ...options.env,
  });
  const runtime = await prepareRuntime(config, docketSchema, {
    migrate: false,
    clock: options.clock,
    log: () => undefined,
  });
  const root = AppModule.forRuntime(runtime);
  root.imports = [...(root.imports ?? []), ...(options.imports ?? [])];
  const app = await NestFactory.create<NestExpressApplication>(root, httpAdapter(), {
    bodyParser: false,
    logger: process.env.TEST_LOG_LEVEL ? undefined : false,
    abortOnError: false,
  });
  configureHttpApp(app, runtime);
  await app.init();
  return {
    app,
    runtime,
    databaseUrl: database.url,
    database,
    http: () => request(app.getHttpServer()),
    async close({ keepDatabase = false } = {}) {
      await app.close();
      runtime.mail.close();
      if (!options.database && !keepDatabase) await dropDatabase(database.name);
    },
  };
}

export interface Tenant {
  code: string;
  authorityId: string;
  tokens: Record<'admin' | 'manager' | 'officer' | 'viewer', string>;
  userIds: Record<'admin' | 'manager' | 'officer' | 'viewer', string>;
}

export async function tokenFor(test: HttpTarget, email: string, password: string): Promise<string> {
  const response = await test.http().post('/api/v1/auth/token').send({ email, password }).expect(200);
  return response.body.token as string;
}

export const sysadminToken = (test: HttpTarget) => tokenFor(test, SYSADMIN.email, SYSADMIN.password);

/** Creates an authority with one user of each role and signs them in. */
export async function createTenant(
  test: HttpTarget,
  code: string,
  calendar: {
    country?: string;
    timezone?: string;
    locale?: string;
    holidayRegion?: string;
    weekendDays?: number[];
  } = {},
): Promise<Tenant> {
  const admin = await sysadminToken(test);
  const authority = await test
    .http()
    .post('/api/v1/authorities')
    .set('authorization', `Bearer ${admin}`)
    .send({
      code,
      name: `${code} authority`,
      country: calendar.country ?? 'IT',
      timezone: calendar.timezone ?? 'Europe/Rome',
      locale: calendar.locale ?? 'it-IT',
      holidayRegion: calendar.holidayRegion ?? 'IT',
      ...(calendar.weekendDays ? { weekendDays: calendar.weekendDays } : {}),
    })
    .expect(201);
  const tokens = {} as Tenant['tokens'];
  const userIds = {} as Tenant['userIds'];
  for (const role of ['admin', 'manager', 'officer', 'viewer'] as const) {
    const email = `${role}@${code.toLowerCase()}.test`;
    const password = `${role}-password-123`;
    const user = await test
      .http()
      .post('/api/v1/users')
      .set('authorization', `Bearer ${admin}`)
      .send({ email, name: `${code} ${role}`, password, role, authority: code, language: 'en' })
      .expect(201);
    userIds[role] = user.body.id;
    tokens[role] = await tokenFor(test, email, password);
  }
  return { code, authorityId: authority.body.id, tokens, userIds };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
