import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { Contact, LegalEntity, Product, Representative } from './organisation.types.js';

/**
 * An organisation's shared identity as the other contexts read it: the columns of the entity below that are read by
 * default, read-only, so that their code is typed on what an organisation says rather than on the entity (which
 * implements this).
 */
export interface OrganisationRecord {
  readonly id: string;
  readonly legalName: string;
  readonly tradingNames: string[];
  readonly country: string;
  readonly website: string | null;
  readonly legalEntities: LegalEntity[];
  readonly products: Product[];
  readonly registeredByAuthorityId: string | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * A respondent's legal identity, shared by every authority so that coordination finds the same provider:
 * names, country, website, legal entities and products. Every change makes a new version (OrganisationVersion).
 * Where letters go (contacts, representatives) is each authority's own: OrganisationAddressBook.
 */
@Entity({ name: 'organisations' })
// Created by the migration (trigram GIN and an expression index): TypeORM cannot describe them.
@Index('organisations_search_trgm', { synchronize: false })
@Index('organisations_legal_name_country', { synchronize: false })
@Index('organisations_order', ['legalName', 'id'])
@Check('organisations_legal_name_length', `char_length("legal_name") BETWEEN 1 AND 300`)
export class Organisation implements OrganisationRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'legal_name', type: 'text' })
  legalName!: string;

  @Column({ name: 'trading_names', type: 'text', array: true })
  tradingNames!: string[];

  /** ISO 3166-1 alpha-2 of its seat. */
  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'text', nullable: true })
  website!: string | null;

  @Column({ name: 'legal_entities', type: 'jsonb' })
  legalEntities!: LegalEntity[];

  @Column({ type: 'jsonb' })
  products!: Product[];

  /** Legal and trading names, lower-case, one per line: what name search matches (trigram index). */
  @Column({ name: 'search_text', type: 'text', select: false })
  searchText!: string;

  /**
   * The authority whose user registered it (null for organisations registered before this was kept and not found in any
   * audit trail).
   */
  @Column({ name: 'registered_by_authority_id', type: 'uuid', nullable: true })
  registeredByAuthorityId!: string | null;

  /** Version of the shared identity. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One authority's own address book for one organisation: the contacts and representatives its letters go
 * to. No other authority reads or changes it. A row also records that the authority follows the
 * organisation (it registered it, has a case with it or keeps contacts for it): changes of the shared
 * identity are audited in the trail of every authority that follows the organisation.
 */
@Entity({ name: 'organisation_address_books' })
@Index('organisation_address_books_organisation', ['organisationId'])
export class OrganisationAddressBook {
  @PrimaryColumn({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Relation<Organisation>;

  @Column({ type: 'jsonb' })
  contacts!: Contact[];

  @Column({ type: 'jsonb' })
  representatives!: Representative[];

  /**
   * Counts this authority's changes of its contacts; an authority's view of the organisation has version = identity
   * version + this.
   */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One version of an organisation's shared identity, as it was written, and who wrote it. */
@Entity({ name: 'organisation_versions' })
export class OrganisationVersion {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Relation<Organisation>;

  /** name, tradingNames, country, website, legalEntities, products as of this version. */
  @Column({ type: 'jsonb' })
  identity!: OrganisationIdentity;

  /** The identity fields this version changed (all of them for the first). */
  @Column({ type: 'text', array: true })
  changed!: string[];

  @Column({ name: 'authority_id', type: 'uuid', nullable: true })
  authorityId!: string | null;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_label', type: 'text' })
  actorLabel!: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}

export interface OrganisationIdentity {
  name: string;
  tradingNames: string[];
  country: string;
  website: string | null;
  legalEntities: LegalEntity[];
  products: Product[];
}
