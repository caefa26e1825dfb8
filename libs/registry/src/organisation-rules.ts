import type { FieldError } from '#docket/platform';
import type { Organisation, OrganisationIdentity } from './organisation.entity.js';
import type { Contact, LegalEntity, Product, Representative } from './organisation.types.js';
import type {
  ContactInput,
  CreateOrganisationRequest,
  LegalEntityInput,
  OrganisationView,
  ProductInput,
  RepresentativeInput,
} from './dto.js';

/** The shared identity's fields in stored form. */
export interface IdentityFields {
  legalName: string;
  tradingNames: string[];
  country: string;
  website: string | null;
  legalEntities: LegalEntity[];
  products: Product[];
}

/** One authority's address book for the organisation: where its letters go. */
export interface AddressBookFields {
  contacts: Contact[];
  representatives: Representative[];
}

/** The organisation's fields in stored form, from a validated request. */
export type OrganisationFields = IdentityFields & AddressBookFields;

export const IDENTITY_KEYS = [
  'legalName',
  'tradingNames',
  'country',
  'website',
  'legalEntities',
  'products',
] as const satisfies readonly (keyof IdentityFields)[];
export const ADDRESS_BOOK_KEYS = [
  'contacts',
  'representatives',
] as const satisfies readonly (keyof AddressBookFields)[];

/** The keys of `keys` whose values differ between `before` and `after`. */
export function changedKeys<T extends object>(keys: readonly (keyof T)[], before: T, after: T): (keyof T)[] {
  return keys.filter((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
}

/** The identity as a version keeps it (the field names of the API). */
export const identityOf = (o: IdentityFields): OrganisationIdentity => ({
  name: o.legalName,
  tradingNames: o.tradingNames,
  country: o.country,
  website: o.website,
  legalEntities: o.legalEntities,
  products: o.products,
});

/** API names of identity fields (legalName is "name" on the API). */
export const apiField = (key: string): string => (key === 'legalName' ? 'name' : key);

const orNull = (value: string | undefined | null): string | null =>
  value === undefined || value === null || value.trim() === '' ? null : value.trim();

export const legalEntitiesFrom = (inputs: LegalEntityInput[]): LegalEntity[] =>
  inputs.map((e) => ({
    name: e.name.trim(),
    country: e.country,
    registrationNumber: orNull(e.registrationNumber),
    address: orNull(e.address),
  }));

export const contactsFrom = (inputs: ContactInput[]): Contact[] =>
  inputs.map((c) => ({ name: orNull(c.name), email: c.email.toLowerCase(), role: c.role }));

export const representativesFrom = (inputs: RepresentativeInput[]): Representative[] =>
  inputs.map((r) => ({
    jurisdiction: r.jurisdiction,
    appointed: r.appointed,
    name: orNull(r.name),
    email: r.email?.toLowerCase() ?? null,
    address: orNull(r.address),
  }));

export const productsFrom = (inputs: ProductInput[]): Product[] =>
  inputs.map((p) => ({ name: p.name.trim(), kind: p.kind ?? null }));

export function fieldsFrom(request: CreateOrganisationRequest): OrganisationFields {
  return {
    legalName: request.name.trim(),
    tradingNames: (request.tradingNames ?? []).map((name) => name.trim()),
    country: request.country,
    website: orNull(request.website),
    legalEntities: legalEntitiesFrom(request.legalEntities ?? []),
    contacts: contactsFrom(request.contacts ?? []),
    representatives: representativesFrom(request.representatives ?? []),
    products: productsFrom(request.products ?? []),
  };
}

function duplicates(values: string[]): Set<number> {
  const seen = new Set<string>();
  const repeated = new Set<number>();
  values.forEach((value, index) => {
    const key = value.toLowerCase();
    if (seen.has(key)) repeated.add(index);
    seen.add(key);
  });
  return repeated;
}

/** Rules across fields that DTO validation cannot express; empty when the organisation is consistent. */
export function organisationErrors(fields: OrganisationFields): FieldError[] {
  const errors: FieldError[] = [];
  if (fields.legalName === '')
    errors.push({ field: 'name', message: 'name must not be blank', key: 'validation.required' });
  fields.tradingNames.forEach((name, i) => {
    if (name === '')
      errors.push({
        field: `tradingNames.${i}`,
        message: 'trading names must not be blank',
        key: 'organisations.refusal.blankTradingName',
      });
  });
  for (const i of duplicates(fields.tradingNames))
    errors.push({
      field: `tradingNames.${i}`,
      message: `"${fields.tradingNames[i]}" is listed twice`,
      key: 'organisations.refusal.listedTwice',
      params: { name: fields.tradingNames[i] },
    });
  for (const i of duplicates(fields.products.map((p) => p.name)))
    errors.push({
      field: `products.${i}`,
      message: `product "${fields.products[i].name}" is listed twice`,
      key: 'organisations.refusal.listedTwice',
      params: { name: fields.products[i].name },
    });
  for (const i of duplicates(fields.representatives.map((r) => r.jurisdiction))) {
    errors.push({
      field: `representatives.${i}.jurisdiction`,
      message: `jurisdiction ${fields.representatives[i].jurisdiction} is listed twice; give one entry per jurisdiction`,
      key: 'organisations.refusal.jurisdictionTwice',
      params: { jurisdiction: fields.representatives[i].jurisdiction },
    });
  }
  fields.representatives.forEach((r, i) => {
    if (r.appointed && !r.name)
      errors.push({
        field: `representatives.${i}.name`,
        message: 'name the appointed representative, or set appointed: false to record that none is appointed',
        key: 'organisations.refusal.representativeName',
      });
    if (!r.appointed && (r.name || r.email || r.address)) {
      errors.push({
        field: `representatives.${i}.appointed`,
        message: 'a jurisdiction without an appointed representative takes no name, email or address',
        key: 'organisations.refusal.noRepresentative',
      });
    }
  });
  return errors;
}

/** What name search matches: legal and trading names, lower-case, one per line. */
export const searchTextOf = (fields: Pick<OrganisationFields, 'legalName' | 'tradingNames'>): string =>
  [fields.legalName, ...fields.tradingNames].map((name) => name.toLowerCase()).join('\n');

/**
 * The organisation as one authority sees it: the shared identity with that authority's own contacts and
 * representatives (none without a book). Its version counts both, so either kind of change makes it stale.
 */
export function organisationView(
  o: Organisation,
  book: (AddressBookFields & { version: number }) | null,
): OrganisationView {
  return {
    id: o.id,
    name: o.legalName,
    tradingNames: o.tradingNames,
    country: o.country,
    website: o.website,
    legalEntities: o.legalEntities,
    contacts: book?.contacts ?? [],
    representatives: book?.representatives ?? [],
    products: o.products,
    version: o.version + (book?.version ?? 0),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
