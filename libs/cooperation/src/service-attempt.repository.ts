import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { ServiceAttempt } from './procedure.entities.js';

/** The caller's authority's attempts at serving the organisation of its cases. */
@Injectable()
export class ServiceAttemptRepository extends TenantRepository<ServiceAttempt> {
  constructor(dataSource: DataSource) {
    super(dataSource, ServiceAttempt);
  }

  forCase(caseId: string): Promise<ServiceAttempt[]> {
    return this.find({ where: { caseId }, order: { attemptedAt: 'ASC', id: 'ASC' } });
  }

  /** A new attempt (the caller's authority is stamped by the repository). */
  add(attempt: Omit<ServiceAttempt, 'id' | 'authorityId'>): Promise<ServiceAttempt> {
    return this.save(this.repo().create(attempt as ServiceAttempt));
  }
}
