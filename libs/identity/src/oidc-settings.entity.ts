import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import type { Role } from '#docket/platform';
import { Authority } from './authority.entity.js';

/** Who may sign in through the provider: only users Docket already has, or also new users of the listed domains. */
export const PROVISIONING = ['existing', 'jit'] as const;
export type Provisioning = (typeof PROVISIONING)[number];

/** The roles single sign-on may give (never the deployment's sysadmin). */
export type MappedRole = Exclude<Role, 'sysadmin'>;

/** An authority's OpenID Connect identity provider (Docket is the relying party). */
@Entity({ name: 'authority_oidc_settings' })
export class AuthorityOidcSettings {
  @PrimaryColumn({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @OneToOne(() => Authority, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'authority_id' })
  authority?: Relation<Authority>;

  /** Issuer URL; its /.well-known/openid-configuration is read. */
  @Column({ type: 'text' })
  issuer!: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  /** Sealed (SecretBox); null for a public client (PKCE only). */
  @Column({ name: 'client_secret', type: 'text', nullable: true, select: false })
  clientSecret!: string | null;

  /** The ID token claim holding the user's e-mail address. */
  @Column({ name: 'email_claim', type: 'text', default: 'email' })
  emailClaim!: string;

  /** Lower-case e-mail domains that the sign-in page sends to this provider; empty: only the direct link. */
  @Column({ name: 'email_domains', type: 'text', array: true, default: () => "'{}'" })
  emailDomains!: string[];

  /** Shown on the sign-in button: "Sign in with <label>". */
  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** The ID-token claim whose value (a string or a list of strings) decides the role; null: roles stay Docket's. */
  @Column({ name: 'role_claim', type: 'text', nullable: true })
  roleClaim!: string | null;

  /** Claim value → role; when several values map, the most powerful role wins. */
  @Column({ name: 'role_map', type: 'jsonb', default: () => "'{}'" })
  roleMap!: Record<string, MappedRole>;

  /** The role of a user created at first sign-in whose claim maps to none; null: such a user is refused. */
  @Column({ name: 'default_role', type: 'text', nullable: true })
  defaultRole!: MappedRole | null;

  /** `jit`: a verified address of a listed domain without an account gets one at its first sign-in (audited). */
  @Column({ type: 'text', default: 'existing' })
  provisioning!: Provisioning;

  /** The authority's users sign in through the provider only: password sign-in and password resets are refused. */
  @Column({ name: 'sso_only', type: 'boolean', default: false })
  ssoOnly!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
