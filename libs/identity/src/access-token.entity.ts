import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { User } from './user.entity.js';

export type TokenKind = 'api' | 'web' | 'ical';

/** How a token was obtained: a password sign-in (with its second factor) or the authority's single sign-on. */
export type SignedInBy = 'password' | 'sso';

/** A bearer token, web session or calendar-feed token; only its SHA-256 is stored. */
@Entity({ name: 'access_tokens' })
@Check('access_tokens_signed_in_by', `"signed_in_by" IN ('password', 'sso')`)
@Index('access_tokens_user', ['userId'])
export class AccessToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash!: string;

  @Column({ type: 'text' })
  kind!: TokenKind;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /**
   * Issued to a user whose authority requires a second factor they have not set up yet: it serves only the
   * enrolment routes (@SecondFactorEnrolment) until they confirm one.
   */
  @Column({ name: 'enrolment_only', type: 'boolean', default: false })
  enrolmentOnly!: boolean;

  /** Switching the authority to single sign-on only ends the tokens a password gave. */
  @Column({ name: 'signed_in_by', type: 'text', default: 'password' })
  signedInBy!: SignedInBy;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
