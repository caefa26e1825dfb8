import { Injectable } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { RequestContext, TenantRepository, type Role } from '#docket/platform';
import { User } from './user.entity.js';

/** A user of an authority (the sysadmin account, of none, is never one). */
export type TenantUser = User & { authorityId: string };

/** The users of the caller's authority (a sysadmin acts for one authority at a time, RequestContext.actingFor). */
@Injectable()
export class UserRepository extends TenantRepository<TenantUser> {
  constructor(dataSource: DataSource) {
    super(dataSource, User as never);
  }

  byId(id: string): Promise<User | null> {
    return this.findOne({ id });
  }

  byIds(ids: string[]): Promise<User[]> {
    return this.find({ where: { id: In(ids) } });
  }

  /** The user, locked until the transaction ends. */
  lockById(id: string): Promise<User | null> {
    return this.query('user').andWhere('user.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  /** The users with these roles (every user without), by name. */
  list(roles?: Role[]): Promise<User[]> {
    return this.find({ where: roles ? { role: In(roles) } : {}, order: { name: 'ASC' } });
  }

  /** A query builder over the authority's users, aliased `u`. */
  users(): SelectQueryBuilder<User> {
    return this.query('u') as unknown as SelectQueryBuilder<User>;
  }

  /** The active managers, by e-mail address (who is told when a case has no assignee to tell). */
  activeManagers(): Promise<User[]> {
    return this.find({ where: { role: 'manager', active: true }, order: { email: 'ASC' } });
  }

  /** How many active administrators the authority has. */
  activeAdmins(): Promise<number> {
    return this.repo().count({ where: this.scoped({ role: 'admin', active: true }) });
  }

  /** Changes a user's columns. */
  async change(id: string, changes: Partial<TenantUser>): Promise<void> {
    await this.repo().update(this.scoped({ id }), changes);
  }

  /**
   * Ends the live sessions and API tokens (not calendar feeds) of the authority's users without a second factor, but
   * those of `except` (the administrator asking); returns how many.
   */
  async endSessionsWithoutSecondFactor(except: string | null, now: Date): Promise<number> {
    const [, ended] = (await this.repo().query(
      `UPDATE access_tokens t SET revoked_at = $2 FROM users u
        WHERE t.user_id = u.id AND u.authority_id = $1 AND u.totp_enabled_at IS NULL
          AND t.revoked_at IS NULL AND t.user_id IS DISTINCT FROM $3 AND t.kind <> 'ical'`,
      [RequestContext.authorityId(), now, except],
    )) as [unknown, number];
    return Number(ended);
  }

  /**
   * Ends every live session and API token of the authority's users that a password sign-in gave (the authority now
   * signs in through its provider only), but the one asking (`except`); calendar feeds are no sign-in and stay.
   * Returns how many ended.
   */
  async endPasswordSessions(except: string | null, now: Date): Promise<number> {
    const [, ended] = (await this.repo().query(
      `UPDATE access_tokens t SET revoked_at = $2 FROM users u
        WHERE t.user_id = u.id AND u.authority_id = $1 AND t.revoked_at IS NULL AND t.signed_in_by = 'password'
          AND t.kind <> 'ical' AND t.id IS DISTINCT FROM $3`,
      [RequestContext.authorityId(), now, except],
    )) as [unknown, number];
    return Number(ended);
  }
}
