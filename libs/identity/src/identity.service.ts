import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { AuditService } from '#docket/audit';
import { languageOfLocale } from '#docket/i18n';
import {
  keysetPage,
  keysetSql,
  readPageRequest,
  Conflict,
  NotAllowed,
  NotFound,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  ValidationProblem,
  type KeysetPage,
  type ListOrder,
  type Role,
  type Runtime,
  type SortValueType,
} from '#docket/platform';
import { Authority, type AuthorityRecord } from './authority.entity.js';
import { calendarSettingErrors } from './calendar-check.js';
import type { CreateAuthorityRequest, CreateUserRequest, UserListQuery, UserSortKey, UserView } from './dto.js';
import { hashPassword } from './passwords.js';
import { passwordProblem, passwordRefusal, passwordRefusalError } from './password-rule.js';
import { User, type UserRecord } from './user.entity.js';
import { UserRepository } from './user.repository.js';
import { userView } from './views.js';

const USER_SORT_SQL: Record<UserSortKey, { value: string; type: SortValueType }> = {
  name: { value: 'u.name', type: 'text' },
  email: { value: 'u.email', type: 'text' },
  role: { value: 'u.role', type: 'text' },
  createdAt: { value: 'u.created_at', type: 'timestamptz' },
};
const USER_ORDER: ListOrder<UserSortKey> = {
  keys: Object.fromEntries(Object.entries(USER_SORT_SQL).map(([key, { type }]) => [key, type])) as Record<
    UserSortKey,
    SortValueType
  >,
  fallback: 'name',
};

@Injectable()
export class IdentityService {
  private readonly logger = new Logger(IdentityService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UserRepository,
    private readonly audit: AuditService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  /** A new authority and, when given, its first administrator, in one transaction: both or neither. */
  async createAuthority(request: CreateAuthorityRequest): Promise<Authority & { admin?: UserView }> {
    const { admin, ...fields } = request;
    const weekendDays = [...(fields.weekendDays ?? [6, 7])].sort();
    const errors = calendarSettingErrors({
      timezone: fields.timezone,
      holidayRegion: fields.holidayRegion,
      weekendDays,
    });
    if (errors.length) throw new ValidationProblem(errors);
    const problem = admin ? passwordProblem(admin.password, admin) : null;
    if (problem)
      throw new ValidationProblem(
        [passwordRefusalError('admin.password', problem)],
        passwordRefusal(problem),
      ).withMessage('password.refusal', passwordRefusalError('admin.password', problem).params);
    const passwordHash = admin ? await hashPassword(admin.password) : null;
    return this.unitOfWork.run(async (manager) => {
      const existing = await manager.findOne(Authority, { where: { code: fields.code } });
      if (existing)
        throw new Conflict(`An authority with code ${fields.code} already exists.`).withMessage(
          'problem.authorities.codeTaken',
          { code: fields.code },
        );
      const email = admin?.email.toLowerCase();
      if (email && (await manager.findOne(User, { where: { email } }))) {
        throw new ValidationProblem([
          {
            field: 'admin.email',
            message: `a user with email ${email} already exists`,
            key: 'users.refusal.emailTaken',
            params: { email },
          },
        ]);
      }
      const authority = await manager.save(manager.create(Authority, { ...fields, weekendDays }));
      await this.audit.record({
        authorityId: authority.id,
        action: 'authority.created',
        entityType: 'authority',
        entityId: authority.id,
        after: authority,
      });
      if (!admin || !email || !passwordHash) return authority;
      const user = await manager.save(
        manager.create(User, {
          authorityId: authority.id,
          email,
          name: admin.name,
          role: 'admin',
          language: admin.language ?? languageOfLocale(authority.locale),
          passwordHash,
          active: true,
        }),
      );
      const view = userView(user, authority);
      await this.audit.record({
        authorityId: authority.id,
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        after: { ...view, authority: authority.code },
      });
      return Object.assign(authority, { admin: view });
    });
  }

  /** Sysadmins see every authority; everybody else sees their own. */
  listAuthorities(): Promise<Authority[]> {
    const actor = RequestContext.actor();
    const authorities = this.unitOfWork.manager().getRepository(Authority);
    if (actor.role === 'sysadmin') return authorities.find({ order: { code: 'ASC' } });
    return authorities.find({ where: { id: RequestContext.authorityId() } });
  }

  async authorityByCode(code: string): Promise<Authority> {
    const authority = await this.unitOfWork.manager().getRepository(Authority).findOne({ where: { code } });
    if (!authority)
      throw new NotFound(`There is no authority with code ${code}.`).withMessage('problem.authorities.notFound', {
        code,
      });
    return authority;
  }

  /**
   * The authority with this id, or null; read once for all the work of a context that shares its reads
   * (RequestContext.readOnce: a campaign's letter asks for its authority in several contexts).
   */
  authorityById(id: string): Promise<Authority | null> {
    return RequestContext.readOnce(`authority:${id}`, () =>
      this.unitOfWork.manager().getRepository(Authority).findOne({ where: { id } }),
    );
  }

  /** The authority a row names by its id (a foreign key, so it exists); 404 should it not. */
  async requireAuthority(id: string): Promise<AuthorityRecord> {
    const authority = await this.authorityById(id);
    if (!authority) throw new NotFound(`There is no authority with id ${id}.`);
    return authority;
  }

  /** The authority with this code, or null. */
  findAuthorityByCode(code: string): Promise<AuthorityRecord | null> {
    return this.unitOfWork.manager().getRepository(Authority).findOne({ where: { code } });
  }

  /** The authorities with these ids or codes, ordered by code; unknown ones are left out. */
  authoritiesBy(key: 'id' | 'code', values: string[]): Promise<AuthorityRecord[]> {
    if (values.length === 0) return Promise.resolve([]);
    return this.unitOfWork
      .manager()
      .getRepository(Authority)
      .find({ where: { [key]: In(values) }, order: { code: 'ASC' } });
  }

  /** The authority, its row locked until the transaction ends: its calendar settings are being changed. */
  async lockAuthority(id: string): Promise<AuthorityRecord> {
    const authority = await this.unitOfWork
      .manager()
      .getRepository(Authority)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!authority) throw new NotFound(`There is no authority with id ${id}.`);
    return authority;
  }

