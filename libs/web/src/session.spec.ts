import type { Response } from 'express';
import { FixedClock, loadConfig, type Runtime } from '#docket/platform';
import type { PageRequest } from './page-context.js';
import { ANONYMOUS_COOKIE, FLASH_COOKIE, SESSION_COOKIE, WebSession } from './session.js';
import { WebKeys } from './web-keys.js';

/** An Express response that only records cookies. */
function fakeResponse() {
  const cookies: Record<string, { value: string; options: Record<string, unknown> }> = {};
  const res = {
    cookie: (name: string, value: string, options: Record<string, unknown>) => (cookies[name] = { value, options }),
    clearCookie: (name: string, options: Record<string, unknown>) =>
      (cookies[name] = { value: '', options: { ...options, cleared: true } }),
  };
  return { res: res as unknown as Response, cookies };
}

const runtime = (env: Record<string, string> = {}) =>
  ({ config: loadConfig({ NODE_ENV: 'test', ...env }) }) as unknown as Runtime;
const clock = new FixedClock(new Date('2025-01-28T09:00:00Z'));
const sessionWith = (env: Record<string, string> = {}) =>
  new WebSession(runtime(env), new WebKeys(runtime(env)), clock);

describe('web session', () => {
  it('binds CSRF tokens to the session token, so one session cannot use another’s', () => {
    const session = sessionWith();
    const { res } = fakeResponse();
    const alice = { sessionToken: 'a'.repeat(43), cookies: {} } as unknown as PageRequest;
    const bob = { sessionToken: 'b'.repeat(43), cookies: {} } as unknown as PageRequest;
    const token = session.csrfToken(alice, res);
    expect(session.checkCsrf(alice, res, token)).toBe(true);
    expect(session.checkCsrf(bob, res, token)).toBe(false);
    expect(session.checkCsrf(alice, res, undefined)).toBe(false);
    expect(session.checkCsrf(alice, res, `${token}x`)).toBe(false);
  });

  it('keys tokens with WEB_SECRET, so every process of a deployment accepts them', () => {
    const env = { WEB_SECRET: 's'.repeat(40) };
    const { res } = fakeResponse();
    const req = { sessionToken: 'a'.repeat(43), cookies: {} } as unknown as PageRequest;
    expect(sessionWith(env).checkCsrf(req, res, sessionWith(env).csrfToken(req, res))).toBe(true);
    expect(sessionWith().checkCsrf(req, res, sessionWith().csrfToken(req, res))).toBe(false);
  });

  it('before sign-in, binds the token to a random cookie it sets once', () => {
    const session = sessionWith();
    const { res, cookies } = fakeResponse();
    const req = { cookies: {} } as unknown as PageRequest;
    expect(session.checkCsrf(req, res, 'anything')).toBe(false);
    const token = session.csrfToken(req, res);
    expect(cookies[ANONYMOUS_COOKIE].value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookies[ANONYMOUS_COOKIE].options).toMatchObject({
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: false,
    });
    expect(session.csrfToken(req, res)).toBe(token);
    const next = { cookies: { [ANONYMOUS_COOKIE]: cookies[ANONYMOUS_COOKIE].value } } as unknown as PageRequest;
    expect(session.checkCsrf(next, res, token)).toBe(true);
  });

  it('sets the session cookie with Max-Age from the server clock, Secure behind https', () => {
    const { res, cookies } = fakeResponse();
    sessionWith({ PUBLIC_URL: 'https://docket.example' }).startSession(res, 'token', '2025-01-28T21:00:00.000Z');
    expect(cookies[SESSION_COOKIE]).toEqual({
      value: 'token',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true, maxAge: 12 * 3600_000 },
    });
    expect(cookies[ANONYMOUS_COOKIE].options.cleared).toBe(true);
  });

  it('reads a flash message once and ignores one it did not sign', () => {
    const session = sessionWith();
    const { res, cookies } = fakeResponse();
    session.setFlash(res, { kind: 'success', message: 'Closure day added.' });
    const signed = cookies[FLASH_COOKIE].value;
    const req = { cookies: { [FLASH_COOKIE]: signed } } as unknown as PageRequest;
    expect(session.takeFlash(req, res)).toEqual({ kind: 'success', message: 'Closure day added.' });
    expect(session.takeFlash(req, res)).toBeNull();
    const forged = `${Buffer.from(JSON.stringify({ kind: 'info', message: 'Call +1 555 0100 now' })).toString('base64url')}.${signed.split('.')[1]}`;
    expect(session.takeFlash({ cookies: { [FLASH_COOKIE]: forged } } as unknown as PageRequest, res)).toBeNull();
  });
});
