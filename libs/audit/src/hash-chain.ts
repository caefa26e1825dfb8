import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  authorityId: string;
  seq: string;
  occurredAt: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  caseId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
}

/** JSON with object keys sorted, so a value stored as jsonb hashes the same after a round trip. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The hash of an event's content: everything but its place in the chain. */
export function contentHash(fields: Omit<ChainedFields, 'seq' | 'prevHash'>): string {
  return sha256(
    canonicalJson({
      authorityId: fields.authorityId,
      occurredAt: fields.occurredAt.toISOString(),
      actorId: fields.actorId,
      actorLabel: fields.actorLabel,
      action: fields.action,
      entityType: fields.entityType,
      entityId: fields.entityId,
      caseId: fields.caseId,
      before: fields.before ?? null,
      after: fields.after ?? null,
    }),
  );
}

/**
 * Links content into the chain: sha256("<previous hash>:<seq>:<content hash>"). Simple enough for
 * PostgreSQL to compute while it appends (see AuditService.record), so an append is one statement.
 */
export function linkHash(prevHash: string, seq: string, content: string): string {
  return sha256(`${prevHash}:${seq}:${content}`);
}

export function eventHash(fields: ChainedFields): string {
  return linkHash(fields.prevHash, String(fields.seq), contentHash(fields));
}

export interface ChainCheck {
  valid: boolean;
  entries: number;
  head: string;
  firstBad?: { seq: string; id: string; problem: string };
}

/** Walks events in seq order and names the first one that was edited, removed or reordered. */
export function verifyChain(
  events: (ChainedFields & { id: string; hash: string })[],
  start: { previousHash: string; firstSeq: bigint } = { previousHash: GENESIS_HASH, firstSeq: 1n },
): ChainCheck {
  let previous = start.previousHash;
  let expectedSeq = start.firstSeq;
  for (const event of events) {
    if (BigInt(event.seq) !== expectedSeq) {
      return { valid: false, entries: events.length, head: previous, firstBad: { seq: event.seq, id: event.id, problem: `expected entry ${expectedSeq} here: an entry was deleted` } };
    }
    if (event.prevHash !== previous) {
      return { valid: false, entries: events.length, head: previous, firstBad: { seq: event.seq, id: event.id, problem: 'does not link to the previous entry' } };
    }
    if (eventHash(event) !== event.hash) {
      return { valid: false, entries: events.length, head: previous, firstBad: { seq: event.seq, id: event.id, problem: 'content does not match its hash: the entry was edited' } };
    }
    previous = event.hash;
    expectedSeq += 1n;
  }
  return { valid: true, entries: events.length, head: previous };
}
