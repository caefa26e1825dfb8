import { Inject, Injectable } from '@nestjs/common';
import type { Response as ExpressResponse } from 'express';
import { Liquid, type Context } from 'liquidjs';
import { LanguageContext, LANGUAGES, isLanguage, translate, type Language, type MessageParams } from '#docket/i18n';
import { CASE_WRITERS, ExtensionPoint, Extensions, RUNTIME, type Runtime } from '#docket/platform';
import { DEFAULT_DATE_SETTINGS, formatDate, formatInstant, type DateSettings } from './dates.js';
import { noErrors } from './forms.js';
import { PageContext, pageLanguage, settingsOf, type PageRequest } from './page-context.js';
import { VIEWS_DIR } from './paths.js';
import { WebSession, type Flash, type FlashKind } from './session.js';

export interface NavItem {
  href: string;
  /** Catalogue key of the link's text. */
  label: string;
  /** Shown only to these roles (everyone signed in when absent). */
  roles?: string[];
}

/** The main navigation; add an entry when you add a top-level page. */
export const NAV: NavItem[] = [
  { href: '/my-work', label: 'nav.myWork', roles: ['admin', 'manager', 'officer', 'viewer'] },
  { href: '/dashboard', label: 'nav.dashboard' },
  { href: '/deadlines', label: 'nav.deadlines', roles: ['admin', 'manager', 'officer', 'viewer'] },
  { href: '/cases', label: 'nav.cases', roles: ['admin', 'manager', 'officer', 'viewer'] },
  { href: '/organisations', label: 'nav.organisations', roles: ['admin', 'manager', 'officer', 'viewer'] },
  { href: '/calendar', label: 'nav.calendar', roles: ['admin', 'manager', 'officer', 'viewer'] },
  { href: '/campaigns', label: 'nav.campaigns', roles: ['admin', 'manager', 'officer', 'viewer'] },
  { href: '/inbox', label: 'nav.inbox', roles: ['admin', 'manager', 'officer', 'viewer', 'sysadmin'] },
  { href: '/outbox', label: 'nav.outbox', roles: ['admin', 'manager', 'officer'] },
  { href: '/coordination', label: 'nav.coordination', roles: ['admin', 'manager', 'officer', 'viewer'] },
  { href: '/procedures', label: 'coop.nav', roles: ['admin', 'manager', 'officer', 'viewer'] },
  { href: '/me', label: 'nav.profile', roles: ['admin', 'manager', 'officer', 'viewer'] },
  { href: '/admin/users', label: 'nav.users', roles: ['admin'] },
  { href: '/admin/sign-in', label: 'nav.signIn', roles: ['admin'] },
  { href: '/admin/templates', label: 'nav.templates', roles: ['admin'] },
  { href: '/admin/questions', label: 'nav.questions', roles: ['admin'] },
  { href: '/admin/letterhead', label: 'letterhead.title', roles: ['admin'] },
  { href: '/admin/seal', label: 'seal.title', roles: ['admin'] },
  { href: '/admin/queues', label: 'nav.queues', roles: ['sysadmin'] },
];

/**
 * How many items wait behind a navigation link (shown as a badge), for the signed-in user; 0 shows none. Asked by the
 * renderer of every page: the page that owns the link declares a provider class implementing it, marked
 * `@Contributes(NAV_BADGES)`.
 */
export interface NavBadge {
  readonly href: string;
  count(): Promise<number>;
}

export const NAV_BADGES = new ExtensionPoint<NavBadge>('navigation badges');

export interface RenderOptions {
  status?: number;
}

/**
 * Renders the HTML views of libs/web/views with what every page needs: the signed-in user and
 * authority, the CSRF token for forms, the flash message and the navigation. Output is escaped
 * unless a template asks for `| raw`.
 */
