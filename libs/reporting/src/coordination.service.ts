import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFound, RequestContext } from '#docket/platform';
import { AHEAD_STATUSES, statusInSql } from '#docket/deadlines';
import type { CoordinationCaseView, CoordinationOrganisationView, CoordinationView } from './dto.js';

/**
 * The one place where an authority reads other authorities' data, on purpose and read-only: the cases
 * their owners chose to share, reduced to what coordination needs. These are dedicated queries that
 * name every column they return; the tenant repositories stay as strict as ever. Never notes,
 * assessments, assignees, tags, risk flags or anything of a case that is not shared.
 */
export const COORDINATION_SQL = {
  organisations: `
    SELECT o.id, o.legal_name, o.country, count(*)::int AS cases, array_agg(DISTINCT a.code ORDER BY a.code) AS authorities
    FROM cases c JOIN organisations o ON o.id = c.organisation_id JOIN authorities a ON a.id = c.authority_id
    WHERE c.shared_for_coordination
    GROUP BY o.id, o.legal_name, o.country
    ORDER BY o.legal_name, o.id`,
  organisation: `SELECT id, legal_name, country FROM organisations WHERE id = $1`,
  cases: `
    SELECT a.code AS authority_code, a.name AS authority_name, a.country AS authority_country, c.authority_id = $2 AS own,
           c.reference, c.title, c.status, c.created_at, c.closed_at,
           next.due_date AS next_due_date, next.due_at AS next_due_at,
           latest.type AS outcome_type, latest.decided_at AS outcome_decided_at
    FROM cases c
    JOIN authorities a ON a.id = c.authority_id
    LEFT JOIN LATERAL (
      SELECT d.due_date::text AS due_date, d.due_at FROM deadlines d
      WHERE d.case_id = c.id AND ${statusInSql('d.status', AHEAD_STATUSES)} ORDER BY d.due_at LIMIT 1) next ON true
    LEFT JOIN LATERAL (
      SELECT o.type, o.decided_at FROM outcomes o WHERE o.case_id = c.id ORDER BY o.decided_at DESC, o.created_at DESC LIMIT 1) latest ON true
    WHERE c.organisation_id = $1 AND c.shared_for_coordination
    ORDER BY a.code, c.created_at, c.reference`,
} as const;

@Injectable()
export class CoordinationService {
  constructor(private readonly dataSource: DataSource) {}

  /** Organisations with at least one shared case, with the authorities sharing them. */
  async organisations(): Promise<CoordinationOrganisationView[]> {
    RequestContext.authorityId();
    const rows = (await this.dataSource.query(COORDINATION_SQL.organisations)) as {
      id: string;
      legal_name: string;
      country: string;
      cases: number;
      authorities: string[];
    }[];
    return rows.map((row) => ({
      organisationId: row.id,
      name: row.legal_name,
      country: row.country,
      sharedCases: row.cases,
      authorities: row.authorities,
    }));
  }

  /** Every shared case of every authority about one organisation. */
  async forOrganisation(organisationId: string): Promise<CoordinationView> {
    const own = RequestContext.authorityId();
    const [organisation] = (await this.dataSource.query(COORDINATION_SQL.organisation, [organisationId])) as {
      id: string;
      legal_name: string;
      country: string;
    }[];
    if (!organisation) throw new NotFound(`There is no organisation with id ${organisationId}.`);
    const rows = (await this.dataSource.query(COORDINATION_SQL.cases, [organisationId, own])) as Record<
      string,
      unknown
    >[];
    const iso = (value: unknown) => (value ? new Date(value as string | Date).toISOString() : null);
    const cases: CoordinationCaseView[] = rows.map((row) => ({
      authority: {
        code: String(row.authority_code),
        name: String(row.authority_name),
        country: String(row.authority_country),
      },
      ownCase: Boolean(row.own),
      reference: String(row.reference),
      title: String(row.title),
      status: String(row.status),
      openedAt: iso(row.created_at) as string,
      closedAt: iso(row.closed_at),
      nextDueDate: (row.next_due_date as string | null) ?? null,
      nextDueAt: iso(row.next_due_at),
      latestOutcome: row.outcome_type
        ? { type: String(row.outcome_type), decidedAt: iso(row.outcome_decided_at) as string }
        : null,
    }));
    return {
      organisation: { id: organisation.id, name: organisation.legal_name, country: organisation.country },
      authorities: [...new Set(cases.map((c) => c.authority.code))],
      cases,
    };
  }
}
