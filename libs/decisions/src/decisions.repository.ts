import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
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

  async insert(response: InquiryResponse, answers: ResponseAnswer[]): Promise<void> {
    const authorityId = RequestContext.authorityId();
    await this.repo().insert({ ...response, authorityId });
    if (answers.length)
      await this.repo()
        .manager.getRepository(ResponseAnswer)
        .insert(answers.map((answer) => ({ ...answer, authorityId })));
  }

  forCase(caseId: string): Promise<InquiryResponse[]> {
    return this.find({ where: { caseId }, order: { receivedAt: 'ASC', createdAt: 'ASC' } });
  }

  /** Which of these inquiries have a response recorded. */
  async answeredAmong(inquiryIds: string[]): Promise<string[]> {
    if (inquiryIds.length === 0) return [];
    const rows = await this.query('response')
      .select('DISTINCT response.inquiryId', 'inquiry_id')
      .andWhere('response.inquiryId = ANY(:inquiryIds)', { inquiryIds })
      .getRawMany<{ inquiry_id: string }>();
    return rows.map((row) => row.inquiry_id);
  }

  answersOf(responseIds: string[]): Promise<ResponseAnswer[]> {
    if (responseIds.length === 0) return Promise.resolve([]);
    return this.repo()
      .manager.getRepository(ResponseAnswer)
      .find({ where: { responseId: In(responseIds), authorityId: RequestContext.authorityId() } });
  }
}

@Injectable()
export class AttachmentRepository extends TenantRepository<Attachment> {
  constructor(dataSource: DataSource) {
    super(dataSource, Attachment);
  }

  async insert(attachment: Attachment): Promise<void> {
    await this.repo().insert({ ...attachment, authorityId: RequestContext.authorityId() });
  }

  ofResponses(responseIds: string[]): Promise<Attachment[]> {
    if (responseIds.length === 0) return Promise.resolve([]);
    return this.find({ where: { responseId: In(responseIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}

@Injectable()
export class OutcomeRepository extends TenantRepository<Outcome> {
  constructor(dataSource: DataSource) {
    super(dataSource, Outcome);
  }

  async insert(outcome: Outcome, links: OutcomeDeadline[]): Promise<void> {
    const authorityId = RequestContext.authorityId();
    await this.repo().insert({ ...outcome, authorityId });
    if (links.length)
      await this.repo()
        .manager.getRepository(OutcomeDeadline)
        .insert(links.map((link) => ({ ...link, authorityId })));
  }

  forCase(caseId: string): Promise<Outcome[]> {
    return this.find({ where: { caseId }, order: { decidedAt: 'ASC', createdAt: 'ASC' } });
  }

  linksOf(outcomeIds: string[]): Promise<OutcomeDeadline[]> {
    if (outcomeIds.length === 0) return Promise.resolve([]);
    return this.repo()
      .manager.getRepository(OutcomeDeadline)
      .find({ where: { outcomeId: In(outcomeIds), authorityId: RequestContext.authorityId() } });
  }
}
