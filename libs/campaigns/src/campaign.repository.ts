import { Injectable } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { overdueSql, type DeadlineStatus } from '#docket/deadlines';
import { RequestContext, TenantRepository } from '#docket/platform';
import { Campaign, CampaignTarget, type TargetStatus } from './campaign.entity.js';

/**
 * Where each target of the campaigns $1 (authority $2) stands at $3, in one set-based pass over the campaign's own
 * rows and what the owning contexts said of its letters ($4, `TargetFacts` as JSON): `answered` once a response is
 * recorded for its inquiry or its deadline is met (in place of queued or sent); `overdue` when sent, unanswered and its
 * deadline missed or past due (a suspended deadline is never overdue).
 */
const PROGRESS_SQL = `
  WITH letter AS (
    SELECT * FROM jsonb_to_recordset($4::jsonb -> 'letters')
      AS l(inquiry_id uuid, deadline_status text, due_at timestamptz, due_date text, responded boolean)
  ), progress AS (
    SELECT t.campaign_id, t.organisation_id, t.position, t.case_id, t.attached_to_existing, t.inquiry_id, t.error,
           t.error_code, t.error_params, t.attempt, t.updated_at, l.due_date,
           CASE WHEN a.answered THEN 'answered' ELSE t.status END AS progress_status,
           COALESCE(NOT a.answered AND t.status = 'sent'
                    AND ${overdueSql({ status: 'l.deadline_status', dueAt: 'l.due_at' }, '$3')}, false) AS overdue
      FROM campaign_targets t
      LEFT JOIN letter l ON l.inquiry_id = t.inquiry_id
      CROSS JOIN LATERAL (
        SELECT t.status IN ('queued', 'sent', 'answered')
               AND (l.deadline_status IS NOT DISTINCT FROM 'met' OR COALESCE(l.responded, false)) AS answered
      ) a
     WHERE t.campaign_id = ANY($1) AND t.authority_id = $2
  )`;

/** The columns of one target's progress row, with its organisation's name and its case's reference. */
const TARGET_COLUMNS = `p.organisation_id, p.position, o.legal_name, p.case_id, c.reference, p.attached_to_existing,
       p.inquiry_id, p.progress_status, p.error, p.error_code, p.error_params, p.attempt, p.updated_at, p.due_date,
       p.overdue`;
const TARGET_JOINS = `FROM progress p
         JOIN jsonb_to_recordset($4::jsonb -> 'organisations') AS o(id uuid, legal_name text) ON o.id = p.organisation_id
         LEFT JOIN jsonb_to_recordset($4::jsonb -> 'cases') AS c(id uuid, reference text) ON c.id = p.case_id`;

/**
 * What the owning contexts say of a campaign's targets, each read through its service in one batch: per letter
 * (inquiry) its deadline (correspondence, deadlines) and whether a response is recorded (decisions); the names of
 * the organisations (registry) and the references of the cases (cases) when rows are listed, not only counted.
 */
export interface TargetFacts {
  letters: {
    inquiry_id: string;
    deadline_status: DeadlineStatus | null;
    due_at: Date | null;
    due_date: string | null;
    responded: boolean;
  }[];
  organisations: { id: string; legal_name: string }[];
  cases: { id: string; reference: string }[];
}

/** A target's own references to other contexts' rows, from which `TargetFacts` are read. */
export type TargetLinks = Pick<CampaignTarget, 'organisationId' | 'caseId' | 'inquiryId'>;

export interface TargetRow {
  organisation_id: string;
  position: number;
  legal_name: string;
  case_id: string | null;
  reference: string | null;
  attached_to_existing: boolean;
  inquiry_id: string | null;
  progress_status: TargetStatus;
  error: string | null;
  error_code: string | null;
  error_params: Record<string, string | number | boolean> | null;
  attempt: number;
  updated_at: Date;
  due_date: string | null;
  overdue: boolean;
}

export interface ProgressCounts {
  campaign_id: string;
  total: number;
  pending: number;
  queued: number;
  sent: number;
  failed: number;
  answered: number;
  overdue: number;
}

/** The caller's authority's campaigns. */
@Injectable()
export class CampaignRepository extends TenantRepository<Campaign> {
  constructor(dataSource: DataSource) {
    super(dataSource, Campaign);
  }

  byId(id: string): Promise<Campaign | null> {
    return this.findOne({ id });
  }

  async add(campaign: Campaign): Promise<void> {
    campaign.authorityId = RequestContext.authorityId();
    await this.repo().insert(campaign);
  }

  /** A query builder over the authority's campaigns, aliased `campaign`. */
  campaigns(): SelectQueryBuilder<Campaign> {
    return this.query('campaign');
  }
}

type TargetKey = Pick<CampaignTarget, 'campaignId' | 'organisationId' | 'status' | 'attempt'>;

