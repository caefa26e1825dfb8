import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import {
  ALLOWED_ROLES,
  CatalogueProblem,
  IS_PUBLIC,
  ProblemException,
  RequestContext,
  SESSION_COOKIE_ROUTE,
  type Role,
} from '#docket/platform';
import { AuthService, type Authenticated } from './auth.service.js';

export type AuthenticatedRequest = Request & { auth?: Authenticated };

const ENROLMENT_ROUTE = 'docket:second-factor-enrolment';
/** Routes that a token limited to the second factor's enrolment may use (its own profile, enrolment, sign-out). */
export const SecondFactorEnrolment = (): MethodDecorator & ClassDecorator => SetMetadata(ENROLMENT_ROUTE, true);

/** A user who must set up a second factor first; pages send them to their profile. */
export class SecondFactorEnrolmentRequired extends ProblemException {
  constructor() {
    super(
      403,
      'Set up a second factor first',
      'Your authority requires a second factor: set it up first (POST /api/v1/me/totp, then POST /api/v1/me/totp/confirm with a code).',
      { secondFactorEnrolmentRequired: true },
    );
  }
}

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); the caller
 * becomes the actor of the request context, which scopes every tenant query. The browser's session
 * (request.auth, set by the web session middleware from the cookie) counts only on routes marked
 * @CookieSession() — the pages, whose form posts carry a CSRF token — and is dropped everywhere else.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.auth && !this.reflector.getAllAndOverride<boolean>(SESSION_COOKIE_ROUTE, targets)) {
      request.auth = undefined;
      RequestContext.clearActor();
    }
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const authenticated = request.auth ?? (await this.fromBearer(request));
    if (!authenticated)
      throw new UnauthorizedException(
        'Sign in first: send Authorization: Bearer <token> from POST /api/v1/auth/token.',
      );
    request.auth = authenticated;
    RequestContext.setActor(authenticated.actor);
    if (authenticated.enrolmentOnly && !this.reflector.getAllAndOverride<boolean>(ENROLMENT_ROUTE, targets))
      throw new SecondFactorEnrolmentRequired();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(authenticated.user.role)) {
      throw new CatalogueProblem(403, 'Not allowed', 'problem.needsRole', {
        roles: roles.join(', '),
        role: authenticated.user.role,
      });
    }
    return true;
  }

  private async fromBearer(request: Request): Promise<Authenticated | null> {
    const header = request.headers.authorization;
    if (!header) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('The Authorization header must be "Bearer <token>".');
    const authenticated = await this.auth.authenticate(match[1], 'api');
    if (!authenticated)
      throw new UnauthorizedException(
        'The token is unknown, expired or revoked; ask for a new one at POST /api/v1/auth/token.',
      );
    return authenticated;
  }
}