  /**
   * Stores how the authority's calendar counts, as the deadlines context checked it (it recomputes the authority's
   * deadlines and audits the change in the same transaction).
   */
  async setCalendarSettings(
    id: string,
    settings: Pick<AuthorityRecord, 'receiptCutoff' | 'weekendDays' | 'holidayRegion'>,
  ): Promise<void> {
    await this.unitOfWork.manager().getRepository(Authority).update({ id }, settings);
  }

  /** Every authority of the deployment, by code (whom a procedure can be opened with, whatever the caller's role). */
  everyAuthority(): Promise<AuthorityRecord[]> {
    return this.unitOfWork
      .manager()
      .getRepository(Authority)
      .find({ order: { code: 'ASC' } });
  }

  /** The caller's own authority. */
  async currentAuthority(): Promise<Authority> {
    const authority = await this.authorityById(RequestContext.authorityId());
    if (!authority) throw new NotFound('Your authority no longer exists.').withMessage('problem.authorities.gone');
    return authority;
  }

  async createUser(request: CreateUserRequest): Promise<UserView> {
    const actor = RequestContext.actor();
    const authority = await this.authorityByCode(request.authority);
    if (actor.role !== 'sysadmin' && actor.authorityId !== authority.id) {
      throw new NotAllowed('Administrators can only create users of their own authority.').withMessage(
        'problem.users.otherAuthority',
      );
    }
    const problem = passwordProblem(request.password, request);
    if (problem)
      throw new ValidationProblem([passwordRefusalError('password', problem)], passwordRefusal(problem)).withMessage(
        'password.refusal',
        passwordRefusalError('password', problem).params,
      );
    const passwordHash = await hashPassword(request.password);
    return this.unitOfWork.run(async (manager) => {
      const email = request.email.toLowerCase();
      if (await manager.findOne(User, { where: { email } }))
        throw new Conflict(`A user with email ${email} already exists.`).withMessage('problem.users.emailTaken', {
          email,
        });
      const user = await manager.save(
        manager.create(User, {
          authorityId: authority.id,
          email,
          name: request.name,
          role: request.role,
          language: request.language ?? languageOfLocale(authority.locale),
          passwordHash,
          active: true,
        }),
      );
      const view = userView(user, authority);
      await this.audit.record({
        authorityId: authority.id,
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        after: { ...view, authority: authority.code },
      });
      return view;
    });
  }

