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
}

const storage = new AsyncLocalStorage<Store>();

export const SYSTEM_ACTOR: Actor = { userId: null, authorityId: null, role: 'system', label: 'system' };

/**
 * The per-request (or per-job) context. Repositories of tenant data read the authority from here,
 * so a query cannot forget its scope.
 */
export const RequestContext = {
  run<T>(fn: () => T, actor?: Actor): T {
    return storage.run({ actor }, fn);
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
    return storage.run({ actor: { ...RequestContext.actor(), authorityId } }, fn);
  },
  /** Runs `fn` acting for one authority as the system (jobs, seeding). */
  asAuthority<T>(authorityId: string, fn: () => T, label = 'system'): T {
    return storage.run({ actor: { userId: null, authorityId, role: 'system', label } }, fn);
  },
};
