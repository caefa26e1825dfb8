import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets Docket must read back (TOTP secrets, OIDC client secrets) are sealed with AES-256-GCM under a key
 * derived (HKDF-SHA256) from the audit key, which never reaches the database: a copy of the database alone
 * reveals none of them. Each purpose has its own derived key, so a sealed value cannot be moved to another
 * column. `mac` gives a keyed digest for values only compared (recovery codes).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(masterKey: Buffer, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, 'docket-secret-box', purpose, 32));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      sealed.toString('base64url'),
    ].join('.');
  }

  /** Throws when the value was changed or sealed under another key. */
  open(value: string): string {
    const [version, iv, tag, sealed] = value.split('.');
    if (version !== 'v1' || !iv || !tag || sealed === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }

  mac(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('hex');
  }

  macEquals(value: string, digest: string): boolean {
    const expected = Buffer.from(this.mac(value), 'hex');
    const given = Buffer.from(digest, 'hex');
    return given.length === expected.length && timingSafeEqual(expected, given);
  }
}
