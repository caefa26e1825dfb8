import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type FindOptionsWhere, type SelectQueryBuilder } from 'typeorm';
import type { CaseIdsSubquery } from '#docket/cases';
import { RequestContext, TenantRepository } from '#docket/platform';
import { InboundMessage } from './inbound-message.entity.js';

/** A received message filed to an authority (those in the sysadmin's triage have none). */
type FiledMessage = InboundMessage & { authorityId: string };

/**
 * The caller's inbox: the received messages of its authority, or, for the sysadmin, the messages no authority
 * could be found for (triage, authority none). Both scopes come from the request context, never from the caller.
 */
@Injectable()
export class InboundMessageRepository extends TenantRepository<FiledMessage> {
  constructor(dataSource: DataSource) {
    super(dataSource, InboundMessage as never);
  }

  private sysadmin(): boolean {
    return RequestContext.actor().role === 'sysadmin';
  }

  /** The caller's inbox as a find condition. */
  private inboxWhere(where: FindOptionsWhere<InboundMessage> = {}): FindOptionsWhere<InboundMessage> {
    return this.sysadmin() ? { ...where, authorityId: IsNull() } : (this.scoped(where as never) as never);
  }

  /** The caller's inbox as a query builder. */
  inbox(alias: string): SelectQueryBuilder<InboundMessage> {
    if (!this.sysadmin()) return this.query(alias) as never;
    return this.repo().createQueryBuilder(alias).where(`${alias}.authority_id IS NULL`) as never;
  }

  inInbox(id: string): Promise<InboundMessage | null> {
    return this.repo().findOne({ where: this.inboxWhere({ id }) as never });
  }

  /** The start of each message's text; ids outside the caller's inbox are left out. */
  async previews(ids: string[], length: number): Promise<{ id: string; preview: string }[]> {
    return (await this.inbox('message')
      .select('message.id', 'id')
      .addSelect('left(message.text_body, :length)', 'preview')
      .andWhere('message.id IN (:...ids)', { ids })
      .setParameter('length', length)
      .getRawMany()) as { id: string; preview: string }[];
  }

  forCase(caseId: string): Promise<InboundMessage[]> {
    return this.find({ where: { caseId }, order: { receivedAt: 'ASC' } });
  }

  /** The authority's drafts waiting for review (each of a case), optionally of these cases only (a subquery). */
  draftsToReview(cases?: CaseIdsSubquery): SelectQueryBuilder<InboundMessage> {
    const query = this.query('message').andWhere("message.status = 'draft' AND message.case_id IS NOT NULL");
    if (cases) query.andWhere(`message.case_id IN (${cases.sql})`, cases.parameters);
    return query;
  }

  /** When the oldest draft reply to the inquiry arrived, or null when none waits. */
  async oldestDraftOf(inquiryId: string): Promise<Date | null> {
    const [row] = (await this.repo().manager.query(
      `SELECT min(received_at) AS since FROM inbound_messages WHERE inquiry_id = $1 AND authority_id = $2 AND status = 'draft'`,
      [inquiryId, RequestContext.authorityId()],
    )) as { since: Date | null }[];
    return row?.since ? new Date(row.since) : null;
  }

  /**
   * Claims a draft for confirmation; false when it was confirmed or dismissed meanwhile. Committed at once, outside
   * any transaction of the caller (the data source's own statement): a second officer confirming sees the claim
   * before the response is recorded, and the claim survives the recording's rollback until releaseDraft.
   */
  async claimDraft(id: string, handledBy: string, at: Date): Promise<boolean> {
    const claimed = (await this.dataSource.query(
      `UPDATE inbound_messages SET status = 'confirmed', handled_by = $3, handled_at = $4 WHERE id = $1 AND authority_id = $2 AND status = 'draft' RETURNING id`,
      [id, RequestContext.authorityId(), handledBy, at],
    )) as [unknown[], number];
    return claimed[1] !== 0;
  }

  /** Gives a claimed draft back (recording its response failed); committed at once, as claimDraft. */
  async releaseDraft(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE inbound_messages SET status = 'draft', handled_by = NULL, handled_at = NULL WHERE id = $1 AND authority_id = $2 AND status = 'confirmed' AND response_id IS NULL`,
      [id, RequestContext.authorityId()],
    );
  }

  /** Changes a message of the caller's inbox while it still has `status`; false when it no longer has. */
  async changeIf(id: string, status: InboundMessage['status'], changes: Partial<InboundMessage>): Promise<boolean> {
    const moved = await this.repo().update(this.inboxWhere({ id, status }) as never, changes as never);
    return Boolean(moved.affected);
  }

  /** The sysadmin files a message of the triage to an authority's inbox; false when it was filed meanwhile. */
  async fileToAuthority(id: string, authorityId: string): Promise<boolean> {
    if (!this.sysadmin()) return false;
    const moved = await this.repo().update(
      { id, authorityId: IsNull(), status: 'triage' } as never,
      { authorityId } as never,
    );
    return Boolean(moved.affected);
  }

  /** A message of the caller's authority (or, acting for it, of the authority it was just filed to). */
  byId(id: string): Promise<InboundMessage | null> {
    return this.findOne({ id });
  }
}
