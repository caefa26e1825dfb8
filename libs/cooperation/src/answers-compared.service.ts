import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '#docket/audit';
import { CasesService } from '#docket/cases';
import { IdentityService } from '#docket/identity';
import { Clock, RequestContext, UnitOfWork, ValidationProblem } from '#docket/platform';
import { OrganisationsService } from '#docket/registry';
import { AnswerInconsistency, CaseAnswerSharing } from './procedure.entities.js';

export interface ComparedAnswer {
  authority: string;
  own: boolean;
  caseReference: string | null;
  questionId: string;
  question: string | null;
  askedAt: string | null;
  receivedAt: string;
  responseSummary: string;
  assessment: string;
  note: string | null;
}

export interface ComparedTopic {
  topic: string;
  divergent: boolean;
  reasons: string[];
  answers: ComparedAnswer[];
}

export interface AnswersCompared {
  organisation: { id: string; legalName: string };
  authorities: string[];
  topics: ComparedTopic[];
}

/**
 * A declared read model over other contexts' tables (test/architecture.spec.ts, READ_MODELS): the provider's answers
 * to every authority that chose to share them, topic by topic. Its own authority always sees its own answers; another
 * authority's only while that case is shared for coordination and its answers are shared into the comparison. One
 * statement, because the rule of what crosses authorities is this WHERE clause: through the owners' services it
 * would take a cross-authority read in each of cases, decisions and correspondence.
 */
const ANSWERS_SQL = `
  SELECT a.code AS authority, c.authority_id = $2 AS own, c.reference, ra.topic, ra.question_id,
         q.text AS question, i.sent_at AS asked_at, r.received_at, r.summary, ra.assessment, ra.note
  FROM cases c
  JOIN authorities a ON a.id = c.authority_id
  JOIN responses r ON r.case_id = c.id
  JOIN response_answers ra ON ra.response_id = r.id
  JOIN inquiries i ON i.id = r.inquiry_id
  LEFT JOIN LATERAL (
    SELECT element->>'text' AS text FROM jsonb_array_elements(i.questions) element
    WHERE element->>'id' = ra.question_id LIMIT 1) q ON true
  LEFT JOIN case_answer_sharing s ON s.case_id = c.id
  WHERE c.organisation_id = $1 AND (c.authority_id = $2 OR (c.shared_for_coordination AND s.shared IS TRUE))
  ORDER BY ra.topic, a.code, r.received_at, ra.question_number`;

