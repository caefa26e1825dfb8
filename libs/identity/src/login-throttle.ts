import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Language } from '#docket/i18n';
import { Clock, MailTransport, RUNTIME, TooManyAttempts, type Runtime } from '#docket/platform';
import { accountLockedMail } from './account-mails.js';
import { LoginThrottleState } from './login-throttle.entity.js';

/** The account a failed sign-in named: told by mail, in their language, when it gets locked. */
type AccountOwner = { email: string; name: string; language: Language };

const DAY_MS = 24 * 60 * 60_000;

/** Sign-in refused because the account is locked for a while (429). */
export class AccountLocked extends TooManyAttempts {
  constructor(readonly until: Date) {
    super(
      `Too many wrong passwords for this account: it is locked until ${until.toISOString().slice(11, 16)} UTC. Try again then, or ask your administrator for a password reset.`,
    );
  }
}

/**
 * Per-account sign-in throttling: ACCOUNT_LOCK_FAILURES wrong passwords within ACCOUNT_LOCK_MINUTES lock the
 * account for ACCOUNT_LOCK_MINUTES, even with the right password, from every address and process; the owner
 * of a real account is told by mail (once per day at most). A right password ends the count.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly limit: number;
  private readonly periodMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly mail: MailTransport,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.limit = runtime.config.ACCOUNT_LOCK_FAILURES;
    this.periodMs = runtime.config.ACCOUNT_LOCK_MINUTES * 60_000;
  }

  /** Throws AccountLocked while the account is locked. */
  async assertOpen(email: string): Promise<void> {
    const state = await this.dataSource.getRepository(LoginThrottleState).findOne({ where: { email } });
    if (state?.lockedUntil && state.lockedUntil.getTime() > this.clock.now().getTime())
      throw new AccountLocked(state.lockedUntil);
  }

  /**
   * Counts a wrong password; at the limit the account is locked (AccountLocked is thrown) and `owner`, when
   * the address is a real account's, gets one mail.
   */
  async failed(email: string, owner: AccountOwner | null): Promise<void> {
    const now = this.clock.now();
    // Through the data source, each statement on its own: a failure counts even when what the caller did rolls back.
    const [counted] = (await this.dataSource.query(
      `INSERT INTO login_throttles AS t (email, failures, window_started_at) VALUES ($1, 1, $2)
       ON CONFLICT (email) DO UPDATE SET
         failures = CASE WHEN t.window_started_at <= $3 THEN 1 ELSE t.failures + 1 END,
         window_started_at = CASE WHEN t.window_started_at <= $3 THEN $2 ELSE t.window_started_at END
       RETURNING failures`,
      [email, now, new Date(now.getTime() - this.periodMs)],
    )) as { failures: number }[];
    if (counted.failures < this.limit) return;
    const until = new Date(now.getTime() + this.periodMs);
    // One statement decides the lock and whether to mail: of two failures arriving together, only one finds the count
    // still at the limit.
    const [locked] = (await this.dataSource.query(
      `UPDATE login_throttles SET locked_until = $2, failures = 0, window_started_at = $3,
              notified_at = CASE WHEN notified_at IS NULL OR notified_at <= $4 THEN $3 ELSE notified_at END
        WHERE email = $1 AND failures >= $5
        RETURNING notified_at = $3 AS notify`,
      [email, until, now, new Date(now.getTime() - DAY_MS), this.limit],
    )) as [{ notify: boolean }[], number];
    if (locked[0]?.notify && owner) this.tellOwner(owner, until);
    throw new AccountLocked(until);
  }

  /** A right password: the count starts again. */
  async succeeded(email: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM login_throttles WHERE email = $1 AND (locked_until IS NULL OR locked_until <= $2)`,
      [email, this.clock.now()],
    );
  }

  /** Sent directly, not awaited: the refusal does not wait for SMTP, and a failed mail is logged. */
  private tellOwner(owner: AccountOwner, until: Date): void {
    this.mail
      .send({ to: owner.email, ...accountLockedMail(owner, this.limit, until) })
      .catch((error: unknown) =>
        this.logger.error(
          `lock notice to ${owner.email} not sent: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }
}
