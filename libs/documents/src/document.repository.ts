import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { CaseIdsSubquery } from '#docket/cases';
import { RequestContext, TenantRepository } from '#docket/platform';
import { DocketDocument } from './document.entity.js';

/** The caller's authority's documents: letters Docket issued and files staff added to its cases. */
@Injectable()
export class DocumentRepository extends TenantRepository<DocketDocument> {
  constructor(dataSource: DataSource) {
    super(dataSource, DocketDocument);
  }

  byId(id: string): Promise<DocketDocument | null> {
    return this.findOne({ id });
  }

  /** The document of one business event (issue keys are unique). */
  byIssueKey(issueKey: string): Promise<DocketDocument | null> {
    return this.findOne({ issueKey });
  }

  /** The documents of these business events, by issue key (those not issued are left out). */
  async byIssueKeys(issueKeys: string[]): Promise<Map<string, DocketDocument>> {
    if (!issueKeys.length) return new Map();
    const found = await this.find({ where: { issueKey: In(issueKeys) } });
    return new Map(found.map((document) => [document.issueKey, document]));
  }

  forCase(caseId: string): Promise<DocketDocument[]> {
    return this.find({ where: { caseId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The newest documents of the caller's cases among these (a subquery of the cases context), none in quarantine. */
  ofCases(cases: CaseIdsSubquery, limit: number): Promise<DocketDocument[]> {
    return this.query('d')
      .andWhere(`d.caseId IN (${cases.sql})`, cases.parameters)
      .andWhere('d.scanStatus != :infected', { infected: 'infected' })
      .orderBy('d.createdAt', 'DESC')
      .addOrderBy('d.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** The caller's authority's documents among these ids. */
  byIds(ids: string[]): Promise<DocketDocument[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.find({ where: { id: In(ids) } });
  }

  /** Documents of one case among these ids. */
  inCase(caseId: string, ids: string[]): Promise<DocketDocument[]> {
    return this.find({ where: { id: In(ids), caseId } });
  }

  /** An entity of the caller's authority, not yet stored. */
  build(values: Omit<Partial<DocketDocument>, 'authorityId'>): DocketDocument {
    return this.repo().create({ ...values, authorityId: RequestContext.authorityId() } as DocketDocument);
  }

  /**
   * Inserts documents, with one statement, except those whose issue key is taken: the id of each one inserted, by
   * issue key (one another call stored first is left out).
   */
  async insertOnce(values: Omit<Partial<DocketDocument>, 'authorityId'>[]): Promise<Map<string, string>> {
    if (!values.length) return new Map();
    const authorityId = RequestContext.authorityId();
    const inserted = (await this.repo()
      .createQueryBuilder()
      .insert()
      .values(values.map((row) => ({ ...row, authorityId })))
      .orIgnore()
      .returning('id, issue_key')
      .execute()) as { raw: { id: string; issue_key: string }[] };
    return new Map(inserted.raw.map((row) => [row.issue_key, row.id]));
  }

  /** Stores a document built by `build` (of the caller's authority). */
  async add(document: DocketDocument): Promise<void> {
    if (document.authorityId !== RequestContext.authorityId())
      throw new Error('Refusing to store a document of another authority');
    await this.repo().insert(document);
  }
}
