import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One version of an authority's letterhead; the newest is printed on its documents. Versions are never changed. */
@Entity({ name: 'letterheads' })
@Unique('letterheads_version', ['authorityId', 'version'])
export class Letterhead {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  @Column({ name: 'reference_label', type: 'text', nullable: true })
  referenceLabel!: string | null;

  @Column({ name: 'signatory_name', type: 'text', nullable: true })
  signatoryName!: string | null;

  @Column({ name: 'signatory_title', type: 'text', nullable: true })
  signatoryTitle!: string | null;

  @Column({ type: 'bytea', nullable: true })
  logo!: Buffer | null;

  @Column({ name: 'logo_type', type: 'text', nullable: true })
  logoType!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
