import { createHash, createHmac } from 'node:crypto';
import {
  canonicalJson,
  chainStart,
  contentHash,
  eventHash,
  GENESIS_HASH,
  keyedEventHash,
  linkHash,
  verifyChain,
  type ChainedFields,
  type StoredChainEvent,
} from './hash-chain.js';
import { examineCheckpoint, signCheckpoint } from './checkpoints.js';

const KEY = Buffer.from('unit-test-audit-key-0123456789abcdef');

/** `legacy` entries first (plain SHA-256, as before the key), then keyed ones. */
function chain(count: number, legacy = 0) {
  const events: StoredChainEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= count; i++) {
    const fields: ChainedFields = {
      authorityId: 'a',
      seq: String(i),
      occurredAt: new Date(Date.UTC(2025, 0, i)),
      actorId: null,
      actorLabel: 'tester',
      action: 'case.created',
      entityType: 'case',
      entityId: `c${i}`,
      caseId: null,
      before: null,
      after: { n: i, nested: { b: 1, a: 2 } },
      prevHash,
    };
    const keyed = i > legacy;
    const hash = keyed ? keyedEventHash(KEY, fields) : eventHash(fields);
    events.push({ ...fields, id: String(i), hash, keyed });
    prevHash = hash;
  }
  return events;
}

describe('audit hash chain', () => {
  it('hashes objects independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":2,"y":1}]},"b":1}',
    );
  });

  it('links keyed entries with HMAC-SHA256("<previous hash>:<seq>:<content hash>") and legacy ones with plain SHA-256', () => {
    const [keyed] = chain(1);
    const content = contentHash(keyed);
    expect(keyed.hash).toBe(createHmac('sha256', KEY).update(`${GENESIS_HASH}:1:${content}`).digest('hex'));
    const [legacy] = chain(1, 1);
    expect(legacy.hash).toBe(createHash('sha256').update(`${GENESIS_HASH}:1:${content}`).digest('hex'));
    expect(linkHash(GENESIS_HASH, '1', content)).toBe(legacy.hash);
    expect(contentHash({ ...keyed, after: { n: 2 } })).not.toBe(content);
  });

  it('accepts an intact keyed chain, and legacy entries before the keyed ones', () => {
    const events = chain(5);
    expect(verifyChain(KEY, events)).toMatchObject({ valid: true, entries: 5, head: events[4].hash });
    const upgraded = chain(5, 3);
    expect(verifyChain(KEY, upgraded)).toMatchObject({ valid: true, position: { legacyEntries: 3, keyedEntries: 2 } });
  });

  it('names the first edited entry', () => {
    const events = chain(5);
    events[2].after = { n: 999 };
    expect(verifyChain(KEY, events).firstBad).toMatchObject({ seq: '3', problem: expect.stringContaining('edited') });
  });

  it('names the place of a deleted entry', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyChain(KEY, events).firstBad).toMatchObject({ seq: '3', problem: expect.stringContaining('deleted') });
  });

  it('detects an entry re-hashed without the key, kept keyed or passed off as legacy', () => {
    const events = chain(4);
    events[1].after = { n: 42 };
    events[1].hash = eventHash(events[1]);
    expect(verifyChain(KEY, events).firstBad).toMatchObject({
      seq: '2',
      problem: expect.stringContaining('without the audit key'),
    });
    const relabelled = chain(4);
    for (const event of relabelled.slice(2)) event.keyed = false;
    expect(verifyChain(KEY, relabelled).firstBad).toMatchObject({
      seq: '3',
      problem: expect.stringContaining('follows keyed entries'),
    });
  });

  it('recomputing the whole chain without the key still verifies link by link: only the key tells', () => {
    const events = chain(3);
    let prev = GENESIS_HASH;
    for (const event of events) {
      Object.assign(event, { prevHash: prev, keyed: false });
      event.hash = eventHash(event);
      prev = event.hash;
    }
    // Every entry now reads as legacy: the check of a chain without any keyed entry is the service's
    // (AuditService.verify).
    expect(verifyChain(KEY, events)).toMatchObject({ valid: true, position: { keyedEntries: 0, legacyEntries: 3 } });
    expect(chainStart()).toEqual({ seq: 0n, hash: GENESIS_HASH, legacyEntries: 0, keyedEntries: 0 });
  });

  it('signs checkpoints: any change, another key or another authority is named', () => {
    const checkpoint = signCheckpoint(KEY, {
      authorityId: 'a',
      seq: '7',
      hash: 'f'.repeat(64),
      writtenAt: new Date(Date.UTC(2026, 0, 1)),
    });
    expect(examineCheckpoint(KEY, checkpoint, 'here', 'a')).toEqual({ source: 'here', checkpoint });
    expect(examineCheckpoint(KEY, { ...checkpoint, seq: '9' }, 'here').problem).toContain(
      'changed after it was written',
    );
    expect(examineCheckpoint(Buffer.from('another-key-another-key-another-key'), checkpoint, 'here').problem).toContain(
      'another audit key',
    );
    expect(examineCheckpoint(KEY, checkpoint, 'here', 'b').problem).toContain("another authority's chain");
    expect(examineCheckpoint(KEY, { hello: 1 }, 'here').problem).toContain('not a Docket audit checkpoint');
  });
});
