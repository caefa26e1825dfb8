import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AuditService } from '#docket/audit';
import type { Language } from '#docket/i18n';
import {
  Clock,
  Conflict,
  Gone,
  MailTransport,
  NotAllowed,
  NotFound,
  RequestContext,
  RUNTIME,
  Unavailable,
  UnitOfWork,
  ValidationProblem,
  type Actor,
  type Role,
  type Runtime,
} from '#docket/platform';
import { passwordResetMail } from './account-mails.js';
import { AccessToken } from './access-token.entity.js';
import { Authority } from './authority.entity.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { PasswordReset } from './password-reset.entity.js';
import { passwordProblem, passwordRefusal, passwordRefusalError } from './password-rule.js';
import { ssoOnlyProvider } from './sso-only.js';
import { User } from './user.entity.js';
import { UserRepository } from './user.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long a password-reset link works. */
export const RESET_LINK_MINUTES = 60;

/** Roles from least to most power; "raising" a role means moving right. */
const RANK: Record<Exclude<Role, 'sysadmin'>, number> = { viewer: 0, officer: 1, manager: 2, admin: 3 };

export interface UserChange {
  name?: string;
  role?: Exclude<Role, 'sysadmin'>;
  active?: boolean;
  language?: Language;
}

export interface ManagedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  language: Language;
  authorityId: string | null;
}

export type ResetLinkState = 'valid' | 'used' | 'expired' | 'withdrawn' | 'unknown';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const RESET_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const managed = (user: User): ManagedUser => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  active: user.active,
  language: user.language,
  authorityId: user.authorityId,
});

/**
 * People over time: administrators change roles, deactivate and reactivate, send password-reset links;
 * everybody changes their own password. A change of role, a deactivation and a new password end every
 * token and web session of that user in the same transaction. Every change is audited in the chain of
 * the user's authority.
 */
