import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { resolve } from 'node:path';
import pg from 'pg';
import {
  DataSource,
  type EntityManager,
  type QueryRunner,
  type EntitySubscriberInterface,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import {
  Clock,
  entityFromRow,
  mayCommitEarly,
  noteCommittedEarly,
  RequestContext,
  RUNTIME,
  Unavailable,
  UnitOfWork,
  type Runtime,
} from '#docket/platform';
import { AuditEvent } from './audit-event.entity.js';
import { AuditHead } from './audit-head.entity.js';
import {
  CheckpointFolder,
  examineCheckpoint,
  signCheckpoint,
  type AuditCheckpoint,
  type FoundCheckpoint,
} from './checkpoints.js';
import {
  auditKeyId,
  chainStart,
  type ChainedFields,
  contentHash,
  GENESIS_HASH,
  keyedLinkHash,
  stepChain,
  type ChainCheck,
  type ChainPosition,
} from './hash-chain.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  caseId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Defaults to the caller's authority. */
  authorityId?: string;
}

/** What verify says: the chain check, the checkpoints it was compared with, and how many entries predate the key. */
export interface AuditVerification extends ChainCheck {
  keyId: string;
  legacyEntries: number;
  checkpoints: { source: string; seq: string | null; writtenAt: string | null; problem: string | null }[];
}

export interface AuditExport {
  format: 'docket-audit-export/1';
  authorityId: string;
  exportedAt: string;
  verification: AuditVerification;
  /**
   * Signed head of the exported entries: keep it apart from the database and give it to verify-audit --checkpoint
   * later.
   */
  checkpoint: AuditCheckpoint | null;
  entries: AuditEvent[];
}

/** The action of the first keyed entry of a chain begun before the audit key (see sealLegacyChains). */
export const KEY_INTRODUCED = 'audit.key_introduced';

const VERIFY_BATCH = 5000;
/** The least time between two checkpoint passes of one authority while its appends keep coming. */
const CHECKPOINT_INTERVAL_MS = 250;
const DATA_DIR_LABEL = 'the data directory';
const EXTERNAL_LABEL = 'AUDIT_CHECKPOINT_DIR';

/** Raised by audit_chain_moved() (migration 1764000031300): a head was not where the append expected it. */
const HEAD_MOVED = 'DK001';

/** A head's position: its last entry's number (0 for none) and hash. */
interface HeadPosition {
  seq: bigint;
  hash: string;
}

/** The fields of an entry recorded in a transaction, chained when it commits. */
type PendingEvent = Omit<ChainedFields, 'seq' | 'prevHash'>;

/** What the audit keeps on a transaction's query runner (`runner.data`). */
interface RunnerAudit {
  /** Entries recorded and not yet appended, with the savepoint depth they were recorded at. */
  auditPending?: { depth: number; event: PendingEvent }[];
  /** Authorities appended to, to checkpoint once the transaction has committed. */
  auditAppends?: Set<string>;
}

/** The nesting of a query runner's transaction: 1 for the transaction itself, more inside savepoints. */
const depthOf = (runner: QueryRunner): number => (runner as unknown as { transactionDepth: number }).transactionDepth;

export class AuditChainUnavailable extends Error {}

/**
 * A change refused because its authority's audit chain cannot take an entry (its head row was deleted in the
 * database): 503, nothing changed, until an operator has looked at it (verify-audit).
 */
export class AuditTrailDamaged extends Unavailable {
  override readonly title = 'Audit trail damaged';

  constructor(reason: string) {
    super(
      `The audit trail is damaged: ${reason}. Nothing was changed; an operator must check it (npm run cli -- verify-audit) before changes can be recorded again.`,
      { auditTrailDamaged: true },
    );
  }
}

/** The audit key and where checkpoints live, from the runtime (the CLI builds the same). */
type AuditRuntime = Pick<Runtime, 'auditKey'> & {
  config: Pick<Runtime['config'], 'DOCKET_DATA_DIR' | 'AUDIT_CHECKPOINT_DIR'>;
};

/**
 * The append-only audit trail. Entries are linked with HMAC-SHA256 under a key kept out of the database
 * (runtime.auditKey), and each authority's head is checkpointed, signed, in a file under the data
 * directory after committed appends (at most one pass every CHECKPOINT_INTERVAL_MS per authority; and, on demand, in
 * AUDIT_CHECKPOINT_DIR), so that a database
 * superuser can neither recompute the chain nor cut it short without verify saying so.
 */
