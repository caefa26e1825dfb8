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
}

const storage = new AsyncLocalStorage<Store>();

/** What a context with `readOnce` has read (RequestContext.sharedReads). */
export interface SharedReads {
  readonly entries: readonly [string, Promise<unknown>][];
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
  run<T>(fn: () => T, actor?: Actor, options: { readOnce?: boolean; reads?: SharedReads[] } = {}): T {
    const reads = options.reads?.length
      ? new Map(options.reads.flatMap((shared) => [...shared.entries]))
      : options.readOnce
        ? new Map<string, Promise<unknown>>()
        : undefined;
    return storage.run({ actor, ...(reads ? { reads } : {}) }, fn);
  },
  /**
   * The reads this context shares so far (none outside `readOnce`): work that goes on in another context for the same
   * actor (a campaign's letters, written together for several jobs) starts from them (`run` with `reads`).
   */
  sharedReads(): SharedReads | undefined {
    const reads = storage.getStore()?.reads;
    return reads ? { entries: [...reads] } : undefined;
  },
  /**
   * `load()`, made once per context run with `readOnce` (the first caller's answer for every later caller of `key`; a
   * failed read is made again), and every time elsewhere. `key` names what is read and of which authority.
   */
  readOnce<T>(key: string, load: () => Promise<T>): Promise<T> {
    const reads = storage.getStore()?.reads;
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
    return storage.run({ actor: { ...RequestContext.actor(), authorityId }, reads: storage.getStore()?.reads }, fn);
  },
  /** Runs `fn` acting for one authority as the system (jobs, seeding). */
  asAuthority<T>(authorityId: string, fn: () => T, label = 'system'): T {
    return storage.run(
      { actor: { userId: null, authorityId, role: 'system', label }, reads: storage.getStore()?.reads },
      fn,
    );
  },
};
