import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { localDateOf, type PeriodUnit } from '#docket/calendar';
import { CasesService } from '#docket/cases';
import { DocumentsService } from '#docket/documents';
import {
  DeadlinesService,
  type DeadlineRecord,
  type DeadlineKind,
  type DeadlineRule,
  type ReminderPlanItem,
} from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import { RespondentLetters } from '#docket/correspondence';
import { OrganisationsService } from '#docket/registry';
import { Clock, mapInSequence, NotFound, RequestContext, UnitOfWork, ValidationProblem } from '#docket/platform';
import { OutcomeRepository } from './decisions.repository.js';
import { decisionInstant, formatFine, OUTCOME_REMINDERS, outcomeErrors, outcomeWords } from './decision-rules.js';
import type { OutcomeDeadlineRequest, OutcomeRequest, OutcomeView } from './dto.js';
import { Outcome, OutcomeDeadline } from './outcome.entity.js';
import { outcomeView } from './views.js';

function ruleOf(spec: OutcomeDeadlineRequest): DeadlineRule {
  const named = spec.ruleSet === undefined ? {} : { ruleSet: spec.ruleSet };
  return spec.dueDate
    ? { type: 'date', dueDate: spec.dueDate, ...named }
    : { type: 'period', count: spec.count as number, unit: spec.unit as PeriodUnit, ...named };
}

