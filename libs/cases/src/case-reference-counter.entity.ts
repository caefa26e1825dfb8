import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last case number given per authority and year. It is incremented in the transaction that
 * creates the case, so its row lock orders concurrent creations and a rolled-back creation gives
 * its number back: references have no gaps.
 */
@Entity({ name: 'case_reference_counters' })
export class CaseReferenceCounter {
  @PrimaryColumn({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @PrimaryColumn({ type: 'integer' })
  year!: number;

  @Column({ name: 'last_number', type: 'integer' })
  lastNumber!: number;
}
