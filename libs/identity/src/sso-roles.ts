import type { MappedRole } from './oidc-settings.entity.js';

/** Roles from least to most power. */
export const MAPPED_ROLES: readonly MappedRole[] = ['viewer', 'officer', 'manager', 'admin'];

const MAX_ENTRIES = 100;

/**
 * The role a provider's claim gives: each value of the claim (a string, or a list of strings such as groups) is
 * looked up in the authority's table; of several roles the most powerful wins; null when none maps (or the claim
 * is missing or of another type).
 */
export function roleFromClaim(claim: unknown, roleMap: Record<string, MappedRole>): MappedRole | null {
  const values = typeof claim === 'string' ? [claim] : Array.isArray(claim) ? claim : [];
  let best: MappedRole | null = null;
  for (const value of values) {
    if (typeof value !== 'string' || !Object.hasOwn(roleMap, value)) continue;
    const role = roleMap[value]!;
    if (best === null || MAPPED_ROLES.indexOf(role) > MAPPED_ROLES.indexOf(best)) best = role;
  }
  return best;
}

/** What is wrong with a value → role table an admin entered, or null. */
export function roleMapProblem(roleMap: Record<string, unknown>): string | null {
  const entries = Object.entries(roleMap);
  if (entries.length > MAX_ENTRIES) return `roleMap has more than ${MAX_ENTRIES} entries`;
  for (const [value, role] of entries) {
    if (!value.trim() || value.length > 200) return 'each roleMap value must be 1 to 200 characters';
    if (!MAPPED_ROLES.includes(role as MappedRole))
      return `roleMap gives "${value}" the role ${JSON.stringify(role)}: roles are admin, manager, officer, viewer`;
  }
  return null;
}
