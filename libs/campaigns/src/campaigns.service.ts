import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { HttpException, Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AuditService } from '#docket/audit';
import { assigneeErrors, CasesService, type CasePriority, type CaseRecord, type CaseType } from '#docket/cases';
import {
  InquiriesService,
  TemplateRegistry,
  type NewInquiry,
  type QuestionBank,
  type TemplateDefinition,
} from '#docket/correspondence';
import {
  DeadlinesService,
  isAhead,
  ruleOf,
  targetOf,
  type ExtensionTarget,
  type ReminderPlanItem,
} from '#docket/deadlines';
import { ResponsesService } from '#docket/decisions';
import { IdentityService } from '#docket/identity';
import type { OutboundMessageRecord } from '#docket/mailing';
import {
  Clock,
  JobName,
  jobId,
  jobNeedsAdding,
  keysetPage,
  keysetSql,
  MicroBatcher,
  BatchLoader,
  DomainError,
  groupBy,
  httpExceptionOf,
  isRefusal,
  NotFound,
  QueueName,
  readPageRequest,
  RequestContext,
  UnitOfWork,
  ValidationProblem,
  type Actor,
  type ReadScope,
  type SharedReads,
  type FieldError,
  type FieldMessage,
  type JobPayloads,
  type KeysetPage,
  type ListOrder,
  type SortValueType,
} from '#docket/platform';
import { OrganisationsService, type AddressBook, type OrganisationRecord } from '#docket/registry';
import { Campaign, CampaignTarget, type TargetStatus } from './campaign.entity.js';
import {
  CampaignRepository,
  CampaignTargetRepository,
  type OpenedCase,
  type ProgressCounts,
  type TargetFacts,
  type TargetLinks,
  type TargetRow,
} from './campaign.repository.js';
import type {
  CampaignListQuery,
  CampaignSortKey,
  CreateCampaignRequest,
  TargetListQuery,
  TargetSortKey,
} from './dto.js';

/** The language of a country, for campaigns that write to each organisation in its own (when the template has it). */
const COUNTRY_LANGUAGE: Record<string, string> = {
  IT: 'it',
  SM: 'it',
  VA: 'it',
  FR: 'fr',
  BE: 'fr',
  LU: 'fr',
  MC: 'fr',
  JP: 'ja',
  KR: 'ko',
  DE: 'de',
  AT: 'de',
  ES: 'es',
  PT: 'pt',
  NL: 'nl',
  PL: 'pl',
  GR: 'el',
  IE: 'en',
  GB: 'en',
  US: 'en',
};

export function localeFor(template: Pick<TemplateDefinition, 'locales'>, country: string): string {
  const language = COUNTRY_LANGUAGE[country.toUpperCase()];
  if (language && template.locales.includes(language)) return language;
  return template.locales.includes('en') ? 'en' : template.locales[0];
}

export const FANOUT_ATTEMPTS = 3;

/** The first fan-out of a target is `campaign.<id>.<orgId>`; retry n adds `.<n+1>` (a finished job keeps its id). */
export function fanoutJobId(campaignId: string, organisationId: string, attempt: number): string {
  return attempt === 1
    ? jobId('campaign', campaignId, organisationId)
    : jobId('campaign', campaignId, organisationId, attempt);
}

export interface TargetView {
  organisationId: string;
  /** The place of the organisation in the list the campaign was given (from 0). */
  position: number;
  organisationName: string;
  caseId: string | null;
  caseReference: string | null;
  attachedToExistingCase: boolean;
  inquiryId: string | null;
  status: TargetStatus;
  /** Why the letter failed, in English. */
  error: string | null;
  /**
   * The same as a catalogue message, for pages in the reader's language (null where there is none, as for targets
   * failed before these were kept: their English text is shown); the API answers `error` in the caller's language.
   */
  errorMessage: FieldMessage | null;
  dueDate: string | null;
  overdue: boolean;
  attempt: number;
  updatedAt: string;
}

/** A campaign's progress: its targets by state (the repository's row without the campaign's id). */
export type CampaignCounts = Omit<ProgressCounts, 'campaign_id'>;

/** Stands for the reference a case gets when the campaign opens it, in the preview of its letter. */
export const NEW_CASE_REFERENCE = '[reference of the new case]';

export interface CampaignPreviewTarget {
  organisationId: string;
  organisationName: string;
  /** The address its letter goes to; null when it has none (its letter would fail). */
  email: string | null;
  locale: string;
  /** Its open case the letter goes into; null when the campaign opens one. */
  caseId: string | null;
  caseReference: string | null;
}

export interface CampaignPreview {
  template: { key: string; version: number };
  locale: string | null;
  questionIds: string[];
  deadline: ExtensionTarget;
  reminders: ReminderPlanItem[];
  targets: CampaignPreviewTarget[];
  /** The letter of the first organisation with an address, as it would be sent now. */
  sample: (CampaignPreviewTarget & { subject: string; html: string; text: string }) | null;
  /** The due date of a letter sent now. */
  dueDate: string;
  dueAt: string;
}

const emptyCounts = (): CampaignCounts => ({
  total: 0,
  pending: 0,
  queued: 0,
  sent: 0,
  failed: 0,
  answered: 0,
  overdue: 0,
});

