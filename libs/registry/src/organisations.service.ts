import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AuditService } from '#docket/audit';
import {
  Clock,
  Conflict,
  decodeCursor,
  encodeCursor,
  NotAllowed,
  NotFound,
  RequestContext,
  staleVersion,
  UnitOfWork,
  ValidationProblem,
  type FieldError,
} from '#docket/platform';
import type {
  CreateOrganisationRequest,
  OrganisationHistoryView,
  OrganisationPage,
  OrganisationQuery,
  OrganisationView,
  UpdateOrganisationRequest,
} from './dto.js';
import {
  Organisation,
  OrganisationAddressBook,
  OrganisationVersion,
  type OrganisationRecord,
} from './organisation.entity.js';
import { AddressBookRepository } from './address-book.repository.js';
import { OrganisationRepository } from './organisation.repository.js';
import {
  ADDRESS_BOOK_KEYS,
  apiField,
  changedKeys,
  contactsFrom,
  fieldsFrom,
  IDENTITY_KEYS,
  identityOf,
  legalEntitiesFrom,
  organisationErrors,
  organisationView,
  productsFrom,
  representativesFrom,
  searchTextOf,
  type AddressBookFields,
  type IdentityFields,
  type OrganisationFields,
} from './organisation-rules.js';
import type { Contact, Representative } from './organisation.types.js';

const noOrganisation = (id: string) =>
  new NotFound(`There is no organisation with id ${id}.`).withMessage('problem.organisations.notFound', { id });

const NOT_NULL: (keyof UpdateOrganisationRequest)[] = [
  'name',
  'tradingNames',
  'country',
  'legalEntities',
  'contacts',
  'representatives',
  'products',
];

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
}

const pick = <T extends object>(source: T, keys: readonly (keyof T)[]): Record<string, unknown> =>
  Object.fromEntries(keys.map((key) => [apiField(String(key)), source[key]]));

/** Where one authority's letters to an organisation go. */
export interface AddressBook {
  contacts: Contact[];
  representatives: Representative[];
}

/** How many followed pairs a process remembers (see OrganisationsService.followed). */
const FOLLOWED_REMEMBERED = 100_000;

/**
 * The organisation registry. The legal identity is shared by all authorities and versioned; every change of
 * it is audited in the trail of each authority that follows the organisation. Contacts and representatives
 * are the caller's authority's own (its address book): reads show only the caller's, writes change only
 * the caller's.
 */
