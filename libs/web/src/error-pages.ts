import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { translate, type Language } from '#docket/i18n';
import type { DateSettings } from './dates.js';
import {
  Contributes,
  HTML_ERROR_PAGES,
  type FieldMessage,
  type HtmlErrorPages,
  type Problem,
  type ProblemMessages,
} from '#docket/platform';
import { sentence } from './forms.js';
import { readableParams } from './message-params.js';
import { humanMessage } from './messages.js';
import { pageLanguage, settingsOf, type PageRequest } from './page-context.js';
import { PageRenderer } from './page-renderer.js';
import { isPagePath } from './paths.js';
import { SESSION_COOKIE, WebSession } from './session.js';

/** Catalogue keys of the error pages' headings by status. */
const HEADINGS: Record<number, string> = {
  400: 'errors.heading400',
  403: 'errors.heading403',
  404: 'errors.heading404',
  409: 'errors.heading409',
  429: 'errors.heading429',
  // The audit trail found damaged (a 503 that says so); other 503s read as any failure on our side.
  503: 'errors.heading409',
};

/** What an error page says, by status, to a reader of another language when the service's words are English. */
const DETAILS: Record<number, string> = {
  400: 'problem.refused',
  403: 'errors.detail403',
  404: 'errors.detail404',
  409: 'problem.conflict',
  412: 'problem.stale',
  413: 'errors.detail413',
  422: 'problem.refused',
  429: 'errors.detail429',
};

/**
 * Errors of page requests become HTML pages (and "not signed in" a redirect to the sign-in page);
 * the API keeps answering with problem+json. Plugged into the platform's ProblemFilter.
 */
@Injectable()
@Contributes(HTML_ERROR_PAGES)
export class WebErrorPages implements HtmlErrorPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly session: WebSession,
  ) {}

  handles(request: Request): boolean {
    return isPagePath(request.path) && request.accepts(['html', 'json']) === 'html';
  }

  async send(problem: Problem, request: Request, response: Response, messages?: ProblemMessages): Promise<void> {
    const req = request as PageRequest;
    if (problem.status === 401) {
      if (req.cookies?.[SESSION_COOKIE])
        this.session.setFlash(response, {
          kind: 'info',
          message: translate(pageLanguage(req), 'errors.sessionEnded'),
        });
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      response.redirect(303, `/login${next}`);
      return;
    }
    if (problem.status === 403 && problem.secondFactorEnrolmentRequired === true) {
      this.session.setFlash(response, {
        kind: 'info',
        message: translate(pageLanguage(req), 'login.code.enrolFirst'),
      });
      response.redirect(303, '/me');
      return;
    }
    const status = problem.status;
    // The API's words as a person reads them: no API paths, dates in the authority's zone, fields in plain words.
    const settings = settingsOf(req);
    const language = pageLanguage(req);
    const damaged = status === 503 && problem.auditTrailDamaged === true;
    // A 503 that says why (the database or another service not answering, no connection to be had) keeps its words.
    const unavailable = status === 503 && !damaged && Boolean(messages?.detail);
    const heading = unavailable
      ? 'errors.heading503'
      : ((status === 503 && !damaged ? undefined : HEADINGS[status]) ?? (status >= 500 ? 'errors.heading500' : null));
    const html = await this.pages.renderHtml(req, response, 'errors/error', {
      title: heading ? translate(language, heading) : problem.title,
      status,
      detail:
        status >= 500 && !damaged && !unavailable
          ? translate(language, 'errors.detail500')
          : this.detail(problem, language, messages?.detail, settings),
      fieldErrors: (problem.errors ?? []).map((error, index) => {
        const structured = language === 'en' ? null : messages?.errors[index];
        return {
          field: error.field,
          message: structured
            ? `${error.field}: ${translate(language, structured.key, readableParams(structured.params, settings))}`
            : sentence(humanMessage(error.message, { field: error.field, settings })),
        };
      }),
    });
    if (response.headersSent) return;
    response.status(status).type('html').send(html);
  }

  /**
   * The refusal's words as the reader reads them: English readers the service's own (made human); others its
   * catalogue message, or the general one of its status when the service's words are English only.
   */
  private detail(
    problem: Problem,
    language: Language,
    message: FieldMessage | null | undefined,
    settings: DateSettings,
  ) {
    if (language === 'en' || problem.auditTrailDamaged === true)
      return sentence(humanMessage(problem.detail, { settings }));
    if (message) return sentence(translate(language, message.key, readableParams(message.params, settings)));
    const general = DETAILS[problem.status];
    return general ? translate(language, general) : sentence(humanMessage(problem.detail, { settings }));
  }
}
