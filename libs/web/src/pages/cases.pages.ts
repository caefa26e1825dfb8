import { Body, Get, Param, Post, Query, Req } from '@nestjs/common';
import { t } from '#docket/i18n';
import {
  AddNoteRequest,
  CaseListQuery,
  CasesService,
  CloseCaseRequest,
  CreateCaseRequest,
  type CaseSummaryView,
} from '#docket/cases';
import { ServiceAttemptsService } from '#docket/cooperation';
import { DeadlinesService } from '#docket/deadlines';
import type { ResponseView } from '#docket/decisions';
import { DocumentsService } from '#docket/documents';
import { IdentityService } from '#docket/identity';
import { InboundService, type InboundView } from '#docket/inbound';
import { CASE_WRITERS, Roles, type FieldError } from '#docket/platform';
import {
  CreateOrganisationRequest,
  OrganisationsService,
  type OrganisationPage,
  type OrganisationView,
} from '#docket/registry';
import { formatDate, localDate } from '../dates.js';
import { errorsOf, formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { labelsOf } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { caseFileView } from './case-file-view.js';
import { fileRow } from './file-rows.js';
import { bulkFormOptions } from './casework.pages.js';
import {
  CONTACT_ROLE_OPTIONS,
  PRIORITY_OPTIONS,
  RISK_FLAG_OPTIONS,
  STATUS_OPTIONS,
  TYPE_OPTIONS,
} from './case-labels.js';
import {
  fieldErrorsOf,
  listOf,
  queryString,
  requireUuid,
  settingsOf,
  splitList,
  UUID,
  validateInput,
} from './page-helpers.js';

const PAGE_SIZE = 25;
/** Organisations offered in the filter's select; a deployment with more is searched by name instead. */
const ORGANISATION_FILTER_LIMIT = 200;
/** Registered organisations offered as choices on the new-case form (the rest are found by searching). */
const ORGANISATION_CHOICES = 20;
/** Stands in for the organisation not registered yet, so that the case fields are checked in the same round. */
const NOT_YET_REGISTERED = '00000000-0000-4000-8000-000000000000';

const FILTER_FIELDS = [
  'q',
  'status',
  'assigneeId',
  'organisationId',
  'priority',
  'type',
  'tag',
  'riskFlag',
  'sort',
  'cursor',
];
/** The columns the list can be ordered by, with the order a first click gives. */
const SORT_COLUMNS: { key: string; label: string; first: 'asc' | 'desc' }[] = [
  { key: 'reference', label: 'cases.list.reference', first: 'asc' },
  { key: 'title', label: 'common.title', first: 'asc' },
  { key: 'priority', label: 'common.priority', first: 'desc' },
  { key: 'createdAt', label: 'common.opened', first: 'desc' },
];
const NEW_CASE_FIELDS = [
  'orgMode',
  'organisationId',
  'orgName',
  'orgCountry',
  'orgWebsite',
  'contactName',
  'contactEmail',
  'contactRole',
  'title',
  'type',
  'legalBasis',
  'priority',
  'assigneeId',
  'tags',
];
/** The form's own messages, in the request's language (catalogue keys `cases.new.error.<field>`). */
const NEW_CASE_MESSAGES = labelsOf('cases.new.error.', [
  'orgMode',
  'organisationId',
  'orgName',
  'orgCountry',
  'orgWebsite',
  'contactEmail',
  'contactRole',
  'title',
  'type',
  'legalBasis',
  'priority',
]);
const ORGANISATION_FIELDS: Record<string, string> = {
  name: 'orgName',
  country: 'orgCountry',
  website: 'orgWebsite',
  contacts: 'contactEmail',
  'contacts.0.email': 'contactEmail',
  'contacts.0.role': 'contactRole',
  'contacts.0.name': 'contactName',
};

/** How much of a draft reply's text the case page shows; the whole message is on its own page. */
const INBOUND_PREVIEW_LENGTH = 1000;

export interface FailedForm {
  name: 'note' | 'close';
  errors: FormErrors;
  values: Record<string, string>;
}

function describeOrder(sort: string): string {
  const descending = sort.startsWith('-');
  const key = sort.replace(/^-/, '');
  const known = ['createdAt', 'updatedAt', 'reference', 'title', 'priority', 'nextDueAt'];
  return known.includes(key) ? t(`caseOrder.${key}.${descending ? 'desc' : 'asc'}`) : t('caseOrder.createdAt.desc');
}

/**
 * The authority's cases: list with filters, opening a case (with a new organisation if need be), the case file, notes,
 * closing.
 */
@Page('cases')
@Roles('admin', 'manager', 'officer', 'viewer')
export class CasePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly cases: CasesService,
    private readonly organisations: OrganisationsService,
    private readonly identity: IdentityService,
    private readonly deadlines: DeadlinesService,
    private readonly inbound: InboundService,
    private readonly documents: DocumentsService,
    private readonly service: ServiceAttemptsService,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Query() query: Record<string, unknown>) {
    const values = formValues(query, FILTER_FIELDS);
    const errorOptions = {
      form: 'filter',
      fields: ['q', 'status', 'assigneeId', 'organisationId', 'priority', 'type', 'tag', 'riskFlag', 'sort'],
      messages: { q: t('cases.list.error.q') },
    };
    let errors = noErrors();
    let page: { items: CaseSummaryView[]; nextCursor: string | null; prevCursor?: string | null } = {
      items: [],
      nextCursor: null,
    };
    try {
      const filter = await validateForm(CaseListQuery, query, { fields: FILTER_FIELDS });
      page = await this.cases.list({ ...filter, limit: PAGE_SIZE });
    } catch (error) {
      errors = formErrors(error, errorOptions);
    }
    const settings = settingsOf(req);
    const timezone = settings.timezone;
    const filters = {
      q: values.q,
      status: values.status,
      assigneeId: values.assigneeId,
      organisationId: values.organisationId,
      priority: values.priority,
      type: values.type,
      tag: values.tag,
      riskFlag: values.riskFlag,
    };
    const currentSort = values.sort || '-createdAt';
    const sortColumns = SORT_COLUMNS.map((column) => {
      const active = currentSort.replace(/^-/, '') === column.key;
      const descending = currentSort.startsWith('-');
      const next = active
        ? descending
          ? column.key
          : `-${column.key}`
        : column.first === 'desc'
          ? `-${column.key}`
          : column.key;
      return {
        key: column.key,
        label: t(column.label),
        ariaSort: active ? (descending ? 'descending' : 'ascending') : null,
        href: `/cases${queryString({ ...filters, sort: next })}`,
        action: t(next.startsWith('-') ? 'cases.list.orderDescending' : 'cases.list.orderAscending'),
      };
    });
    const sortColumn = (key: string) => sortColumns.find((column) => column.key === key);
    const [assignees, organisations] = await Promise.all([
      this.identity.listUsers(CASE_WRITERS),
      this.organisationOptions(values.organisationId),
    ]);
    return this.pages.render(
      'cases/list',
      {
        title: t('nav.cases'),
        cases: page.items.map((item) => ({
          id: item.id,
          reference: item.reference,
          title: item.title,
          organisation: item.organisation.name,
          status: item.status,
          priority: item.priority,
          assignee: item.assignee?.name ?? null,
          selection: `${item.id}:${item.version}`,
          opened: item.createdAt,
          openedText: formatDate(localDate(new Date(item.createdAt), timezone), settings, 'short'),
        })),
        filtered: Object.values(filters).some(Boolean),
        paged: Boolean(values.cursor),
        nextHref: page.nextCursor
          ? `/cases${queryString({ ...filters, sort: values.sort, cursor: page.nextCursor })}`
          : null,
        prevHref: page.prevCursor
          ? `/cases${queryString({ ...filters, sort: values.sort, cursor: page.prevCursor })}`
          : null,
        firstHref: `/cases${queryString({ ...filters, sort: values.sort })}`,
        sortColumns: {
          reference: sortColumn('reference'),
          title: sortColumn('title'),
          priority: sortColumn('priority'),
          createdAt: sortColumn('createdAt'),
        },
        orderText: describeOrder(currentSort),
        priorities: [{ value: '', label: t('cases.list.anyPriority') }, ...PRIORITY_OPTIONS],
        types: [{ value: '', label: t('cases.list.anyType') }, ...TYPE_OPTIONS],
        riskFlags: [{ value: '', label: t('cases.list.anyRiskFlag') }, ...RISK_FLAG_OPTIONS],
        sorts: ['-createdAt', 'createdAt', '-updatedAt', 'nextDueAt', '-priority', 'reference', 'title'].map(
          (value) => ({
            value,
            label: describeOrder(value).replace(/^./, (c) => c.toLocaleUpperCase()),
          }),
        ),
        statuses: [{ value: '', label: t('cases.list.anyStatus') }, ...STATUS_OPTIONS],
        assignees: [
          { value: '', label: t('common.anyone') },
          ...assignees.map((user) => ({ value: user.id, label: user.name })),
        ],
        organisations: [{ value: '', label: t('cases.list.anyOrganisation') }, ...organisations],
        bulk: bulkFormOptions(assignees),
        saveViewHref: `/views/new${queryString({ list: 'cases', query: queryString({ ...filters, sort: values.sort }).slice(1) })}`,
        values,
        errors,
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }

  @Roles(...CASE_WRITERS)
  @Get('new')
  async newCase(@Req() req: PageRequest, @Query('organisation') search?: string) {
    const q = typeof search === 'string' ? search.trim().slice(0, 200) : '';
    const found = await this.organisations.search({ q: q || undefined, limit: ORGANISATION_CHOICES });
    const none = found.items.length === 0;
    const defaults: Record<string, string> = {
      orgMode: none ? 'new' : 'existing',
      organisationId: q && found.items.length === 1 ? found.items[0].id : '',
      orgName: none ? q : '',
      contactRole: 'dpo',
      type: 'ex_officio',
      priority: 'normal',
      assigneeId: req.auth!.user.id,
    };
    return this.newCasePage(q, defaults, noErrors(), [], 200, found);
  }

  @Roles(...CASE_WRITERS)
  @Post()
  async create(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const values = formValues(body, NEW_CASE_FIELDS);
    const riskFlags = listOf(body.riskFlags);
    const search = formValues(body, ['search']).search;
    const fail = (errors: FormErrors) => this.newCasePage(search, values, errors, riskFlags, 400);
    const options = { form: 'case', fields: [...NEW_CASE_FIELDS, 'riskFlags'] };
    const problems: FieldError[] = [];
    const mode = values.orgMode;
    if (mode !== 'existing' && mode !== 'new') problems.push({ field: 'orgMode', message: NEW_CASE_MESSAGES.orgMode });

    let organisationRequest: CreateOrganisationRequest | null = null;
    if (mode === 'new') {
      try {
        organisationRequest = await validateInput(CreateOrganisationRequest, organisationInput(values));
      } catch (error) {
        problems.push(
          ...orThrow(
            fieldErrorsOf(error, (field) => ORGANISATION_FIELDS[field] ?? field),
            error,
          ),
        );
      }
    }
    let caseRequest: CreateCaseRequest | null = null;
    try {
      const organisationId = mode === 'existing' ? values.organisationId || undefined : NOT_YET_REGISTERED;
      caseRequest = await validateInput(CreateCaseRequest, {
        organisationId,
        title: values.title || undefined,
        type: values.type || undefined,
        legalBasis: values.legalBasis.trim() || undefined,
        priority: values.priority || undefined,
        assigneeId: values.assigneeId || undefined,
        tags: splitList(values.tags),
        riskFlags,
      });
    } catch (error) {
      const caseProblems = orThrow(
        fieldErrorsOf(error, (field) => field.split('.')[0]),
        error,
      );
      problems.push(...caseProblems.filter((problem) => mode === 'existing' || problem.field !== 'organisationId'));
    }
    if (problems.length || !caseRequest) return fail(errorsOf(problems, { ...options, messages: NEW_CASE_MESSAGES }));

    if (organisationRequest) {
      try {
        const organisation = await this.organisations.create(organisationRequest);
        caseRequest.organisationId = organisation.id;
      } catch (error) {
        // The service's own words (e.g. "already registered; search for it") by the name field.
        return fail(formErrors(error, { ...options, problemField: 'orgName', rename: ORGANISATION_FIELDS }));
      }
    }
    try {
      const created = await this.cases.create(caseRequest, req.auth!.authority ?? undefined);
      return this.pages.redirect(`/cases/${created.id}`, t('cases.flash.opened', { reference: created.reference }));
    } catch (error) {
      // A new organisation stays registered: offer it as the chosen one so that a second try does not register it
      // twice.
      Object.assign(values, { orgMode: 'existing', organisationId: caseRequest.organisationId });
      const fields = fieldErrorsOf(error, (field) => field.split('.')[0]);
      return fail(fields ? errorsOf(fields, options) : formErrors(error, options));
    }
  }

  @Get(':id')
  show(@Req() req: PageRequest, @Param('id') id: string) {
    return this.casePage(req, requireUuid(id, 'case'));
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/notes')
  async addNote(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'case');
    try {
      const input = await validateForm(AddNoteRequest, body, { fields: ['text'] });
      await this.cases.addNote(id, input.text);
      return this.pages.redirect(`/cases/${id}#notes-title`, t('cases.flash.noteAdded'));
    } catch (error) {
      const errors = formErrors(error, {
        form: 'note',
        fields: ['text'],
        messages: { text: t('cases.error.note') },
      });
      return this.casePage(req, id, { name: 'note', errors, values: formValues(body, ['text']) });
    }
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/close')
  async close(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'case');
    const version = formValues(body, ['version']).version;
    try {
      const input = await validateForm(CloseCaseRequest, body, { fields: ['reason'] });
      const closed = await this.cases.close(id, input.reason, /^\d{1,9}$/.test(version) ? Number(version) : undefined);
      return this.pages.redirect(`/cases/${id}`, t('cases.flash.closed', { reference: closed.reference }));
    } catch (error) {
      // A 412 (the case changed since the page was shown) or 409 is the service's explanation, for the whole form.
      const errors = formErrors(error, {
        form: 'close',
        fields: ['reason'],
        messages: { reason: t('cases.error.closeReason') },
      });
      return this.casePage(req, id, { name: 'close', errors, values: formValues(body, ['reason']) });
    }
  }

  @Roles('admin', 'manager')
  @Post(':id/share')
  async share(@Param('id') id: string) {
    const view = await this.cases.setSharing(requireUuid(id, 'case'), true);
    return this.pages.redirect(`/cases/${id}#sharing-title`, t('cases.flash.shared', { reference: view.reference }));
  }

  @Roles('admin', 'manager')
  @Post(':id/unshare')
  async unshare(@Param('id') id: string) {
    const view = await this.cases.setSharing(requireUuid(id, 'case'), false);
    return this.pages.redirect(`/cases/${id}#sharing-title`, t('cases.flash.unshared', { reference: view.reference }));
  }

  private async casePage(req: PageRequest, id: string, failed?: FailedForm) {
    const file = await this.cases.get(id);
    const [timeline, deadlines, documents, service] = await Promise.all([
      this.cases.timeline(id),
      this.deadlines.forCase(id),
      this.documents.forCase(id),
      this.service.forCase(id),
    ]);
    const reminders = await this.deadlines.remindersOf(deadlines.map((deadline) => deadline.id));
    const drafts = Array.isArray(file.inbound)
      ? (file.inbound as InboundView[]).filter((message) => message.status === 'draft')
      : [];
    const inboundPreviews = await this.inbound.previews(
      drafts.map((message) => message.id),
      INBOUND_PREVIEW_LENGTH,
    );
    const role = req.auth!.user.role;
    const view = caseFileView({
      file,
      timeline,
      deadlines,
      reminders,
      settings: settingsOf(req),
      canWrite: (CASE_WRITERS as string[]).includes(role),
      canShare: role === 'admin' || role === 'manager',
      inboundPreviews,
    });
    const formOf = (name: FailedForm['name']) =>
      failed?.name === name ? { errors: failed.errors, values: failed.values } : { errors: noErrors(), values: {} };
    return this.pages.render(
      'cases/show',
      {
        title: `${file.reference}: ${file.title}`,
        ...view,
        forms: { note: formOf('note'), close: formOf('close') },
        // Whether the organisation has a representative where the authority sits; if not, how it is served.
        service: {
          representative: service.representative && {
            name: service.representative.name ?? service.representative.email ?? service.representative.jurisdiction,
            jurisdiction: service.representative.jurisdiction,
          },
          recordedNone: service.recordedNone,
          routes: service.routes.length,
          attempts: service.attempts.length,
          servedFromText: service.servedFrom ? formatDate(service.servedFrom, settingsOf(req), 'long') : null,
        },
        documents: documents.map((document) => ({
          href: `/documents/${document.id}`,
          title: document.title,
          kind: t(`documentKind.${document.kind}`),
          filename: document.filename,
          sha256: document.sha256,
          size: `${Math.max(1, Math.round(document.size / 1024))} KB`,
          createdIso: document.createdAt.toISOString(),
          signed: document.signed,
          issued: document.issued,
          // A file that entered (a case file) says what the malware scan found; a quarantined one is not linked.
          scan:
            document.scanStatus === 'infected'
              ? t('documents.scanInfected', { detail: document.scanDetail ?? 'malware' })
              : document.scanStatus === 'clean'
                ? t('documents.scanClean')
                : document.scanStatus === 'not_scanned'
                  ? t('documents.notScanned')
                  : null,
          quarantined: document.scanStatus === 'infected',
        })),
        // Files received with the organisation's responses (by e-mail or uploaded), with the issued ones above.
        received: (Array.isArray(file.responses) ? (file.responses as ResponseView[]) : []).flatMap((response) =>
          response.attachments.map((attachment) => ({
            ...fileRow(attachment, attachment.scan.status === 'infected' ? null : `/attachments/${attachment.id}`),
            receivedIso: response.receivedAt,
          })),
        ),
        errors: failed?.errors ?? noErrors(),
      },
      { status: failed ? 400 : 200 },
    );
  }

  private async newCasePage(
    search: string,
    values: Record<string, string>,
    errors: FormErrors,
    riskFlags: string[] = [],
    status = 200,
    searched?: OrganisationPage | null,
  ) {
    const [found, writers] = await Promise.all([
      searched ?? this.organisations.search({ q: search || undefined, limit: ORGANISATION_CHOICES }),
      this.identity.listUsers(CASE_WRITERS),
    ]);
    const choices = [...found.items];
    if (
      UUID.test(values.organisationId ?? '') &&
      !choices.some((organisation) => organisation.id === values.organisationId)
    ) {
      const chosen = await this.organisations.findById(values.organisationId);
      if (chosen) choices.unshift(await this.organisations.get(chosen.id));
    }
    return this.pages.render(
      'cases/new',
      {
        title: t('cases.new.title'),
        search,
        searched: Boolean(search),
        more: Boolean(found.nextCursor),
        choices: choices.map((organisation) => organisationChoice(organisation)),
        contactRoles: CONTACT_ROLE_OPTIONS,
        types: TYPE_OPTIONS,
        priorities: PRIORITY_OPTIONS,
        assignees: [
          { value: '', label: t('cases.new.notAssigned') },
          ...writers
            .filter((user) => user.active)
            .map((user) => ({ value: user.id, label: `${user.name} (${t(`role.${user.role}`)})` })),
        ],
        riskFlags: RISK_FLAG_OPTIONS.map((option) => ({ ...option, checked: riskFlags.includes(option.value) })),
        values,
        errors,
      },
      { status },
    );
  }

  private async organisationOptions(selected: string): Promise<{ value: string; label: string }[]> {
    const page = await this.organisations.search({ limit: ORGANISATION_FILTER_LIMIT });
    const options = page.items.map((organisation) => ({ value: organisation.id, label: organisation.name }));
    if (selected && !options.some((option) => option.value === selected)) {
      const chosen = UUID.test(selected) ? await this.organisations.findById(selected) : null;
      if (chosen) options.unshift({ value: chosen.id, label: chosen.legalName });
    }
    return options;
  }
}

function organisationInput(values: Record<string, string>): Record<string, unknown> {
  const contactGiven = Boolean(values.contactEmail.trim() || values.contactName.trim());
  return {
    name: values.orgName.trim() || undefined,
    country: values.orgCountry.trim().toUpperCase() || undefined,
    website: values.orgWebsite.trim() || undefined,
    contacts: contactGiven
      ? [
          {
            name: values.contactName.trim() || undefined,
            email: values.contactEmail.trim() || undefined,
            role: values.contactRole || undefined,
          },
        ]
      : [],
  };
}

function organisationChoice(organisation: OrganisationView) {
  const contact = organisation.contacts[0];
  return {
    id: organisation.id,
    name: organisation.name,
    detail: [organisation.country, organisation.website, contact?.email].filter(Boolean).join(' · '),
  };
}

function orThrow(errors: FieldError[] | null, error: unknown): FieldError[] {
  if (!errors) throw error;
  return errors;
}