export interface AuditPageFilter {
  caseId?: string;
  actorId?: string;
  /** Exact actions, or prefixes ending in a dot (`deadline.`). */
  actions?: string[];
  from?: Date;
  to?: Date;
  ascending: boolean;
  limit: number;
  /** The sequence number of the last entry of the previous page. */
  afterSeq?: string;
}

@Injectable()
export class AuditService implements EntitySubscriberInterface, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private readonly key: Buffer;
  readonly keyId: string;
  /**
   * Per authority, where its head will be once the appends this process has sent have committed: the next append
   * links from there without reading the head first (see appendAndCommit).
   */
  private readonly expectedHeads = new Map<string, HeadPosition>();
  /**
   * How this process's commits appended: from the heads it expected, in one message; not, because a head had moved
   * (then from the heads read under their locks); from the heads read under their locks (the first append of an
   * authority in this process, after a move).
   */
  readonly appendCounts = { expected: 0, moved: 0, locked: 0 };
  private readonly local: CheckpointFolder;
  private readonly external: CheckpointFolder | null;
  /**
   * Per authority: the checkpoint pass running now, whether another must follow it, and how to cut short the pause
   * before that one.
   */
  private readonly advancing = new Map<string, { done: Promise<void>; again: boolean; wake: () => void }>();
  /** Flushes under way: while there are, passes follow each other without the pause. */
  private flushing = 0;
  /** The least time between two checkpoint passes of one authority (a test lengthens it to count passes). */
  checkpointIntervalMs = CHECKPOINT_INTERVAL_MS;
  private walkStatement?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    @Inject(RUNTIME) runtime: AuditRuntime,
  ) {
    this.key = runtime.auditKey;
    this.keyId = auditKeyId(this.key);
    this.local = new CheckpointFolder(resolve(runtime.config.DOCKET_DATA_DIR, 'audit-checkpoints'), DATA_DIR_LABEL);
    this.external = runtime.config.AUDIT_CHECKPOINT_DIR
      ? new CheckpointFolder(runtime.config.AUDIT_CHECKPOINT_DIR, EXTERNAL_LABEL)
      : null;
    // Told of every commit, to checkpoint the chains its transaction appended to.
    dataSource.subscribers.push(this);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.sealLegacyChains();
    // Catch up the checkpoints (verifying what was appended since): entries written while this process was down.
    const heads = (await this.dataSource.query(`SELECT authority_id FROM audit_heads`)) as { authority_id: string }[];
    for (const head of heads) this.scheduleCheckpoint(head.authority_id);
  }

  /**
   * Before, not on, application shutdown: TypeORM closes the connections on it, and a pass still running would lose
   * them.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flushCheckpoints();
  }

  /**
   * Records one event in the authority's chain, in the transaction the caller runs in (UnitOfWork.run): call it inside
   * the one that makes the change. The entry is chained when that transaction commits (see beforeTransactionCommit):
   * it is in the trail exactly when the change is (an entry recorded in a savepoint goes if the savepoint is rolled
   * back), and the authority's head is locked only for the moment of the append and the commit, not for the rest of
   * the transaction (a letter's PDF, a case's other rows), so an authority's transactions run side by side. Outside a
   * transaction the entry is appended in one of its own.
   */
  async record(entry: AuditEntry): Promise<void> {
    const runner = this.unitOfWork.manager().queryRunner;
    if (!runner?.isTransactionActive) return this.unitOfWork.run(() => this.record(entry));
    const actor = RequestContext.actor();
    const event: PendingEvent = {
      authorityId: entry.authorityId ?? RequestContext.authorityId(),
      occurredAt: this.clock.now(),
      actorId: actor.userId,
      actorLabel: actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      caseId: entry.caseId ?? null,
      before: toJson(entry.before),
      after: toJson(entry.after),
    };
    ((runner.data as RunnerAudit).auditPending ??= []).push({ depth: depthOf(runner), event });
  }

  /**
   * Chains the entries a transaction recorded, as it commits (see appendAndCommit): links each entry to the one
   * before with the key's HMAC (computed here, so the key never reaches the database nor its statement logs), appends
   * them all and moves their authorities' heads in one statement, and commits with it.
   *
   * Lock order: a head is the last lock a transaction takes, and while it holds one it waits for no other row
   * (audit_events has no foreign key; nothing runs after the append but the COMMIT). So a transaction holding a case
   * locked that appends never meets a head held by one waiting for that case: the case always comes before the head,
   * which is what the `SELECT … FOR KEY SHARE` of the case taken before the head ensured when entries were chained as
   * they were recorded. Heads of several authorities are locked in authority order.
   */
  beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> | undefined {
    const runner = event.queryRunner;
    const data = runner.data as RunnerAudit | undefined;
    const pending = data?.auditPending;
    if (!data || !pending?.length) return undefined;
    const depth = depthOf(runner);
    if (depth > 1) {
      // A savepoint released: its entries now belong to the enclosing level (and go if that one is rolled back).
      for (const item of pending) item.depth = Math.min(item.depth, depth - 1);
      return undefined;
    }
    delete data.auditPending;
    return this.appendAndCommit(
      runner,
      pending.map((item) => item.event),
    ).then((authorities) => {
      for (const authorityId of authorities) (data.auditAppends ??= new Set()).add(authorityId);
    });
  }

  beforeTransactionRollback(event: TransactionRollbackEvent): void {
    const runner = event.queryRunner;
    const data = runner.data as RunnerAudit | undefined;
    if (!data?.auditPending) return;
    const depth = depthOf(runner);
    // Rolled back to a savepoint: what was recorded after it goes; the whole transaction: everything.
    data.auditPending = depth > 1 ? data.auditPending.filter((item) => item.depth < depth) : [];
  }

  /**
   * Appends entries to their authorities' chains and commits the transaction, in one message to the database when it
   * can: the heads are then locked only while PostgreSQL appends and commits, never while this process is busy
   * elsewhere. The COMMIT is a plain one when the unit of work lets the append commit for it (mayCommitEarly), and
   * otherwise COMMIT AND CHAIN (the query runner's own COMMIT that follows ends an empty transaction).
   *
   * One message, when this process knows where every head is (it appended last, or its appends under way will have
   * moved it there): the entries are linked from those heads, locked in authority order, and the statement moves each
   * head only if it is still there once it holds its lock, raising audit_chain_moved otherwise (another process
   * appended meanwhile, or an append under way failed) — then the savepoint is rolled back and the append is done
   * again from the heads read under their locks. Two transactions of one process appending at once both go in one
   * message: the second is linked from the heads the first will leave, and waits for the first's commit on their
   * locks.
   */
  private async appendAndCommit(runner: QueryRunner, events: PendingEvent[]): Promise<string[]> {
    const authorities = [...new Set(events.map((event) => event.authorityId))].sort();
    const client = (await runner.connect()) as pg.ClientBase;
    const commitsEarly = mayCommitEarly(runner);
    const commit = commitsEarly ? 'COMMIT' : 'COMMIT AND CHAIN';
    const expected = authorities.map((authorityId) => this.expectedHeads.get(authorityId));
    if (expected.every((head) => head !== undefined)) {
      const heads = new Map(authorities.map((authorityId, n) => [authorityId, { ...(expected[n] as HeadPosition) }]));
      const statement = this.appendStatement(events, heads);
      for (const [authorityId, head] of heads) this.expectedHeads.set(authorityId, head);
      // The statement's UPDATE would lock several heads in no set order: they are locked first, in authority order.
      const lock =
        authorities.length > 1
          ? `SELECT 1 FROM audit_heads WHERE authority_id IN (${authorities.map((id) => `${pg.escapeLiteral(id)}::uuid`).join(', ')}) ORDER BY authority_id FOR UPDATE; `
          : '';
      try {
        await client.query(`SAVEPOINT audit_append; ${lock}${statement}; ${commit}`);
        if (commitsEarly) noteCommittedEarly(runner);
        this.appendCounts.expected += 1;
        return authorities;
      } catch (error) {
        for (const authorityId of authorities) this.expectedHeads.delete(authorityId);
        if ((error as { code?: string }).code !== HEAD_MOVED) throw error;
        this.appendCounts.moved += 1;
        await client.query('ROLLBACK TO SAVEPOINT audit_append');
      }
    }
    const heads = await this.lockHeads(runner.manager, authorities);
    const statement = this.appendStatement(events, heads);
    for (const [authorityId, head] of heads) this.expectedHeads.set(authorityId, head);
    try {
      await client.query(`${statement}; ${commit}`);
      if (commitsEarly) noteCommittedEarly(runner);
      this.appendCounts.locked += 1;
    } catch (error) {
      for (const authorityId of authorities) this.expectedHeads.delete(authorityId);
      throw error;
    }
    return authorities;
  }

  /**
   * The statement appending `events` after `heads` (moved on to the last entry of each authority): it moves each head
   * only from where `heads` had it, and fails with audit_chain_moved unless every head moved and every entry went in.
   * Values are written into the statement as literals (escaped) so that it travels with the COMMIT in one message.
   */
  private appendStatement(events: PendingEvent[], heads: Map<string, HeadPosition>): string {
    const literal = (value: string | null) => (value === null ? 'NULL' : pg.escapeLiteral(value));
    const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
    const from = new Map([...heads].map(([authorityId, head]) => [authorityId, { ...head }]));
    const rows = events.map((event) => {
      const head = heads.get(event.authorityId) as HeadPosition;
      const seq = String(head.seq + 1n);
      const hash = keyedLinkHash(this.key, head.hash, seq, contentHash(event));
      const row = [
        `${literal(event.authorityId)}::uuid`,
        `${seq}::bigint`,
        `${literal(event.occurredAt.toISOString())}::timestamptz`,
        `${literal(event.actorId)}::uuid`,
        `${literal(event.actorLabel)}::text`,
        `${literal(event.action)}::text`,
        `${literal(event.entityType)}::text`,
        `${literal(event.entityId)}::text`,
        `${literal(event.caseId)}::uuid`,
        `${literal(json(event.before))}::jsonb`,
        `${literal(json(event.after))}::jsonb`,
        `${literal(head.hash)}::text`,
        `${literal(hash)}::text`,
      ];
      head.seq += 1n;
      head.hash = hash;
      return `(${row.join(', ')})`;
    });
    const moves = [...heads].map(([authorityId, head]) => {
      const old = from.get(authorityId) as HeadPosition;
      return `(${literal(authorityId)}::uuid, ${old.seq}::bigint, ${literal(old.hash)}::text, ${head.seq}::bigint, ${literal(head.hash)}::text)`;
    });
    return `WITH moved AS (
      UPDATE audit_heads AS head
      SET seq = CASE WHEN head.seq = v.old_seq AND head.hash = v.old_hash THEN v.seq ELSE audit_chain_moved(head.authority_id) END,
          hash = v.hash, key_id = ${literal(this.keyId)}
      FROM (VALUES ${moves.join(', ')}) AS v (authority_id, old_seq, old_hash, seq, hash)
      WHERE head.authority_id = v.authority_id
      RETURNING 1
    ), appended AS (
      INSERT INTO audit_events (authority_id, seq, occurred_at, actor_id, actor_label, action, entity_type, entity_id, case_id, before, after, prev_hash, hash, keyed)
      SELECT entry.*, true FROM (VALUES ${rows.join(', ')}) AS entry
      WHERE (SELECT count(*) FROM moved) = ${moves.length}
      RETURNING 1
    )
    SELECT CASE WHEN (SELECT count(*) FROM appended) = ${rows.length} THEN 0 ELSE audit_chain_moved(NULL) END AS appended`;
  }

  /**
   * Locks the heads of the authorities, in authority order (creating the head of a chain's first entry); refuses a
   * chain whose head was deleted. Returns each head's position.
   */
  private async lockHeads(manager: EntityManager, authorities: string[]): Promise<Map<string, HeadPosition>> {
    const lock = async () =>
      new Map(
        (
          (await manager.query(
            `SELECT authority_id, seq, hash FROM audit_heads WHERE authority_id = ANY($1::uuid[]) ORDER BY authority_id FOR UPDATE`,
            [authorities],
          )) as { authority_id: string; seq: string; hash: string }[]
        ).map((head) => [head.authority_id, { seq: BigInt(head.seq), hash: head.hash }]),
      );
    let heads = await lock();
    const missing = authorities.filter((authorityId) => !heads.has(authorityId));
    if (!missing.length) return heads;
    const damaged = (await manager.query(
      `SELECT DISTINCT authority_id FROM audit_events WHERE authority_id = ANY($1::uuid[])`,
      [missing],
    )) as { authority_id: string }[];
    if (damaged.length) {
      for (const { authority_id: authorityId } of damaged)
        this.logger.error(
          `audit chain of authority ${authorityId}: entries but no head row (audit_heads), deleted in the database; appends refused until an operator runs verify-audit`,
        );
      throw new AuditTrailDamaged("its chain's head row is missing (deleted in the database)");
    }
    await manager.query(
      `INSERT INTO audit_heads (authority_id, seq, hash, key_id) SELECT id, 0, $2, $3 FROM unnest($1::uuid[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
      [missing, GENESIS_HASH, this.keyId],
    );
    heads = await lock();
    return heads;
  }

  /** Locks one authority's head (see lockHeads). */
  private async lockHead(manager: EntityManager, authorityId: string): Promise<{ seq: string; hash: string }> {
    const head = (await this.lockHeads(manager, [authorityId])).get(authorityId) as HeadPosition;
    return { seq: String(head.seq), hash: head.hash };
  }

  /** Events of the caller's authority, oldest first. */
  /**
   * One page of the caller's authority's trail (GET /api/v1/audit): newest first unless `ascending`, filtered by
   * case, actor, action (exact, or a prefix ending in `.`: `case.`) and occurrence instants; keyset-paged on the
   * chain's sequence, so entries appended while a client pages never shift a page.
   */
  async page(filter: AuditPageFilter): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
    const rows = await this.pageRows(filter);
    const items = rows.slice(0, filter.limit);
    return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1].seq : null };
  }

  /** The entries of a page and the one after it (limit + 1), for lists that make their own cursors. */
  pageRows(filter: AuditPageFilter): Promise<AuditEvent[]> {
    const query = this.filtered(filter)
      .orderBy('event.seq', filter.ascending ? 'ASC' : 'DESC')
      .take(filter.limit + 1);
    if (filter.afterSeq)
      query.andWhere(filter.ascending ? 'event.seq > :afterSeq' : 'event.seq < :afterSeq', {
        afterSeq: filter.afterSeq,
      });
    return query.getMany();
  }

  /** How many entries of the caller's authority match the filter (every page). */
  count(filter: Omit<AuditPageFilter, 'ascending' | 'limit' | 'afterSeq'>): Promise<number> {
    return this.filtered(filter).getCount();
  }

  private filtered(filter: Omit<AuditPageFilter, 'ascending' | 'limit' | 'afterSeq'>) {
    const query = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .where('event.authorityId = :authorityId', { authorityId: RequestContext.authorityId() });
    if (filter.caseId) query.andWhere('event.caseId = :caseId', { caseId: filter.caseId });
    if (filter.actorId) query.andWhere('event.actorId = :actorId', { actorId: filter.actorId });
    if (filter.actions?.length) {
      const exact = filter.actions.filter((action) => !action.endsWith('.'));
      const prefixes = filter.actions.filter((action) => action.endsWith('.'));
      query.andWhere(
        `(event.action IN (:...exact) OR ${prefixes.length ? prefixes.map((_, i) => `starts_with(event.action, :prefix${i})`).join(' OR ') : 'false'})`,
        {
          exact: exact.length ? exact : [''],
          ...Object.fromEntries(prefixes.map((prefix, i) => [`prefix${i}`, prefix])),
        },
      );
    }
    if (filter.from) query.andWhere('event.occurredAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('event.occurredAt < :to', { to: filter.to });
    return query;
  }

  list(filter: { caseId?: string; limit?: number; afterSeq?: string } = {}): Promise<AuditEvent[]> {
    const query = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .where('event.authorityId = :authorityId', { authorityId: RequestContext.authorityId() })
      .orderBy('event.seq', 'ASC')
      .take(Math.min(filter.limit ?? 500, 5000));
    if (filter.caseId) query.andWhere('event.caseId = :caseId', { caseId: filter.caseId });
    if (filter.afterSeq) query.andWhere('event.seq > :afterSeq', { afterSeq: filter.afterSeq });
    return query.getMany();
  }

  /**
   * Re-checks the whole chain of one authority with the key, and compares it with its head row and with
   * every checkpoint there is (the data directory's, AUDIT_CHECKPOINT_DIR's and any `given`, e.g. from
   * an export). Invalid when an entry was edited or re-hashed without the key, when the chain was cut
   * short or deleted (a checkpoint or the head knows of more entries), when the head row is missing,
   * or when a checkpoint does not match its signature or the chain.
   */
  async verify(
    authorityId: string = RequestContext.authorityId(),
    given: FoundCheckpoint[] = [],
  ): Promise<AuditVerification> {
    const found = [
      this.local.read(this.key, authorityId),
      this.external?.read(this.key, authorityId) ?? null,
      ...given,
    ].filter((c): c is FoundCheckpoint => c !== null);
    const checkpoints = found.map((c) => ({
      source: c.source,
      seq: c.checkpoint?.seq ?? null,
      writtenAt: c.checkpoint?.writtenAt ?? null,
      problem: c.problem ?? null,
    }));
    const position = chainStart();
    const result = (firstBad?: ChainCheck['firstBad']): AuditVerification => ({
      valid: !firstBad,
      entries: Number(position.seq),
      head: position.hash,
      ...(firstBad ? { firstBad } : {}),
      keyId: this.keyId,
      legacyEntries: position.legacyEntries,
      checkpoints,
    });
    const damaged = found.find((c) => c.problem);
    const trusted = found
      .filter((c) => c.checkpoint)
      .map((c) => ({ source: c.source, ...(c.checkpoint as AuditCheckpoint) }));

    const walked = await this.walk(authorityId, position, (event) => {
      for (const checkpoint of trusted) {
        if (checkpoint.seq === event.seq && checkpoint.hash !== event.hash) {
          return `differs from the checkpoint in ${checkpoint.source} written ${checkpoint.writtenAt}: the chain was rewritten from this entry on`;
        }
      }
      return null;
    });
    if (walked) return result(walked);
    const last = String(position.seq);
    if (damaged) return result({ seq: last, id: '', problem: damaged.problem as string });
    for (const checkpoint of trusted) {
      if (BigInt(checkpoint.seq) > position.seq) {
        const what =
          position.seq === 0n
            ? 'the whole chain was deleted'
            : `entries ${position.seq + 1n} to ${checkpoint.seq} were deleted (the tail was cut off)`;
        return result({
          seq: String(position.seq + 1n),
          id: '',
          problem: `the checkpoint in ${checkpoint.source} written ${checkpoint.writtenAt} records ${checkpoint.seq} entries but the chain ends at entry ${last}: ${what}. If the database was restored from a backup, this is the loss.`,
        });
      }
    }
    if (position.seq > 0n && position.keyedEntries === 0) {
      return result({
        seq: last,
        id: '',
        problem:
          'no entry of this chain is keyed with the audit key: the entries written since the key was introduced were removed, or every hash was recomputed without the key',
      });
    }
    const head = await this.dataSource.getRepository(AuditHead).findOne({ where: { authorityId } });
    if (!head && position.seq > 0n) {
      return result({
        seq: last,
        id: '',
        problem: `the chain's head row (audit_heads) is missing: it was deleted in the database`,
      });
    }
    if (head && (BigInt(head.seq) !== position.seq || head.hash !== position.hash)) {
      const problem =
        BigInt(head.seq) > position.seq
          ? `the head row records ${head.seq} entries but the chain ends at entry ${last}: entries ${position.seq + 1n} to ${head.seq} were deleted`
          : `the head row (entry ${head.seq}) does not match the last entry ${last}: it was rewritten in the database`;
      return result({ seq: String(position.seq + 1n), id: '', problem });
    }
    return result();
  }

  /**
   * Walks the chain from `position` on, in batches; returns the first problem (with `extra` checked on every sound
   * entry).
   */
  private async walk(
    authorityId: string,
    position: ChainPosition,
    extra: (event: AuditEvent) => string | null = () => null,
  ): Promise<ChainCheck['firstBad'] | undefined> {
    // TypeORM's statement, built once: each checkpoint pass walks the entries appended since the last.
    this.walkStatement ??= this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .where('event.authorityId = :authorityId AND event.seq > :afterSeq', { authorityId: '', afterSeq: '' })
      .orderBy('event.seq', 'ASC')
      .limit(VERIFY_BATCH)
      .getQueryAndParameters()[0];
    for (;;) {
      const rows = (await this.dataSource.query(this.walkStatement, [authorityId, String(position.seq)])) as Record<
        string,
        unknown
      >[];
      const batch = rows.map((row) => entityFromRow(this.dataSource, AuditEvent, 'event', row));
      for (const event of batch) {
        const problem = stepChain(this.key, position, event) ?? extra(event);
        if (problem) return { seq: event.seq, id: event.id, problem };
      }
      if (batch.length < VERIFY_BATCH) return undefined;
    }
  }

  /** After the transaction that appended commits, the authorities' checkpoints move on. */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as RunnerAudit;
    if (!data?.auditAppends || event.queryRunner.isTransactionActive) return;
    const appended = data.auditAppends;
    delete data.auditAppends;
    for (const authorityId of appended) this.scheduleCheckpoint(authorityId);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const data = event.queryRunner.data as RunnerAudit;
    if (data?.auditAppends && !event.queryRunner.isTransactionActive) delete data.auditAppends;
  }

  /**
   * Coalesces: one pass per authority at a time, and at most one every `checkpointIntervalMs`: after a pass the
   * authority keeps its slot for the interval, so that the commits within it are checkpointed by one pass at its end
   * (a pass reads the new entries and replaces a file: at hundreds of appends a second, one pass per commit cost more
   * than the appends). The first commit after a quiet interval is checkpointed at once.
   */
  private scheduleCheckpoint(authorityId: string): void {
    const running = this.advancing.get(authorityId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { done: Promise.resolve(), again: false, wake: () => undefined as void };
    state.done = (async () => {
      do {
        state.again = false;
        await this.advanceCheckpoint(authorityId).catch((error: unknown) =>
          this.logger.error(
            `audit checkpoint of authority ${authorityId} not written: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
        if (!this.flushing)
          await new Promise<void>((resolve) => {
            // Not holding the process up: shutdown flushes, and a start catches up what a stop left behind.
            const timer = setTimeout(resolve, this.checkpointIntervalMs).unref();
            state.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        state.wake = () => undefined;
      } while (state.again);
      this.advancing.delete(authorityId);
    })();
    this.advancing.set(authorityId, state);
  }

  /** Waits for the checkpoint passes under way, without their pauses (tests; shutdown; exports). */
  async flushCheckpoints(): Promise<void> {
    this.flushing += 1;
    try {
      while (this.advancing.size) {
        const states = [...this.advancing.values()];
        for (const state of states) state.wake();
        await Promise.all(states.map((state) => state.done));
      }
    } finally {
      this.flushing -= 1;
    }
  }

  /**
   * Moves the authority's checkpoint in the data directory to its current head, after checking with the
   * key every entry appended since the last checkpoint (which must still be there, unchanged). A chain
   * that fails the check keeps its old checkpoint, so verify keeps seeing what it should have been.
   */
  async advanceCheckpoint(authorityId: string): Promise<AuditCheckpoint | null> {
    const current = this.local.read(this.key, authorityId);
    if (current?.problem) throw new Error(current.problem);
    const position = chainStart();
    if (current?.checkpoint) {
      const [at] = (await this.dataSource.query(`SELECT hash FROM audit_events WHERE authority_id = $1 AND seq = $2`, [
        authorityId,
        current.checkpoint.seq,
      ])) as { hash: string }[];
      if (at?.hash !== current.checkpoint.hash)
        throw new Error(
          `entry ${current.checkpoint.seq} no longer matches the checkpoint: the chain was cut short or rewritten; run verify-audit`,
        );
      Object.assign(position, { seq: BigInt(current.checkpoint.seq), hash: current.checkpoint.hash, keyedEntries: 1 });
    }
    const from = position.seq;
    const problem = await this.walk(authorityId, position);
    if (problem) throw new Error(`entry ${problem.seq} ${problem.problem}; run verify-audit`);
    if (position.seq === from || position.keyedEntries === 0) return current?.checkpoint ?? null;
    const checkpoint = signCheckpoint(this.key, {
      authorityId,
      seq: String(position.seq),
      hash: position.hash,
      writtenAt: this.clock.now(),
    });
    // Another process sharing the data directory may have written a later one meanwhile.
    const latest = this.local.read(this.key, authorityId)?.checkpoint;
    if (latest && BigInt(latest.seq) >= position.seq) return latest;
    await this.local.write(checkpoint);
    return checkpoint;
  }

  /**
   * Writes the authority's current checkpoint to AUDIT_CHECKPOINT_DIR (the deployment's place outside
   * the database and the data directory). Refused when the chain does not verify.
   */
  async writeExternalCheckpoint(
    authorityId: string = RequestContext.authorityId(),
  ): Promise<{ checkpoint: AuditCheckpoint; path: string }> {
    if (!this.external)
      throw new AuditChainUnavailable(
        'AUDIT_CHECKPOINT_DIR is not set: name a folder outside the database (another disk or a mounted share) to write checkpoints to',
      );
    await this.flushCheckpoints();
    const verification = await this.verify(authorityId);
    if (!verification.valid)
      throw new AuditChainUnavailable(
        `the audit chain does not verify (entry ${verification.firstBad?.seq}: ${verification.firstBad?.problem}); nothing was written`,
      );
    const checkpoint =
      (await this.advanceCheckpoint(authorityId)) ?? this.local.read(this.key, authorityId)?.checkpoint;
    if (!checkpoint) throw new AuditChainUnavailable('the audit chain has no keyed entries yet: nothing to checkpoint');
    return { checkpoint, path: await this.external.write(checkpoint) };
  }

  /**
   * The caller's authority's whole trail with its verification and the signed checkpoint of its last exported entry.
   */
  async export(authorityId: string = RequestContext.authorityId()): Promise<AuditExport> {
    await this.flushCheckpoints();
    const checkpoint = await this.advanceCheckpoint(authorityId).catch(
      () => this.local.read(this.key, authorityId)?.checkpoint ?? null,
    );
    const verification = await this.verify(authorityId);
    const query = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .where('event.authorityId = :authorityId', { authorityId })
      .orderBy('event.seq', 'ASC');
    if (checkpoint) query.andWhere('event.seq <= :seq', { seq: checkpoint.seq });
    return {
      format: 'docket-audit-export/1',
      authorityId,
      exportedAt: this.clock.now().toISOString(),
      verification,
      checkpoint,
      entries: await query.getMany(),
    };
  }

  /** Reads a checkpoint handed in (a checkpoint file, or an export holding one). */
  examine(value: unknown, source: string, authorityId?: string): FoundCheckpoint {
    const candidate =
      value && typeof value === 'object' && 'checkpoint' in value
        ? (value as { checkpoint: unknown }).checkpoint
        : value;
    return examineCheckpoint(this.key, candidate, source, authorityId);
  }

  /**
   * Chains begun before the audit key existed end with unkeyed entries; each gets one keyed entry
   * (`audit.key_introduced`) whose HMAC covers the last unkeyed entry, so that from then on none of them
   * can change, and no entry after it can be re-hashed, without the key. Run at every start; idempotent.
   */
  async sealLegacyChains(): Promise<string[]> {
    const unsealed = (await this.dataSource.query(
      `SELECT h.authority_id FROM audit_heads h JOIN audit_events e ON e.authority_id = h.authority_id AND e.seq = h.seq WHERE NOT e.keyed`,
    )) as { authority_id: string }[];
    const sealed: string[] = [];
    for (const { authority_id: authorityId } of unsealed) {
      await this.unitOfWork.run(async (manager) => {
        const head = await this.lockHead(manager, authorityId);
        const [last] = (await manager.query(`SELECT keyed FROM audit_events WHERE authority_id = $1 AND seq = $2`, [
          authorityId,
          head.seq,
        ])) as { keyed: boolean }[];
        if (!last || last.keyed) return;
        await RequestContext.run(() =>
          this.record({
            authorityId,
            action: KEY_INTRODUCED,
            entityType: 'audit_chain',
            entityId: authorityId,
            after: { legacyEntries: Number(head.seq), legacyHead: head.hash, keyId: this.keyId },
          }),
        );
        sealed.push(authorityId);
      });
    }
    if (sealed.length)
      this.logger.log(
        `audit chains of ${sealed.length} authorit${sealed.length === 1 ? 'y' : 'ies'} now continue under the audit key`,
      );
    return sealed;
  }
}

function toJson(value: unknown): object | null {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
