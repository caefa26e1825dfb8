import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AuditService, contentHash, eventHash, GENESIS_HASH, signCheckpoint, type ChainedFields } from '#docket/audit';
import { dataSourceOptions, runMigrations, UnitOfWork } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { runCli, verifyAuditChains } from '../apps/cli/src/commands.js';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createEmptyDatabase, dropDatabase } from './support/database.js';
import { createCase, createProvider } from './support/fixtures.js';

const AUDIT_KEY = 'audit-trail-e2e-key-0123456789abcdef0123456789';

interface Row {
  id: string;
  seq: string;
  authority_id: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string;
  case_id: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
  keyed: boolean;
}

const fieldsOf = (row: Row, prevHash: string): ChainedFields => ({
  authorityId: row.authority_id,
  seq: String(row.seq),
  occurredAt: row.occurred_at,
  actorId: row.actor_id,
  actorLabel: row.actor_label,
  action: row.action,
  entityType: row.entity_type,
  entityId: row.entity_id,
  caseId: row.case_id,
  before: row.before,
  after: row.after,
  prevHash,
});

/** A promise the test opens when it chooses: lets two transactions take turns. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * What a PostgreSQL superuser can do: switch the append-only triggers off for the session and change
 * anything, recomputing the chain with the published (unkeyed) formula.
 */
async function asSuperuser<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Rewrites the chain of `authorityId` from entry `fromSeq` with plain SHA-256 hashes (and the head to match). */
async function recomputePlain(
  client: pg.Client,
  authorityId: string,
  fromSeq: number,
  keyed: (row: Row) => boolean,
): Promise<void> {
  const rows = (await client.query(`SELECT * FROM audit_events WHERE authority_id = $1 ORDER BY seq`, [authorityId]))
    .rows as Row[];
  let prev = GENESIS_HASH;
  for (const row of rows) {
    if (Number(row.seq) >= fromSeq) {
      const hash = eventHash(fieldsOf(row, prev));
      await client.query(`UPDATE audit_events SET prev_hash = $2, hash = $3, keyed = $4 WHERE id = $1`, [
        row.id,
        prev,
        hash,
        keyed(row),
      ]);
      row.hash = hash;
    }
    prev = row.hash;
  }
  await client.query(`UPDATE audit_heads SET hash = $2 WHERE authority_id = $1`, [authorityId, prev]);
}

