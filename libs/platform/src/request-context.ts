import { AsyncLocalStorage } from 'node:async_hooks';
import { NotAllowed } from './domain-errors.js';

export const ROLES = ['sysadmin', 'admin', 'manager', 'officer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a signed-in user, or the system (workers, CLI, bootstrap). */
export interface Actor {
  userId: string | null;
  authorityId: string | null;
  role: Role | 'system';
  label: string;
}

interface Store {
  actor?: Actor;
  requestId?: string;
  /** The reads shared by all the work of this context (RequestContext.readOnce), when it shares them. */
  reads?: Map<string, Promise<unknown>>;
  /** … and those shared with other contexts. */
  scope?: ReadScope;
}

const storage = new AsyncLocalStorage<Store>();

/** What a context with `readOnce` has read (RequestContext.sharedReads). */
export interface SharedReads {
  readonly entries: readonly [string, Promise<unknown>][];
}

/**
 * Reads shared as they are made by every context run with it (`run` with `scope`), for the keys it `shares`: the
 * jobs of one campaign that run close together read its authority, template and assignee once between them. Other
 * keys are read once per context, as with `readOnce`. For work that does not change what it reads, and only as long
 * as a batch's reads may be (the holder makes a new one after a moment).
 */
export interface ReadScope {
  readonly reads: Map<string, Promise<unknown>>;
  shares(key: string): boolean;
}

export const SYSTEM_ACTOR: Actor = { userId: null, authorityId: null, role: 'system', label: 'system' };

/**
 * The per-request (or per-job) context. Repositories of tenant data read the authority from here,
 * so a query cannot forget its scope.
 */
export const RequestContext = {
  /**
   * With `readOnce`, the reads `readOnce` keeps are made once for all the work of `fn` (a job that writes a letter
   * reads its authority, organisation and template once, however many services ask): for work that does not change
   * what it reads that way.
   */
  run<T>(
    fn: () => T,
    actor?: Actor,
    options: { readOnce?: boolean; reads?: SharedReads[]; scope?: ReadScope } = {},
  ): T {
    const reads = options.reads?.length
      ? new Map(options.reads.flatMap((shared) => [...shared.entries]))
      : options.readOnce || options.scope
        ? new Map<string, Promise<unknown>>()
        : undefined;
    return storage.run({ actor, ...(reads ? { reads } : {}), ...(options.scope ? { scope: options.scope } : {}) }, fn);
  },
  /**
   * The reads this context shares so far (none outside `readOnce`): work that goes on in another context for the same
   * actor (a campaign's letters, written together for several jobs) starts from them (`run` with `reads`).
   */
  sharedReads(): SharedReads | undefined {
    const { reads, scope } = storage.getStore() ?? {};
    return reads ? { entries: [...(scope?.reads ?? []), ...reads] } : undefined;
  },
  /** A new, empty ReadScope. */
  readScope(shares: (key: string) => boolean): ReadScope {
    return { reads: new Map(), shares };
  },
  /**
   * `load()`, made once per context run with `readOnce` (the first caller's answer for every later caller of `key`; a
   * failed read is made again), and every time elsewhere. `key` names what is read and of which authority.
   */
  readOnce<T>(key: string, load: () => Promise<T>): Promise<T> {
    const store = storage.getStore();
    const reads = store?.scope?.shares(key) ? store.scope.reads : store?.reads;
    if (!reads) return load();
    const known = reads.get(key) as Promise<T> | undefined;
    if (known) return known;
    const loading = load();
    reads.set(key, loading);
    loading.catch(() => {
      if (reads.get(key) === loading) reads.delete(key);
    });
    return loading;
  },
  setActor(actor: Actor): void {
    const store = storage.getStore();
    if (!store) throw new Error('RequestContext.setActor called outside a context');
    store.actor = actor;
  },
  /** Forgets the actor (a session cookie presented where it does not count). */
  clearActor(): void {
    const store = storage.getStore();
    if (store) store.actor = undefined;
  },
  actor(): Actor {
    return storage.getStore()?.actor ?? SYSTEM_ACTOR;
  },
  /** The caller's authority; throws 403 for callers without one (sysadmin, anonymous). */
  authorityId(): string {
    const actor = storage.getStore()?.actor;
    if (!actor?.authorityId) throw new NotAllowed('This action needs a user of an authority.');
    return actor.authorityId;
  },
  /** Runs `fn` as the current actor acting within one authority (a sysadmin maintaining an authority). */
  actingFor<T>(authorityId: string, fn: () => T): T {
    const { reads, scope } = storage.getStore() ?? {};
    return storage.run({ actor: { ...RequestContext.actor(), authorityId }, reads, scope }, fn);
  },
  /** Runs `fn` acting for one authority as the system (jobs, seeding). */
  asAuthority<T>(authorityId: string, fn: () => T, label = 'system'): T {
    return storage.run(
      { actor: { userId: null, authorityId, role: 'system', label }, reads: storage.getStore()?.reads },
      fn,
    );
  },
};
