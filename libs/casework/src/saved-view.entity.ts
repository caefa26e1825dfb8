import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const SAVED_VIEW_LISTS = ['cases', 'deadlines'] as const;
export type SavedViewList = (typeof SAVED_VIEW_LISTS)[number];

/** A filter and order of the case or deadline list kept under a name; its owner's alone unless shared. */
@Entity({ name: 'saved_views' })
@Index('saved_views_authority_owner', ['authorityId', 'ownerId'])
@Check('saved_views_list_known', `"list" IN ('cases', 'deadlines')`)
export class SavedView {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'saved_views_pkey' })
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  list!: SavedViewList;

  /** The list's query parameters as the list's URL carries them (`status`, `sort`, …), never a cursor. */
  @Column({ type: 'jsonb' })
  query!: Record<string, string>;

  /** Seen by every user of the authority, not only its owner. */
  @Column({ type: 'boolean', default: false })
  shared!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
