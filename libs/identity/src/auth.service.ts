import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { Clock, RUNTIME, type Actor, type Runtime } from '#docket/platform';
import { AccessToken, type TokenKind } from './access-token.entity.js';
import { Authority } from './authority.entity.js';
import type { UserView } from './dto.js';
import { LoginThrottle } from './login-throttle.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import { User } from './user.entity.js';
import { userView } from './views.js';

export interface IssuedToken {
  token: string;
  expiresAt: string | null;
  user: UserView;
}

export interface Authenticated {
  user: User;
  authority: Authority | null;
  actor: Actor;
  tokenId: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Checks email and password; the same answer whether the email or the password was wrong. Too many wrong
   * passwords for one account lock it for a while (AccountLocked, 429), whichever address they come from.
   */
  async checkCredentials(email: string, password: string): Promise<User> {
    const address = email.toLowerCase();
    await this.throttle.assertOpen(address);
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: address })
      .getOne();
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok || !user.active) {
      await this.throttle.failed(address, user?.active ? user : null);
      throw new UnauthorizedException('Email or password is not correct.');
    }
    await this.throttle.succeeded(address);
    return user;
  }

  async issueToken(email: string, password: string, kind: TokenKind = 'api'): Promise<IssuedToken> {
    const user = await this.checkCredentials(email, password);
    return this.issueFor(user, kind);
  }

  async issueFor(user: User, kind: TokenKind): Promise<IssuedToken> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt =
      kind === 'ical' ? null : new Date(this.clock.now().getTime() + this.runtime.config.TOKEN_TTL_MINUTES * 60_000);
    await this.dataSource
      .getRepository(AccessToken)
      .insert({ userId: user.id, tokenHash: sha256(token), kind, expiresAt, revokedAt: null });
    const authority = user.authorityId
      ? await this.dataSource.getRepository(Authority).findOne({ where: { id: user.authorityId } })
      : null;
    return { token, expiresAt: expiresAt?.toISOString() ?? null, user: userView(user, authority) };
  }

  /** Resolves a presented token of the given kind to its user, or null when unknown, expired or revoked. */
  async authenticate(token: string, kind: TokenKind): Promise<Authenticated | null> {
    if (!token || token.length > 200) return null;
    // Every request comes through here: token, user and authority in one round trip.
    const record = await this.dataSource
      .getRepository(AccessToken)
      .createQueryBuilder('token')
      .innerJoinAndSelect('token.user', 'user', 'user.active = true')
      .leftJoinAndSelect('user.authority', 'authority')
      .where('token.tokenHash = :tokenHash AND token.kind = :kind AND token.revokedAt IS NULL', {
        tokenHash: sha256(token),
        kind,
      })
      .getOne();
    if (!record?.user || (record.expiresAt && record.expiresAt.getTime() <= this.clock.now().getTime())) return null;
    const user = record.user;
    const authority = user.authority ?? null;
    return {
      user,
      authority,
      tokenId: record.id,
      actor: { userId: user.id, authorityId: user.authorityId, role: user.role, label: `${user.name} <${user.email}>` },
    };
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
