import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { RequestContext, TenantRepository } from '#docket/platform';
import { Inquiry, type DeliveryNote } from './inquiry.entity.js';

/** The caller's authority's inquiries (mail outcomes are recorded acting for the message's authority). */
@Injectable()
export class InquiryRepository extends TenantRepository<Inquiry> {
  constructor(dataSource: DataSource) {
    super(dataSource, Inquiry);
  }

  byId(id: string): Promise<Inquiry | null> {
    return this.findOne({ id });
  }

  forCase(caseId: string): Promise<Inquiry[]> {
    return this.find({ where: { caseId }, order: { createdAt: 'ASC' } });
  }

  byIds(ids: string[]): Promise<Inquiry[]> {
    return ids.length ? this.find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  /** The status and deadline of these inquiries (not their letters). */
  statesOf(ids: string[]): Promise<Pick<Inquiry, 'id' | 'status' | 'deadlineId'>[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.query('inquiry')
      .select(['inquiry.id', 'inquiry.status', 'inquiry.deadlineId'])
      .andWhere('inquiry.id = ANY(:ids)', { ids })
      .getMany();
  }

  /** The inquiry whose letter is this outbound message. */
  ofMessage(outboundMessageId: string): Promise<Inquiry | null> {
    return this.findOne({ outboundMessageId });
  }

  /** A new inquiry (its id made by the caller). */
  async add(inquiry: Inquiry): Promise<Inquiry> {
    return this.insertNew(inquiry);
  }

  /** New inquiries (their ids made by the caller), in one statement. */
  addAll(inquiries: Inquiry[]): Promise<Inquiry[]> {
    return this.insertAllNew(inquiries);
  }

  /** Changes the inquiry whose letter is this outbound message, in one statement; its id and case, or null. */
  async changeOfMessage(
    outboundMessageId: string,
    changes: Partial<Inquiry>,
  ): Promise<Pick<Inquiry, 'id' | 'authorityId' | 'caseId'> | null> {
    const { raw } = (await this.repo()
      .createQueryBuilder()
      .update()
      .set(changes)
      .where(this.scoped({ outboundMessageId }))
      .returning(['id', 'authorityId', 'caseId'])
      .execute()) as { raw: { id: string; authority_id: string; case_id: string }[] };
    const [row] = raw;
    return row ? { id: row.id, authorityId: row.authority_id, caseId: row.case_id } : null;
  }

  /**
   * Records the letters of these outbound messages sent, in one statement: each inquiry's id and case (those of
   * another authority, or of no inquiry, are left out).
   */
  async markSent(
    sent: { outboundMessageId: string; messageId: string | null; smtpResponse: string | null }[],
    sentAt: Date,
  ): Promise<Pick<Inquiry, 'id' | 'authorityId' | 'caseId' | 'outboundMessageId'>[]> {
    if (sent.length === 0) return [];
    const [rows] = (await this.repo().manager.query(
      `UPDATE inquiries AS i
          SET status = 'sent', sent_at = $1, message_id = v.message_id, smtp_response = v.smtp_response,
              last_error = NULL
         FROM unnest($2::uuid[], $3::text[], $4::text[]) AS v(outbound_message_id, message_id, smtp_response)
        WHERE i.outbound_message_id = v.outbound_message_id AND i.authority_id = $5
        RETURNING i.id, i.authority_id, i.case_id, i.outbound_message_id`,
      [
        sentAt,
        sent.map((entry) => entry.outboundMessageId),
        sent.map((entry) => entry.messageId),
        sent.map((entry) => entry.smtpResponse),
        RequestContext.authorityId(),
      ],
    )) as [{ id: string; authority_id: string; case_id: string; outbound_message_id: string }[], number];
    return rows.map((row) => ({
      id: row.id,
      authorityId: row.authority_id,
      caseId: row.case_id,
      outboundMessageId: row.outbound_message_id,
    }));
  }

  async change(id: string, changes: Partial<Inquiry>): Promise<void> {
    await this.repo().update(this.scoped({ id }), changes);
  }

  /** Notes a bounce or an automatic reply on the inquiry (appended to its delivery notes). */
  async addDeliveryNote(id: string, note: DeliveryNote): Promise<void> {
    await this.repo().manager.query(
      `UPDATE inquiries SET delivery_notes = delivery_notes || $2::jsonb WHERE id = $1 AND authority_id = $3`,
      [id, JSON.stringify([note]), RequestContext.authorityId()],
    );
  }

  /** A failed letter sent again: its inquiry is queued again. */
  async requeueFailed(outboundMessageId: string): Promise<void> {
    await this.repo().update(this.scoped({ outboundMessageId, status: 'failed' }), {
      status: 'queued',
      lastError: null,
    });
  }
}
