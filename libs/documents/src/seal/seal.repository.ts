import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { DocumentSeal } from './document-seal.entity.js';

/** The caller's authority's seals, one row per uploaded file (the newest not withdrawn seals). */
@Injectable()
export class SealRepository extends TenantRepository<DocumentSeal> {
  constructor(dataSource: DataSource) {
    super(dataSource, DocumentSeal);
  }

  /** The newest seal, withdrawn or not. */
  async newest(): Promise<DocumentSeal | null> {
    const [seal] = await this.find({ order: { version: 'DESC' }, take: 1 });
    return seal ?? null;
  }

  /** The sealed PKCS#12 file and password of one seal (a column never selected otherwise). */
  async sealedKey(id: string): Promise<string> {
    const row = await this.query('seal').addSelect('seal.sealedKey').andWhere('seal.id = :id', { id }).getOneOrFail();
    return row.sealedKey;
  }

  /** A new version (the caller's authority is stamped by the repository). */
  add(seal: Omit<DocumentSeal, 'id' | 'authorityId' | 'createdAt' | 'authority'>) {
    return this.save(this.repo().create(seal as DocumentSeal));
  }

  async withdraw(id: string, withdrawnAt: Date, withdrawnBy: string): Promise<void> {
    await this.repo().update(this.scoped({ id }), { withdrawnAt, withdrawnBy });
  }
}