@Injectable()
export class PageRenderer {
  private readonly liquid: Liquid;
  constructor(
    private readonly extensions: Extensions,
    private readonly session: WebSession,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.liquid = new Liquid({
      root: [VIEWS_DIR],
      extname: '.liquid',
      outputEscape: 'escape',
      cache: runtime.config.NODE_ENV !== 'development',
      strictFilters: true,
      ownPropertyOnly: true,
    });
    // Filters read the page's `dates` (the authority's zone, the page's language) and `lang`.
    type Filter = { context: Context };
    const datesOf = (filter: Filter): DateSettings =>
      (filter.context.getSync(['dates']) as DateSettings | null | undefined) ?? DEFAULT_DATE_SETTINGS;
    const languageOf = (filter: Filter): Language => {
      const lang = filter.context.getSync(['lang']);
      return isLanguage(lang) ? lang : LanguageContext.language();
    };
    // {{ 'nav.dashboard' | t }}, {{ 'cases.count' | t: count: cases.size }}: a message of the catalogue.
    this.liquid.registerFilter('t', function (this: Filter, key: unknown, ...args: unknown[]) {
      return translate(languageOf(this), String(key), namedArguments(args));
    });
    this.liquid.registerFilter('local_date', function (this: Filter, value: string, style?: 'long' | 'short') {
      return formatDate(value, datesOf(this), style ?? 'long');
    });
    this.liquid.registerFilter('local_datetime', function (this: Filter, value: string | Date) {
      return formatInstant(value, datesOf(this));
    });
    this.liquid.registerFilter('humanize', (value: unknown) => String(value ?? '').replace(/_/g, ' '));
  }

  /** The page as a response (200 unless `status`); return it from the route handler. */
  async render(view: string, data: Record<string, unknown> = {}, options: RenderOptions = {}): Promise<Response> {
    const { req, res } = PageContext.current();
    const html = await this.renderHtml(req, res, view, data);
    return new Response(html, {
      status: options.status ?? 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  }

  /** 303 See Other to a path of this site, with a message for the page it leads to. */
  redirect(path: string, flash?: string | Flash): Response {
    if (flash)
      this.flash(typeof flash === 'string' ? flash : flash.message, typeof flash === 'string' ? 'success' : flash.kind);
    return new Response(null, { status: 303, headers: { location: path } });
  }

  /** A message of the catalogue in the page's language (for flash messages, titles and form errors in code). */
  t(key: string, params?: MessageParams): string {
    return translate(LanguageContext.language(), key, params);
  }

  flash(message: string, kind: FlashKind = 'success'): void {
    this.session.setFlash(PageContext.current().res, { kind, message });
  }

  /** The CSRF token for a form of the current page (layout partials put it in every form already). */
  csrfToken(): string {
    const { req, res } = PageContext.current();
    return this.session.csrfToken(req, res);
  }

  /** For error pages, where the request may not have reached the page context. */
  async renderHtml(
    req: PageRequest,
    res: ExpressResponse,
    view: string,
    data: Record<string, unknown>,
  ): Promise<string> {
    const auth = req.auth;
    const role = auth?.user.role;
    const authority = auth?.authority
      ? {
          code: auth.authority.code,
          name: auth.authority.name,
          timezone: auth.authority.timezone,
          locale: auth.authority.locale,
        }
      : null;
    const lang = pageLanguage(req);
    const page = {
      user: auth ? { id: auth.user.id, name: auth.user.name, email: auth.user.email, role } : null,
      authority,
      lang,
      languages: LANGUAGES,
      dates: settingsOf(req),
      csrf: this.session.csrfToken(req, res),
      flash: this.session.takeFlash(req, res),
      path: req.path,
      nav: auth
        ? await Promise.all(
            NAV.filter((item) => !item.roles || (role && item.roles.includes(role))).map(async (item) => ({
              ...item,
              label: translate(lang, item.label),
              current: req.path === item.href || req.path.startsWith(`${item.href}/`),
              badge: await this.badge(item.href),
            })),
          )
        : [],
      canWrite: role ? (CASE_WRITERS as string[]).includes(role) : false,
      isAdmin: role === 'admin',
    };
    // Globals reach partials included with {% render %} too (which see only what is passed otherwise).
    return this.liquid.renderFile(view, { errors: noErrors(), values: {}, ...data }, { globals: page });
  }

  /**
   * A badge that fails (an error page rendered outside the request's context) is left out rather than failing the page.
   */
  private async badge(href: string): Promise<number> {
    const badge = this.extensions.of(NAV_BADGES).find((candidate) => candidate.href === href);
    return badge ? badge.count().catch(() => 0) : 0;
  }
}

/** Liquid passes `key: value` filter arguments as [key, value] pairs. */
function namedArguments(args: unknown[]): MessageParams {
  const params: MessageParams = {};
  for (const arg of args)
    if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string')
      params[arg[0]] = arg[1] as MessageParams[string];
  return params;
}
