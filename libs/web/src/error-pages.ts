import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { HtmlErrorPages, Problem } from '#docket/platform';
import { sentence } from './forms.js';
import { humanMessage } from './messages.js';
import { settingsOf, type PageRequest } from './page-context.js';
import { PageRenderer } from './page-renderer.js';
import { isPagePath } from './paths.js';
import { SESSION_COOKIE, WebSession } from './session.js';

const HEADINGS: Record<number, string> = {
  400: 'There is a problem with the request',
  403: 'You cannot do this',
  404: 'Page not found',
  409: 'This cannot be done now',
  429: 'Too many requests',
};

/**
 * Errors of page requests become HTML pages (and "not signed in" a redirect to the sign-in page);
 * the API keeps answering with problem+json. Plugged into the platform's ProblemFilter.
 */
@Injectable()
export class WebErrorPages implements HtmlErrorPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly session: WebSession,
  ) {}

  handles(request: Request): boolean {
    return isPagePath(request.path) && request.accepts(['html', 'json']) === 'html';
  }

  async send(problem: Problem, request: Request, response: Response): Promise<void> {
    const req = request as PageRequest;
    if (problem.status === 401) {
      if (req.cookies?.[SESSION_COOKIE])
        this.session.setFlash(response, {
          kind: 'info',
          message: 'Your session has ended. Sign in again to continue.',
        });
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      response.redirect(303, `/login${next}`);
      return;
    }
    const status = problem.status;
    // The API's words as a person reads them: no API paths, dates in the authority's zone, fields in plain words.
    const settings = settingsOf(req);
    const html = await this.pages.renderHtml(req, response, 'errors/error', {
      title: HEADINGS[status] ?? (status >= 500 ? 'Sorry, something went wrong' : problem.title),
      status,
      detail:
        status >= 500
          ? 'Something went wrong on our side and it has been logged. Try again in a moment; if it keeps happening, tell your administrator.'
          : sentence(humanMessage(problem.detail, { settings })),
      fieldErrors: (problem.errors ?? []).map((error) => ({
        field: error.field,
        message: sentence(humanMessage(error.message, { field: error.field, settings })),
      })),
    });
    if (response.headersSent) return;
    response.status(status).type('html').send(html);
  }
}
