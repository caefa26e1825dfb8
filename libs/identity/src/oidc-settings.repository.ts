import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext, TenantRepository } from '#docket/platform';
import { AuthorityOidcSettings } from './oidc-settings.entity.js';

/**
 * The single sign-on settings of the authority acted for: its administrators' (a sysadmin acts for the authority it
 * maintains), or the authority whose sign-in link is followed (RequestContext.asAuthority).
 */
@Injectable()
export class OidcSettingsRepository extends TenantRepository<AuthorityOidcSettings> {
  constructor(dataSource: DataSource) {
    super(dataSource, AuthorityOidcSettings);
  }

  /** The settings with the sealed client secret, or null when none are set up. */
  withSecret(): Promise<AuthorityOidcSettings | null> {
    return this.query('settings').addSelect('settings.clientSecret').getOne();
  }

  /** Stores the settings (one row per authority). */
  async store(row: Omit<AuthorityOidcSettings, 'authorityId' | 'updatedAt'>): Promise<void> {
    await this.repo().upsert({ ...row, authorityId: RequestContext.authorityId() }, ['authorityId']);
  }

  /** Removes the settings; false when there were none. */
  async remove(): Promise<boolean> {
    const removed = await this.repo().delete(this.scoped());
    return Boolean(removed.affected);
  }
}
