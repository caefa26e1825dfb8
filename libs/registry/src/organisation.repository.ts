import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Organisation } from './organisation.entity.js';

export interface OrganisationSearch {
  q?: string;
  limit: number;
  after?: { legalName: string; id: string };
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Organisations are shared by all authorities, so this repository is not tenant-scoped. */
@Injectable()
export class OrganisationRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(Organisation);
  }

  findById(id: string, manager?: EntityManager, lock = false): Promise<Organisation | null> {
    return this.repo(manager).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async insert(organisation: Organisation, manager: EntityManager): Promise<void> {
    await this.repo(manager).insert(organisation);
  }

  async update(id: string, changes: Partial<Organisation>, manager: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, changes);
  }

  /** Name search in (legal name, id) order; takes one more than the limit to tell whether a next page exists. */
  search(filter: OrganisationSearch): Promise<Organisation[]> {
    const query = this.repo().createQueryBuilder('o').orderBy('o.legalName', 'ASC').addOrderBy('o.id', 'ASC').take(filter.limit + 1);
    if (filter.q) query.andWhere(`o.search_text ILIKE :pattern`, { pattern: likePattern(filter.q.trim().toLowerCase()) });
    if (filter.after) query.andWhere('(o.legalName, o.id) > (:afterName, :afterId)', { afterName: filter.after.legalName, afterId: filter.after.id });
    return query.getMany();
  }
}
