import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import {
  BatchLoader,
  Clock,
  entityFromRow,
  NotAuthenticated,
  RUNTIME,
  type Actor,
  type Runtime,
} from '#docket/platform';
import { AccessToken, type SignedInBy, type TokenKind } from './access-token.entity.js';
import { Authority } from './authority.entity.js';
import type { UserView } from './dto.js';
import { LoginThrottle } from './login-throttle.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import { SignInChallenge } from './second-factor.entity.js';
import { SsoOnly, ssoOnlyProvider } from './sso-only.js';
import { SecondFactorRequired, SecondFactorService } from './second-factor.service.js';
import { User } from './user.entity.js';
import { userView } from './views.js';

export interface IssuedToken {
  token: string;
  expiresAt: string | null;
  user: UserView;
  /** The token serves only the second factor's enrolment (the authority requires one). */
  secondFactorEnrolmentRequired?: boolean;
}

export interface Authenticated {
  user: User;
  authority: Authority | null;
  actor: Actor;
  tokenId: string;
  /** The token serves only the second factor's enrolment routes. */
  enrolmentOnly: boolean;
}

/** How long the code form of the sign-in page waits after the password. */
export const CHALLENGE_MINUTES = 5;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

@Injectable()
export class AuthService {
  private readonly tokens = new BatchLoader<string, AccessToken>((hashes) => this.loadTokens(hashes), {
    maxSize: 64,
    windowMs: 1,
    maxInFlight: 2,
  });
  private tokenQuery?: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly throttle: LoginThrottle,
    private readonly secondFactor: SecondFactorService,
  ) {}

  /**
   * Checks email and password; the same answer whether the email or the password was wrong. Too many wrong
   * passwords for one account lock it for a while (AccountLocked, 429), whichever address they come from. Users of
   * an authority that signs in through its provider only are refused (SsoOnly, 403).
   */
  async checkCredentials(email: string, password: string): Promise<User> {
    const user = await this.checkPassword(email, password);
    await this.throttle.succeeded(email.toLowerCase());
    return user;
  }

  /**
   * The password step alone: the failure count is not reset yet, so that the second factor's wrong codes keep
   * counting until the whole sign-in succeeds (a right password cannot buy more guesses at the code).
   */
  async checkPassword(email: string, password: string): Promise<User> {
    const address = email.toLowerCase();
    await this.throttle.assertOpen(address);
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: address })
      .getOne();
    // Said before the password is checked: an account created by single sign-on has no password anybody knows.
    const ssoOnly = user?.active ? await ssoOnlyProvider(this.dataSource, user.authorityId) : null;
    if (ssoOnly) throw new SsoOnly(ssoOnly);
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok || !user.active) {
      await this.throttle.failed(address, user?.active ? user : null);
      throw new NotAuthenticated('Email or password is not correct.');
    }
    return user;
  }

  /**
   * Password sign-in of the API: with a second factor, `code` (TOTP or a recovery code) must come along; a wrong
   * code counts as a wrong password.
   */
  async issueToken(email: string, password: string, kind: TokenKind = 'api', code?: string): Promise<IssuedToken> {
    const user = await this.checkPassword(email, password);
    if (this.secondFactor.needsCode(user)) {
      if (!code) throw new SecondFactorRequired();
      await this.checkCode(user, code);
    }
    await this.throttle.succeeded(email.toLowerCase());
    return this.issueFor(user, kind, { enrolmentOnly: await this.mustEnrol(user) });
  }

  /** Checks the second step; a refusal is counted like a wrong password (and may lock the account). */
  async checkCode(user: User, code: string): Promise<void> {
    await this.throttle.assertOpen(user.email);
    const refusal = await this.secondFactor.check(user.id, code.slice(0, 64));
    if (!refusal) return;
    await this.throttle.failed(user.email, user);
    throw new WrongSecondFactorCode(refusal === 'replayed');
  }

  /** After a right password on the sign-in page: a single-use token for the code form (CHALLENGE_MINUTES). */
  async startChallenge(user: User): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.getRepository(SignInChallenge).insert({
      tokenHash: sha256(token),
      userId: user.id,
      expiresAt: new Date(this.clock.now().getTime() + CHALLENGE_MINUTES * 60_000),
      usedAt: null,
    });
    return token;
  }

  /** The user of a live challenge, or null (unknown, used or expired). */
  async challengeUser(token: string): Promise<User | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const challenge = await this.dataSource
      .getRepository(SignInChallenge)
      .createQueryBuilder('challenge')
      .innerJoinAndSelect('challenge.user', 'user', 'user.active = true')
      .where('challenge.tokenHash = :hash AND challenge.usedAt IS NULL AND challenge.expiresAt > :now', {
        hash: sha256(token),
        now: this.clock.now(),
      })
      .getOne();
    return challenge?.user ?? null;
  }

  /** Uses the challenge up; false when another request did first. */
  async completeChallenge(token: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(SignInChallenge)
      .update({ tokenHash: sha256(token), usedAt: IsNull() }, { usedAt: this.clock.now() });
    return (result.affected ?? 0) === 1;
  }

  /** The whole sign-in succeeded: the account's count of wrong attempts starts again. */
  async signedIn(user: User): Promise<void> {
    await this.throttle.succeeded(user.email);
  }

  /** A password sign-in of a user whose authority requires a second factor they have not set up yet. */
  async mustEnrol(user: User): Promise<boolean> {
    if (!user.authorityId || this.secondFactor.needsCode(user)) return false;
    const authority = await this.dataSource.getRepository(Authority).findOne({ where: { id: user.authorityId } });
    return authority?.secondFactorRequired === true;
  }

  async issueFor(
    user: User,
    kind: TokenKind,
    options: { enrolmentOnly?: boolean; signedInBy?: SignedInBy } = {},
  ): Promise<IssuedToken> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt =
      kind === 'ical' ? null : new Date(this.clock.now().getTime() + this.runtime.config.TOKEN_TTL_MINUTES * 60_000);
    await this.dataSource.getRepository(AccessToken).insert({
      userId: user.id,
      tokenHash: sha256(token),
      kind,
      expiresAt,
      revokedAt: null,
      enrolmentOnly: options.enrolmentOnly ?? false,
      signedInBy: options.signedInBy ?? 'password',
    });
    const authority = user.authorityId
      ? await this.dataSource.getRepository(Authority).findOne({ where: { id: user.authorityId } })
      : null;
    return {
      token,
      expiresAt: expiresAt?.toISOString() ?? null,
      user: userView(user, authority),
      ...(options.enrolmentOnly ? { secondFactorEnrolmentRequired: true } : {}),
    };
  }

  /** Resolves a presented token of the given kind to its user, or null when unknown, expired or revoked. */
  async authenticate(token: string, kind: TokenKind): Promise<Authenticated | null> {
    if (!token || token.length > 200) return null;
    const record = await this.tokens.get(sha256(token));
    if (
      !record?.user ||
      record.kind !== kind ||
      record.revokedAt !== null ||
      (record.expiresAt && record.expiresAt.getTime() <= this.clock.now().getTime())
    )
      return null;
    // Each request its own copies: requests presenting the same token at once share the row read.
    const user = Object.assign(Object.create(User.prototype) as User, record.user);
    if (user.authority) user.authority = Object.assign(Object.create(Authority.prototype) as Authority, user.authority);
    const authority = user.authority ?? null;
    return {
      user,
      authority,
      tokenId: record.id,
      enrolmentOnly: record.enrolmentOnly,
      actor: { userId: user.id, authorityId: user.authorityId, role: user.role, label: `${user.name} <${user.email}>` },
    };
  }

  /**
   * Every request comes through authenticate: the tokens presented at about the same time are read together, each
   * with its user (if active) and authority, in one round trip. The statement is TypeORM's for the entities, built
   * once; the rows are turned into entities here (TypeORM's query builder took more of the CPU than the rest of the
   * sign-in check).
   */
  private async loadTokens(hashes: string[]): Promise<Map<string, AccessToken>> {
    this.tokenQuery ??= this.dataSource
      .getRepository(AccessToken)
      .createQueryBuilder('token')
      .innerJoinAndSelect('token.user', 'user', 'user.active = true')
      .leftJoinAndSelect('user.authority', 'authority')
      .where('token.tokenHash = ANY(:hashes)', { hashes: [] })
      .getQueryAndParameters()[0];
    const rows = (await this.dataSource.query(this.tokenQuery, [hashes])) as Record<string, unknown>[];
    return new Map(
      rows.map((row) => {
        const record = entityFromRow(this.dataSource, AccessToken, 'token', row);
        record.user = entityFromRow(this.dataSource, User, 'user', row);
        if (row.authority_id !== null)
          record.user.authority = entityFromRow(this.dataSource, Authority, 'authority', row);
        return [record.tokenHash, record];
      }),
    );
  }

  async revoke(token: string): Promise<void> {
    await this.dataSource
      .getRepository(AccessToken)
      .update({ tokenHash: sha256(token) }, { revokedAt: this.clock.now() });
  }

  /** Revokes every live token of one kind of a user (e.g. the calendar feed's); returns how many. */
  async revokeAll(userId: string, kind: TokenKind): Promise<number> {
    const result = await this.dataSource
      .getRepository(AccessToken)
      .update({ userId, kind, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    return result.affected ?? 0;
  }
}

/**
 * Thrown at sign-in: the code is not one the account's authenticator shows now nor an unused recovery code, or it was
 * used already (`replayed`); counted as a wrong password (401).
 */
export class WrongSecondFactorCode extends NotAuthenticated {
  override readonly title = 'Wrong code';

  constructor(readonly replayed: boolean) {
    super(
      replayed
        ? 'This code was already used: wait for the next code of your authenticator app.'
        : 'The code is not correct: enter the 6-digit code your authenticator app shows now, or an unused recovery code.',
      {
        secondFactorRequired: true,
        errors: [{ field: 'code', message: replayed ? 'This code was already used' : 'The code is not correct' }],
      },
    );
    this.withMessage(replayed ? 'login.code.replayed' : 'login.code.wrong');
  }
}
