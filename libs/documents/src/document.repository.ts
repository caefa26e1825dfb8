import { Injectable } from '@nestjs/common';
import { DataSource, In, Not } from 'typeorm';
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

  forCase(caseId: string): Promise<DocketDocument[]> {
    return this.find({ where: { caseId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The newest documents of the caller's cases about an organisation, each with its case. */
  ofOrganisation(organisationId: string, limit: number): Promise<DocketDocument[]> {
    return this.find({
      where: { case: { organisationId }, scanStatus: Not('infected') },
      relations: { case: true },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
    });
  }

  /** Documents of one case among these ids. */
  inCase(caseId: string, ids: string[]): Promise<DocketDocument[]> {
    return this.find({ where: { id: In(ids), caseId } });
  }

  /** An entity of the caller's authority, not yet stored. */
  build(values: Omit<Partial<DocketDocument>, 'authorityId'>): DocketDocument {
    return this.repo().create({ ...values, authorityId: RequestContext.authorityId() } as DocketDocument);
  }

  /** Inserts a document unless its issue key is taken; its id, or null when another call stored it first. */
  async insertOnce(values: Omit<Partial<DocketDocument>, 'authorityId'>): Promise<string | null> {
    const inserted = (await this.repo()
      .createQueryBuilder()
      .insert()
      .values({ ...values, authorityId: RequestContext.authorityId() })
      .orIgnore()
      .returning('id')
      .execute()) as { raw: { id: string }[] };
    return inserted.raw[0]?.id ?? null;
  }

  /** Stores a document built by `build` (of the caller's authority). */
  async add(document: DocketDocument): Promise<void> {
    if (document.authorityId !== RequestContext.authorityId())
      throw new Error('Refusing to store a document of another authority');
    await this.repo().insert(document);
  }
}
