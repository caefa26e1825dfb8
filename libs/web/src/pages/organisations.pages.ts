import { Body, Get, Param, Post, Query } from '@nestjs/common';
import { t } from '#docket/i18n';
import { CASE_WRITERS, httpStatusOf, Roles, type FieldError } from '#docket/platform';
import {
  OrganisationQuery,
  OrganisationsService,
  PRODUCT_KINDS,
  UpdateOrganisationRequest,
  type OrganisationView,
} from '#docket/registry';
import { errorsOf, formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { labelsOf, optionsOf } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { CONTACT_ROLE_LABELS, CONTACT_ROLE_OPTIONS } from './case-labels.js';
import { fieldErrorsOf, listOf, queryString, requireUuid, validateInput } from './page-helpers.js';

const PAGE_SIZE = 25;
/** Empty rows offered after the organisation's contacts and products, to add one. */
const SPARE_ROWS = 1;
const FIELDS = ['version', 'name', 'country', 'website'];
const MESSAGES = labelsOf('organisations.edit.error.', ['name', 'country', 'website']);
const PRODUCT_KIND_OPTIONS = optionsOf([
  ['', 'organisations.edit.notSaid'],
  ...PRODUCT_KINDS.map((kind) => [kind, `productKind.${kind}`] as const),
]);

interface Row {
  index: number;
  [field: string]: string | number;
}

interface OrganisationForm {
  values: Record<string, string>;
  contacts: Row[];
  products: Row[];
}

/**
 * The registered organisations: search, one organisation, and changing its name, country, website, contacts and
 * products.
 */
@Page('organisations')
@Roles('admin', 'manager', 'officer', 'viewer')
export class OrganisationPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly organisations: OrganisationsService,
  ) {}

  @Get()
  async list(@Query() query: Record<string, unknown>) {
    const values = formValues(query, ['q', 'cursor']);
    let errors = noErrors();
    let page: { items: OrganisationView[]; nextCursor: string | null } = { items: [], nextCursor: null };
    try {
      const filter = await validateForm(OrganisationQuery, query, { fields: ['q', 'cursor'] });
      page = await this.organisations.search({ ...filter, limit: PAGE_SIZE });
    } catch (error) {
      errors = formErrors(error, {
        form: 'search',
        fields: ['q'],
        messages: { q: t('organisations.list.error.q') },
      });
    }
    return this.pages.render(
      'organisations/list',
      {
        title: t('nav.organisations'),
        organisations: page.items.map((organisation) => ({
          id: organisation.id,
          name: organisation.name,
          tradingNames: organisation.tradingNames.join(', '),
          country: organisation.country,
          website: organisation.website,
          products: organisation.products.length,
        })),
        searched: Boolean(values.q),
        paged: Boolean(values.cursor),
        nextHref: page.nextCursor ? `/organisations${queryString({ q: values.q, cursor: page.nextCursor })}` : null,
        firstHref: `/organisations${queryString({ q: values.q })}`,
        values,
        errors,
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }

  @Get(':id')
  async show(@Param('id') id: string) {
    const organisation = await this.organisations.get(requireUuid(id, 'organisation'));
    const history = await this.organisations.history(organisation.id);
    return this.pages.render('organisations/show', {
      title: organisation.name,
      history: history.items,
      organisation: {
        ...organisation,
        contacts: organisation.contacts.map((contact) => ({
          ...contact,
          roleLabel: CONTACT_ROLE_LABELS[contact.role] ?? contact.role,
        })),
        casesHref: `/cases${queryString({ organisationId: organisation.id })}`,
        coordinationHref: `/coordination${queryString({ organisationId: organisation.id })}`,
      },
    });
  }

  @Roles(...CASE_WRITERS)
  @Get(':id/edit')
  async edit(@Param('id') id: string) {
    const organisation = await this.organisations.get(requireUuid(id, 'organisation'));
    return this.editPage(organisation, formOf(organisation), noErrors());
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/edit')
  async update(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'organisation');
    const form = submitted(body);
    const options = { form: 'org', fields: ['name', 'country', 'website', ...rowFields(form)], messages: MESSAGES };
    const fail = async (errors: FormErrors) => this.editPage(await this.organisations.get(id), form, errors);
    let patch: UpdateOrganisationRequest;
    try {
      patch = await validateInput(UpdateOrganisationRequest, {
        name: form.values.name.trim(),
        country: form.values.country.trim().toUpperCase(),
        // An emptied website field removes the website (the API's null).
        website: form.values.website.trim() || null,
        contacts: form.contacts.map((row) => ({
          email: String(row.email).trim(),
          role: row.role || undefined,
          name: String(row.name).trim() || undefined,
        })),
        products: form.products.map((row) => ({ name: String(row.name).trim(), kind: row.kind || undefined })),
      });
    } catch (error) {
      const fields = fieldErrorsOf(error, rowField);
      return fail(fields ? errorsOf(rowMessages(fields), options) : formErrors(error, options));
    }
    const version = /^\d{1,9}$/.test(form.values.version) ? Number(form.values.version) : -1;
    try {
      const saved = await this.organisations.update(id, version, patch);
      return this.pages.redirect(`/organisations/${id}`, t('organisations.flash.saved', { name: saved.name }));
    } catch (error) {
      if (httpStatusOf(error) === 412) {
        const current = await this.organisations.get(id);
        return this.editPage(
          current,
          formOf(current),
          errorsOf([{ field: 'form', message: t('organisations.edit.stale') }], { form: 'org', fields: [] }),
          409,
        );
      }
      // A 409 (another organisation has that name) belongs by the name.
      const fields = fieldErrorsOf(error, rowField);
      return fail(
        fields
          ? errorsOf(rowMessages(fields), options)
          : formErrors(error, { ...options, problemField: 'name', messages: {} }),
      );
    }
  }

  private editPage(organisation: OrganisationView, form: OrganisationForm, errors: FormErrors, status?: number) {
    const spare = (rows: Row[], blank: Record<string, string>) => [
      ...rows,
      ...Array.from({ length: SPARE_ROWS }, (_, offset) => ({ index: rows.length + offset, ...blank })),
    ];
    return this.pages.render(
      'organisations/edit',
      {
        title: t('organisations.edit.pageTitle', { name: organisation.name }),
        organisation: { id: organisation.id, name: organisation.name },
        values: form.values,
        contacts: spare(form.contacts, { email: '', role: 'dpo', name: '' }).map((row) => ({
          ...row,
          number: Number(row.index) + 1,
        })),
        products: spare(form.products, { name: '', kind: '' }).map((row) => ({
          ...row,
          number: Number(row.index) + 1,
        })),
        contactRoles: CONTACT_ROLE_OPTIONS,
        productKinds: PRODUCT_KIND_OPTIONS,
        errors,
      },
      { status: status ?? (errors.summary.length ? 400 : 200) },
    );
  }
}

function formOf(organisation: OrganisationView): OrganisationForm {
  return {
    values: {
      version: String(organisation.version),
      name: organisation.name,
      country: organisation.country,
      website: organisation.website ?? '',
    },
    contacts: organisation.contacts.map((contact, index) => ({
      index,
      email: contact.email,
      role: contact.role,
      name: contact.name ?? '',
    })),
    products: organisation.products.map((product, index) => ({ index, name: product.name, kind: product.kind ?? '' })),
  };
}

/** The form as submitted: rows numbered as they were shown, blank rows kept so that the form comes back as it was. */
function submitted(body: Record<string, unknown>): OrganisationForm {
  const rows = (fields: string[]) => {
    const columns = fields.map((field) => listOf(body[field]));
    const length = Math.min(Math.max(0, ...columns.map((column) => column.length)), 100);
    return Array.from({ length }, (_, index) => {
      const row: Row = { index };
      fields.forEach((field, column) => (row[field.replace(/^\w+_/, '')] = columns[column][index] ?? ''));
      return row;
    });
  };
  const contacts = rows(['contact_email', 'contact_role', 'contact_name']).filter((row) => row.email || row.name);
  const products = rows(['product_name', 'product_kind']).filter((row) => row.name);
  return {
    values: formValues(body, FIELDS),
    contacts: contacts.map((row, index) => ({ ...row, index })),
    products: products.map((row, index) => ({ ...row, index })),
  };
}

/** The ids of the row fields, for the error summary's links: contact 1's email is `org-contacts-0-email`. */
function rowFields(form: OrganisationForm): string[] {
  return [
    ...form.contacts.flatMap((row) => ['email', 'role', 'name'].map((field) => `contacts-${row.index}-${field}`)),
    ...form.products.flatMap((row) => ['name', 'kind'].map((field) => `products-${row.index}-${field}`)),
    'contacts',
    'products',
  ];
}

/** The API's `contacts.0.email` is the form's `contacts-0-email`. */
const rowField = (field: string): string => field.replace(/^(contacts|products)\.(\d+)\.(\w+)$/, '$1-$2-$3');

const ROW_FIELDS = new Set(['email', 'role', 'name']);

/** Field errors of rows, with messages that name the row as the form labels it ("contact 2"). */
function rowMessages(errors: FieldError[]): FieldError[] {
  return errors.map((error) => {
    const match = /^(contacts|products)-(\d+)-(\w+)$/.exec(error.field);
    if (!match) return error;
    const n = Number(match[2]) + 1;
    if (match[1] === 'contacts')
      return ROW_FIELDS.has(match[3])
        ? { field: error.field, message: t(`organisations.edit.error.contact.${match[3]}`, { n }) }
        : error;
    return {
      field: error.field,
      message:
        match[3] === 'kind'
          ? t('organisations.edit.error.productKind', { n })
          : t('organisations.edit.error.productName', { n }),
    };
  });
}
