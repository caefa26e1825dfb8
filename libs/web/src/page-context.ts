import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, Response } from 'express';
import type { Authenticated } from '#docket/identity';

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
    if (!store) throw new Error('No page request: PageRenderer works only in page routes (paths outside /api, /health, /assets)');
    return store;
  },
  find(): Store | undefined {
    return storage.getStore();
  },
};
