import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { OutboundMessage } from './outbound-message.entity.js';

/** The caller's authority's outbox: the mail it sent or is sending (for its pages and API). */
@Injectable()
export class OutboundMessageRepository extends TenantRepository<OutboundMessage> {
  constructor(dataSource: DataSource) {
    super(dataSource, OutboundMessage);
  }

  /** A query builder over the caller's authority's messages, aliased `m`. */
  messages(): SelectQueryBuilder<OutboundMessage> {
    return this.query('m');
  }

  byId(id: string): Promise<OutboundMessage | null> {
    return this.findOne({ id });
  }
}
