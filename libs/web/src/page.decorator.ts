import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CsrfGuard } from './csrf.guard.js';

/**
 * Marks a controller of HTML pages: form posts need the CSRF token, and it stays out of the
 * OpenAPI document. Sessions, roles (@Roles) and @Public() work as for the API.
 */
export const Page = (prefix = ''): ClassDecorator => applyDecorators(Controller(prefix), UseGuards(CsrfGuard), ApiExcludeController());
