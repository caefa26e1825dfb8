import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { authorityCodeSql } from '#docket/identity';
import { activeTransaction, entityFromRow } from '#docket/platform';
import { Organisation, OrganisationAddressBook, OrganisationVersion } from './organisation.entity.js';

export interface OrganisationSearch {
  q?: string;
  limit: number;
  after?: { legalName: string; id: string };
}

export type VersionWithAuthority = OrganisationVersion & { authorityCode: string | null };

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The shared identity (organisations, organisation_versions) is deliberately read across authorities:
 * coordination needs one provider for all. Address books are read and written through AddressBookRepository,
 * scoped to the caller's authority; only `followers` reads which authorities keep one.
 */
@Injectable()
export class OrganisationRepository {
  /** The read of organisations by id: TypeORM's statement, built once (see entityFromRow). */
  private byIdsStatement?: string;

  constructor(private readonly dataSource: DataSource) {}

  /** The open transaction's manager (UnitOfWork.run), or the data source's outside one. */
  private manager() {
    return activeTransaction() ?? this.dataSource.manager;
  }

  private repo() {
    return this.manager().getRepository(Organisation);
  }

  async findById(id: string, lock = false): Promise<Organisation | null> {
    if (!lock) return (await this.byIds([id]))[0] ?? null;
    return this.repo().findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Legal name and country of each organisation found (unknown ids are left out). */
  async namesAndCountries(ids: string[]): Promise<Pick<Organisation, 'id' | 'legalName' | 'country'>[]> {
    if (ids.length === 0) return [];
    return this.repo().find({ select: { id: true, legalName: true, country: true }, where: { id: In(ids) } });
  }

  /**
   * The organisations found among these ids. Read on every case created: by raw SQL, the rows made entities here
   * (TypeORM's find cost more CPU than the query).
   */
  async byIds(ids: string[]): Promise<Organisation[]> {
    if (ids.length === 0) return [];
    this.byIdsStatement ??= this.dataSource
      .getRepository(Organisation)
      .createQueryBuilder('organisation')
      .where('organisation.id = ANY(:ids)', { ids: [] })
      .getQueryAndParameters()[0];
    const rows = (await this.manager().query(this.byIdsStatement, [ids])) as Record<string, unknown>[];
    return rows.map((row) => entityFromRow(this.dataSource, Organisation, 'organisation', row));
  }

  async existingIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.repo().find({ select: { id: true }, where: { id: In(ids) } });
    return rows.map((row) => row.id);
  }

  async insert(organisation: Organisation): Promise<void> {
    await this.repo().insert(organisation);
  }

  async update(id: string, changes: Partial<Organisation>): Promise<void> {
    await this.repo().update({ id }, changes);
  }

  /** Name search in (legal name, id) order; takes one more than the limit to tell whether a next page exists. */
  search(filter: OrganisationSearch): Promise<Organisation[]> {
    const query = this.repo()
      .createQueryBuilder('o')
      .orderBy('o.legalName', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .take(filter.limit + 1);
    if (filter.q)
      query.andWhere(`o.search_text ILIKE :pattern`, { pattern: likePattern(filter.q.trim().toLowerCase()) });
    if (filter.after)
      query.andWhere('(o.legalName, o.id) > (:afterName, :afterId)', {
        afterName: filter.after.legalName,
        afterId: filter.after.id,
      });
    return query.getMany();
  }

  /**
   * The authorities that follow the organisation (a book) or registered it: whose trails record changes of its
   * identity.
   */
  async followers(organisation: Organisation): Promise<string[]> {
    const rows = await this.manager()
      .getRepository(OrganisationAddressBook)
      .find({
        select: { authorityId: true },
        where: { organisationId: organisation.id },
      });
    return [
      ...new Set([
        ...(organisation.registeredByAuthorityId ? [organisation.registeredByAuthorityId] : []),
        ...rows.map((row) => row.authorityId),
      ]),
    ].sort();
  }

  async insertVersion(version: OrganisationVersion): Promise<void> {
    await this.manager().getRepository(OrganisationVersion).insert(version);
  }

  /** The identity's versions, newest first, with the code of the authority whose user wrote each. */
  async versions(organisationId: string): Promise<VersionWithAuthority[]> {
    const { entities, raw } = await this.manager()
      .getRepository(OrganisationVersion)
      .createQueryBuilder('v')
      .addSelect(authorityCodeSql('v.authority_id'), 'authority_code')
      .where('v.organisationId = :organisationId', { organisationId })
      .orderBy('v.version', 'DESC')
      .getRawAndEntities<{ authority_code: string | null }>();
    return entities.map((entity, index) =>
      Object.assign(entity, { authorityCode: raw[index]?.authority_code ?? null }),
    );
  }
}
