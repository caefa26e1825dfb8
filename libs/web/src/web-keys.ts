import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME, type Runtime } from '#docket/platform';

/** HMAC-SHA256 with the server's web secret (WEB_SECRET, or a random one per process). */
@Injectable()
export class WebKeys {
  private readonly secret: Buffer;

  constructor(@Inject(RUNTIME) runtime: Runtime) {
    this.secret = runtime.config.WEB_SECRET ? Buffer.from(runtime.config.WEB_SECRET, 'utf8') : randomBytes(32);
  }

  mac(purpose: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\u0000${value}`).digest('base64url');
  }

  check(purpose: string, value: string, mac: unknown): boolean {
    if (typeof mac !== 'string' || mac.length === 0 || mac.length > 100) return false;
    const expected = Buffer.from(this.mac(purpose, value));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