@Injectable()
export class AnswersComparedService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly organisations: OrganisationsService,
    private readonly identity: IdentityService,
  ) {}

  async compare(organisationId: string): Promise<AnswersCompared> {
    const self = RequestContext.authorityId();
    const organisation = await this.organisations.require(organisationId);
    const rows = (await this.unitOfWork.manager().query(ANSWERS_SQL, [organisationId, self])) as {
      authority: string;
      own: boolean;
      reference: string;
      topic: string;
      question_id: string;
      question: string | null;
      asked_at: Date | null;
      received_at: Date;
      summary: string;
      assessment: string;
      note: string | null;
    }[];
    const visible = new Set(rows.map((row) => row.authority));
    const flags = await this.flags(organisationId);
    const topics = new Map<string, ComparedTopic>();
    for (const row of rows) {
      const topic = topics.get(row.topic) ?? { topic: row.topic, divergent: false, reasons: [], answers: [] };
      topic.answers.push({
        authority: row.authority,
        own: row.own,
        caseReference: row.own ? row.reference : null,
        questionId: row.question_id,
        question: row.question,
        askedAt: row.asked_at?.toISOString() ?? null,
        receivedAt: row.received_at.toISOString(),
        responseSummary: row.summary,
        assessment: row.assessment,
        note: row.note,
      });
      topics.set(row.topic, topic);
    }
    for (const topic of topics.values()) {
      const byAuthority = new Map<string, Set<string>>();
      for (const answer of topic.answers) {
        byAuthority.set(answer.authority, (byAuthority.get(answer.authority) ?? new Set()).add(answer.assessment));
      }
      const assessments = new Set(topic.answers.map((answer) => answer.assessment));
      if (byAuthority.size > 1 && assessments.size > 1) {
        topic.reasons.push(
          `Assessments differ: ${[...byAuthority].map(([code, values]) => `${code} ${[...values].join('/')}`).join(', ')}`,
        );
      }
      for (const flag of flags) {
        if (flag.topic === topic.topic && visible.has(flag.authority) && visible.has(flag.other)) {
          topic.reasons.push(`${flag.authority} marked its answer inconsistent with ${flag.other}'s: ${flag.note}`);
        }
      }
      topic.divergent = topic.reasons.length > 0;
    }
    return {
      organisation: { id: organisation.id, legalName: organisation.legalName },
      authorities: [...visible].sort(),
      topics: [...topics.values()],
    };
  }

  /** The inconsistencies marked about an organisation, oldest first, with the codes of the two authorities. */
  private async flags(
    organisationId: string,
  ): Promise<{ topic: string; note: string; authority: string; other: string }[]> {
    const flags = await this.unitOfWork
      .manager()
      .find(AnswerInconsistency, { where: { organisationId }, order: { createdAt: 'ASC' } });
    const authorities = await this.identity.authoritiesBy('id', [
      ...new Set(flags.flatMap((flag) => [flag.authorityId, flag.otherAuthorityId])),
    ]);
    const code = new Map(authorities.map((authority) => [authority.id, authority.code]));
    return flags.map((flag) => ({
      topic: flag.topic,
      note: flag.note,
      authority: code.get(flag.authorityId) ?? '',
      other: code.get(flag.otherAuthorityId) ?? '',
    }));
  }

  /** The caller's authority's cases about the organisation and whether each one's answers are shared. */
  async mySharing(
    organisationId: string,
  ): Promise<{ caseId: string; reference: string; title: string; shared: boolean }[]> {
    const cases = await this.cases.ofOrganisation(organisationId);
    const sharing = cases.length
      ? await this.unitOfWork
          .manager()
          .find(CaseAnswerSharing, { where: { caseId: In(cases.map((kase) => kase.id)), shared: true } })
      : [];
    const shared = new Set(sharing.map((row) => row.caseId));
    return cases.map((kase) => ({
      caseId: kase.id,
      reference: kase.reference,
      title: kase.title,
      shared: shared.has(kase.id),
    }));
  }

  /** Shares (or stops sharing) the provider's answers in one of the caller's cases into the comparison. */
  async setSharing(caseId: string, shared: boolean): Promise<{ caseId: string; shared: boolean }> {
    return this.unitOfWork.run(async (manager) => {
      const kase = await this.cases.require(caseId);
      const current = await manager.findOne(CaseAnswerSharing, { where: { caseId: kase.id } });
      if ((current?.shared ?? false) !== shared) {
        await manager.save(
          manager.create(CaseAnswerSharing, {
            caseId: kase.id,
            authorityId: kase.authorityId,
            shared,
            changedAt: this.clock.now(),
            changedBy: RequestContext.actor().label,
          }),
        );
        await this.audit.record({
          action: shared ? 'case.answers_shared' : 'case.answers_unshared',
          entityType: 'case',
          entityId: kase.id,
          caseId: kase.id,
          before: { shared: current?.shared ?? false },
          after: { shared },
        });
      }
      return { caseId: kase.id, shared };
    });
  }

  /** Staff of the caller's authority mark its answer on a topic as inconsistent with another authority's. */
  async markInconsistent(organisationId: string, topic: string, otherCode: string, note: string) {
    const compared = await this.compare(organisationId);
    const self = RequestContext.authorityId();
    const entry = compared.topics.find((candidate) => candidate.topic === topic);
    const mine = entry?.answers.some((answer) => answer.own);
    if (!entry || !mine)
      throw new ValidationProblem([
        {
          field: 'topic',
          message: `your authority has no recorded answer of this provider on ${topic}`,
          key: 'coop.refusal.noOwnAnswer',
          params: { topic },
        },
      ]);
    const other = entry.answers.find((answer) => !answer.own && answer.authority === otherCode.toUpperCase());
    if (!other)
      throw new ValidationProblem([
        {
          field: 'otherAuthority',
          message: `no answer of ${otherCode} on ${topic} is shared with your authority`,
          key: 'coop.refusal.noSharedAnswer',
          params: { authority: otherCode, topic },
        },
      ]);
    return this.unitOfWork.run(async (manager) => {
      const otherAuthority = await this.identity.authorityByCode(other.authority);
      const flag = await manager.save(
        manager.create(AnswerInconsistency, {
          organisationId,
          authorityId: self,
          topic,
          otherAuthorityId: otherAuthority.id,
          note,
          createdBy: RequestContext.actor().label,
          createdAt: this.clock.now(),
        }),
      );
      await this.audit.record({
        action: 'answers.inconsistency_marked',
        entityType: 'organisation',
        entityId: organisationId,
        after: { topic, other: other.authority, note },
      });
      return { id: flag.id, topic, otherAuthority: other.authority, note };
    });
  }
}
