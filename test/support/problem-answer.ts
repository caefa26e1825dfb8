import type { ArgumentsHost } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Language } from '#docket/i18n';
import { ProblemFilter } from '#docket/platform';

/**
 * The problem+json the ProblemFilter sends for an error to an API caller whose user reads `language` (no server, no
 * pages): for specs that hold a domain error to the HTTP exception it replaced.
 */
export function problemAnswer(error: unknown, language: Language = 'en', path = '/api/v1/x'): unknown {
  let body = '';
  const response = {
    headersSent: false,
    status: () => response,
    type: () => response,
    send: (text: string) => (body = text),
  };
  const request = { originalUrl: path, auth: { user: { language } } };
  const host = {
    switchToHttp: () => ({
      getResponse: () => response as unknown as Response,
      getRequest: () => request as unknown as Request,
    }),
  } as ArgumentsHost;
  new ProblemFilter().catch(error, host);
  return JSON.parse(body);
}
