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
import { Authority } from './authority.entity.js';
import type { Language } from '#docket/i18n';
import type { Role } from '#docket/platform';

/**
 * A user as the other contexts read it: the columns of the entity below that are read by default (not its password
 * hash nor its second factor's secrets), read-only and without its relation; the entity implements it.
 */
export interface UserRecord {
  readonly id: string;
  readonly authorityId: string | null;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly active: boolean;
  readonly language: Language;
  readonly totpEnabledAt: Date | null;
  readonly createdAt: Date;
}

@Entity({ name: 'users' })
@Check('users_language', `"language" IN ('en', 'it', 'ko', 'ja', 'fr', 'de', 'nl')`)
@Index('users_authority_role', ['authorityId', 'role'])
export class User implements UserRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null only for the deployment-wide sysadmin. */
  @Column({ name: 'authority_id', type: 'uuid', nullable: true })
  authorityId!: string | null;

  @ManyToOne(() => Authority, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'authority_id' })
  authority?: Relation<Authority>;

  /** Stored lower-case. */
  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** The language of the pages this user reads (en, it, ko, ja, fr, de, nl); at creation, the authority's. */
  @Column({ type: 'text', default: 'en' })
  language!: Language;
  /** The TOTP secret once confirmed, sealed under a key derived from the audit key (SecretBox); null: none. */
  @Column({ name: 'totp_secret', type: 'text', nullable: true, select: false })
  totpSecret!: string | null;

  /** A secret shown for enrolment and not yet confirmed with a code (sealed). */
  @Column({ name: 'totp_pending_secret', type: 'text', nullable: true, select: false })
  totpPendingSecret!: string | null;

  @Column({ name: 'totp_enabled_at', type: 'timestamptz', nullable: true })
  totpEnabledAt!: Date | null;

  /** RFC 6238 time step of the last accepted code: a code of that step or earlier is refused (no replay). */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true, select: false })
  totpLastStep!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