@Injectable()
export class OutcomesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly outcomes: OutcomeRepository,
    private readonly cases: CasesService,
    private readonly deadlines: DeadlinesService,
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly documents: DocumentsService,
    private readonly respondentLetters: RespondentLetters,
    private readonly organisations: OrganisationsService,
  ) {}

  /**
   * Records an outcome; its compliance deadline and follow-up checks are deadlines of the case,
   * counted from the decision, with reminders. The case moves to decided.
   */
  async record(caseId: string, request: OutcomeRequest): Promise<OutcomeView> {
    const authority = await this.identity.currentAuthority();
    const errors = outcomeErrors(request, this.clock.now(), authority.timezone);
    if (errors.length) throw new ValidationProblem(errors);
    const reminderPlan: ReminderPlanItem[] = request.reminders ?? OUTCOME_REMINDERS.map((item) => ({ ...item }));
    this.deadlines.validatePlan(reminderPlan);
    const decidedAt = decisionInstant(request.decidedAt, authority.timezone);

    return this.unitOfWork.run(async () => {
      await this.cases.getForUpdate(caseId);
      const kase = await this.cases.requireOpenCase(caseId);
      const outcome = Object.assign(new Outcome(), {
        id: randomUUID(),
        caseId,
        type: request.type,
        decidedAt,
        summary: request.summary,
        legalBasis: request.legalBasis || null,
        published: request.published ?? false,
        fineAmount: request.type === 'fine' && request.fine ? String(request.fine.amount) : null,
        fineCurrency: request.type === 'fine' && request.fine ? request.fine.currency : null,
        referralTo: request.referralTo ?? null,
        noticeTo: request.noticeTo ?? null,
        createdBy: RequestContext.actor().label,
        createdAt: this.clock.now(),
      });
      const what = `${outcomeWords(request.type)} of ${localDateOf(decidedAt, authority.timezone)}`;
      const planned: { spec: OutcomeDeadlineRequest; kind: DeadlineKind; label: string; field: string }[] = [];
      if (request.compliance)
        planned.push({
          spec: request.compliance,
          kind: 'compliance',
          label: `Compliance with the ${what}`,
          field: 'compliance',
        });
      const checks = request.followUpChecks ?? [];
      checks.forEach((spec, index) =>
        planned.push({
          spec,
          kind: 'follow_up_check',
          label: `Follow-up check ${index + 1} of ${checks.length} of the ${what}`,
          field: `followUpChecks.${index}`,
        }),
      );

      const created: DeadlineRecord[] = [];
      for (const item of planned) {
        created.push(
          await this.createDeadline(
            { caseId, kind: item.kind, label: item.label, eventAt: decidedAt, rule: ruleOf(item.spec), reminderPlan },
            item.field,
          ),
        );
      }
      const links = created.map((deadline, index) =>
        Object.assign(new OutcomeDeadline(), {
          deadlineId: deadline.id,
          outcomeId: outcome.id,
          role: planned[index].kind === 'compliance' ? 'compliance' : 'follow_up_check',
          position: request.compliance ? index : index + 1,
        }),
      );
      // The decision letter, a formal document of the case from its template in the authority's language, mailed
      // to the organisation's contacts in this authority's address book with the case documents it encloses.
      const enclosures = await this.documents.enclosuresFor(caseId, request.attachmentIds);
      outcome.attachments = enclosures;
      const { contacts } = await this.organisations.addressBook(kase.organisationId, authority.id);
      const document = await this.respondentLetters.decision(
        caseId,
        {
          type: outcome.type,
          decidedAt,
          summary: outcome.summary,
          legalBasis: outcome.legalBasis ?? kase.legalBasis ?? null,
          fine: request.type === 'fine' && request.fine ? request.fine : null,
          complianceDueDate: request.compliance ? created[0].dueDate : null,
          followUpCheckDates: created.slice(request.compliance ? 1 : 0).map((deadline) => deadline.dueDate),
          referralTo: outcome.referralTo,
          noticeTo: outcome.noticeTo,
        },
        [...new Set(contacts.map((contact) => contact.email.toLowerCase()))],
        `outcome.${outcome.id}`,
        enclosures,
      );
      outcome.documentId = document.id;
      await this.outcomes.insert(outcome, links);
      await this.audit.record({
        action: 'outcome.recorded',
        entityType: 'outcome',
        entityId: outcome.id,
        caseId,
        after: {
          reference: kase.reference,
          type: outcome.type,
          decidedAt: decidedAt.toISOString(),
          summary: outcome.summary,
          legalBasis: outcome.legalBasis,
          published: outcome.published,
          fine: request.type === 'fine' && request.fine ? formatFine(request.fine.amount, request.fine.currency) : null,
          referralTo: outcome.referralTo,
          noticeTo: outcome.noticeTo,
          documentId: document.id,
          sha256: document.sha256,
          ...(enclosures.length
            ? { attachments: enclosures.map(({ documentId, filename, sha256 }) => ({ documentId, filename, sha256 })) }
            : {}),
          deadlines: created.map((deadline) => ({ id: deadline.id, kind: deadline.kind, dueDate: deadline.dueDate })),
        },
      });
      await this.cases.transition(caseId, 'decide');
      return outcomeView(
        outcome,
        links,
        new Map(created.map((deadline) => [deadline.id, deadline])),
        authority.timezone,
      );
    });
  }

  /** Calendar problems of one deadline are reported under the outcome's field that asked for it. */
  private async createDeadline(
    input: Parameters<DeadlinesService['create']>[0],
    field: string,
  ): Promise<DeadlineRecord> {
    try {
      return await this.deadlines.create(input);
    } catch (error) {
      if (error instanceof ValidationProblem) {
        throw new ValidationProblem(
          error.fieldErrors.map((entry, index) => ({
            field,
            message: `${field}: ${entry.message}`,
            ...(error.apiMessages[index] ?? {}),
          })),
          undefined,
          error.fieldMessages,
        );
      }
      throw error;
    }
  }

  async view(id: string): Promise<OutcomeView> {
    const outcome = await this.outcomes.findOne({ id });
    if (!outcome)
      throw new NotFound(`There is no outcome ${id} in your authority.`).withMessage('problem.outcomes.notFound', {
        id,
      });
    return (await this.views([outcome]))[0];
  }

  async forCase(caseId: string): Promise<OutcomeView[]> {
    return this.views(await this.outcomes.forCase(caseId));
  }

  private async views(outcomes: Outcome[]): Promise<OutcomeView[]> {
    if (outcomes.length === 0) return [];
    const links = await this.outcomes.linksOf(outcomes.map((outcome) => outcome.id));
    const deadlines = await mapInSequence(links, (link) => this.deadlines.get(link.deadlineId));
    const byId = new Map(deadlines.map((deadline) => [deadline.id, deadline]));
    const { timezone } = await this.identity.currentAuthority();
    return outcomes.map((outcome) => outcomeView(outcome, links, byId, timezone));
  }
}
