import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Wrong passwords per account (by e-mail address, known or not, so the lock tells nothing about which
 * addresses exist), in PostgreSQL so that every API process counts the same.
 */
@Entity({ name: 'login_throttles' })
export class LoginThrottleState {
  /** Lower-case. */
  @PrimaryColumn({ type: 'text' })
  email!: string;

  /** Wrong passwords since windowStartedAt. */
  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** When the owner was last told by mail that the account was locked. */
  @Column({ name: 'notified_at', type: 'timestamptz', nullable: true })
  notifiedAt!: Date | null;
}
