import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { DataSource, IsNull } from 'typeorm';
import { AuditService } from '#docket/audit';
import {
  Clock,
  Conflict,
  NotAllowed,
  NotAuthenticated,
  NotFound,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  ValidationProblem,
  type Actor,
  type Runtime,
} from '#docket/platform';
import { AccessToken } from './access-token.entity.js';
import { Authority } from './authority.entity.js';
import { RecoveryCode } from './second-factor.entity.js';
import { SecretBox } from './secret-box.js';
import { User } from './user.entity.js';
import { UserLifecycleService } from './user-lifecycle.service.js';
import { UserRepository } from './user.repository.js';

export const RECOVERY_CODE_COUNT = 10;
/** Codes of the previous and the next 30-second step are accepted too (clocks drift). */
const TOLERANCE_SECONDS = 30;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export interface Enrolment {
  secret: string;
  otpauthUri: string;
}

/** Why a code was refused at sign-in (both count as a wrong attempt). */
export type CodeRefusal = 'wrong' | 'replayed';

/** The RFC 6238 step a TOTP code matched (otplib's result type also covers HOTP, which has none). */
const timeStepOf = (result: { valid: true }): number => (result as { valid: true; timeStep: number }).timeStep;

export const actorOf = (user: User): Actor => ({
  userId: user.id,
  authorityId: user.authorityId,
  role: user.role,
  label: `${user.name} <${user.email}>`,
});

/** Ten characters (about 49 bits) in two groups, without letters that read alike: `k7m2p-x9qrt`. */
function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

/** What a person typed as a code: digits of a TOTP code, or a recovery code without spaces, dashes or case. */
export function normaliseCode(input: string): { kind: 'totp' | 'recovery'; value: string } | null {
  const value = input.replace(/[\s-]/g, '').toLowerCase();
  if (/^\d{6}$/.test(value)) return { kind: 'totp', value };
  if (value.length === 10 && [...value].every((char) => RECOVERY_ALPHABET.includes(char)))
    return { kind: 'recovery', value: `${value.slice(0, 5)}-${value.slice(5)}` };
  return null;
}

/**
 * The second factor of local accounts: TOTP (RFC 6238, otplib) with single-use recovery codes. The secret is
 * sealed with a key derived from the audit key (SecretBox), recovery codes are stored as HMACs under another
 * derived key, and a code's time step is remembered so that no code is accepted twice.
 */
