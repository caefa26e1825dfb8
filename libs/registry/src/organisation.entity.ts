import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Contact, LegalEntity, Product, Representative } from './organisation.types.js';

/**
 * A respondent, shared by every authority: only facts about the organisation itself live here.
 * What an authority writes about it belongs to that authority's cases.
 */
@Entity({ name: 'organisations' })
// Created by the migration (trigram GIN and an expression index): TypeORM cannot describe them.
@Index('organisations_search_trgm', { synchronize: false })
@Index('organisations_legal_name_country', { synchronize: false })
@Index('organisations_order', ['legalName', 'id'])
@Check('organisations_legal_name_length', `char_length("legal_name") BETWEEN 1 AND 300`)
export class Organisation {
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
  contacts!: Contact[];

  @Column({ type: 'jsonb' })
  representatives!: Representative[];

  @Column({ type: 'jsonb' })
  products!: Product[];

  /** Legal and trading names, lower-case, one per line: what name search matches (trigram index). */
  @Column({ name: 'search_text', type: 'text', select: false })
  searchText!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
