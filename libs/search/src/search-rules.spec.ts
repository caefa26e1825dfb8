import {
  containsPattern,
  decodeSearchCursor,
  encodeSearchCursor,
  fuzzyAllowed,
  hasUnspacedScript,
  indexQuery,
  normaliseQuery,
  parseKinds,
  snippetHtml,
  substringTerm,
} from './search-rules.js';

describe('search rules', () => {
  it('normalises the query and refuses blank or overlong ones', () => {
    expect(normaliseQuery('  data \n retention ')).toBe('data retention');
    expect(() => normaliseQuery('   ')).toThrow();
    expect(() => normaliseQuery(undefined)).toThrow();
    expect(() => normaliseQuery('x'.repeat(10_000))).toThrow();
  });

  it('matches Korean and Japanese as substrings, other scripts by words', () => {
    expect(hasUnspacedScript('개인정보 보호')).toBe(true);
    expect(hasUnspacedScript('個人情報の保護')).toBe(true);
    expect(hasUnspacedScript('カタカナ')).toBe(true);
    expect(hasUnspacedScript('conservazione dei dati')).toBe(false);
    expect(substringTerm('개인정보')).toBe('개인정보');
    expect(substringTerm('retention')).toBeNull();
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });

  it('writes Korean and Japanese runs of the query as phrases of bigrams, as their text is indexed', () => {
    expect(indexQuery('retention "data subject"')).toBe('retention "data subject"');
    expect(indexQuery('처리방침')?.trim()).toBe('"처리 리방 방침"');
    expect(indexQuery('Kestrel 個人情報')).toBe('Kestrel  "個人 人情 情報" ');
    expect(indexQuery('"개인정보 처리방침"')?.replace(/\s+/g, ' ').trim()).toBe('"개인 인정 정보" "처리 리방 방침"');
    // A single character has no bigram: matched as a substring.
    expect(indexQuery('법')).toBeNull();
    expect(indexQuery('개인정보 법')).toBeNull();
  });

  it('looks for misspellings of words only, never of references or addresses', () => {
    expect(fuzzyAllowed('zephyrlyne')).toBe(true);
    expect(fuzzyAllowed('GPDP-2025-0001')).toBe(false);
    expect(fuzzyAllowed('dpo@provider.example')).toBe(false);
    expect(fuzzyAllowed('abc')).toBe(false);
  });

  it('round-trips cursors and refuses forged ones', () => {
    const cursor = encodeSearchCursor({ tiered: false, tier: null, score: '0.0607927', key: 'c0ffee' });
    expect(decodeSearchCursor(cursor)).toEqual({ tiered: false, tier: null, score: '0.0607927', key: 'c0ffee' });
    const tier = { at: '2026-12-03 07:21:35.123456+00', kind: 'note', sourceId: 'a1b2' };
    const tiered = encodeSearchCursor({ tiered: true, tier, score: null, key: '' });
    expect(decodeSearchCursor(tiered)).toEqual({ tiered: true, tier, score: null, key: '' });
    // Cursors given out before the tiers still page on.
    expect(decodeSearchCursor(Buffer.from('["0.5", "c0ffee"]').toString('base64url'))).toEqual({
      tiered: false,
      tier: null,
      score: '0.5',
      key: 'c0ffee',
    });
    expect(decodeSearchCursor(undefined)).toBeNull();
    for (const forged of [
      ['t', "2026-12-03'; DROP", 'note', 'a', '', ''],
      ['t', '2026-12-03 07:21:35+00', 'notes', 'a', '', ''],
      ['a', '2026-12-03 07:21:35+00', 'note', 'a', '', ''],
      ['x', '', '', '', '', ''],
      ['a', '', 'note', '', '', ''],
    ])
      expect(() => decodeSearchCursor(Buffer.from(JSON.stringify(forged)).toString('base64url'))).toThrow();
    expect(() => decodeSearchCursor('garbage')).toThrow();
    expect(() => decodeSearchCursor(Buffer.from('["1; DROP", "x"]').toString('base64url'))).toThrow();
  });

  it('parses kinds and names the unknown ones', () => {
    expect(parseKinds(undefined)).toBeNull();
    expect(parseKinds('note, letter,note')).toEqual(['note', 'letter']);
    expect(() => parseKinds('letters')).toThrow();
    expect(() => parseKinds(',')).toThrow();
  });

  it('escapes the snippet and marks the hits', () => {
    expect(snippetHtml('a <b>\ue000retention\ue001 & more', null, 'retention')).toBe(
      'a &lt;b&gt;<mark>retention</mark> &amp; more',
    );
    expect(snippetHtml('no markers', '귀사의 무궁한 발전을 기원합니다 <script>', '무궁한 발전을')).toBe(
      '귀사의 <mark>무궁한 발전을</mark> 기원합니다 &lt;script&gt;',
    );
    expect(snippetHtml('plain text only', null, 'absent')).toBe('plain text only');
  });
});
