import { SecretBox } from './secret-box.js';

const key = Buffer.from('k'.repeat(40));

describe('SecretBox', () => {
  it('opens what it sealed, with a fresh nonce each time', () => {
    const box = new SecretBox(key, 'totp');
    const a = box.seal('JBSWY3DPEHPK3PXP');
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP')).not.toBe(a);
    expect(box.open(a)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a changed value, another purpose and another key', () => {
    const sealed = new SecretBox(key, 'totp').seal('secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other!').toString('base64url');
    expect(() => new SecretBox(key, 'totp').open(parts.join('.'))).toThrow();
    expect(() => new SecretBox(key, 'oidc').open(sealed)).toThrow();
    expect(() => new SecretBox(Buffer.from('x'.repeat(40)), 'totp').open(sealed)).toThrow();
    expect(() => new SecretBox(key, 'totp').open('plain')).toThrow();
  });

  it('keys its digests', () => {
    const box = new SecretBox(key, 'recovery');
    expect(box.mac('abcd-efgh')).toMatch(/^[0-9a-f]{64}$/);
    expect(box.macEquals('abcd-efgh', box.mac('abcd-efgh'))).toBe(true);
    expect(box.macEquals('abcd-efgh', new SecretBox(key, 'other').mac('abcd-efgh'))).toBe(false);
  });
});