const withoutCampaignId = ({ campaign_id: _campaignId, ...counts }: ProgressCounts): CampaignCounts => counts;

/** The inquiry of a stored message, from its dedupe key `inquiry.<id>`. */
const inquiryIdOf = (message: OutboundMessageRecord): string | null =>
  /^inquiry\.([0-9a-f-]{36})$/.exec(message.dedupeKey)?.[1] ?? null;

class AlreadyDone extends Error {}

/** Acting as a campaign's author: its cases and letters are theirs (signed by them when a case has no assignee). */
export function campaignActor(campaign: Campaign): Actor {
  return { userId: campaign.createdById, authorityId: campaign.authorityId, role: 'system', label: campaign.createdBy };
}

/** A target's letter, ready to be written: everything that could refuse it up front was checked, its case opened. */
interface CampaignLetter {
  campaign: Campaign;
  key: Pick<CampaignTarget, 'campaignId' | 'organisationId' | 'status' | 'attempt'>;
  caseId: string;
  attached: boolean;
  inquiry: NewInquiry;
  /** What its job has read (authority, organisation, address book, template, questions): not read again. */
  reads: SharedReads | undefined;
}

/**
 * Letters written in one transaction: one BEGIN and COMMIT, and one append to the authority's audit chain for all
 * their entries, instead of one each. Small enough that a batch redone letter by letter (one of them failed) costs
 * little; two in flight, so that one batch's statements wait on PostgreSQL while the other's letters are set.
 */
const LETTER_BATCH = { maxSize: 16, windowMs: 5, maxInFlight: 2 };

/**
 * How long the fan-out jobs of one campaign starting one after the other share their reads (RequestContext.ReadScope):
 * about as long as a batch of letters takes, so that a change of the authority's settings reaches the letters as soon
 * as it would reach a batch.
 */
const SHARED_READS_MS = 1000;
/**
 * What every letter of a campaign reads alike (of its authority); an organisation's own rows are read by its job, so
 * that an address corrected just before a retry is the one used.
 */
const sharedByTheCampaign = (key: string) =>
  /^(authority|template|question-bank|closures|letterhead|seal-key|user):/.test(key);

