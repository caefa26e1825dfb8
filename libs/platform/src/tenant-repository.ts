import type {
  DataSource,
  EntityTarget,
  FindManyOptions,
  FindOptionsWhere,
  ObjectLiteral,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';
import { RequestContext } from './request-context.js';
import { activeTransaction } from './unit-of-work.js';

export interface TenantOwned extends ObjectLiteral {
  authorityId: string;
}

/**
 * Base of every repository of tenant data: each read and write carries the caller's authority,
 * taken from the request context, so no query can leave its tenant.
 */
export abstract class TenantRepository<T extends TenantOwned> {
  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly target: EntityTarget<T>,
  ) {}

  /** The entity's repository in the open transaction (UnitOfWork), or on the data source outside one. */
  protected repo(): Repository<T> {
    return (activeTransaction() ?? this.dataSource.manager).getRepository(this.target);
  }

  protected scoped(where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    return { ...where, authorityId: RequestContext.authorityId() } as FindOptionsWhere<T>;
  }

  findOne(where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repo().findOne({ where: this.scoped(where) });
  }

  find(options: Omit<FindManyOptions<T>, 'where'> & { where?: FindOptionsWhere<T> } = {}): Promise<T[]> {
    return this.repo().find({ ...options, where: this.scoped(options.where) });
  }

  /** A query builder already restricted to the caller's authority. */
  query(alias: string): SelectQueryBuilder<T> {
    return this.repo()
      .createQueryBuilder(alias)
      .where(`${alias}.authorityId = :scopeAuthorityId`, { scopeAuthorityId: RequestContext.authorityId() });
  }

  /** Saves an entity, stamping (or checking) the caller's authority. */
  async save(entity: T): Promise<T> {
    const authorityId = RequestContext.authorityId();
    if (entity.authorityId && entity.authorityId !== authorityId) {
      throw new Error('Refusing to save an entity of another authority');
    }
    (entity as TenantOwned).authorityId = authorityId;
    return this.repo().save(entity);
  }

  /**
   * `save` of an entity known to be new (its id made by the caller a moment ago), in one INSERT where `save` first
   * looks for the id; the entity comes back as `save` leaves it (generated and default values, null for the unset
   * nullable columns).
   */
  async insertNew(entity: T): Promise<T> {
    const [inserted] = await this.insertAllNew([entity]);
    return inserted;
  }

  /** `insertNew` of several entities, in one INSERT. */
  async insertAllNew(entities: T[]): Promise<T[]> {
    if (entities.length === 0) return entities;
    const authorityId = RequestContext.authorityId();
    if (entities.some((entity) => entity.authorityId && entity.authorityId !== authorityId)) {
      throw new Error('Refusing to save an entity of another authority');
    }
    for (const entity of entities) (entity as TenantOwned).authorityId = authorityId;
    const repo = this.repo();
    await repo.insert(entities);
    for (const entity of entities)
      for (const column of repo.metadata.columns)
        if (column.isNullable && column.getEntityValue(entity) === undefined) column.setEntityValue(entity, null);
    return entities;
  }
}
