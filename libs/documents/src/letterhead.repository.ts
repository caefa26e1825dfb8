import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { Letterhead } from './letterhead.entity.js';

/** The caller's authority's letterhead, every version kept. */
@Injectable()
export class LetterheadRepository extends TenantRepository<Letterhead> {
  constructor(dataSource: DataSource) {
    super(dataSource, Letterhead);
  }

  newest(): Promise<Letterhead | null> {
    return this.query('letterhead').orderBy('letterhead.version', 'DESC').getOne();
  }

  /** A new version (the caller's authority is stamped by the repository). */
  add(version: Omit<Letterhead, 'id' | 'authorityId' | 'createdAt' | 'authority'>): Promise<Letterhead> {
    return this.save(this.repo().create(version as Letterhead));
  }
}
