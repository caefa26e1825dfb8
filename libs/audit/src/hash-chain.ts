import { createHash, createHmac } from 'node:crypto';

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

/**
 * An entry as stored: `keyed` entries are linked with the audit key (HMAC), the others (from before the key) with plain
 * SHA-256.
 */
export interface StoredChainEvent extends ChainedFields {
  id: string;
  hash: string;
  keyed: boolean;
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
const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('hex');

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

/** The link of an entry written before the audit key existed: sha256("<previous hash>:<seq>:<content hash>"). */
export function linkHash(prevHash: string, seq: string, content: string): string {
  return sha256(`${prevHash}:${seq}:${content}`);
}

/** The link of a keyed entry: HMAC-SHA256 with the audit key of "<previous hash>:<seq>:<content hash>". */
export function keyedLinkHash(key: Buffer, prevHash: string, seq: string, content: string): string {
  return hmac(key, `${prevHash}:${seq}:${content}`);
}

/** The plain (unkeyed) hash of an event. */
export function eventHash(fields: ChainedFields): string {
  return linkHash(fields.prevHash, String(fields.seq), contentHash(fields));
}

export function keyedEventHash(key: Buffer, fields: ChainedFields): string {
  return keyedLinkHash(key, fields.prevHash, String(fields.seq), contentHash(fields));
}

/**
 * Names a key without revealing it (in checkpoints and heads), so that a wrong AUDIT_KEY is told apart from tampering.
 */
export function auditKeyId(key: Buffer): string {
  return hmac(key, 'docket-audit-key-id').slice(0, 16);
}

/** MAC of any JSON value with the audit key (checkpoints). */
export function signJson(key: Buffer, value: unknown): string {
  return hmac(key, canonicalJson(value));
}

export interface ChainCheck {
  valid: boolean;
  entries: number;
  head: string;
  firstBad?: { seq: string; id: string; problem: string };
}

export interface ChainPosition {
  /** The last entry verified so far (0 before the first). */
  seq: bigint;
  /** Its hash (GENESIS_HASH before the first). */
  hash: string;
  /** Entries checked with plain SHA-256 (written before the audit key). */
  legacyEntries: number;
  /** Entries checked with the key. */
  keyedEntries: number;
}

export const chainStart = (): ChainPosition => ({ seq: 0n, hash: GENESIS_HASH, legacyEntries: 0, keyedEntries: 0 });

/**
 * Checks the next entry of a chain against the position reached so far; returns the problem (a sentence
 * a person can act on) or null and moves the position on. Entries written before the audit key (not
 * `keyed`) are accepted only before the first keyed one: the first keyed entry's HMAC covers the last
 * unkeyed entry's hash and its own place, so none of the unkeyed ones can change without breaking it.
 */
export function stepChain(key: Buffer, position: ChainPosition, event: StoredChainEvent): string | null {
  const expected = position.seq + 1n;
  if (BigInt(event.seq) !== expected)
    return `expected entry ${expected} here: entries ${expected} to ${BigInt(event.seq) - 1n} were deleted`;
  if (event.prevHash !== position.hash)
    return 'does not link to the previous entry: an entry before it was removed, replaced or edited';
  if (event.keyed) {
    if (keyedEventHash(key, event) !== event.hash) {
      return eventHash(event) === event.hash
        ? 'its hash was recomputed without the audit key: the entry was edited or inserted directly in the database'
        : 'content does not match its keyed hash: the entry was edited (or AUDIT_KEY is not the key this chain was written with)';
    }
    position.keyedEntries += 1;
  } else {
    if (position.keyedEntries > 0)
      return 'is marked as written before the audit key but follows keyed entries: its hash was recomputed without the key (the entry was edited or inserted directly in the database)';
    if (eventHash(event) !== event.hash) return 'content does not match its hash: the entry was edited';
    position.legacyEntries += 1;
  }
  position.seq = expected;
  position.hash = event.hash;
  return null;
}

/** Walks events in seq order and names the first one that was edited, removed or reordered. */
export function verifyChain(
  key: Buffer,
  events: StoredChainEvent[],
  position: ChainPosition = chainStart(),
): ChainCheck & { position: ChainPosition } {
  for (const event of events) {
    const problem = stepChain(key, position, event);
    if (problem)
      return {
        valid: false,
        entries: events.length,
        head: position.hash,
        firstBad: { seq: event.seq, id: event.id, problem },
        position,
      };
  }
  return { valid: true, entries: events.length, head: position.hash, position };
}
