import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { PageRequest } from './page-context.js';
import { WebSession } from './session.js';

export const CSRF_FIELD = '_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refused form posts: the page says what to do (in the reader's language: `detailKey`, read by the ProblemFilter). */
export class CsrfRefused extends ForbiddenException {
  readonly detailKey = 'errors.csrf';

  constructor() {
    super(
      'This form could not be accepted: it has expired or did not come from a Docket page. Go back, reload the page and try again.',
    );
  }
}

/**
 * Every state-changing page request must carry the synchronizer token of its form
 * (HMAC of the session, see WebSession.csrfToken); cross-site requests are refused outright.
 * The token is taken out of the body so form DTOs need not declare it.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly session: WebSession) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<PageRequest>();
    if (SAFE_METHODS.has(req.method)) return true;
    const res = context.switchToHttp().getResponse<Response>();
    if (req.headers['sec-fetch-site'] === 'cross-site') throw new CsrfRefused();
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!this.session.checkCsrf(req, res, body[CSRF_FIELD])) throw new CsrfRefused();
    delete body[CSRF_FIELD];
    return true;
  }
}
