import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { TemplateVersion } from './template-version.entity.js';

/** The caller's authority's own versions of the templates, every version kept. */
@Injectable()
export class TemplateVersionRepository extends TenantRepository<TemplateVersion> {
  constructor(dataSource: DataSource) {
    super(dataSource, TemplateVersion);
  }

  /** The newest saved version of a template, or the given version; null when there is none. */
  newest(key: string, version?: number): Promise<TemplateVersion | null> {
    const query = this.query('version').andWhere('version.key = :key', { key }).orderBy('version.version', 'DESC');
    if (version !== undefined) query.andWhere('version.version = :version', { version });
    return query.getOne();
  }

  /** The newest saved version of each of these templates (those without one are left out). */
  newestOf(keys: string[]): Promise<TemplateVersion[]> {
    return this.query('version')
      .distinctOn(['version.key'])
      .andWhere('version.key IN (:...keys)', { keys })
      .orderBy('version.key')
      .addOrderBy('version.version', 'DESC')
      .getMany();
  }

  /** A new version (the caller's authority is stamped by the repository). */
  add(version: Omit<TemplateVersion, 'id' | 'authorityId' | 'createdAt'>) {
    return this.save(this.repo().create(version as TemplateVersion));
  }
}