/** The case a fan-out job opened (or found) for its target, at the target's attempt, in its campaign's authority. */
export type OpenedCase = Pick<CampaignTarget, 'campaignId' | 'organisationId' | 'attempt' | 'authorityId'> & {
  caseId: string;
  attached: boolean;
};

/** The organisations of the caller's authority's campaigns, and where each stands. */
@Injectable()
export class CampaignTargetRepository extends TenantRepository<CampaignTarget> {
  constructor(dataSource: DataSource) {
    super(dataSource, CampaignTarget);
  }

  async addAll(targets: Partial<CampaignTarget>[]): Promise<void> {
    const authorityId = RequestContext.authorityId();
    for (let start = 0; start < targets.length; start += 1000)
      await this.repo().insert(
        targets.slice(start, start + 1000).map((target) => ({ ...target, authorityId }) as CampaignTarget),
      );
  }

  /**
   * The targets of these (campaign, organisation) pairs, each with its campaign, of any authority: for the fan-out
   * jobs, which carry ids only and act as each campaign's author.
   */
  withCampaigns(pairs: [campaignId: string, organisationId: string][]): Promise<CampaignTarget[]> {
    return this.dataSource
      .getRepository(CampaignTarget)
      .createQueryBuilder('target')
      .innerJoinAndSelect('target.campaign', 'campaign')
      .where(
        '(target.campaignId, target.organisationId) IN (SELECT * FROM unnest(CAST(:campaignIds AS uuid[]), CAST(:organisationIds AS uuid[])))',
        { campaignIds: pairs.map(([campaignId]) => campaignId), organisationIds: pairs.map(([, id]) => id) },
      )
      .getMany();
  }

  /** The targets of a campaign still pending (their organisation and attempt). */
  pendingOf(campaignId: string): Promise<Pick<CampaignTarget, 'organisationId' | 'attempt'>[]> {
    return this.repo().find({
      select: { organisationId: true, attempt: true },
      where: this.scoped({ campaignId, status: 'pending' }),
    });
  }

  /** The failed targets of a campaign pending again at their next attempt; each with the inquiry that failed. */
  async reopenFailed(
    campaignId: string,
    now: Date,
  ): Promise<{ organisation_id: string; attempt: number; failed_inquiry_id: string | null }[]> {
    const rows = (await this.repo().manager.query(
      `WITH failed AS (
         SELECT organisation_id, inquiry_id FROM campaign_targets
          WHERE campaign_id = $1 AND authority_id = $2 AND status = 'failed' FOR UPDATE)
       UPDATE campaign_targets AS t SET status = 'pending', error = NULL, error_code = NULL, error_params = NULL, inquiry_id = NULL, attempt = t.attempt + 1, updated_at = $3
         FROM failed WHERE t.campaign_id = $1 AND t.organisation_id = failed.organisation_id
       RETURNING t.organisation_id, t.attempt, failed.inquiry_id AS failed_inquiry_id`,
      [campaignId, RequestContext.authorityId(), now],
    )) as [{ organisation_id: string; attempt: number; failed_inquiry_id: string | null }[], number];
    return rows[0];
  }

  /** Changes a target while it is at `key` (status and attempt); false when it no longer is. */
  async changeAt(key: TargetKey, changes: Partial<CampaignTarget>): Promise<boolean> {
    const changed = await this.repo().update(this.scoped(key), changes);
    return Boolean(changed.affected);
  }

  /**
   * Records the inquiries of a campaign's letters on their targets (`queued`), each only while it is pending at the
   * letter's attempt: one statement for a batch of letters. Returns how many targets it moved.
   */
  async claimLetters(
    campaignId: string,
    letters: { organisationId: string; attempt: number; caseId: string; attached: boolean; inquiryId: string }[],
    now: Date,
  ): Promise<number> {
    const [, moved] = (await this.repo().manager.query(
      `UPDATE campaign_targets AS t
          SET case_id = l.case_id, attached_to_existing = l.attached, inquiry_id = l.inquiry_id, status = 'queued',
              error = NULL, error_code = NULL, error_params = NULL, updated_at = $3
         FROM jsonb_to_recordset($4::jsonb) AS l (organisation_id uuid, attempt integer, case_id uuid, attached boolean, inquiry_id uuid)
        WHERE t.campaign_id = $1 AND t.authority_id = $2 AND t.organisation_id = l.organisation_id
          AND t.status = 'pending' AND t.attempt = l.attempt`,
      [
        campaignId,
        RequestContext.authorityId(),
        now,
        JSON.stringify(
          letters.map((letter) => ({
            organisation_id: letter.organisationId,
            attempt: letter.attempt,
            case_id: letter.caseId,
            attached: letter.attached,
            inquiry_id: letter.inquiryId,
          })),
        ),
      ],
    )) as [unknown, number];
    return Number(moved);
  }