@Injectable()
export class CampaignsService {
  private readonly logger = new Logger(CampaignsService.name);
  private readonly letters = new MicroBatcher<CampaignLetter>((letters) => this.writeLetters(letters), LETTER_BATCH);
  private readonly readScopes = new Map<string, { scope: ReadScope; until: number }>();
  /** The cases the jobs running together opened (or found), kept on their targets in one statement. */
  private readonly casesOpened = new MicroBatcher<OpenedCase>(
    (opened) => this.targetRows.keepCases(opened, this.clock.now()),
    { maxSize: 32, windowMs: 2 },
  );
  /** The open case of each organisation (`<authority>:<organisation>`) the jobs starting together ask for: one read. */
  private readonly openCases = new BatchLoader<string, CaseRecord>((keys) => this.openCasesByKey(keys), {
    maxSize: 32,
    windowMs: 2,
  });
  /**
   * The organisations (`<authority>:<organisation>`) the jobs starting together write to, each with that authority's
   * address book of it: one read of each for the batch, made by each job's start (an address corrected just before a
   * retry is the one used).
   */
  private readonly recipients = new BatchLoader<string, { organisation: OrganisationRecord; addressBook: AddressBook }>(
    (keys) => this.recipientsByKey(keys),
    { maxSize: 32, windowMs: 2 },
  );
  /** The targets (`<campaign>:<organisation>`) the jobs starting together act on, each with its campaign: one read. */
  private readonly targetsToRun = new BatchLoader<string, CampaignTarget>((keys) => this.targetsByKey(keys), {
    maxSize: 32,
    windowMs: 2,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly campaignRows: CampaignRepository,
    private readonly targetRows: CampaignTargetRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly templates: TemplateRegistry,
    private readonly inquiries: InquiriesService,
    private readonly cases: CasesService,
    private readonly organisations: OrganisationsService,
    private readonly deadlines: DeadlinesService,
    private readonly responses: ResponsesService,
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @InjectQueue(QueueName.Campaigns) private readonly queue: Queue,
  ) {}

  /**
   * Checks everything that can be checked up front (400, nothing stored), stores the campaign and queues one job per
   * organisation.
   */
  async create(request: CreateCampaignRequest): Promise<Campaign & { counts: CampaignCounts }> {
    const authorityId = RequestContext.authorityId();
    const { template, locale, questionIds, deadline, reminders, defaults } = await this.check(request);
    const actor = RequestContext.actor();
    const now = this.clock.now();
    return this.unitOfWork.run(async (_manager, afterCommit) => {
      const campaign = Object.assign(new Campaign(), {
        id: randomUUID(),
        authorityId,
        title: request.title.trim(),
        templateKey: template.key,
        templateVersion: template.version,
        locale,
        questionIds,
        deadline,
        reminders,
        caseDefaults: {
          type: defaults.type,
          legalBasis: defaults.legalBasis?.trim() || null,
          priority: defaults.priority ?? null,
          assigneeId: defaults.assigneeId ?? null,
        },
        createdById: actor.userId,
        createdBy: actor.label,
        createdAt: now,
      });
      await this.campaignRows.add(campaign);
      const targets = request.organisationIds.map((organisationId, position) => ({
        campaignId: campaign.id,
        organisationId,
        authorityId,
        position,
        status: 'pending' as const,
        attempt: 1,
        updatedAt: now,
      }));
      await this.targetRows.addAll(targets);
      await this.audit.record({
        action: 'campaign.created',
        entityType: 'campaign',
        entityId: campaign.id,
        after: {
          title: campaign.title,
          template: `${template.key}@${template.version}`,
          locale: locale ?? 'per organisation',
          questions: questionIds,
          deadline,
          reminders,
          caseDefaults: campaign.caseDefaults,
          organisations: request.organisationIds.length,
        },
      });
      afterCommit(() => this.enqueue(campaign.id, targets));
      return Object.assign(campaign, { counts: { ...emptyCounts(), total: targets.length, pending: targets.length } });
    });
  }

  /**
   * What starting the campaign would send, without storing or sending anything (400 as `create` when the
   * request is refused): each organisation with the address and language of its letter and the case it goes
   * into, the due date a letter sent now gets, and the letter of the first organisation that has an address.
   */
  async preview(request: CreateCampaignRequest): Promise<CampaignPreview> {
    const { template, locale, questionIds, deadline, reminders, defaults } = await this.check(request);
    const authorityId = RequestContext.authorityId();
    const open = await this.cases.openCasesOf(request.organisationIds);
    const targets: CampaignPreviewTarget[] = [];
    for (const id of request.organisationIds) {
      const organisation = await this.organisations.findById(id);
      if (!organisation) continue;
      // The address the fan-out job will use: the first e-mail of this authority's address book.
      const { contacts } = await this.organisations.addressBook(id, authorityId);
      const existing = open.find((kase) => kase.organisationId === id) ?? null;
      targets.push({
        organisationId: id,
        organisationName: organisation.legalName,
        email: contacts.find((contact) => contact.email?.trim())?.email.trim() ?? null,
        locale: locale ?? localeFor(template, organisation.country),
        caseId: existing?.id ?? null,
        caseReference: existing?.reference ?? null,
      });
    }
    const sample = targets.find((target) => target.email) ?? null;
    const options = { questionIds, deadline, recipient: sample?.email ?? undefined };
    const letter = !sample
      ? null
      : sample.caseId
        ? await this.inquiries.preview(template.key, sample.caseId, sample.locale, options)
        : await this.inquiries.previewForNewCase(
            template.key,
            {
              organisationId: sample.organisationId,
              title: request.title.trim(),
              legalBasis: defaults.legalBasis?.trim() || null,
              assigneeId: defaults.assigneeId ?? null,
              reference: NEW_CASE_REFERENCE,
            },
            sample.locale,
            options,
          );
    const due = await this.deadlines.preview(RequestContext.authorityId(), this.clock.now(), ruleOf(deadline));
    return {
      template: { key: template.key, version: template.version },
      locale,
      questionIds,
      deadline,
      reminders,
      targets,
      sample: sample && letter ? { ...sample, subject: letter.subject, html: letter.html, text: letter.text } : null,
      dueDate: due.dueDate,
      dueAt: due.dueAt,
    };
  }

  /** The checks of a new campaign that need no transaction; 400 with every problem found. */
  private async check(request: CreateCampaignRequest) {
    const authorityId = RequestContext.authorityId();
    let template: TemplateDefinition;
    try {
      template = await this.templates.resolve(request.template);
    } catch (error) {
      if (error instanceof NotFound)
        throw new ValidationProblem([
          {
            field: 'template',
            message: `there is no template "${request.template}"`,
            key: 'campaigns.refusal.noTemplate',
            params: { template: request.template },
          },
        ]);
      throw error;
    }
    const locale = request.locale && request.locale !== 'auto' ? request.locale : null;
    const bank = await this.templates.bankFor();
    const questionIds = locale
      ? this.inquiries.checkRequest(template, { locale, questionIds: request.questionIds }, bank)
      : await this.checkAutoLocales(template, request, bank);
    const deadline = targetOf(request.deadline);
    const reminders = request.reminders ?? template.defaultReminders;
    this.deadlines.validatePlan(reminders);
    await this.deadlines.preview(authorityId, this.clock.now(), ruleOf(deadline));

    const errors: FieldError[] = [];
    const defaults = request.caseDefaults;
    if (defaults.assigneeId) {
      const assignee = await this.identity.userOfMyAuthority(defaults.assigneeId);
      errors.push(
        ...assigneeErrors(defaults.assigneeId, assignee).map((error) => ({
          ...error,
          field: `caseDefaults.${error.field}`,
        })),
      );
    }
    const known = await this.organisations.existing(request.organisationIds);
    request.organisationIds.forEach((id, index) => {
      if (!known.has(id))
        errors.push({
          field: `organisationIds.${index}`,
          message: `there is no organisation with id ${id}`,
          key: 'campaigns.refusal.noOrganisation',
          params: { id },
        });
    });
    if (errors.length) throw new ValidationProblem(errors);
    return { template, locale, questionIds, deadline, reminders, defaults };
  }

  /**
   * `auto`: each organisation gets its country's language when the template has it. Every language the campaign
   * would write in is checked up front (the template has it, each question is written in it), so no letter fails
   * later for its language; 400 naming the language, the questions and the organisations concerned.
   */
  private async checkAutoLocales(
    template: TemplateDefinition,
    request: CreateCampaignRequest,
    bank: QuestionBank,
  ): Promise<string[]> {
    const organisations = await this.organisations.namesAndCountries(request.organisationIds);
    const byLocale = new Map<string, string[]>();
    for (const organisation of organisations) {
      const locale = localeFor(template, organisation.country);
      byLocale.set(locale, [...(byLocale.get(locale) ?? []), organisation.legalName]);
    }
    if (byLocale.size === 0) byLocale.set(localeFor(template, ''), []);
    let questionIds: string[] = [];
    const errors: FieldError[] = [];
    for (const [locale, names] of byLocale) {
      try {
        questionIds = this.inquiries.checkRequest(template, { locale, questionIds: request.questionIds }, bank);
      } catch (error) {
        if (!(error instanceof ValidationProblem)) throw error;
        // The letters' language and organisations named in the reader's language too, for the refusals of a locale.
        const concerned = { locale, organisations: names.slice(0, 5).join(', '), more: Math.max(0, names.length - 5) };
        const shown = concerned.organisations + (concerned.more ? ` and ${concerned.more} more` : '');
        for (const entry of error.fieldErrors)
          errors.push({
            field: entry.field,
            message: `${entry.message}${names.length ? ` – needed for the letters in "${locale}" to ${shown}` : ''}; choose a locale for the campaign, or add the missing text`,
            ...(entry.key === 'inquiries.refusal.noLocale' && names.length
              ? { key: 'campaigns.refusal.autoNoLocale', params: { ...entry.params, ...concerned } }
              : entry.key === 'inquiries.refusal.questionNotInLocale' && names.length
                ? { key: 'campaigns.refusal.autoQuestionNotInLocale', params: { ...entry.params, ...concerned } }
                : { key: entry.key, params: entry.params }),
          });
      }
    }
    if (errors.length) throw new ValidationProblem(errors);
    return questionIds;
  }

  private async enqueue(campaignId: string, targets: { organisationId: string; attempt: number }[]): Promise<void> {
    for (let start = 0; start < targets.length; start += 500) {
      await this.queue.addBulk(
        targets.slice(start, start + 500).map(({ organisationId, attempt }) => ({
          name: JobName.CampaignFanout,
          data: { campaignId, organisationId, attempt } satisfies JobPayloads[JobName.CampaignFanout],
          opts: {
            jobId: fanoutJobId(campaignId, organisationId, attempt),
            attempts: FANOUT_ATTEMPTS,
            backoff: { type: 'exponential', delay: 1000 },
          },
        })),
      );
    }
  }

  /**
   * Puts back the fan-out jobs the queue lost (Redis flushed, a crash between commit and enqueue): targets
   * still pending after `olderThanMs` whose job is missing or finished. Runs as a repeatable job and at
   * worker start; a job put back acts once, like any fan-out job. Returns how many were put back.
   */
  async requeueLost(olderThanMs = 60_000): Promise<number> {
    const pending = (await this.dataSource.query(
      `SELECT campaign_id, organisation_id, attempt FROM campaign_targets WHERE status = 'pending' AND updated_at < $1 ORDER BY updated_at LIMIT 5000`,
      [new Date(this.clock.now().getTime() - olderThanMs)],
    )) as { campaign_id: string; organisation_id: string; attempt: number }[];
    const lost: typeof pending = [];
    // A few hundred look-ups at a time rather than one round trip after another.
    for (let start = 0; start < pending.length; start += 200) {
      const chunk = pending.slice(start, start + 200);
      const gone = await Promise.all(
        chunk.map((target) =>
          jobNeedsAdding(this.queue, fanoutJobId(target.campaign_id, target.organisation_id, target.attempt)),
        ),
      );
      chunk.forEach((target, index) => gone[index] && lost.push(target));
    }
    for (const [campaignId, targets] of groupBy(lost, (target) => target.campaign_id)) {
      await this.enqueue(
        campaignId,
        targets.map((target) => ({ organisationId: target.organisation_id, attempt: target.attempt })),
      );
    }
    if (lost.length) this.logger.log(`put back ${lost.length} lost campaign fan-out jobs`);
    return lost.length;
  }

  async require(id: string): Promise<Campaign> {
    const campaign = await this.campaignRows.byId(id);
    if (!campaign)
      throw new NotFound(`There is no campaign ${id} in your authority.`).withMessage('problem.campaigns.notFound', {
        id,
      });
    return campaign;
  }

  /**
   * Sends again to the organisations whose target failed, and only those; their case is kept. The jobs of
   * targets still pending are queued again under their own ids: a job that exists is left as is, one that was
   * lost (an enqueue that failed after commit) is replaced, and either acts once.
   */
  async retry(id: string): Promise<{ id: string; retried: number; requeued: number }> {
    return this.unitOfWork.run(async (_manager, afterCommit) => {
      const campaign = await this.require(id);
      const pending = await this.targetRows.pendingOf(campaign.id);
      const reopened = await this.targetRows.reopenFailed(campaign.id, this.clock.now());
      const retried = reopened.map((row) => ({ organisationId: row.organisation_id, attempt: row.attempt }));
      await this.settleUndelivered(reopened.flatMap((row) => (row.failed_inquiry_id ? [row.failed_inquiry_id] : [])));
      if (retried.length)
        await this.audit.record({
          action: 'campaign.retried',
          entityType: 'campaign',
          entityId: campaign.id,
          after: { organisations: retried.map((row) => row.organisationId) },
        });
      if (retried.length || pending.length) afterCommit(() => this.enqueue(campaign.id, [...retried, ...pending]));
      return { id: campaign.id, retried: retried.length, requeued: pending.length };
    });
  }

  /** The deadlines of letters that never arrived (suspended when they failed) end: the new letter brings its own. */
  private async settleUndelivered(inquiryIds: string[]): Promise<void> {
    if (inquiryIds.length === 0) return;
    const letters = await this.inquiries.states(inquiryIds);
    const failed = [...letters.values()].filter((letter) => letter.status === 'failed');
    const deadlines = await this.deadlines.standings(failed.flatMap((letter) => letter.deadlineId ?? []));
    for (const [id, deadline] of deadlines)
      if (isAhead(deadline.status))
        await this.deadlines.waive(
          id,
          'the letter was not delivered; the campaign sends it again with a deadline of its own',
        );
  }

  /** The reads the fan-out jobs of a campaign starting now share (see SHARED_READS_MS). */
  readScopeOf(campaignId: string): ReadScope {
    const now = performance.now();
    const current = this.readScopes.get(campaignId);
    if (current && current.until > now) return current.scope;
    for (const [id, { until }] of this.readScopes) if (until <= now) this.readScopes.delete(id);
    const scope = RequestContext.readScope(sharedByTheCampaign);
    this.readScopes.set(campaignId, { scope, until: now + SHARED_READS_MS });
    return scope;
  }

  /**
   * One organisation of a campaign, run by its job as the campaign's author. A target that is not
   * pending at this attempt is left alone, and the inquiry is recorded on the target in the inquiry's
   * own transaction (shared with the letters of the jobs running at the same time), so a job that runs twice sends
   * one letter.
   */
  async fanOut(campaign: Campaign, target: CampaignTarget, finalAttempt: boolean): Promise<void> {
    const key = {
      campaignId: campaign.id,
      organisationId: target.organisationId,
      status: 'pending' as const,
      attempt: target.attempt,
    };
    try {
      const recipient = await this.recipients.get(`${campaign.authorityId}:${target.organisationId}`);
      if (!recipient)
        return await this.fail(key, `organisation ${target.organisationId} no longer exists`, {
          key: 'campaigns.failure.organisationGone',
        });
      // The letter's later reads of the organisation and its address book are these.
      this.organisations.keepRead(recipient, campaign.authorityId);
      const { organisation } = recipient;
      // The campaign's own authority's contacts: no other authority's address book can redirect its letters.
      const { contacts } = recipient.addressBook;
      const email = contacts.find((contact) => contact.email?.trim())?.email.trim();
      if (!email)
        return await this.fail(
          key,
          `${organisation.legalName} has no contact e-mail address; add one to the organisation, then retry the campaign`,
          { key: 'campaigns.failure.noEmail', params: { organisation: organisation.legalName } },
        );
      const template = await this.templates.resolve(campaign.templateKey);
      const locale = campaign.locale ?? localeFor(template, organisation.country);
      let caseId = target.caseId;
      // Everything that can refuse this letter is checked before a case is opened for it: a target that cannot be
      // written fails alone and leaves no empty case behind.
      if (!caseId) {
        const bank = await this.templates.bankFor();
        this.inquiries.checkRequest(template, { locale, questionIds: campaign.questionIds }, bank);
        await this.inquiries.assertWritable(template, organisation.id, locale, campaign.questionIds, bank);
      }
      let attached = target.attachedToExisting;
      if (!caseId) {
        const open = await this.openCaseOf(organisation.id);
        attached = Boolean(open);
        caseId =
          open?.id ??
          (
            await this.cases.create({
              organisationId: organisation.id,
              title: campaign.title,
              type: campaign.caseDefaults.type as CaseType,
              legalBasis: campaign.caseDefaults.legalBasis ?? undefined,
              priority: (campaign.caseDefaults.priority ?? undefined) as CasePriority | undefined,
              assigneeId: campaign.caseDefaults.assigneeId ?? undefined,
            })
          ).id;
        // Kept at once: a job that dies before the inquiry finds its case here (or as the open case) next time.
        await this.casesOpened.add({ ...key, authorityId: campaign.authorityId, caseId, attached });
      }
      await this.letters.add({
        campaign,
        key,
        caseId,
        attached,
        reads: RequestContext.sharedReads(),
        inquiry: {
          template: campaign.templateKey,
          locale,
          to: [email],
          questionIds: campaign.questionIds,
          deadline: campaign.deadline,
          reminders: campaign.reminders,
        },
      });
    } catch (error) {
      if (error instanceof AlreadyDone) return;
      // Refusals (a closed case, an invalid letter, a deactivated assignee) will not change on a retry of the job.
      if (isRefusal(error)) return this.fail(key, describe(error), refusalMessage(error));
      if (finalAttempt)
        await this.fail(key, error instanceof Error ? error.message : String(error), {
          key: 'campaigns.failure.unexpected',
        });
      throw error;
    }
  }

  /**
   * The letters of fan-out jobs running at the same time, written in one transaction per campaign (see
   * CampaignLetter). All or nothing (UnitOfWork.atomic: no savepoint per letter): when one letter fails, the
   * MicroBatcher writes each letter of the batch again in a transaction of its own, so its failure stays its own and
   * reaches its job as before.
   */
  private async writeLetters(letters: CampaignLetter[]): Promise<void> {
    for (const [campaignId, group] of groupBy(letters, (letter) => letter.campaign.id))
      await RequestContext.run(
        () =>
          this.unitOfWork.atomic(async () => {
            // One insert per table for the batch; sent from this process once committed: no mail job per letter.
            const created = await this.inquiries.createMany(
              group.map(({ caseId, inquiry }) => ({ caseId, request: inquiry })),
              { deliverNow: true },
            );
            const written = group.map(({ key, caseId, attached }, index) => ({
              ...key,
              caseId,
              attached,
              inquiryId: created[index]!.inquiry.id,
            }));
            // Each inquiry recorded on its target in the letters' transaction, which rolls back when another run got
            // to one of them first (the batch is then written again letter by letter: AlreadyDone for that one).
            const claimed = await this.targetRows.claimLetters(campaignId, written, this.clock.now());
            if (claimed !== written.length) throw new AlreadyDone();
          }),
        campaignActor(group[0].campaign),
        {
          readOnce: true,
          reads: group.flatMap((letter) => (letter.reads ? [letter.reads] : [])),
          // Letterhead, seal and closure days read once for the batches of the campaign written close together.
          scope: this.readScopeOf(campaignId),
        },
      );
  }

  /** The authority's most recent case of the organisation that is not closed, if any. */
  private async openCaseOf(organisationId: string): Promise<CaseRecord | null> {
    return (await this.openCases.get(`${RequestContext.authorityId()}:${organisationId}`)) ?? null;
  }

  private async openCasesByKey(keys: string[]): Promise<Map<string, CaseRecord>> {
    const found = new Map<string, CaseRecord>();
    const byAuthority = groupBy(
      keys.map((key) => key.split(':') as [string, string]),
      ([authorityId]) => authorityId,
    );
    for (const [authorityId, pairs] of byAuthority) {
      // Newest first: the first of each organisation is its most recent.
      const open = await RequestContext.asAuthority(authorityId, () =>
        this.cases.openCasesOf(pairs.map(([, organisationId]) => organisationId)),
      );
      for (const kase of open)
        if (!found.has(`${authorityId}:${kase.organisationId}`))
          found.set(`${authorityId}:${kase.organisationId}`, kase);
    }
    return found;
  }

  private async recipientsByKey(
    keys: string[],
  ): Promise<Map<string, { organisation: OrganisationRecord; addressBook: AddressBook }>> {
    const found = new Map<string, { organisation: OrganisationRecord; addressBook: AddressBook }>();
    const byAuthority = groupBy(
      keys.map((key) => key.split(':') as [string, string]),
      ([authorityId]) => authorityId,
    );
    for (const [authorityId, pairs] of byAuthority) {
      const read = await this.organisations.withAddressBooks(
        pairs.map(([, organisationId]) => organisationId),
        authorityId,
      );
      for (const [organisationId, entry] of read) found.set(`${authorityId}:${organisationId}`, entry);
    }
    return found;
  }

  /** The target a fan-out job acts on, with its campaign (a target cannot outlive its campaign); null when gone. */
  async targetToRun(campaignId: string, organisationId: string): Promise<CampaignTarget | null> {
    return (await this.targetsToRun.get(`${campaignId}:${organisationId}`)) ?? null;
  }

  private async targetsByKey(keys: string[]): Promise<Map<string, CampaignTarget>> {
    const pairs = keys.map((key) => key.split(':') as [string, string]);
    const targets = await this.targetRows.withCampaigns(pairs);
    return new Map(targets.map((target) => [`${target.campaignId}:${target.organisationId}`, target]));
  }

  private async fail(
    key: Pick<CampaignTarget, 'campaignId' | 'organisationId' | 'status' | 'attempt'>,
    error: string,
    message: FieldMessage | null,
  ): Promise<void> {
    await this.targetRows.changeAt(key, {
      status: 'failed',
      error,
      errorCode: message?.key ?? null,
      errorParams: (message?.params as CampaignTarget['errorParams'] | undefined) ?? null,
      updatedAt: this.clock.now(),
    });
  }

  /**
   * Mail outcome hooks of inquiry letters, in the send job's transaction (the letters sent together in one statement);
   * letters outside campaigns match nothing.
   */
  async recordSent(messages: OutboundMessageRecord[]): Promise<void> {
    const inquiryIds = messages.flatMap((message) => inquiryIdOf(message) ?? []);
    if (inquiryIds.length)
      await this.targetRows.changeOfInquiries(inquiryIds, ['queued'], {
        status: 'sent',
        error: null,
        errorCode: null,
        errorParams: null,
        updatedAt: this.clock.now(),
      });
  }

  /** A failed letter sent again by an operator: its target waits for the mail server's answer again. */
  async recordRetried(message: OutboundMessageRecord): Promise<void> {
    const inquiryId = inquiryIdOf(message);
    if (inquiryId)
      await this.targetRows.changeOfInquiry(inquiryId, ['failed'], {
        status: 'queued',
        error: null,
        errorCode: null,
        errorParams: null,
        updatedAt: this.clock.now(),
      });
  }

  async recordFailed(message: OutboundMessageRecord): Promise<void> {
    const inquiryId = inquiryIdOf(message);
    if (inquiryId)
      await this.targetRows.changeOfInquiry(inquiryId, ['queued', 'sent'], {
        status: 'failed',
        error: message.lastError ?? 'the mail server refused the letter',
        // The mail server's own words stay as it gave them, inside a sentence of the reader's language.
        errorCode: message.lastError ? 'campaigns.failure.mail' : 'campaigns.failure.mailRefused',
        errorParams: message.lastError ? { reason: message.lastError } : null,
        updatedAt: this.clock.now(),
      });
  }

  // ---- progress ----

  async targets(campaign: Campaign): Promise<TargetView[]> {
    const facts = await this.factsOf(await this.targetRows.linksOf([campaign.id]), true);
    return (await this.targetRows.targetRows(campaign.id, this.clock.now(), facts)).map(targetView);
  }

  /**
   * What the owning contexts say of these targets, one batch read from each whatever their number (a campaign may
   * have thousands): the letters' deadlines and responses, and with `named` the organisations' names and the cases'
   * references. Every read is the caller's authority's (organisations are shared identities).
   */
  private async factsOf(targets: TargetLinks[], named: boolean): Promise<TargetFacts> {
    const inquiryIds = targets.flatMap((target) => target.inquiryId ?? []);
    // One after the other: inside a transaction they share its one connection.
    const letters = await this.inquiries.states(inquiryIds);
    const answered = await this.responses.answered(inquiryIds);
    const deadlines = await this.deadlines.standings(
      [...letters.values()].flatMap((letter) => letter.deadlineId ?? []),
    );
    const organisations = named ? await this.organisations.byIds(targets.map((target) => target.organisationId)) : null;
    const cases = named ? await this.cases.headlines(targets.flatMap((target) => target.caseId ?? [])) : null;
    return {
      letters: inquiryIds.map((inquiryId) => {
        const deadlineId = letters.get(inquiryId)?.deadlineId;
        const deadline = deadlineId ? deadlines.get(deadlineId) : undefined;
        return {
          inquiry_id: inquiryId,
          deadline_status: deadline?.status ?? null,
          due_at: deadline?.dueAt ?? null,
          due_date: deadline?.dueDate ?? null,
          responded: answered.has(inquiryId),
        };
      }),
      organisations: [...(organisations?.values() ?? [])].map(({ id, legalName }) => ({ id, legal_name: legalName })),
      cases: [...(cases?.entries() ?? [])].map(([id, { reference }]) => ({ id, reference })),
    };
  }

  /** A page of the campaign's organisations, in the order given unless `sort` says otherwise, with the count. */
  async targetPage(campaign: Campaign, query: TargetListQuery): Promise<KeysetPage<TargetView> & { total: number }> {
    return this.targetPageOf(campaign, query, await this.factsOf(await this.targetRows.linksOf([campaign.id]), true));
  }

  /**
   * The progress page: a page of the campaign's organisations and the campaign's counts, from one read of what the
   * owning contexts say of its targets.
   */
  async progress(
    campaign: Campaign,
    query: TargetListQuery,
  ): Promise<{ page: KeysetPage<TargetView> & { total: number }; counts: CampaignCounts }> {
    const facts = await this.factsOf(await this.targetRows.linksOf([campaign.id]), true);
    const page = await this.targetPageOf(campaign, query, facts);
    const [counts] = await this.targetRows.progressCounts([campaign.id], this.clock.now(), { letters: facts.letters });
    return { page, counts: counts ? withoutCampaignId(counts) : emptyCounts() };
  }

  private async targetPageOf(
    campaign: Campaign,
    query: TargetListQuery,
    facts: TargetFacts,
  ): Promise<KeysetPage<TargetView> & { total: number }> {
    const request = readPageRequest(query, TARGET_ORDER, 100);
    const column = TARGET_SORT_SQL[request.sort.key];
    // $1 to $4 are the campaign, its authority, the time and the facts (the progress rows'); the filters' follow.
    const parameters: unknown[] = [null, null, null, null];
    const where: string[] = ['true'];
    if (query.status?.length) where.push(`p.progress_status = ANY($${parameters.push(query.status)})`);
    if (query.overdue) where.push(`p.overdue = $${parameters.push(query.overdue === 'true')}`);
    const keyset = keysetSql(
      request,
      { value: column.value, type: column.type, id: 'p.organisation_id' },
      `$${parameters.length + 1}`,
      `$${parameters.length + 2}`,
    );
    const { total, rows } = await this.targetRows.targetPageRows(
      campaign.id,
      this.clock.now(),
      facts,
      { where, parameters: parameters.slice(4) },
      {
        where: keyset.where ?? undefined,
        parameters: keyset.where ? [request.after?.value, request.after?.id] : [],
        orderBy: keyset.orderBy,
        sortValue: column.value,
        limit: request.limit + 1,
      },
    );
    const page = keysetPage(rows, request, (row) => ({ value: row.sort_value, id: row.organisation_id }));
    return { ...page, items: page.items.map(targetView), total };
  }

  /** The counts of each of the caller's authority's campaigns, by the rule `targets` shows per organisation. */
  async counts(campaignIds: string[]): Promise<Map<string, CampaignCounts>> {
    if (campaignIds.length === 0) return new Map();
    const { letters } = await this.factsOf(await this.targetRows.linksOf(campaignIds), false);
    const rows = await this.targetRows.progressCounts(campaignIds, this.clock.now(), { letters });
    return new Map(rows.map((row) => [row.campaign_id, withoutCampaignId(row)]));
  }

  static count(targets: Pick<TargetView, 'status' | 'overdue'>[]): CampaignCounts {
    const counts = emptyCounts();
    for (const target of targets) {
      counts.total++;
      counts[target.status]++;
      if (target.overdue) counts.overdue++;
    }
    return counts;
  }

  /** A page of the authority's campaigns, newest first unless `sort` says otherwise, each with its counts. */
  async list(query: CampaignListQuery): Promise<KeysetPage<Campaign & { counts: CampaignCounts }>> {
    const request = readPageRequest(query, CAMPAIGN_ORDER, 50);
    const column = CAMPAIGN_SORT_SQL[request.sort.key];
    const keyset = keysetSql(request, { ...column, id: 'campaign.id' }, ':afterValue', ':afterId');
    const builder = this.campaignRows
      .campaigns()
      .addSelect(`(${column.value})::text`, 'sort_value')
      .orderBy(column.value, keyset.direction)
      .addOrderBy('campaign.id', keyset.direction)
      .limit(request.limit + 1);
    if (query.q)
      builder.andWhere('campaign.title ILIKE :q', { q: `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (keyset.where) builder.andWhere(keyset.where, { afterValue: request.after?.value, afterId: request.after?.id });
    const { entities, raw } = await builder.getRawAndEntities<{ campaign_id: string; sort_value: string }>();
    const values = new Map(raw.map((row) => [row.campaign_id, row.sort_value]));
    const page = keysetPage(entities, request, (campaign) => ({
      value: values.get(campaign.id) ?? '',
      id: campaign.id,
    }));
    const counts = await this.counts(page.items.map((campaign) => campaign.id));
    return {
      ...page,
      items: page.items.map((campaign) =>
        Object.assign(campaign, { counts: counts.get(campaign.id) ?? emptyCounts() }),
      ),
    };
  }
}

const CAMPAIGN_SORT_SQL: Record<CampaignSortKey, { value: string; type: SortValueType }> = {
  createdAt: { value: 'campaign.created_at', type: 'timestamptz' },
  title: { value: 'campaign.title', type: 'text' },
};
const CAMPAIGN_ORDER: ListOrder<CampaignSortKey> = {
  keys: { createdAt: 'timestamptz', title: 'text' },
  fallback: '-createdAt',
};

/** The sort keys of a campaign's organisations, over the progress rows (`p`) and the organisations (`o`). */
const TARGET_SORT_SQL: Record<TargetSortKey, { value: string; type: SortValueType }> = {
  position: { value: 'p.position', type: 'integer' },
  organisation: { value: 'o.legal_name', type: 'text' },
  status: { value: 'p.progress_status', type: 'text' },
  updatedAt: { value: 'p.updated_at', type: 'timestamptz' },
};
const TARGET_ORDER: ListOrder<TargetSortKey> = {
  keys: { position: 'integer', organisation: 'text', status: 'text', updatedAt: 'timestamptz' },
  fallback: 'position',
};

function targetView(row: TargetRow): TargetView {
  return {
    organisationId: row.organisation_id,
    position: row.position,
    organisationName: row.legal_name,
    caseId: row.case_id,
    caseReference: row.reference,
    attachedToExistingCase: row.attached_to_existing,
    inquiryId: row.inquiry_id,
    status: row.progress_status,
    error: row.error,
    errorMessage: row.error_code ? { key: row.error_code, params: row.error_params ?? undefined } : null,
    dueDate: row.due_date,
    overdue: row.overdue,
    attempt: row.attempt,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/**
 * A refusal's catalogue message, kept with the target it failed: the first field error's (as the API words it), else
 * the detail's; null for a refusal without one (its English text is shown to every reader).
 */
function refusalMessage(error: DomainError): FieldMessage | null {
  if (error instanceof ValidationProblem) {
    const first = error.apiMessages.find((message) => message !== null);
    if (first) return first;
    if (error.detailKey) return { key: error.detailKey };
  }
  return error.detailMessage ?? null;
}

/** A refusal in words: its detail, then each field's error (as the API answers them). */
function describe(refusal: DomainError): string {
  const error = httpExceptionOf(refusal) as HttpException;
  const body = error.getResponse() as { detail?: string; errors?: FieldError[] } | string;
  if (typeof body === 'string') return body;
  const fields = body.errors?.map((entry) => `${entry.field}: ${entry.message}`).join('; ');
  return [body.detail ?? error.message, fields].filter(Boolean).join(' ');
}
