import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A case brought in by an import, under the key of its row (the authority's own reference for it). */
@Entity({ name: 'case_imports' })
export class CaseImport {
  @PrimaryColumn({ name: 'authority_id', type: 'uuid', primaryKeyConstraintName: 'case_imports_pkey' })
  authorityId!: string;

  @PrimaryColumn({ name: 'import_key', type: 'text', primaryKeyConstraintName: 'case_imports_pkey' })
  importKey!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ name: 'imported_at', type: 'timestamptz' })
  importedAt!: Date;
}