  /**
   * Keeps the cases fan-out jobs opened (or found) on their targets, each while it is pending at its attempt, in its
   * campaign's authority (the jobs of a batch may act for several): one statement for many.
   */
  async keepCases(opened: OpenedCase[], now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE campaign_targets AS t SET case_id = o.case_id, attached_to_existing = o.attached, updated_at = $1
         FROM jsonb_to_recordset($2::jsonb) AS o (campaign_id uuid, organisation_id uuid, attempt integer, authority_id uuid, case_id uuid, attached boolean)
        WHERE t.campaign_id = o.campaign_id AND t.organisation_id = o.organisation_id AND t.authority_id = o.authority_id
          AND t.status = 'pending' AND t.attempt = o.attempt`,
      [
        now,
        JSON.stringify(
          opened.map((target) => ({
            campaign_id: target.campaignId,
            organisation_id: target.organisationId,
            attempt: target.attempt,
            authority_id: target.authorityId,
            case_id: target.caseId,
            attached: target.attached,
          })),
        ),
      ],
    );
  }

  /** Changes the target whose letter is this inquiry, while its status is one of `statuses`. */
  async changeOfInquiry(
    inquiryId: string,
    statuses: CampaignTarget['status'][],
    changes: Partial<CampaignTarget>,
  ): Promise<void> {
    await this.repo().update(this.scoped({ inquiryId, status: In(statuses) }), changes);
  }

  /** `changeOfInquiry` for the targets of several inquiries, in one statement. */
  async changeOfInquiries(
    inquiryIds: string[],
    statuses: CampaignTarget['status'][],
    changes: Partial<CampaignTarget>,
  ): Promise<void> {
    if (inquiryIds.length)
      await this.repo().update(this.scoped({ inquiryId: In(inquiryIds), status: In(statuses) }), changes);
  }

  /** What the targets of these campaigns point to in other contexts: their organisation, case and letter. */
  linksOf(campaignIds: string[]): Promise<TargetLinks[]> {
    return this.query('target')
      .select(['target.organisationId', 'target.caseId', 'target.inquiryId'])
      .andWhere('target.campaignId = ANY(:campaignIds)', { campaignIds })
      .getMany();
  }

  /** Every target of a campaign with where it stands at `at`, in the order given. */
  targetRows(campaignId: string, at: Date, facts: TargetFacts): Promise<TargetRow[]> {
    return this.dataSource.query(
      `${PROGRESS_SQL}
       SELECT ${TARGET_COLUMNS}
         ${TARGET_JOINS}
        ORDER BY p.position`,
      [[campaignId], RequestContext.authorityId(), at, JSON.stringify(facts)],
    );
  }

  /**
   * How many targets of a campaign match `where` (SQL over the progress rows `p`; its parameters from $5), and one
   * page of them in `orderBy` with the sort value `sortValue`.
   */
  async targetPageRows(
    campaignId: string,
    at: Date,
    facts: TargetFacts,
    filter: { where: string[]; parameters: unknown[] },
    page: { where?: string; parameters: unknown[]; orderBy: string; sortValue: string; limit: number },
  ): Promise<{ total: number; rows: (TargetRow & { sort_value: string })[] }> {
    const base = [[campaignId], RequestContext.authorityId(), at, JSON.stringify(facts), ...filter.parameters];
    const [{ total }] = (await this.dataSource.query(
      `${PROGRESS_SQL} SELECT count(*)::int AS total FROM progress p WHERE ${filter.where.join(' AND ')}`,
      base,
    )) as { total: number }[];
    const where = [...filter.where, ...(page.where ? [page.where] : [])];
    const rows = (await this.dataSource.query(
      `${PROGRESS_SQL}
       SELECT ${TARGET_COLUMNS},
              (${page.sortValue})::text AS sort_value
         ${TARGET_JOINS}
        WHERE ${where.join(' AND ')}
        ORDER BY ${page.orderBy}
        LIMIT ${page.limit}`,
      [...base, ...page.parameters],
    )) as (TargetRow & { sort_value: string })[];
    return { total, rows };
  }

  /** The counts of each campaign, aggregated in PostgreSQL by the rule `targetRows` shows per organisation. */
  progressCounts(campaignIds: string[], at: Date, facts: Pick<TargetFacts, 'letters'>): Promise<ProgressCounts[]> {
    return this.dataSource.query(
      `${PROGRESS_SQL}
       SELECT campaign_id,
              count(*)::int AS total,
              count(*) FILTER (WHERE progress_status = 'pending')::int AS pending,
              count(*) FILTER (WHERE progress_status = 'queued')::int AS queued,
              count(*) FILTER (WHERE progress_status = 'sent')::int AS sent,
              count(*) FILTER (WHERE progress_status = 'failed')::int AS failed,
              count(*) FILTER (WHERE progress_status = 'answered')::int AS answered,
              count(*) FILTER (WHERE overdue)::int AS overdue
         FROM progress GROUP BY campaign_id`,
      [campaignIds, RequestContext.authorityId(), at, JSON.stringify(facts)],
    );
  }
}
