import type { DataSource, EntityManager } from 'typeorm';
import { NotAllowed } from '#docket/platform';

export interface SsoOnlyProvider {
  code: string;
  label: string;
}

/** The enabled provider of an authority that lets its users sign in through single sign-on only, or null. */
export async function ssoOnlyProvider(
  db: DataSource | EntityManager,
  authorityId: string | null,
): Promise<SsoOnlyProvider | null> {
  if (!authorityId) return null;
  const [row] = (await db.query(
    `SELECT a.code, s.label FROM authority_oidc_settings s JOIN authorities a ON a.id = s.authority_id
      WHERE s.authority_id = $1 AND s.enabled AND s.sso_only`,
    [authorityId],
  )) as SsoOnlyProvider[];
  return row ?? null;
}

/** A password sign-in of a user whose authority signs in through its provider only (403; the page offers it). */
export class SsoOnly extends NotAllowed {
  constructor(readonly provider: SsoOnlyProvider) {
    super(
      `Users of ${provider.code} sign in with ${provider.label} (single sign-on) only: passwords are not accepted.`,
    );
  }
}
