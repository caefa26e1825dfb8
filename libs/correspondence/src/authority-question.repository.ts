import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { AuthorityQuestion } from './authority-question.entity.js';

/** The caller's authority's own questions, every version kept. */
@Injectable()
export class AuthorityQuestionRepository extends TenantRepository<AuthorityQuestion> {
  constructor(dataSource: DataSource) {
    super(dataSource, AuthorityQuestion);
  }

  /** Every version of one question, oldest first. */
  versions(questionId: string): Promise<AuthorityQuestion[]> {
    return this.find({ where: { questionId }, order: { version: 'ASC' } });
  }

  /** The newest version of each question. */
  current(): Promise<AuthorityQuestion[]> {
    return this.query('question')
      .distinctOn(['question.questionId'])
      .orderBy('question.questionId')
      .addOrderBy('question.version', 'DESC')
      .getMany();
  }

  newest(questionId: string): Promise<AuthorityQuestion | null> {
    return this.query('question')
      .andWhere('question.questionId = :questionId', { questionId })
      .orderBy('question.version', 'DESC')
      .getOne();
  }

  /** A new version (the caller's authority is stamped by the repository). */
  add(version: Omit<AuthorityQuestion, 'id' | 'authorityId' | 'createdAt'>) {
    return this.save(this.repo().create(version as AuthorityQuestion));
  }
}
