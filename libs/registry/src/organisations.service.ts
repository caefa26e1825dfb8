import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { AuditService } from '#docket/audit';
import { Clock, decodeCursor, encodeCursor, staleVersion, ValidationProblem, type FieldError } from '#docket/platform';
import type { CreateOrganisationRequest, OrganisationPage, OrganisationQuery, OrganisationView, UpdateOrganisationRequest } from './dto.js';
import { Organisation } from './organisation.entity.js';
import { OrganisationRepository } from './organisation.repository.js';
import {
  contactsFrom,
  fieldsFrom,
  legalEntitiesFrom,
  organisationErrors,
  organisationView,
  productsFrom,
  representativesFrom,
  searchTextOf,
  type OrganisationFields,
} from './organisation-rules.js';

const NOT_NULL: (keyof UpdateOrganisationRequest)[] = ['name', 'tradingNames', 'country', 'legalEntities', 'contacts', 'representatives', 'products'];

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
}

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: OrganisationRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(request: CreateOrganisationRequest): Promise<OrganisationView> {
    const fields = fieldsFrom(request);
    const errors = organisationErrors(fields);
    if (errors.length) throw new ValidationProblem(errors);
    const now = this.clock.now();
    const organisation = Object.assign(new Organisation(), { id: randomUUID(), ...fields, searchText: searchTextOf(fields), version: 1, createdAt: now, updatedAt: now });
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.organisations.insert(organisation, manager);
        const view = organisationView(organisation);
        await this.audit.record(manager, { action: 'organisation.created', entityType: 'organisation', entityId: organisation.id, after: view });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw this.duplicate(fields);
      throw error;
    }
  }

  async get(id: string): Promise<OrganisationView> {
    return organisationView(await this.require(id));
  }

  /** The organisation, or null; for other contexts (a case names its organisation). */
  findById(id: string, manager?: EntityManager): Promise<Organisation | null> {
    return this.organisations.findById(id, manager);
  }

  async require(id: string, manager?: EntityManager): Promise<Organisation> {
    const organisation = await this.organisations.findById(id, manager);
    if (!organisation) throw new NotFoundException(`There is no organisation with id ${id}.`);
    return organisation;
  }

  async search(query: OrganisationQuery): Promise<OrganisationPage> {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, ['string', 'string']) : undefined;
    const rows = await this.organisations.search({ q: query.q, limit, after: after ? { legalName: after[0] as string, id: after[1] as string } : undefined });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(organisationView), nextCursor: rows.length > limit && last ? encodeCursor([last.legalName, last.id]) : null };
  }

  /** Changes the given fields (lists are replaced whole) when `expectedVersion` is still current. */
  async update(id: string, expectedVersion: number, patch: UpdateOrganisationRequest): Promise<OrganisationView> {
    const nullErrors: FieldError[] = NOT_NULL.filter((key) => patch[key] === null).map((key) => ({ field: key, message: `${key} cannot be null` }));
    if (nullErrors.length) throw new ValidationProblem(nullErrors);
    if (Object.values(patch).every((value) => value === undefined)) throw new ValidationProblem([], 'Send at least one field to change.');
    let next: OrganisationFields | undefined;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const current = await this.organisations.findById(id, manager, true);
        if (!current) throw new NotFoundException(`There is no organisation with id ${id}.`);
        if (current.version !== expectedVersion) throw staleVersion('organisation', expectedVersion, current.version);
        next = {
          legalName: patch.name?.trim() ?? current.legalName,
          tradingNames: patch.tradingNames?.map((name) => name.trim()) ?? current.tradingNames,
          country: patch.country ?? current.country,
          website: patch.website === undefined ? current.website : patch.website === null ? null : patch.website.trim(),
          legalEntities: patch.legalEntities ? legalEntitiesFrom(patch.legalEntities) : current.legalEntities,
          contacts: patch.contacts ? contactsFrom(patch.contacts) : current.contacts,
          representatives: patch.representatives ? representativesFrom(patch.representatives) : current.representatives,
          products: patch.products ? productsFrom(patch.products) : current.products,
        };
        const errors = organisationErrors(next);
        if (errors.length) throw new ValidationProblem(errors);
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        for (const key of Object.keys(next) as (keyof OrganisationFields)[]) {
          if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) {
            before[key] = current[key];
            after[key] = next[key];
          }
        }
        if (Object.keys(after).length === 0) return organisationView(current);
        const changes = { ...next, searchText: searchTextOf(next), version: current.version + 1, updatedAt: this.clock.now() };
        await this.organisations.update(id, changes, manager);
        await this.audit.record(manager, { action: 'organisation.updated', entityType: 'organisation', entityId: id, before, after });
        return organisationView(Object.assign(current, changes));
      });
    } catch (error) {
      if (isUniqueViolation(error) && next) throw this.duplicate(next);
      throw error;
    }
  }

  private duplicate(fields: Pick<OrganisationFields, 'legalName' | 'country'>): ConflictException {
    return new ConflictException(`An organisation with the legal name "${fields.legalName}" in ${fields.country} is already registered; search for it with GET /api/v1/organisations?q=.`);
  }
}
