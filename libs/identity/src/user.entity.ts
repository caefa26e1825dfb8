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

@Entity({ name: 'users' })
@Check('users_language', `"language" IN ('en', 'it', 'ko', 'ja', 'fr', 'de', 'nl')`)
@Index('users_authority_role', ['authorityId', 'role'])
export class User {
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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
