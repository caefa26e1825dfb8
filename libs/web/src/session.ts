import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { CookieOptions, NextFunction, Response } from 'express';
import { AuthService } from '#docket/identity';
import { Clock, RequestContext, RUNTIME, type Runtime } from '#docket/platform';
import { LanguageContext } from '#docket/i18n';
import { PageContext, pageLanguage, type PageRequest } from './page-context.js';
import { isPagePath } from './paths.js';
import { WebKeys } from './web-keys.js';

export const SESSION_COOKIE = 'docket_session';
/** Random value that CSRF tokens of forms shown before sign-in (the sign-in form) are bound to. */
export const ANONYMOUS_COOKIE = 'docket_anon';
export const FLASH_COOKIE = 'docket_flash';

export type FlashKind = 'success' | 'info';
export interface Flash {
  kind: FlashKind;
  message: string;
}

/** Cookie attributes, session cookie and helpers: one place that knows them. */
@Injectable()
export class WebSession {
  private readonly secure: boolean;

  constructor(
    @Inject(RUNTIME) runtime: Runtime,
    private readonly keys: WebKeys,
    private readonly clock: Clock,
  ) {
    this.secure = runtime.config.PUBLIC_URL.startsWith('https:');
  }

  cookieOptions(extra: CookieOptions = {}): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', path: '/', secure: this.secure, ...extra };
  }

  startSession(res: Response, token: string, expiresAt: string | null): void {
    // Max-Age, not Expires: the browser's clock need not agree with the server's.
    const maxAge = expiresAt ? Math.max(0, new Date(expiresAt).getTime() - this.clock.now().getTime()) : undefined;
    res.cookie(SESSION_COOKIE, token, this.cookieOptions(maxAge === undefined ? {} : { maxAge }));
    res.clearCookie(ANONYMOUS_COOKIE, this.cookieOptions());
  }

  endSession(res: Response): void {
    res.clearCookie(SESSION_COOKIE, this.cookieOptions());
  }

  /**
   * What this browser's CSRF tokens are bound to: the session token, or before sign-in a random cookie (created when
   * `create`).
   */
  csrfBasis(req: PageRequest, res: Response, create: boolean): string | null {
    if (req.sessionToken) return req.sessionToken;
    const existing = req.cookies?.[ANONYMOUS_COOKIE] as unknown;
    if (typeof existing === 'string' && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    if (!create) return null;
    const value = randomBytes(32).toString('base64url');
    res.cookie(ANONYMOUS_COOKIE, value, this.cookieOptions());
    req.cookies = { ...(req.cookies ?? {}), [ANONYMOUS_COOKIE]: value };
    return value;
  }

  csrfToken(req: PageRequest, res: Response): string {
    return this.keys.mac('csrf', this.csrfBasis(req, res, true) as string);
  }

  checkCsrf(req: PageRequest, res: Response, token: unknown): boolean {
    const basis = this.csrfBasis(req, res, false);
    return basis !== null && this.keys.check('csrf', basis, token);
  }

  /** A message for the next page shown (after a redirect); signed so that nobody else can plant one. */
  setFlash(res: Response, flash: Flash): void {
    const value = Buffer.from(JSON.stringify(flash)).toString('base64url');
    res.cookie(FLASH_COOKIE, `${value}.${this.keys.mac('flash', value)}`, this.cookieOptions({ maxAge: 5 * 60_000 }));
  }

  /** Reads and clears the flash message. */
  takeFlash(req: PageRequest, res: Response): Flash | null {
    const raw = req.cookies?.[FLASH_COOKIE] as unknown;
    if (typeof raw !== 'string') return null;
    res.clearCookie(FLASH_COOKIE, this.cookieOptions());
    delete req.cookies[FLASH_COOKIE];
    const [value, mac] = raw.split('.');
    if (!value || !this.keys.check('flash', value, mac)) return null;
    try {
      const flash = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Flash;
      return typeof flash.message === 'string' && (flash.kind === 'success' || flash.kind === 'info') ? flash : null;
    } catch {
      return null;
    }
  }
}

/**
 * For page paths: resolves the session cookie to its user (kind 'web' tokens only) and makes it the
 * request's actor, so the global AuthGuard and every tenant-scoped service work as for the API.
 * API paths never look at the cookie: the API takes bearer tokens only, so it needs no CSRF defence.
 */
@Injectable()
export class WebSessionMiddleware implements NestMiddleware {
  constructor(
    private readonly auth: AuthService,
    private readonly session: WebSession,
  ) {}

  use(req: PageRequest, res: Response, next: NextFunction): void {
    if (!isPagePath(req.path)) return next();
    res.setHeader('Cache-Control', 'no-store');
    this.resolve(req, res).then(
      () => LanguageContext.run(pageLanguage(req), () => PageContext.run(req, res, () => next())),
      (error: unknown) => next(error),
    );
  }

  private async resolve(req: PageRequest, res: Response): Promise<void> {
    const token = req.cookies?.[SESSION_COOKIE] as unknown;
    if (typeof token !== 'string' || token.length === 0) return;
    const authenticated = await this.auth.authenticate(token, 'web');
    if (!authenticated) {
      this.session.endSession(res);
      return;
    }
    req.auth = authenticated;
    req.sessionToken = token;
    RequestContext.setActor(authenticated.actor);
  }
}
