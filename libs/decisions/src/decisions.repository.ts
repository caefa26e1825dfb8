import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { RequestContext, TenantRepository } from '#docket/platform';
import { Attachment } from './attachment.entity.js';
import { Outcome, OutcomeDeadline } from './outcome.entity.js';
import { ResponseAnswer } from './response-answer.entity.js';
import { InquiryResponse } from './response.entity.js';

@Injectable()
export class ResponseRepository extends TenantRepository<InquiryResponse> {
  constructor(dataSource: DataSource) {
    super(dataSource, InquiryResponse);
  }

  async insert(response: InquiryResponse, answers: ResponseAnswer[], manager: EntityManager): Promise<void> {
    const authorityId = RequestContext.authorityId();
    await this.repo(manager).insert({ ...response, authorityId });
    if (answers.length)
      await manager.getRepository(ResponseAnswer).insert(answers.map((answer) => ({ ...answer, authorityId })));
  }

  forCase(caseId: string, manager?: EntityManager): Promise<InquiryResponse[]> {
    return this.find({ where: { caseId }, order: { receivedAt: 'ASC', createdAt: 'ASC' } }, manager);
  }

  answersOf(responseIds: string[], manager: EntityManager = this.dataSource.manager): Promise<ResponseAnswer[]> {
    if (responseIds.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(ResponseAnswer)
      .find({ where: { responseId: In(responseIds), authorityId: RequestContext.authorityId() } });
  }
}

@Injectable()
export class AttachmentRepository extends TenantRepository<Attachment> {
  constructor(dataSource: DataSource) {
    super(dataSource, Attachment);
  }

  async insert(attachment: Attachment, manager: EntityManager): Promise<void> {
    await this.repo(manager).insert({ ...attachment, authorityId: RequestContext.authorityId() });
  }

  ofResponses(responseIds: string[], manager?: EntityManager): Promise<Attachment[]> {
    if (responseIds.length === 0) return Promise.resolve([]);
    return this.find({ where: { responseId: In(responseIds) }, order: { createdAt: 'ASC', id: 'ASC' } }, manager);
  }
}

@Injectable()
export class OutcomeRepository extends TenantRepository<Outcome> {
  constructor(dataSource: DataSource) {
    super(dataSource, Outcome);
  }

  async insert(outcome: Outcome, links: OutcomeDeadline[], manager: EntityManager): Promise<void> {
    const authorityId = RequestContext.authorityId();
    await this.repo(manager).insert({ ...outcome, authorityId });
    if (links.length)
      await manager.getRepository(OutcomeDeadline).insert(links.map((link) => ({ ...link, authorityId })));
  }

  forCase(caseId: string, manager?: EntityManager): Promise<Outcome[]> {
    return this.find({ where: { caseId }, order: { decidedAt: 'ASC', createdAt: 'ASC' } }, manager);
  }

  linksOf(outcomeIds: string[], manager: EntityManager = this.dataSource.manager): Promise<OutcomeDeadline[]> {
    if (outcomeIds.length === 0) return Promise.resolve([]);
    return manager
      .getRepository(OutcomeDeadline)
      .find({ where: { outcomeId: In(outcomeIds), authorityId: RequestContext.authorityId() } });
  }
}
