import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, Response } from 'express';
import { formattingLocale, isLanguage, negotiateLanguage, type Language } from '#docket/i18n';
import type { Authenticated } from '#docket/identity';
import { DEFAULT_DATE_SETTINGS, type DateSettings } from './dates.js';

/** A request for a page, with what the session middleware found. */
export type PageRequest = Request & { auth?: Authenticated; sessionToken?: string };

interface Store {
  req: PageRequest;
  res: Response;
}

const storage = new AsyncLocalStorage<Store>();

/** The page request being handled, so that PageRenderer.render(view, data) needs no request argument. */
export const PageContext = {
  run<T>(req: PageRequest, res: Response, fn: () => T): T {
    return storage.run({ req, res }, fn);
  },
  current(): Store {
    const store = storage.getStore();
    if (!store)
      throw new Error('No page request: PageRenderer works only in page routes (paths outside /api, /health, /assets)');
    return store;
  },
  find(): Store | undefined {
    return storage.getStore();
  },
};

/** The language a page is written in: the signed-in user's, else the best of the browser's `Accept-Language`. */
export function pageLanguage(req: PageRequest | undefined): Language {
  const own = req?.auth?.user.language;
  if (isLanguage(own)) return own;
  const header = req?.headers?.['accept-language'];
  return negotiateLanguage(typeof header === 'string' ? header : undefined);
}

/**
 * How the request's dates are shown: in the authority's zone, in the page's language (the authority's own locale
 * when it is in that language, so an Italian reads `it-IT` dates).
 */
export function settingsOf(req: PageRequest | undefined): DateSettings {
  const authority = req?.auth?.authority;
  const language = pageLanguage(req);
  return {
    timezone: authority?.timezone ?? DEFAULT_DATE_SETTINGS.timezone,
    locale: formattingLocale(language, authority?.locale),
  };
}

/** The date settings of the page request being handled (the defaults outside one). */
export function currentDateSettings(): DateSettings {
  return settingsOf(PageContext.find()?.req);
}
