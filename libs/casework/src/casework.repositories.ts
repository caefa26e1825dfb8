import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { CaseImport } from './case-import.entity.js';
import { SavedView, type SavedViewList } from './saved-view.entity.js';

/** Saved views of the caller's authority. */
@Injectable()
export class SavedViewRepository extends TenantRepository<SavedView> {
  constructor(dataSource: DataSource) {
    super(dataSource, SavedView);
  }

  /** The user's own views and the authority's shared ones, by name. */
  visibleTo(userId: string | null, list?: SavedViewList): Promise<SavedView[]> {
    const query = this.query('view')
      .andWhere('(view.ownerId = :userId OR view.shared)', { userId })
      .orderBy('lower(view.name)', 'ASC')
      .addOrderBy('view.id', 'ASC');
    if (list) query.andWhere('view.list = :list', { list });
    return query.getMany();
  }

  countOwnedBy(ownerId: string): Promise<number> {
    return this.query('view').andWhere('view.ownerId = :ownerId', { ownerId }).getCount();
  }

  async remove(id: string): Promise<void> {
    await this.repo().delete(this.scoped({ id }));
  }

  create(fields: Omit<SavedView, 'id' | 'authorityId' | 'createdAt'>): Promise<SavedView> {
    return this.save(Object.assign(new SavedView(), fields));
  }
}

/** The import keys of the caller's authority. */
@Injectable()
export class CaseImportRepository extends TenantRepository<CaseImport> {
  constructor(dataSource: DataSource) {
    super(dataSource, CaseImport);
  }

  /** Import key → case, for the keys imported before. */
  async imported(keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < keys.length; start += 1000)
      for (const row of await this.find({ where: { importKey: In(keys.slice(start, start + 1000)) } }))
        found.set(row.importKey, row.caseId);
    return found;
  }

  findKey(importKey: string): Promise<CaseImport | null> {
    return this.findOne({ importKey });
  }

  record(importKey: string, caseId: string, importedAt: Date): Promise<CaseImport> {
    return this.save(Object.assign(new CaseImport(), { importKey, caseId, importedAt }));
  }
}
