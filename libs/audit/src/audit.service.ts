import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, RequestContext } from '#docket/platform';
import { AuditEvent } from './audit-event.entity.js';
import { AuditHead } from './audit-head.entity.js';
import { contentHash, GENESIS_HASH, verifyChain, type ChainCheck } from './hash-chain.js';

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

const VERIFY_BATCH = 5000;

const APPEND = `
  WITH head AS (
    SELECT seq, hash FROM audit_heads WHERE authority_id = $1 FOR UPDATE
  ), appended AS (
    INSERT INTO audit_events (authority_id, seq, occurred_at, actor_id, actor_label, action, entity_type, entity_id, case_id, before, after, prev_hash, hash)
    SELECT $1, head.seq + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, head.hash,
           encode(sha256(convert_to(head.hash || ':' || (head.seq + 1)::text || ':' || $11::text, 'UTF8')), 'hex')
    FROM head
    RETURNING id, seq, prev_hash, hash
  ), moved AS (
    UPDATE audit_heads SET seq = appended.seq, hash = appended.hash FROM appended WHERE audit_heads.authority_id = $1
  )
  SELECT id, seq, prev_hash, hash FROM appended`;

@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Appends one event to the authority's chain; call it inside the transaction that makes the change. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent> {
    const authorityId = entry.authorityId ?? RequestContext.authorityId();
    const actor = RequestContext.actor();
    const event = manager.create(AuditEvent, {
      authorityId,
      occurredAt: this.clock.now(),
      actorId: actor.userId,
      actorLabel: actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      caseId: entry.caseId ?? null,
      before: toJson(entry.before),
      after: toJson(entry.after),
    });
    const params = [
      authorityId,
      event.occurredAt,
      event.actorId,
      event.actorLabel,
      event.action,
      event.entityType,
      event.entityId,
      event.caseId,
      event.before === null ? null : JSON.stringify(event.before),
      event.after === null ? null : JSON.stringify(event.after),
      contentHash(event),
    ];
    // The head row serialises an authority's appends and stays locked until the caller commits, so the
    // append is a single statement: lock the head, link the event to it (linkHash, in SQL) and move it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [row] = (await manager.query(APPEND, params)) as { id: string; seq: string; prev_hash: string; hash: string }[];
      if (row) return Object.assign(event, { id: String(row.id), seq: String(row.seq), prevHash: row.prev_hash, hash: row.hash });
      // The authority's first event: create its head, then append.
      await manager.query(`INSERT INTO audit_heads (authority_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, [authorityId, GENESIS_HASH]);
    }
    throw new Error(`could not append to the audit chain of authority ${authorityId}`);
  }

  /** Events of the caller's authority, oldest first. */
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

  /** Re-hashes the whole chain of one authority and compares it with the recorded head. */
  async verify(authorityId: string = RequestContext.authorityId()): Promise<ChainCheck> {
    const repo = this.dataSource.getRepository(AuditEvent);
    let afterSeq = '0';
    let entries = 0;
    let previousHash = GENESIS_HASH;
    for (;;) {
      const batch = await repo
        .createQueryBuilder('event')
        .where('event.authorityId = :authorityId AND event.seq > :afterSeq', { authorityId, afterSeq })
        .orderBy('event.seq', 'ASC')
        .take(VERIFY_BATCH)
        .getMany();
      if (batch.length === 0) break;
      const check = verifyChain(batch.map((event) => ({ ...event })), { previousHash, firstSeq: BigInt(afterSeq) + 1n });
      entries += batch.length;
      if (!check.valid) return { ...check, entries };
      previousHash = check.head;
      afterSeq = batch[batch.length - 1].seq;
    }
    const head = await this.dataSource.getRepository(AuditHead).findOne({ where: { authorityId } });
    if (head && (head.seq !== afterSeq || head.hash !== previousHash)) {
      return { valid: false, entries, head: previousHash, firstBad: { seq: String(BigInt(afterSeq) + 1n), id: '', problem: `the chain ends at entry ${afterSeq} but ${head.seq} were written: entries were deleted` } };
    }
    return { valid: true, entries, head: previousHash };
  }
}

function toJson(value: unknown): object | null {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