@Injectable()
export class UserLifecycleService {
  private readonly logger = new Logger(UserLifecycleService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UserRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly mail: MailTransport,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  /**
   * A user the caller administers: one of their own authority (any authority's for the sysadmin), never the
   * sysadmin account. Others do not exist for the caller (404).
   */
  private async administered(id: string, lock = false): Promise<User> {
    const user = lock ? await this.users.lockById(id) : await this.users.byId(id);
    if (!user) throw new NotFound('There is no such user in your authority.').withMessage('problem.users.notFound');
    return user;
  }

  /**
   * Runs `work` acting for the authority of the user administered: the caller's own, or, for the sysadmin, the
   * authority the user belongs to (the sysadmin account belongs to none, and is nobody's to administer).
   */
  async forUsersAuthority<T>(id: string, actor: Actor, work: () => Promise<T>): Promise<T> {
    if (actor.role !== 'sysadmin') return work();
    const authorityId = await this.authorityOfUser(id);
    if (!authorityId)
      throw new NotFound('There is no such user in your authority.').withMessage('problem.users.notFound');
    return RequestContext.actingFor(authorityId, work);
  }

  /** The sysadmin administers the users of every authority: which authority a user belongs to. */
  private async authorityOfUser(id: string): Promise<string | null> {
    if (!UUID.test(id)) return null;
    const user = await this.dataSource.getRepository(User).findOne({ select: { authorityId: true }, where: { id } });
    return user?.authorityId ?? null;
  }

  async update(id: string, change: UserChange): Promise<ManagedUser> {
    const actor = RequestContext.actor();
    if (actor.role !== 'sysadmin' && actor.role !== 'admin')
      throw new NotAllowed('Only administrators change users.').withMessage('problem.users.adminsOnly');
    return this.forUsersAuthority(id, actor, () =>
      this.unitOfWork.run(async (manager) => {
        const found = await this.administered(id);
        // One authority's people change one at a time, so two admins cannot demote each other at once.
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`users:${found.authorityId}`]);
        const user = await this.administered(id, true);
        const before = { name: user.name, role: user.role, active: user.active, language: user.language };
        const after = {
          name: change.name ?? user.name,
          role: change.role ?? user.role,
          active: change.active ?? user.active,
          language: change.language ?? user.language,
        };
        if (user.id === actor.userId && change.role && RANK[change.role] > RANK[user.role as keyof typeof RANK]) {
          throw new NotAllowed('You cannot raise your own role: ask another administrator.').withMessage(
            'problem.users.ownRole',
          );
        }
        const losesAdmin = before.role === 'admin' && before.active && (after.role !== 'admin' || !after.active);
        if (losesAdmin) {
          const others = await this.users.activeAdmins();
          if (others <= 1) {
            const authority = await manager.getRepository(Authority).findOne({ where: { id: user.authorityId! } });
            const what = after.active ? 'given another role' : 'deactivated';
            throw new Conflict(
              `${user.name} is the last active administrator of ${authority?.code ?? 'the authority'} and cannot be ${what}: make another user administrator first.`,
            ).withMessage('problem.users.lastAdmin', {
              name: user.name,
              authority: authority?.code ?? '',
              change: after.active ? 'role' : 'deactivation',
            });
          }
        }
        if (
          before.name === after.name &&
          before.role === after.role &&
          before.active === after.active &&
          before.language === after.language
        )
          return managed(user);
        await this.users.change(user.id, after);
        let endedSessions = 0;
        if (before.role !== after.role || (before.active && !after.active))
          endedSessions = await this.endSessions(user.id);
        if (!after.active) await this.withdrawResetLinks(user.id);
        const action =
          before.active !== after.active
            ? after.active
              ? 'user.reactivated'
              : 'user.deactivated'
            : before.role !== after.role
              ? 'user.role_changed'
              : before.name !== after.name
                ? 'user.renamed'
                : 'user.language_changed';
        await this.audit.record({
          authorityId: user.authorityId!,
          action,
          entityType: 'user',
          entityId: user.id,
          before,
          after: { ...after, endedSessions },
        });
        return managed({ ...user, ...after } as User);
      }),
    );
  }

  /**
   * The role the authority's identity provider gives at a sign-in (claim mapping). Sessions of the user end as for
   * any role change, but the last active administrator of the authority keeps the role (returned unchanged).
   */
  async assignRoleFromProvider(userId: string, role: Exclude<Role, 'sysadmin'>, issuer: string): Promise<Role> {
    return this.unitOfWork.run(async (manager) => {
      const found = await this.users.byId(userId);
      if (!found?.authorityId || found.role === role) return found?.role ?? role;
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`users:${found.authorityId}`]);
      const user = await this.users.lockById(userId);
      if (!user || user.role === role) return user?.role ?? role;
      if (user.role === 'admin' && user.active) {
        const admins = await this.users.activeAdmins();
        if (admins <= 1) {
          this.logger.warn(`the provider gave ${user.email} the role ${role}; kept admin: the authority's last one`);
          return user.role;
        }
      }
      await this.users.change(user.id, { role });
      const endedSessions = await this.endSessions(user.id);
      await this.audit.record({
        authorityId: user.authorityId!,
        action: 'user.role_changed',
        entityType: 'user',
        entityId: user.id,
        before: { role: user.role },
        after: { role, endedSessions, via: 'sso', issuer },
      });
      return role;
    });
  }

  /** The caller's own language (any signed-in user of an authority, or the sysadmin). */
  async changeOwnLanguage(language: Language): Promise<ManagedUser> {
    const actor = RequestContext.actor();
    if (!actor.userId)
      throw new NotAllowed('Only a signed-in user has a profile.').withMessage('problem.users.signedInOnly');
    return this.unitOfWork.run(async (manager) => {
      const user = await manager
        .getRepository(User)
        .findOne({ where: { id: actor.userId! }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFound('Your account no longer exists.').withMessage('problem.users.accountGone');
      if (user.language === language) return managed(user);
      await manager.getRepository(User).update({ id: user.id }, { language });
      if (user.authorityId)
        await this.audit.record({
          authorityId: user.authorityId,
          action: 'user.language_changed',
          entityType: 'user',
          entityId: user.id,
          before: { language: user.language },
          after: { language },
        });
      return managed({ ...user, language } as User);
    });
  }

  /** The caller's own password; every other token and session of theirs ends (the one asking stays signed in). */
  async changeOwnPassword(currentPassword: string, newPassword: string, keepTokenId: string): Promise<void> {
    const actor = RequestContext.actor();
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.id = :id', { id: actor.userId })
      .getOne();
    if (!user) throw new NotFound('Your account no longer exists.').withMessage('problem.users.accountGone');
    const provider = await ssoOnlyProvider(this.dataSource, user.authorityId);
    if (provider)
      throw new Conflict(
        `${provider.code} signs in with ${provider.label} (single sign-on) only: a Docket password is of no use, so none can be set.`,
      ).withMessage('problem.users.ssoOnlyPassword', { authority: provider.code, provider: provider.label });
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new ValidationProblem(
        [
          {
            field: 'currentPassword',
            message: 'The current password is not correct',
            key: 'users.refusal.wrongCurrentPassword',
          },
        ],
        'The current password is not correct; nothing was changed.',
      ).withMessage('problem.users.wrongCurrentPassword');
    }
    this.checkNewPassword(newPassword, user, currentPassword);
    const passwordHash = await hashPassword(newPassword);
    await this.unitOfWork.run(async (manager) => {
      await manager.getRepository(User).update({ id: user.id }, { passwordHash });
      const endedSessions = await this.endSessions(user.id, keepTokenId);
      await this.withdrawResetLinks(user.id);
      if (user.authorityId) {
        await this.audit.record({
          authorityId: user.authorityId,
          action: 'user.password_changed',
          entityType: 'user',
          entityId: user.id,
          after: { endedSessions },
        });
      } else {
        this.logger.log(`the sysadmin ${user.email} changed their password; ${endedSessions} other sessions ended`);
      }
    });
  }

  /**
   * Mails the user a link that sets a new password once, within RESET_LINK_MINUTES; earlier links of theirs
   * stop working. Only the link's SHA-256 is stored, and the mail is sent directly (never kept in the outbox).
   */
  async sendResetLink(id: string): Promise<{ expiresAt: string }> {
    const actor = RequestContext.actor();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + RESET_LINK_MINUTES * 60_000);
    const { user, resetId } = await this.forUsersAuthority(id, actor, () =>
      this.unitOfWork.run(async (manager) => {
        const user = await this.administered(id);
        if (!user.active)
          throw new Conflict(
            `${user.name} is deactivated: reactivate the account before sending a reset link.`,
          ).withMessage('problem.users.resetDeactivated', { name: user.name });
        const provider = await ssoOnlyProvider(manager, user.authorityId);
        if (provider)
          throw new Conflict(
            `${provider.code} signs in with ${provider.label} (single sign-on) only: no password-reset link is sent.`,
          ).withMessage('problem.users.ssoOnlyReset', { authority: provider.code, provider: provider.label });
        await this.withdrawResetLinks(user.id);
        const reset = await manager.save(
          manager.create(PasswordReset, {
            userId: user.id,
            tokenHash: sha256(token),
            expiresAt,
            usedAt: null,
            withdrawnAt: null,
            requestedBy: actor.userId,
          }),
        );
        await this.audit.record({
          authorityId: user.authorityId!,
          action: 'user.password_reset_sent',
          entityType: 'user',
          entityId: user.id,
          after: { expiresAt: expiresAt.toISOString(), requestedBy: actor.label },
        });
        return { user, resetId: reset.id };
      }),
    );
    const link = `${this.runtime.config.PUBLIC_URL.replace(/\/$/, '')}/reset/${token}`;
    try {
      await this.mail.send({ to: user.email, ...passwordResetMail(user, link, expiresAt) });
    } catch (error) {
      await this.dataSource.getRepository(PasswordReset).update({ id: resetId }, { withdrawnAt: this.clock.now() });
      this.logger.error(
        `reset mail to user ${user.id} not sent: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new Unavailable('The reset mail could not be sent, so the link was withdrawn; try again later.');
    }
    return { expiresAt: expiresAt.toISOString() };
  }

  /** What a reset link is now, for the page that opens it (no lock, nothing changed). */
  async resetLinkState(token: string): Promise<ResetLinkState> {
    if (!RESET_TOKEN.test(token)) return 'unknown';
    const reset = await this.dataSource.getRepository(PasswordReset).findOne({ where: { tokenHash: sha256(token) } });
    return this.stateOf(reset);
  }

  /** Sets the password of a reset link's user, once; every token and session of that user ends. */
  async completeReset(token: string, newPassword: string): Promise<{ email: string }> {
    if (!RESET_TOKEN.test(token)) throw refusal('unknown');
    // The rule is checked before the link is spent, so a refused password leaves the link usable.
    const peek = await this.dataSource
      .getRepository(PasswordReset)
      .findOne({ where: { tokenHash: sha256(token) }, relations: { user: true } });
    const state = this.stateOf(peek);
    if (state !== 'valid') throw refusal(state);
    const provider = await ssoOnlyProvider(this.dataSource, peek!.user!.authorityId);
    if (provider)
      throw new Gone(
        `This password-reset link no longer works: ${provider.code} now signs in with ${provider.label} (single sign-on) only.`,
      ).withMessage('problem.passwordReset.ssoOnly', { authority: provider.code, provider: provider.label });
    this.checkNewPassword(newPassword, peek!.user!);
    const passwordHash = await hashPassword(newPassword);
    return this.unitOfWork.run(async (manager) => {
      const reset = await manager
        .getRepository(PasswordReset)
        .findOne({ where: { id: peek!.id }, lock: { mode: 'pessimistic_write' } });
      const now = this.clock.now();
      const current = this.stateOf(reset);
      if (current !== 'valid') throw refusal(current);
      await manager.getRepository(PasswordReset).update({ id: reset!.id }, { usedAt: now });
      const user = await manager.getRepository(User).findOne({ where: { id: reset!.userId, active: true } });
      if (!user) throw refusal('withdrawn');
      await manager.getRepository(User).update({ id: user.id }, { passwordHash });
      const endedSessions = await this.endSessions(user.id);
      await this.audit.record({
        authorityId: user.authorityId!,
        action: 'user.password_reset',
        entityType: 'user',
        entityId: user.id,
        after: { endedSessions },
      });
      return { email: user.email };
    });
  }

  private stateOf(reset: PasswordReset | null): ResetLinkState {
    if (!reset) return 'unknown';
    if (reset.usedAt) return 'used';
    if (reset.withdrawnAt) return 'withdrawn';
    if (reset.expiresAt.getTime() <= this.clock.now().getTime()) return 'expired';
    return 'valid';
  }

  private checkNewPassword(password: string, user: User, current?: string): void {
    const problem = passwordProblem(password, user, current);
    if (problem)
      throw new ValidationProblem([passwordRefusalError('newPassword', problem)], passwordRefusal(problem)).withMessage(
        'password.refusal',
        passwordRefusalError('newPassword', problem).params,
      );
  }

  /** Ends every live token of every kind (API, web session, calendar feed) of a user but `except`; returns how many. */
  private async endSessions(userId: string, except?: string): Promise<number> {
    const query = this.unitOfWork
      .manager()
      .createQueryBuilder()
      .update(AccessToken)
      .set({ revokedAt: this.clock.now() })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (except) query.andWhere('id <> :except', { except });
    return (await query.execute()).affected ?? 0;
  }

  private async withdrawResetLinks(userId: string): Promise<void> {
    await this.unitOfWork
      .manager()
      .getRepository(PasswordReset)
      .update({ userId, usedAt: IsNull(), withdrawnAt: IsNull() }, { withdrawnAt: this.clock.now() });
  }
}

/** What a person who opens a link that no longer works is told. */
export const RESET_REFUSALS: Record<Exclude<ResetLinkState, 'valid'>, string> = {
  unknown: 'This password-reset link is not valid: check that you opened the whole link from the mail.',
  used: 'This password-reset link has already been used: each link sets a password once. Ask your administrator for a new link if you need one.',
  expired: `This password-reset link has expired (links work for ${RESET_LINK_MINUTES} minutes): ask your administrator for a new one.`,
  withdrawn:
    'This password-reset link no longer works: a newer link was sent, the password was changed or the account was deactivated. Ask your administrator for a new one.',
};

/** A refused reset link's catalogue message (`problem.passwordReset.<state>`), for pages in the reader's language. */
export const resetRefusalMessage = (state: Exclude<ResetLinkState, 'valid'>) => ({
  key: `problem.passwordReset.${state}`,
  params: { minutes: RESET_LINK_MINUTES },
});

/** A link nobody sent is not found; one that was sent and no longer works is gone. */
function refusal(state: Exclude<ResetLinkState, 'valid'>): NotFound | Gone {
  const { key, params } = resetRefusalMessage(state);
  return (state === 'unknown' ? new NotFound(RESET_REFUSALS.unknown) : new Gone(RESET_REFUSALS[state])).withMessage(
    key,
    params,
  );
}