@Injectable()
export class OrganisationsService {
  /**
   * `authority:organisation` pairs known to follow (committed): a book is never deleted, so the next case of the pair
   * needs no statement to follow again. At most FOLLOWED_REMEMBERED, forgotten all at once beyond.
   */
  private readonly followed = new Set<string>();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly organisations: OrganisationRepository,
    private readonly books: AddressBookRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Registers the organisation; its contacts and representatives go into the caller's authority's book. */
  async create(request: CreateOrganisationRequest): Promise<OrganisationView> {
    const authorityId = RequestContext.authorityId();
    const fields = fieldsFrom(request);
    const errors = organisationErrors(fields);
    if (errors.length) throw new ValidationProblem(errors);
    const now = this.clock.now();
    const identity: IdentityFields = Object.fromEntries(
      IDENTITY_KEYS.map((key) => [key, fields[key]]),
    ) as unknown as IdentityFields;
    const organisation = Object.assign(new Organisation(), {
      id: randomUUID(),
      ...identity,
      searchText: searchTextOf(fields),
      registeredByAuthorityId: authorityId,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    const book = Object.assign(new OrganisationAddressBook(), {
      authorityId,
      organisationId: organisation.id,
      contacts: fields.contacts,
      representatives: fields.representatives,
      version: 0,
      createdAt: now,
      updatedAt: now,
    });
    try {
      return await this.unitOfWork.run(async () => {
        await this.organisations.insert(organisation);
        await this.books.saveBook(book);
        await this.recordVersion(organisation, IDENTITY_KEYS.map(String));
        const view = organisationView(organisation, book);
        await this.audit.record({
          action: 'organisation.created',
          entityType: 'organisation',
          entityId: organisation.id,
          after: view,
        });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw this.duplicate(fields);
      throw error;
    }
  }

  /** The organisation as the caller's authority sees it (its own contacts only). */
  async get(id: string): Promise<OrganisationView> {
    const organisation = await this.require(id);
    const authorityId = RequestContext.actor().authorityId;
    return organisationView(organisation, authorityId ? await this.books.findBook(id) : null);
  }

  /**
   * The shared identity only (no contacts), or null; for other contexts (a case names its organisation). Read once
   * for all the work of a context that shares its reads (RequestContext.readOnce), as `require`.
   */
  findById(id: string): Promise<Organisation | null> {
    return RequestContext.readOnce(`organisation:${id}`, () => this.organisations.findById(id));
  }

  /**
   * The shared identities of the organisations among these ids, by id (unknown ids are left out): one read for any
   * number, and a single id is read as `findById` (once for a job that shares its reads).
   */
  async byIds(ids: string[]): Promise<Map<string, OrganisationRecord>> {
    const unique = [...new Set(ids)];
    const found = unique.length === 1 ? [await this.findById(unique[0]!)] : await this.organisations.byIds(unique);
    return new Map(found.flatMap((organisation) => (organisation ? [[organisation.id, organisation] as const] : [])));
  }

  /** Legal name and country of the organisations among these ids (a campaign choosing each one's language). */
  namesAndCountries(ids: string[]): Promise<Pick<Organisation, 'id' | 'legalName' | 'country'>[]> {
    return this.organisations.namesAndCountries(ids);
  }

  /** Which of these ids name a registered organisation. */
  async existing(ids: string[]): Promise<Set<string>> {
    return new Set(await this.organisations.existingIds(ids));
  }

  async require(id: string): Promise<Organisation> {
    const organisation = await this.findById(id);
    if (!organisation) throw noOrganisation(id);
    return organisation;
  }

  /**
   * Where the letters of one named authority to the organisation go: for code acting for an authority
   * (an inquiry of its case, a campaign's job). Empty lists when the authority keeps no contacts.
   */
  async addressBook(organisationId: string, authorityId: string): Promise<AddressBook> {
    const book = await RequestContext.readOnce(`address-book:${authorityId}:${organisationId}`, () =>
      RequestContext.actingFor(authorityId, () => this.books.findBook(organisationId)),
    );
    return { contacts: book?.contacts ?? [], representatives: book?.representatives ?? [] };
  }

  /**
   * The organisations among these ids, each with the named authority's address book of it (as `addressBook` gives
   * it): two reads for any number (a batch of a campaign's letters); unknown ids are left out.
   */
  async withAddressBooks(
    ids: string[],
    authorityId: string,
  ): Promise<Map<string, { organisation: OrganisationRecord; addressBook: AddressBook }>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const organisations = await this.organisations.byIds(unique);
    const books = await RequestContext.actingFor(authorityId, () =>
      this.books.findBooks(organisations.map((organisation) => organisation.id)),
    );
    return new Map(
      organisations.map((organisation) => {
        const book = books.get(organisation.id);
        return [
          organisation.id,
          {
            organisation,
            addressBook: { contacts: book?.contacts ?? [], representatives: book?.representatives ?? [] },
          },
        ];
      }),
    );
  }

  /**
   * Makes an organisation and its address book read by `withAddressBooks` the answer of `findById` and `addressBook`
   * for the rest of the current context's shared reads (RequestContext.readOnce), as if it had read them itself.
   */
  keepRead(read: { organisation: OrganisationRecord; addressBook: AddressBook }, authorityId: string): void {
    const { organisation, addressBook } = read;
    // The entity `withAddressBooks` read, as `findById` would have.
    void RequestContext.readOnce(`organisation:${organisation.id}`, () =>
      Promise.resolve(organisation as Organisation),
    );
    void RequestContext.readOnce(`address-book:${authorityId}:${organisation.id}`, () =>
      Promise.resolve(addressBook as OrganisationAddressBook),
    );
  }

  /**
   * Each authority follows its organisation from now on (it opened a case with it): its trail will record changes of
   * the identity. One statement for all; the same pair twice is followed once.
   */
  async follow(books: { organisationId: string; authorityId: string }[]): Promise<void> {
    const distinct = new Map(
      books
        .map((book) => [`${book.authorityId}:${book.organisationId}`, book] as const)
        .filter(([key]) => !this.followed.has(key)),
    );
    if (!distinct.size) return;
    await this.books.follow([...distinct.values()], this.clock.now());
    this.unitOfWork.afterCommit(async () => {
      if (this.followed.size + distinct.size > FOLLOWED_REMEMBERED) this.followed.clear();
      for (const key of distinct.keys()) this.followed.add(key);
    });
  }

  async search(query: OrganisationQuery): Promise<OrganisationPage> {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, ['string', 'string']) : undefined;
    const rows = await this.organisations.search({
      q: query.q,
      limit,
      after: after ? { legalName: after[0] as string, id: after[1] as string } : undefined,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const authorityId = RequestContext.actor().authorityId;
    const books = authorityId
      ? await this.books.findBooks(page.map((row) => row.id))
      : new Map<string, OrganisationAddressBook>();
    return {
      items: page.map((row) => organisationView(row, books.get(row.id) ?? null)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.legalName, last.id]) : null,
    };
  }

  /** The versions of the shared identity, newest first: what changed, when, and by which authority's user. */
  async history(id: string): Promise<OrganisationHistoryView> {
    await this.require(id);
    const versions = await this.organisations.versions(id);
    return {
      items: versions.map((version) => ({
        version: version.version,
        changedAt: version.changedAt.toISOString(),
        authority: version.authorityCode,
        actor: version.actorLabel,
        changed: version.changed,
        identity: version.identity,
      })),
    };
  }

  /**
   * Changes the given fields (lists are replaced whole) when `expectedVersion` (the version of the caller's
   * view) is still current. Identity fields change the shared record (a new version, audited for every
   * authority that follows the organisation); contacts and representatives change the caller's book only.
   */
  async update(id: string, expectedVersion: number, patch: UpdateOrganisationRequest): Promise<OrganisationView> {
    const nullErrors: FieldError[] = NOT_NULL.filter((key) => patch[key] === null).map((key) => ({
      field: key,
      message: `${key} cannot be null`,
      key: 'validation.required',
    }));
    if (nullErrors.length) throw new ValidationProblem(nullErrors);
    if (Object.values(patch).every((value) => value === undefined))
      throw new ValidationProblem([], 'Send at least one field to change.').withMessage(
        'problem.organisations.nothingToChange',
      );
    const authorityId = RequestContext.actor().authorityId;
    if (!authorityId && (patch.contacts !== undefined || patch.representatives !== undefined)) {
      throw new NotAllowed(
        'Contacts and representatives belong to an authority; only its users can change them.',
      ).withMessage('problem.organisations.addressBookOfAuthority');
    }
    let next: OrganisationFields | undefined;
    try {
      return await this.unitOfWork.run(async () => {
        const current = await this.organisations.findById(id, true);
        if (!current) throw noOrganisation(id);
        const book = authorityId ? await this.books.findBook(id, true) : null;
        const currentBook: AddressBookFields = {
          contacts: book?.contacts ?? [],
          representatives: book?.representatives ?? [],
        };
        const currentVersion = current.version + (book?.version ?? 0);
        if (currentVersion !== expectedVersion) throw staleVersion('organisation', expectedVersion, currentVersion);
        next = {
          legalName: patch.name?.trim() ?? current.legalName,
          tradingNames: patch.tradingNames?.map((name) => name.trim()) ?? current.tradingNames,
          country: patch.country ?? current.country,
          website: patch.website === undefined ? current.website : patch.website === null ? null : patch.website.trim(),
          legalEntities: patch.legalEntities ? legalEntitiesFrom(patch.legalEntities) : current.legalEntities,
          products: patch.products ? productsFrom(patch.products) : current.products,
          contacts: patch.contacts ? contactsFrom(patch.contacts) : currentBook.contacts,
          representatives: patch.representatives
            ? representativesFrom(patch.representatives)
            : currentBook.representatives,
        };
        const errors = organisationErrors(next);
        if (errors.length) throw new ValidationProblem(errors);
        const identityChanged = changedKeys<IdentityFields>(IDENTITY_KEYS, current, next);
        const bookChanged = changedKeys<AddressBookFields>(ADDRESS_BOOK_KEYS, currentBook, next);
        const now = this.clock.now();
        let organisation = current;
        if (identityChanged.length) {
          const before = pick(current, identityChanged);
          const after = pick(next, identityChanged);
          const changes = {
            ...Object.fromEntries(IDENTITY_KEYS.map((key) => [key, next![key]])),
            searchText: searchTextOf(next),
            version: current.version + 1,
            updatedAt: now,
          };
          await this.organisations.update(id, changes);
          organisation = Object.assign(current, changes);
          await this.recordVersion(organisation, identityChanged.map(String));
          // The shared identity changed: every authority that follows the organisation sees it in its own trail.
          const trails = new Set([
            ...(await this.organisations.followers(organisation)),
            ...(authorityId ? [authorityId] : []),
          ]);
          for (const trail of [...trails].sort()) {
            await this.audit.record({
              authorityId: trail,
              action: 'organisation.updated',
              entityType: 'organisation',
              entityId: id,
              before,
              after: { ...after, version: organisation.version },
            });
          }
        }
        let nextBook = book;
        if (bookChanged.length && authorityId) {
          nextBook = Object.assign(
            book ??
              Object.assign(new OrganisationAddressBook(), {
                authorityId,
                organisationId: id,
                version: 0,
                createdAt: now,
              }),
            {
              contacts: next.contacts,
              representatives: next.representatives,
              version: (book?.version ?? 0) + 1,
              updatedAt: now,
            },
          );
          await this.books.saveBook(nextBook);
          await this.audit.record({
            action: 'organisation.contacts_updated',
            entityType: 'organisation',
            entityId: id,
            before: pick(currentBook, bookChanged),
            after: pick(next, bookChanged),
          });
        }
        return organisationView(organisation, nextBook);
      });
    } catch (error) {
      if (isUniqueViolation(error) && next) throw this.duplicate(next);
      throw error;
    }
  }

  private async recordVersion(organisation: Organisation, changed: string[]): Promise<void> {
    const actor = RequestContext.actor();
    await this.organisations.insertVersion(
      Object.assign(new OrganisationVersion(), {
        organisationId: organisation.id,
        version: organisation.version,
        identity: identityOf(organisation),
        changed: changed.map(apiField),
        authorityId: actor.authorityId,
        actorId: actor.userId,
        actorLabel: actor.label,
        changedAt: organisation.updatedAt,
      }),
    );
  }

  private duplicate(fields: Pick<OrganisationFields, 'legalName' | 'country'>): Conflict {
    return new Conflict(
      `An organisation with the legal name "${fields.legalName}" in ${fields.country} is already registered; search for it with GET /api/v1/organisations?q=.`,
    ).withMessage('problem.organisations.duplicate', { legalName: fields.legalName, country: fields.country });
  }
}