  /** Users of the caller's authority (all of them for a sysadmin). */
  async listUsers(roles?: Role[]): Promise<User[]> {
    if (RequestContext.actor().role === 'sysadmin') return this.everyUser(roles);
    return this.users.list(roles);
  }

  /** The sysadmin's list: the users of every authority. */
  private everyUser(roles?: Role[]): Promise<User[]> {
    return this.dataSource
      .getRepository(User)
      .find({ where: roles ? { role: In(roles) } : {}, order: { name: 'ASC' } });
  }

  /** The sysadmin's page: the users of every authority. */
  private everyUserQuery(): SelectQueryBuilder<User> {
    return this.dataSource.getRepository(User).createQueryBuilder('u').where('true');
  }

  /** A page of the users of the caller's authority (all of them for a sysadmin), by name unless `sort` says so. */
  async pageUsers(query: UserListQuery): Promise<KeysetPage<User> & { total: number }> {
    const request = readPageRequest(query, USER_ORDER, 100);
    const column = USER_SORT_SQL[request.sort.key];
    const keyset = keysetSql(request, { ...column, id: 'u.id' }, ':afterValue', ':afterId');
    const filtered: SelectQueryBuilder<User> =
      RequestContext.actor().role === 'sysadmin' ? this.everyUserQuery() : this.users.users();
    if (query.role?.length) filtered.andWhere('u.role IN (:...roles)', { roles: query.role });
    if (query.active) filtered.andWhere('u.active = :active', { active: query.active === 'true' });
    if (query.q)
      filtered.andWhere(`(u.name ILIKE :q OR u.email ILIKE :q)`, {
        q: `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    const builder = filtered
      .clone()
      .addSelect(`(${column.value})::text`, 'sort_value')
      .orderBy(column.value, keyset.direction)
      .addOrderBy('u.id', keyset.direction)
      .limit(request.limit + 1);
    if (keyset.where) builder.andWhere(keyset.where, { afterValue: request.after?.value, afterId: request.after?.id });
    const [{ entities, raw }, total] = await Promise.all([
      builder.getRawAndEntities<{ u_id: string; sort_value: string }>(),
      filtered.getCount(),
    ]);
    const values = new Map(raw.map((row) => [row.u_id, row.sort_value]));
    return { ...keysetPage(entities, request, (user) => ({ value: values.get(user.id) ?? '', id: user.id })), total };
  }

  /** A user of the caller's authority, or null (users of other authorities do not exist for the caller). */
  userOfMyAuthority(id: string): Promise<User | null> {
    // Read once for all the work of a context that shares its reads (a campaign's letters name the same assignee).
    return RequestContext.readOnce(`user:${RequestContext.actor().authorityId ?? '-'}:${id}`, () =>
      this.users.byId(id),
    );
  }

  /**
   * The users of the caller's authority among these ids, by id (others are left out); one read for any number, and a
   * single id is read as `userOfMyAuthority` (once for a job that shares its reads).
   */
  async usersOfMyAuthority(ids: string[]): Promise<Map<string, UserRecord>> {
    const unique = [...new Set(ids)];
    const found: UserRecord[] =
      unique.length === 0
        ? []
        : unique.length === 1
          ? [await this.userOfMyAuthority(unique[0]!)].filter((user) => user !== null)
          : await this.users.byIds(unique);
    return new Map(found.map((user) => [user.id, user]));
  }

  /** First start: creates the sysadmin when there is no user at all. */
  async bootstrapSysadmin(): Promise<void> {
    const users = this.dataSource.getRepository(User);
    if ((await users.count()) > 0) return;
    const { DOCKET_ADMIN_EMAIL: email, DOCKET_ADMIN_PASSWORD: configured } = this.runtime.config;
    const password = configured ?? randomBytes(12).toString('base64url');
    await users.save(
      users.create({
        authorityId: null,
        email: email.toLowerCase(),
        name: 'System administrator',
        role: 'sysadmin',
        passwordHash: await hashPassword(password),
        active: true,
      }),
    );
    if (configured) {
      this.logger.log(`created sysadmin ${email} with the password from DOCKET_ADMIN_PASSWORD`);
    } else {
      process.stdout.write(
        `\n  Docket sysadmin created: ${email} / ${password}\n  (shown once; set DOCKET_ADMIN_PASSWORD to choose it)\n\n`,
      );
    }
  }
}
