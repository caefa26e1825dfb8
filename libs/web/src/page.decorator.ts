import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CookieSession } from '#docket/platform';
import { CsrfGuard } from './csrf.guard.js';

/**
 * Marks a controller of HTML pages: the session cookie signs the user in (nowhere else), so form posts need
 * the CSRF token; it stays out of the OpenAPI document. Roles (@Roles) and @Public() work as for the API.
 */
export const Page = (prefix = ''): ClassDecorator =>
  applyDecorators(Controller(prefix), CookieSession(), UseGuards(CsrfGuard), ApiExcludeController());