describe('an audit trail a database superuser cannot rewrite unseen', () => {
  let test: TestApp;
  let dataDir: string;
  let externalDir: string;
  let audit: AuditService;
  const cliEnv = () => ({
    DATABASE_URL: test.databaseUrl,
    DOCKET_DATA_DIR: dataDir,
    AUDIT_KEY,
    AUDIT_CHECKPOINT_DIR: externalDir,
    LOG_LEVEL: 'silent',
  });

  const verify = async (tenant: Tenant) =>
    (await test.http().get('/api/v1/audit/verify').set(bearer(tenant.tokens.viewer)).expect(200)).body;
  const localCheckpoint = (tenant: Tenant) => join(dataDir, 'audit-checkpoints', `${tenant.authorityId}.json`);

  /** A tenant with a chain of a few entries (its users, an organisation), all checkpointed. */
  const tenantWithChain = async (code: string): Promise<Tenant> => {
    const tenant = await createTenant(test, code);
    await test
      .http()
      .post('/api/v1/organisations')
      .set(bearer(tenant.tokens.officer))
      .send({ name: `Provider of ${code}`, country: 'IT' })
      .expect(201);
    await audit.flushCheckpoints();
    const check = await verify(tenant);
    expect(check).toMatchObject({ valid: true, legacyEntries: 0 });
    expect(check.entries).toBeGreaterThanOrEqual(4);
    return tenant;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'docket-audit-data-'));
    externalDir = mkdtempSync(join(tmpdir(), 'docket-audit-external-'));
    test = await startTestApp({ dataDir, env: { AUDIT_KEY, AUDIT_CHECKPOINT_DIR: externalDir } });
    audit = test.app.get(AuditService);
  });

  afterAll(async () => {
    await test?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(externalDir, { recursive: true, force: true });
  });

  it('keys every entry and checkpoints each head, signed, in a file only its owner can read', async () => {
    const tenant = await tenantWithChain('AKEY');
    const check = await verify(tenant);
    const rows = (await test.app
      .get(DataSource)
      .query(`SELECT keyed FROM audit_events WHERE authority_id = $1`, [tenant.authorityId])) as { keyed: boolean }[];
    expect(rows.length).toBe(check.entries);
    expect(rows.every((row) => row.keyed)).toBe(true);
    const file = JSON.parse(readFileSync(localCheckpoint(tenant), 'utf8'));
    expect(file).toMatchObject({
      authorityId: tenant.authorityId,
      seq: String(check.entries),
      hash: check.head,
      keyId: check.keyId,
      mac: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(statSync(localCheckpoint(tenant)).mode & 0o777).toBe(0o600);
    expect(check.checkpoints).toEqual([
      {
        source: expect.stringContaining('the data directory'),
        seq: String(check.entries),
        writtenAt: expect.any(String),
        problem: null,
      },
    ]);
  });

  it('orders the case before the chain head: a worker appending for a case a request holds locked waits, no deadlock', async () => {
    const tenant = await createTenant(test, 'LCK');
    const kase = await createCase(test, tenant, await createProvider(test, tenant.tokens.officer));
    const dataSource = test.app.get(DataSource);
    const unitOfWork = test.app.get(UnitOfWork);
    const entry = (action: string) => ({
      authorityId: tenant.authorityId,
      action,
      entityType: 'case',
      entityId: kase.id,
      caseId: kase.id,
    });
    const caseLocked = gate();
    const requestGoesOn = gate();
    // A request locks its case (as every case action does) …
    const requestDone = unitOfWork.run(async (manager) => {
      await manager.query(`SELECT 1 FROM cases WHERE id = $1 FOR UPDATE`, [kase.id]);
      caseLocked.open();
      await requestGoesOn.opened;
      // The request's own append must not meet a head the worker holds.
      await audit.record(entry('test.request_append'));
    });
    await Promise.race([caseLocked.opened, requestDone]);
    // … while a worker appends for that case and then writes a row referencing it (a document's foreign key).
    const workerDone = unitOfWork.run(async (manager) => {
      await audit.record(entry('test.worker_append'));
      await manager.query(`SELECT 1 FROM cases WHERE id = $1 FOR KEY SHARE`, [kase.id]);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    requestGoesOn.open();
    await Promise.all([requestDone, workerDone]);
    const actions = (
      await dataSource.query(
        `SELECT action FROM audit_events WHERE case_id = $1 AND action LIKE 'test.%' ORDER BY seq`,
        [kase.id],
      )
    ).map((row: { action: string }) => row.action);
    expect(actions).toEqual(['test.request_append', 'test.worker_append']);
    await audit.flushCheckpoints();
    expect(await verify(tenant)).toMatchObject({ valid: true });
  });

  it('chains an entry when its transaction commits: one still open holds up no other append of its authority', async () => {
    const tenant = await createTenant(test, 'LONG');
    const dataSource = test.app.get(DataSource);
    const unitOfWork = test.app.get(UnitOfWork);
    const entry = (action: string) => ({
      authorityId: tenant.authorityId,
      action,
      entityType: 'test',
      entityId: action,
    });
    const firstRecorded = gate();
    const goOn = gate();
    const open = unitOfWork.run(async () => {
      await audit.record(entry('test.recorded_first'));
      firstRecorded.open();
      await goOn.opened;
      await audit.record(entry('test.recorded_second'));
    });
    await Promise.race([firstRecorded.opened, open]);
    // A letter's transaction still rendering its PDF, say: another transaction of the authority appends meanwhile
    // (when entries were chained as they were recorded, this one waited for the first's head lock until it ended).
    // Recorded outside any transaction, the entry is appended in one of its own.
    await audit.record(entry('test.committed_first'));
    goOn.open();
    await open;
    // Entries recorded in a savepoint rolled back go with it; those of a savepoint released stay, at any depth.
    await unitOfWork.run(async () => {
      await audit.record(entry('test.kept'));
      await unitOfWork
        .run(async () => {
          await audit.record(entry('test.undone'));
          throw new Error('rolled back to the savepoint');
        })
        .catch(() => undefined);
      await unitOfWork.run(() => audit.record(entry('test.kept_from_savepoint')));
      await unitOfWork.run(async () => {
        await audit.record(entry('test.kept_from_depth_2'));
        await unitOfWork.run(() => audit.record(entry('test.kept_from_depth_3')));
        await unitOfWork
          .run(async () => {
            await audit.record(entry('test.undone_at_depth_3'));
            throw new Error('rolled back to the inner savepoint');
          })
          .catch(() => undefined);
      });
      await unitOfWork
        .run(async () => {
          // Released into the savepoint around it, then rolled back with that one.
          await unitOfWork.run(() => audit.record(entry('test.undone_with_depth_2')));
          throw new Error('rolled back to the outer savepoint');
        })
        .catch(() => undefined);
    });
    await expect(
      unitOfWork.run(async () => {
        await audit.record(entry('test.rolled_back'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const actions = (
      (await dataSource.query(
        `SELECT action FROM audit_events WHERE authority_id = $1 AND action LIKE 'test.%' ORDER BY seq`,
        [tenant.authorityId],
      )) as { action: string }[]
    ).map((row) => row.action);
    expect(actions).toEqual([
      'test.committed_first',
      'test.recorded_first',
      'test.recorded_second',
      'test.kept',
      'test.kept_from_savepoint',
      'test.kept_from_depth_2',
      'test.kept_from_depth_3',
    ]);
    await audit.flushCheckpoints();
    expect(await verify(tenant)).toMatchObject({ valid: true });
  });

  it('checkpoints the commits that follow a pass within the interval by one pass, not one each', async () => {
    const tenant = await createTenant(test, 'PACE');
    const unitOfWork = test.app.get(UnitOfWork);
    await audit.flushCheckpoints();
    const interval = audit.checkpointIntervalMs;
    // Long enough that the commits below all fall within it, however slow the machine.
    audit.checkpointIntervalMs = 60_000;
    const passes = jest.spyOn(audit, 'advanceCheckpoint');
    try {
      for (let n = 0; n < 10; n++) {
        await unitOfWork.run(() =>
          audit.record({ authorityId: tenant.authorityId, action: 'test.paced', entityType: 'test', entityId: `${n}` }),
        );
        // Each commit's pass (if one started) ends before the next commit.
        await Promise.all(passes.mock.results.map((result) => result.value));
        await new Promise((resolve) => setImmediate(resolve));
      }
      // The first commit was checkpointed at once; the nine after it wait for the interval's end.
      expect(passes).toHaveBeenCalledTimes(1);
      await audit.flushCheckpoints();
      expect(passes).toHaveBeenCalledTimes(2);
    } finally {
      passes.mockRestore();
      audit.checkpointIntervalMs = interval;
    }
    const check = await verify(tenant);
    expect(check).toMatchObject({ valid: true });
    expect(check.checkpoints).toEqual([expect.objectContaining({ seq: String(check.entries), problem: null })]);
  });

  it('appends to several chains in one transaction in one message, whichever order they were recorded in', async () => {
    const [first, second] = [await createTenant(test, 'MULA'), await createTenant(test, 'MULB')];
    const unitOfWork = test.app.get(UnitOfWork);
    const both = (order: Tenant[], n: number) =>
      unitOfWork.run(async () => {
        for (const tenant of order)
          await audit.record({
            authorityId: tenant.authorityId,
            action: 'test.both',
            entityType: 'test',
            entityId: `${n}`,
          });
      });
    // Each process knows both heads once it has appended to them.
    await both([first, second], 0);
    const entries = await Promise.all([first, second].map(async (tenant) => (await verify(tenant)).entries as number));
    const before = { ...audit.appendCounts };
    await both([second, first], 1);
    expect(audit.appendCounts).toEqual({ ...before, expected: before.expected + 1 });
    // Opposite orders at once: the heads are locked in one order, so none waits for the other forever.
    await Promise.all(Array.from({ length: 8 }, (_, n) => both(n % 2 ? [second, first] : [first, second], n + 2)));
    await audit.flushCheckpoints();
    for (const [n, tenant] of [first, second].entries())
      expect(await verify(tenant)).toMatchObject({ valid: true, entries: entries[n] + 9 });
  });

  it('keeps one chain when two processes append to an authority at once (each finds the head moved by the other)', async () => {
    const tenant = await createTenant(test, 'TWO');
    const other = await startTestApp({
      database: test.database,
      dataDir,
      roles: 'api',
      env: { AUDIT_KEY, AUDIT_CHECKPOINT_DIR: externalDir },
    });
    try {
      const create = (target: TestApp, n: number) =>
        target
          .http()
          .post('/api/v1/organisations')
          .set(bearer(tenant.tokens.officer))
          .send({ name: `Provider ${n} of TWO`, country: 'IT' })
          .expect(201);
      const moved = () => audit.appendCounts.moved + other.app.get(AuditService).appendCounts.moved;
      const before = moved();
      for (let round = 0; round < 3; round++)
        await Promise.all(Array.from({ length: 8 }, (_, n) => create(n % 2 ? other : test, round * 8 + n)));
      // After a round, the process that did not append last expects the head where its own last append left it.
      expect(moved()).toBeGreaterThan(before);
      await other.app.get(AuditService).flushCheckpoints();
    } finally {
      await other.close();
    }
    await audit.flushCheckpoints();
    expect(await verify(tenant)).toMatchObject({ valid: true });
    const [{ count }] = (await test.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS count FROM audit_events WHERE authority_id = $1 AND action = 'organisation.created'`,
        [tenant.authorityId],
      )) as { count: number }[];
    expect(count).toBe(24);
  });

  it('fails a row rewritten by a superuser who recomputed the plain hashes of the chain', async () => {
    const tenant = await tenantWithChain('AEDIT');
    const [victim] = (await test.app
      .get(DataSource)
      .query(`SELECT id, seq FROM audit_events WHERE authority_id = $1 AND action = 'organisation.created'`, [
        tenant.authorityId,
      ])) as { id: string; seq: string }[];
    expect(victim).toBeDefined();
    await asSuperuser(test.databaseUrl, async (client) => {
      await client.query(`UPDATE audit_events SET after = jsonb_set(after, '{name}', '"Someone else"') WHERE id = $1`, [
        victim.id,
      ]);
      await recomputePlain(client, tenant.authorityId, Number(victim.seq), () => true);
    });
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      firstBad: {
        seq: victim.seq,
        id: victim.id,
        problem: expect.stringContaining('recomputed without the audit key'),
      },
    });
  });

  it('fails a chain passed off as written before the key, even without its checkpoint', async () => {
    const tenant = await tenantWithChain('ALEGACY');
    await asSuperuser(test.databaseUrl, (client) => recomputePlain(client, tenant.authorityId, 1, () => false));
    const withCheckpoint = await verify(tenant);
    expect(withCheckpoint).toMatchObject({
      valid: false,
      firstBad: { problem: expect.stringContaining('differs from the checkpoint') },
    });
    rmSync(localCheckpoint(tenant));
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      firstBad: { problem: expect.stringContaining('no entry of this chain is keyed with the audit key') },
    });
  });

  it('fails a chain whose tail was cut off (head moved back to match), over HTTP and in the CLI', async () => {
    const tenant = await tenantWithChain('ATAIL');
    const before = await verify(tenant);
    const last = Number(before.entries);
    await asSuperuser(test.databaseUrl, async (client) => {
      await client.query(`DELETE FROM audit_events WHERE authority_id = $1 AND seq > $2`, [
        tenant.authorityId,
        last - 2,
      ]);
      await client.query(
        `UPDATE audit_heads SET seq = $2, hash = (SELECT hash FROM audit_events WHERE authority_id = $1 AND seq = $2) WHERE authority_id = $1`,
        [tenant.authorityId, last - 2],
      );
    });
    const problem = `records ${last} entries but the chain ends at entry ${last - 2}: entries ${last - 1} to ${last} were deleted (the tail was cut off)`;
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      entries: last - 2,
      firstBad: { seq: String(last - 1), problem: expect.stringContaining(problem) },
    });
    const out: string[] = [];
    expect(await runCli(['verify-audit', '--authority', 'ATAIL'], cliEnv(), (line) => out.push(line))).toBe(1);
    expect(JSON.parse(out[0])).toMatchObject({
      authority: 'ATAIL',
      valid: false,
      firstBad: { problem: expect.stringContaining(problem) },
    });
  });

  it('fails a chain deleted whole, head included, when a checkpoint says there were entries', async () => {
    const tenant = await tenantWithChain('AGONE');
    const before = await verify(tenant);
    await asSuperuser(test.databaseUrl, async (client) => {
      await client.query(`DELETE FROM audit_events WHERE authority_id = $1`, [tenant.authorityId]);
      await client.query(`DELETE FROM audit_heads WHERE authority_id = $1`, [tenant.authorityId]);
    });
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      entries: 0,
      firstBad: {
        problem: expect.stringContaining(
          `records ${before.entries} entries but the chain ends at entry 0: the whole chain was deleted`,
        ),
      },
    });
  });

  it('fails a chain whose head row is missing, and refuses to append to it: 503, problem+json, a log line', async () => {
    const tenant = await tenantWithChain('AHEAD');
    const organisations = async () =>
      Number((await test.app.get(DataSource).query(`SELECT count(*) FROM organisations`))[0].count);
    const before = await organisations();
    await asSuperuser(test.databaseUrl, (client) =>
      client.query(`DELETE FROM audit_heads WHERE authority_id = $1`, [tenant.authorityId]),
    );
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      firstBad: { problem: expect.stringContaining('head row (audit_heads) is missing') },
    });
    const logged = jest.spyOn(Logger.prototype, 'error');
    try {
      const refused = await test
        .http()
        .post('/api/v1/organisations')
        .set(bearer(tenant.tokens.officer))
        .send({ name: 'After the head went', country: 'IT' });
      expect(refused.status).toBe(503);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ status: 503, auditTrailDamaged: true });
      expect(refused.body.detail).toMatch(/^The audit trail is damaged: its chain's head row is missing/);
      expect(logged.mock.calls.map((call) => String(call[0]))).toContainEqual(
        expect.stringContaining(`audit chain of authority ${tenant.authorityId}: entries but no head row`),
      );
    } finally {
      logged.mockRestore();
    }
    expect(await organisations()).toBe(before);
  });

  it('fails when a checkpoint file was changed, or replaced by one signed with another key', async () => {
    const tenant = await tenantWithChain('ACHECK');
    const path = localCheckpoint(tenant);
    const original = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...original, seq: '2' }));
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      firstBad: {
        problem: expect.stringContaining('does not match its signature: it was changed after it was written'),
      },
    });
    const forged = signCheckpoint(Buffer.from('a key the attacker chose, 32 chars or more'), {
      authorityId: tenant.authorityId,
      seq: '2',
      hash: original.hash,
      writtenAt: new Date(),
    });
    writeFileSync(path, JSON.stringify(forged));
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      firstBad: { problem: expect.stringContaining('signed with another audit key') },
    });
    writeFileSync(path, JSON.stringify(original));
    expect(await verify(tenant)).toMatchObject({ valid: true });
  });

  it('writes checkpoints to AUDIT_CHECKPOINT_DIR on demand and in each export; either one still catches a cut tail', async () => {
    const tenant = await tenantWithChain('AEXPORT');
    await test.http().post('/api/v1/audit/checkpoint').set(bearer(tenant.tokens.viewer)).expect(403);
    await test.http().get('/api/v1/audit/export').set(bearer(tenant.tokens.viewer)).expect(403);
    const written = await test.http().post('/api/v1/audit/checkpoint').set(bearer(tenant.tokens.admin)).expect(201);
    const external = JSON.parse(readFileSync(join(externalDir, `${tenant.authorityId}.json`), 'utf8'));
    expect(external).toEqual(written.body.checkpoint);
    const exported = await test.http().get('/api/v1/audit/export').set(bearer(tenant.tokens.manager)).expect(200);
    expect(exported.headers['content-disposition']).toContain(`audit-${tenant.authorityId}-`);
    expect(exported.body).toMatchObject({
      format: 'docket-audit-export/1',
      authorityId: tenant.authorityId,
      verification: { valid: true },
      checkpoint: { seq: String(exported.body.entries.length) },
    });
    expect(exported.body.entries.at(-1).hash).toBe(exported.body.checkpoint.hash);
    const exportFile = join(externalDir, 'export.json');
    writeFileSync(exportFile, JSON.stringify(exported.body));

    // The superuser cuts the tail; the data directory's checkpoint is gone too (say, a disk restored).
    const last = exported.body.entries.length;
    await asSuperuser(test.databaseUrl, async (client) => {
      await client.query(`DELETE FROM audit_events WHERE authority_id = $1 AND seq = $2`, [tenant.authorityId, last]);
      await client.query(
        `UPDATE audit_heads SET seq = $2, hash = (SELECT hash FROM audit_events WHERE authority_id = $1 AND seq = $2) WHERE authority_id = $1`,
        [tenant.authorityId, last - 1],
      );
    });
    rmSync(localCheckpoint(tenant));
    expect(await verify(tenant)).toMatchObject({
      valid: false,
      firstBad: {
        problem: expect.stringMatching(
          /^the checkpoint in AUDIT_CHECKPOINT_DIR .* records \d+ entries but the chain ends at entry \d+/,
        ),
      },
    });
    rmSync(join(externalDir, `${tenant.authorityId}.json`));
    expect(await verify(tenant)).toMatchObject({ valid: true });
    const out: string[] = [];
    expect(
      await runCli(['verify-audit', '--authority', 'AEXPORT', '--checkpoint', exportFile], cliEnv(), (line) =>
        out.push(line),
      ),
    ).toBe(1);
    expect(JSON.parse(out[0])).toMatchObject({
      valid: false,
      firstBad: { problem: expect.stringContaining(`the checkpoint in the file ${exportFile}`) },
    });
  });

  it('checkpoint-audit writes to AUDIT_CHECKPOINT_DIR and says so when it is not set', async () => {
    const tenant = await tenantWithChain('ACLI');
    const out: string[] = [];
    expect(await runCli(['checkpoint-audit', '--authority', 'ACLI'], cliEnv(), (line) => out.push(line))).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({
      authority: 'ACLI',
      seq: expect.any(String),
      path: join(externalDir, `${tenant.authorityId}.json`),
    });
    const { AUDIT_CHECKPOINT_DIR: _unset, ...withoutDir } = cliEnv();
    await expect(runCli(['checkpoint-audit'], withoutDir, () => undefined)).rejects.toThrow(
      'AUDIT_CHECKPOINT_DIR is not set',
    );
  });
});

describe('a chain written before the audit key', () => {
  it('keeps verifying after the upgrade, sealed by a keyed entry, and an edit of an old entry is still caught', async () => {
    const database = await createEmptyDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'docket-audit-upgrade-'));
    const all = docketSchema.migrations as unknown[];
    const before = new DataSource(
      dataSourceOptions(
        database.url,
        {
          ...docketSchema,
          migrations: all.filter((m) => (m as { name: string }).name !== 'AuditKey1764000017000') as never,
        },
        2,
      ),
    );
    await before.initialize();
    const authorityId = '6f1b7a5e-3c1d-4b8e-9a51-0d2c6e1f4a77';
    try {
      await runMigrations(before);
      // Three entries as the previous version wrote them: plain SHA-256, the head on the last.
      await before.query(
        `INSERT INTO authorities (id, code, name, country, timezone, locale, holiday_region, weekend_days) VALUES ($1, 'AOLD', 'Old authority', 'IT', 'Europe/Rome', 'it-IT', 'IT', '{0,6}')`,
        [authorityId],
      );
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq++) {
        const fields: ChainedFields = {
          authorityId,
          seq: String(seq),
          occurredAt: new Date(Date.UTC(2025, 0, seq)),
          actorId: null,
          actorLabel: 'system',
          action: 'case.created',
          entityType: 'case',
          entityId: `c${seq}`,
          caseId: null,
          before: null,
          after: { n: seq },
          prevHash: prev,
        };
        const hash = eventHash(fields);
        await before.query(
          `INSERT INTO audit_events (authority_id, seq, occurred_at, actor_label, action, entity_type, entity_id, after, prev_hash, hash) VALUES ($1, $2, $3, 'system', 'case.created', 'case', $4, $5, $6, $7)`,
          [authorityId, seq, fields.occurredAt, fields.entityId, JSON.stringify(fields.after), prev, hash],
        );
        expect(contentHash(fields)).toHaveLength(64);
        prev = hash;
      }
      await before.query(`INSERT INTO audit_heads (authority_id, seq, hash) VALUES ($1, 3, $2)`, [authorityId, prev]);
    } finally {
      await before.destroy();
    }
    const upgraded = new DataSource(dataSourceOptions(database.url, docketSchema, 2));
    await upgraded.initialize();
    await runMigrations(upgraded);
    await upgraded.destroy();

    const test = await startTestApp({ database, dataDir, env: { AUDIT_KEY } });
    try {
      const db = test.app.get(DataSource);
      const [report] = await verifyAuditChains(db, test.runtime, 'AOLD');
      expect(report).toMatchObject({ authority: 'AOLD', valid: true, entries: 4, legacyEntries: 3 });
      expect(
        await db.query(`SELECT seq, action, keyed FROM audit_events WHERE authority_id = $1 AND seq = 4`, [
          authorityId,
        ]),
      ).toEqual([{ seq: '4', action: 'audit.key_introduced', keyed: true }]);
      await test.app.get(AuditService).flushCheckpoints();
      expect(JSON.parse(readFileSync(join(dataDir, 'audit-checkpoints', `${authorityId}.json`), 'utf8'))).toMatchObject(
        { seq: '4' },
      );

      // An old entry edited, and the old (unkeyed) part recomputed: the keyed seal no longer links.
      await asSuperuser(database.url, async (client) => {
        await client.query(`UPDATE audit_events SET after = '{"n": 99}' WHERE authority_id = $1 AND seq = 2`, [
          authorityId,
        ]);
        const rows = (
          await client.query(`SELECT * FROM audit_events WHERE authority_id = $1 AND seq <= 3 ORDER BY seq`, [
            authorityId,
          ])
        ).rows as Row[];
        let prev = GENESIS_HASH;
        for (const row of rows) {
          const hash = eventHash(fieldsOf(row, prev));
          await client.query(`UPDATE audit_events SET prev_hash = $2, hash = $3 WHERE id = $1`, [row.id, prev, hash]);
          prev = hash;
        }
      });
      const [tampered] = await verifyAuditChains(db, test.runtime, 'AOLD');
      expect(tampered).toMatchObject({
        valid: false,
        firstBad: { seq: '4', problem: expect.stringContaining('does not link to the previous entry') },
      });
    } finally {
      await test.close();
      await dropDatabase(database.name);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
