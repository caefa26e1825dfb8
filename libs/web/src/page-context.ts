import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, Response } from 'express';
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

/** How the request's dates are shown: the signed-in user's authority's zone and locale. */
export function settingsOf(req: PageRequest | undefined): DateSettings {
  const authority = req?.auth?.authority;
  return authority ? { timezone: authority.timezone, locale: authority.locale } : DEFAULT_DATE_SETTINGS;
}

/** The date settings of the page request being handled (the defaults outside one). */
export function currentDateSettings(): DateSettings {
  return settingsOf(PageContext.find()?.req);
}
