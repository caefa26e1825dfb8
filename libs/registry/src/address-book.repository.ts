import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { RequestContext, TenantRepository } from '#docket/platform';
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

  /** Makes the authority follow the organisation (an empty book) unless it already does. */
  async follow(organisationId: string, now: Date): Promise<void> {
    await this.repo()
      .createQueryBuilder()
      .insert()
      .values({
        authorityId: RequestContext.authorityId(),
        organisationId,
        contacts: [],
        representatives: [],
        version: 0,
        createdAt: now,
        updatedAt: now,
      })
      .orIgnore()
      .execute();
  }
}
