import { createHash } from 'node:crypto';
import { canonicalJson, contentHash, eventHash, GENESIS_HASH, linkHash, verifyChain, type ChainedFields } from './hash-chain.js';

function chain(count: number) {
  const events: (ChainedFields & { id: string; hash: string })[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= count; i++) {
    const fields: ChainedFields = { authorityId: 'a', seq: String(i), occurredAt: new Date(Date.UTC(2025, 0, i)), actorId: null, actorLabel: 'tester', action: 'case.created', entityType: 'case', entityId: `c${i}`, caseId: null, before: null, after: { n: i, nested: { b: 1, a: 2 } }, prevHash };
    const hash = eventHash(fields);
    events.push({ ...fields, id: String(i), hash });
    prevHash = hash;
  }
  return events;
}

describe('audit hash chain', () => {
  it('hashes objects independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"y":1}]},"b":1}');
  });

  it('links sha256("<previous hash>:<seq>:<content hash>"), the formula PostgreSQL computes on append', () => {
    const [first] = chain(1);
    const content = contentHash(first);
    expect(first.hash).toBe(createHash('sha256').update(`${GENESIS_HASH}:1:${content}`).digest('hex'));
    expect(linkHash(GENESIS_HASH, '1', content)).toBe(first.hash);
    expect(contentHash({ ...first, after: { n: 2 } })).not.toBe(content);
  });

  it('accepts an intact chain', () => {
    const events = chain(5);
    expect(verifyChain(events)).toEqual({ valid: true, entries: 5, head: events[4].hash });
  });

  it('names the first edited entry', () => {
    const events = chain(5);
    events[2].after = { n: 999 };
    expect(verifyChain(events).firstBad).toMatchObject({ seq: '3', problem: expect.stringContaining('edited') });
  });

  it('names the place of a deleted entry', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyChain(events).firstBad).toMatchObject({ seq: '3', problem: expect.stringContaining('deleted') });
  });

  it('detects an entry re-hashed after editing by its broken link', () => {
    const events = chain(4);
    events[1].after = { n: 42 };
    events[1].hash = eventHash(events[1]);
    expect(verifyChain(events).firstBad).toMatchObject({ seq: '3', problem: expect.stringContaining('link') });
  });
});
