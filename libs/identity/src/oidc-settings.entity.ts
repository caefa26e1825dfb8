import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Authority } from './authority.entity.js';

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

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
