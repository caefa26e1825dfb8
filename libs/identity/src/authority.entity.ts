import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An authority as the other contexts read it: the columns of the entity below, read-only, so that their code is typed
 * on what an authority says rather than on the entity (which implements this).
 */
export interface AuthorityRecord {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly country: string;
  readonly timezone: string;
  readonly locale: string;
  readonly holidayRegion: string;
  readonly weekendDays: number[];
  readonly receiptCutoff: string | null;
  readonly secondFactorRequired: boolean;
  readonly createdAt: Date;
}

/** A regulator: the tenant every piece of case data belongs to. */
@Entity({ name: 'authorities' })
export class Authority implements AuthorityRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2 })
  country!: string;

  /** IANA time zone. */
  @Column({ type: 'text' })
  timezone!: string;

  /** BCP 47 locale of its letters, e.g. it-IT. */
  @Column({ type: 'text' })
  locale!: string;

  /** date-holidays region: country or country-state, e.g. DE-BE. */
  @Column({ name: 'holiday_region', type: 'text' })
  holidayRegion!: string;

  /** ISO weekday numbers, 1 = Monday … 7 = Sunday. */
  @Column({ name: 'weekend_days', type: 'smallint', array: true })
  weekendDays!: number[];

  /** Receipt cut-off, local HH:mm: an event at or after it (or on a day off) counts from the next working day. */
  @Column({ name: 'receipt_cutoff', type: 'text', nullable: true })
  receiptCutoff!: string | null;

  /** Users signing in with a password must use a second factor (TOTP); single sign-on leaves it to the IdP. */
  @Column({ name: 'second_factor_required', type: 'boolean', default: false })
  secondFactorRequired!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
