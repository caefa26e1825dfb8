import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './request-context.js';

export const IS_PUBLIC = 'docket:public';
export const ALLOWED_ROLES = 'docket:roles';
export const SESSION_COOKIE_ROUTE = 'docket:session-cookie';

/** Marks a route that needs no signed-in user. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * Marks routes where the browser's session cookie signs the user in: pages, whose form posts carry a CSRF
 * token. Everywhere else (the API) only a bearer token does, so a cookie sent along by the browser is ignored.
 */
export const CookieSession = (): MethodDecorator & ClassDecorator => SetMetadata(SESSION_COOKIE_ROUTE, true);

/** Limits a route to these roles (a route without it admits every signed-in user). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ALLOWED_ROLES, roles),
    ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')}` }),
  );

/** Roles that may change case work. */
export const CASE_WRITERS: Role[] = ['admin', 'manager', 'officer'];

/** Documents bearer auth on a controller. */
export const Authenticated = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired token (problem+json)' }),
  );
