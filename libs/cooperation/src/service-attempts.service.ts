import { Injectable } from '@nestjs/common';
import { localDateOf } from '#docket/calendar';
import { AuditService } from '#docket/audit';
import { CasesService } from '#docket/cases';
import { IdentityService } from '#docket/identity';
import { Clock, RequestContext, UnitOfWork, ValidationProblem, type FieldError } from '#docket/platform';
import { OrganisationsService } from '#docket/registry';
import type { ServiceAttempt } from './procedure.entities.js';
import { ServiceAttemptRepository } from './service-attempt.repository.js';
import { representationFor, type RepresentationStatus, type ServiceRoute } from './service-routes.js';

export interface ServiceAttemptView {
  id: string;
  route: ServiceRoute;
  recipient: string;
  detail: string | null;
  attemptedAt: string;
  servedFrom: string;
  recordedBy: string;
}

export interface CaseServiceView extends RepresentationStatus {
  caseId: string;
  reference: string;
  attempts: ServiceAttemptView[];
  /** The earliest date from which service counts, over every attempt; null when none is recorded. */
  servedFrom: string | null;
}

export interface NewServiceAttempt {
  route: ServiceRoute;
  recipient: string;
  detail?: string;
  attemptedAt: string;
  servedFrom: string;
}

/** How a case's organisation is (or can be) served where it has appointed no representative, and what was tried. */
@Injectable()
export class ServiceAttemptsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly attempts: ServiceAttemptRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly organisations: OrganisationsService,
    private readonly identity: IdentityService,
  ) {}

  async forCase(caseId: string): Promise<CaseServiceView> {
    const kase = await this.cases.require(caseId);
    const authority = await this.identity.currentAuthority();
    const organisation = await this.organisations.require(kase.organisationId);
    const book = await this.organisations.addressBook(organisation.id, authority.id);
    const status = representationFor(
      authority,
      book.representatives,
      organisation.legalEntities,
      organisation.products,
    );
    const attempts = await this.attempts.forCase(kase.id);
    const views = attempts.map(attemptView);
    return {
      ...status,
      caseId: kase.id,
      reference: kase.reference,
      attempts: views,
      servedFrom: views.map((attempt) => attempt.servedFrom).sort()[0] ?? null,
    };
  }

  async record(caseId: string, input: NewServiceAttempt): Promise<ServiceAttemptView> {
    const authority = await this.identity.currentAuthority();
    const attemptedAt = new Date(input.attemptedAt);
    const now = this.clock.now();
    const errors: FieldError[] = [];
    if (attemptedAt.getTime() > now.getTime())
      errors.push({
        field: 'attemptedAt',
        message: 'the attempt cannot be in the future',
        key: 'coop.refusal.attemptFuture',
      });
    else if (input.servedFrom < localDateOf(attemptedAt, authority.timezone))
      errors.push({
        field: 'servedFrom',
        message: 'service cannot count from before the attempt',
        key: 'coop.refusal.servedBeforeAttempt',
      });
    if (errors.length) throw new ValidationProblem(errors);
    return this.unitOfWork.run(async () => {
      const kase = await this.cases.require(caseId);
      const attempt = await this.attempts.add({
        caseId: kase.id,
        route: input.route,
        recipient: input.recipient,
        detail: input.detail ?? null,
        attemptedAt,
        servedFrom: input.servedFrom,
        recordedBy: RequestContext.actor().label,
        createdAt: now,
      });
      await this.audit.record({
        action: 'case.service_attempted',
        entityType: 'service_attempt',
        entityId: attempt.id,
        caseId: kase.id,
        after: attemptView(attempt),
      });
      return attemptView(attempt);
    });
  }
}

function attemptView(attempt: ServiceAttempt): ServiceAttemptView {
  return {
    id: attempt.id,
    route: attempt.route,
    recipient: attempt.recipient,
    detail: attempt.detail,
    attemptedAt: attempt.attemptedAt.toISOString(),
    servedFrom: attempt.servedFrom,
    recordedBy: attempt.recordedBy,
  };
}