@Injectable()
export class SecondFactorService {
  private readonly logger = new Logger(SecondFactorService.name);
  private readonly secrets: SecretBox;
  private readonly recovery: SecretBox;

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly users: UserRepository,
    private readonly lifecycle: UserLifecycleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.secrets = new SecretBox(runtime.auditKey, 'totp-secret');
    this.recovery = new SecretBox(runtime.auditKey, 'recovery-code');
  }

  private epoch(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  private async withSecrets(id: string): Promise<User> {
    const user = await this.unitOfWork
      .manager()
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect(['user.totpSecret', 'user.totpPendingSecret', 'user.totpLastStep'])
      .where('user.id = :id', { id })
      .getOne();
    if (!user) throw new NotFound('Your account no longer exists.').withMessage('problem.users.accountGone');
    return user;
  }

  /** Starts (or starts again) the caller's enrolment: a new secret to put into an authenticator app. */
  async enrol(): Promise<Enrolment> {
    const actor = RequestContext.actor();
    if (!actor.userId)
      throw new NotAllowed('Only a signed-in user sets up a second factor.').withMessage(
        'problem.secondFactor.signedInOnly',
      );
    const user = await this.withSecrets(actor.userId);
    if (user.totpEnabledAt)
      throw new Conflict(
        'Your second factor is already set up. To set up a new one, ask an administrator to reset it.',
      ).withMessage('problem.secondFactor.alreadySetUpAskReset');
    const secret = generateSecret();
    await this.dataSource.getRepository(User).update({ id: user.id }, { totpPendingSecret: this.secrets.seal(secret) });
    return { secret, otpauthUri: generateURI({ issuer: 'Docket', label: user.email, secret }) };
  }

  /** The enrolment started and not yet confirmed (shown again after a mistyped code), or null. */
  async pendingEnrolment(userId: string): Promise<Enrolment | null> {
    const user = await this.withSecrets(userId);
    if (user.totpEnabledAt || !user.totpPendingSecret) return null;
    const secret = this.secrets.open(user.totpPendingSecret);
    return { secret, otpauthUri: generateURI({ issuer: 'Docket', label: user.email, secret }) };
  }

  /**
   * Confirms the enrolment with a code of the new secret: the second factor is on, and the recovery codes are
   * returned (only now; stored as HMACs). Tokens limited to enrolment become full ones.
   */
  async confirm(code: string): Promise<{ enabledAt: string; recoveryCodes: string[] }> {
    const actor = RequestContext.actor();
    if (!actor.userId)
      throw new NotAllowed('Only a signed-in user sets up a second factor.').withMessage(
        'problem.secondFactor.signedInOnly',
      );
    const wrong = (message: string, key: string) =>
      new ValidationProblem([{ field: 'code', message, key }], `${message}.`).withMessage(key);
    const user = await this.withSecrets(actor.userId);
    if (user.totpEnabledAt)
      throw new Conflict('Your second factor is already set up.').withMessage('problem.secondFactor.alreadySetUp');
    if (!user.totpPendingSecret)
      throw new Conflict('Start the set-up first (POST /api/v1/me/totp), then confirm with a code.').withMessage(
        'problem.secondFactor.notStarted',
      );
    const typed = normaliseCode(code);
    if (typed?.kind !== 'totp')
      throw wrong('Enter the 6-digit code your authenticator app shows', 'login.code.missing');
    const secret = this.secrets.open(user.totpPendingSecret);
    const result = await verify({ secret, token: typed.value, epoch: this.epoch(), epochTolerance: TOLERANCE_SECONDS });
    if (!result.valid)
      throw wrong(
        'The code is not correct: check the time on your phone and enter the code shown now',
        'secondFactor.refusal.wrongCode',
      );
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const enabledAt = this.clock.now();
    await this.unitOfWork.run(async (manager) => {
      const changed = await manager.getRepository(User).update(
        { id: user.id, totpEnabledAt: IsNull() },
        {
          totpSecret: user.totpPendingSecret,
          totpPendingSecret: null,
          totpEnabledAt: enabledAt,
          totpLastStep: String(timeStepOf(result)),
        },
      );
      if (!changed.affected)
        throw new Conflict('Your second factor is already set up.').withMessage('problem.secondFactor.alreadySetUp');
      await manager.getRepository(RecoveryCode).delete({ userId: user.id });
      await manager
        .getRepository(RecoveryCode)
        .insert(codes.map((value) => ({ userId: user.id, codeHash: this.recovery.mac(value), usedAt: null })));
      await manager
        .getRepository(AccessToken)
        .update({ userId: user.id, enrolmentOnly: true }, { enrolmentOnly: false });
      await this.record(user, 'user.second_factor_enabled', undefined, {
        recoveryCodes: RECOVERY_CODE_COUNT,
      });
    });
    return { enabledAt: enabledAt.toISOString(), recoveryCodes: codes };
  }

  /** Whether this user must give a code after the password. */
  needsCode(user: Pick<User, 'totpEnabledAt'>): boolean {
    return user.totpEnabledAt !== null;
  }

  /**
   * Checks a code given at sign-in: a TOTP code of a step after the last accepted one, or an unused recovery
   * code (then used up, audited). Returns null when accepted, else why not.
   */
  async check(userId: string, input: string): Promise<CodeRefusal | null> {
    const typed = normaliseCode(input);
    if (!typed) return 'wrong';
    const user = await this.withSecrets(userId);
    if (!user.totpSecret) return 'wrong';
    if (typed.kind === 'recovery') {
      return this.unitOfWork.run(async (manager) => {
        const [used] = (await manager.query(
          `UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
          [user.id, this.recovery.mac(typed.value), this.clock.now()],
        )) as [{ id: string }[], number];
        if (!used.length) return 'wrong';
        const left = await manager.getRepository(RecoveryCode).count({ where: { userId: user.id, usedAt: IsNull() } });
        await this.record(user, 'user.recovery_code_used', undefined, { recoveryCodesLeft: left });
        return null;
      });
    }
    const result = await verify({
      secret: this.secrets.open(user.totpSecret),
      token: typed.value,
      epoch: this.epoch(),
      epochTolerance: TOLERANCE_SECONDS,
    });
    if (!result.valid) return 'wrong';
    // One statement takes the step, so two requests with the same code cannot both pass. On its own, outside any
    // transaction of the caller: a code once accepted stays spent even if what follows the sign-in fails.
    const [taken] = (await this.dataSource.query(
      `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [user.id, timeStepOf(result)],
    )) as [{ id: string }[], number];
    return taken.length ? null : 'replayed';
  }

  /** How many unused recovery codes the caller has (the profile page says so). */
  async status(userId: string): Promise<{ enabled: boolean; enabledAt: string | null; recoveryCodesLeft: number }> {
    const user = await this.dataSource.getRepository(User).findOne({ where: { id: userId } });
    const left = await this.dataSource.getRepository(RecoveryCode).count({ where: { userId, usedAt: IsNull() } });
    return {
      enabled: Boolean(user?.totpEnabledAt),
      enabledAt: user?.totpEnabledAt?.toISOString() ?? null,
      recoveryCodesLeft: user?.totpEnabledAt ? left : 0,
    };
  }

  /**
   * An administrator removes a user's second factor (a lost phone): the user signs in with the password alone,
   * or sets one up again at the next sign-in when the authority requires it. Audited.
   */
  async reset(id: string): Promise<void> {
    const actor = RequestContext.actor();
    if (actor.role !== 'sysadmin' && actor.role !== 'admin')
      throw new NotAllowed('Only administrators reset a second factor.').withMessage(
        'problem.secondFactor.adminsReset',
      );
    await this.lifecycle.forUsersAuthority(id, actor, () =>
      this.unitOfWork.run(async (manager) => {
        const user = await this.users.lockById(id);
        if (!user) throw new NotFound('There is no such user in your authority.').withMessage('problem.users.notFound');
        if (!user.totpEnabledAt)
          throw new Conflict(`${user.name} has no second factor to reset.`).withMessage(
            'problem.secondFactor.noneToReset',
            { name: user.name },
          );
        await this.users.change(user.id, {
          totpSecret: null,
          totpPendingSecret: null,
          totpEnabledAt: null,
          totpLastStep: null,
        });
        const removed = await manager.getRepository(RecoveryCode).delete({ userId: user.id });
        await this.record(
          user,
          'user.second_factor_reset',
          { enabledAt: user.totpEnabledAt.toISOString() },
          { recoveryCodesRemoved: removed.affected ?? 0 },
        );
      }),
    );
  }

  /**
   * An authority's administrator makes the second factor mandatory (or not). Turning it on ends the sessions and
   * tokens of the authority's users who have none yet: at their next password sign-in they set one up first.
   */
  async setRequired(
    code: string,
    required: boolean,
  ): Promise<{ secondFactorRequired: boolean; endedSessions: number }> {
    const actor = RequestContext.actor();
    return this.unitOfWork.run(async (manager) => {
      const authority = await manager.getRepository(Authority).findOne({ where: { code } });
      if (!authority || (actor.role !== 'sysadmin' && authority.id !== actor.authorityId))
        throw new NotFound(`There is no authority ${code} that you administer.`).withMessage(
          'problem.authorities.notAdministered',
          { code },
        );
      if (actor.role !== 'sysadmin' && actor.role !== 'admin')
        throw new NotAllowed('Only administrators change how their authority signs in.').withMessage(
          'problem.authorities.signInAdminsOnly',
        );
      const before = authority.secondFactorRequired;
      if (before === required) return { secondFactorRequired: required, endedSessions: 0 };
      await manager.getRepository(Authority).update({ id: authority.id }, { secondFactorRequired: required });
      let endedSessions = 0;
      if (required)
        endedSessions = await RequestContext.actingFor(authority.id, () =>
          this.users.endSessionsWithoutSecondFactor(actor.userId, this.clock.now()),
        );
      await this.audit.record({
        authorityId: authority.id,
        action: required ? 'authority.second_factor_required' : 'authority.second_factor_optional',
        entityType: 'authority',
        entityId: authority.id,
        before: { secondFactorRequired: before },
        after: { secondFactorRequired: required, endedSessions },
      });
      return { secondFactorRequired: required, endedSessions };
    });
  }

  private async record(
    user: User,
    action: string,
    before: Record<string, unknown> | undefined,
    after: Record<string, unknown>,
  ): Promise<void> {
    if (!user.authorityId) {
      this.logger.log(`${action}: the sysadmin ${user.email}`);
      return;
    }
    const entry = { authorityId: user.authorityId, action, entityType: 'user', entityId: user.id, before, after };
    // At sign-in nobody is signed in yet: the user acts.
    if (RequestContext.actor().userId) await this.audit.record(entry);
    else await RequestContext.run(() => this.audit.record(entry), actorOf(user));
  }
}

/** Thrown at sign-in: the account has a second factor and no code came with the password (401). */
export class SecondFactorRequired extends NotAuthenticated {
  override readonly title = 'Second factor required';

  constructor() {
    super(
      'This account has a second factor: send the 6-digit code of your authenticator app (or a recovery code) as "code" with the email and password.',
      { secondFactorRequired: true },
    );
  }
}
