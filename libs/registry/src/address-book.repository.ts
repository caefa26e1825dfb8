import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { TenantRepository } from '#docket/platform';
import { OrganisationAddressBook } from './organisation.entity.js';

/** The caller's authority's address books: the contacts and representatives its letters go to. */
@Injectable()
export class AddressBookRepository extends TenantRepository<OrganisationAddressBook> {
  constructor(dataSource: DataSource) {
    super(dataSource, OrganisationAddressBook);
  }

  /** The book for one organisation. */
  findBook(organisationId: string, lock = false): Promise<OrganisationAddressBook | null> {
    return this.repo().findOne({
      where: this.scoped({ organisationId }),
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** The books for several organisations, by organisation id. */
  async findBooks(organisationIds: string[]): Promise<Map<string, OrganisationAddressBook>> {
    if (organisationIds.length === 0) return new Map();
    const books = await this.find({ where: { organisationId: In(organisationIds) } });
    return new Map(books.map((book) => [book.organisationId, book]));
  }

  async saveBook(book: OrganisationAddressBook): Promise<void> {
    await this.save(book);
  }

  /**
   * Makes each authority follow its organisation (an empty book) unless it already does, in one statement (rows in
   * key order, so that concurrent calls meet no deadlock). For the system acting for the authorities named, which
   * vouches for them (the opening of their cases).
   */
  async follow(books: { authorityId: string; organisationId: string }[], now: Date): Promise<void> {
    const sorted = [...books].sort(
      (a, b) => a.authorityId.localeCompare(b.authorityId) || a.organisationId.localeCompare(b.organisationId),
    );
    await this.repo()
      .createQueryBuilder()
      .insert()
      .values(
        sorted.map(({ authorityId, organisationId }) => ({
          authorityId,
          organisationId,
          contacts: [],
          representatives: [],
          version: 0,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .orIgnore()
      .execute();
  }
}
