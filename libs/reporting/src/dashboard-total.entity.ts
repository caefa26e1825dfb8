import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The dashboard's counters as folded so far: one row per counter (metric and key as in `dashboard_counters`), written
 * only by the fold, which moves the deltas the triggers append to `dashboard_counters` into these values (one
 * statement, so every reader sees a delta in exactly one of the two). A counter's value is its total plus the deltas
 * not folded yet. Counters that come to zero are removed.
 *
 * Kept apart from the log so that the dashboard reads a few dozen rows instead of summing every counter: the fixed
 * metrics by key, and the organisations in the order of their open cases (dashboard_totals_ranking).
 */
@Entity({ name: 'dashboard_totals' })
@Index('dashboard_totals_ranking', ['authorityId', 'metric', 'value'])
export class DashboardTotal {
  @PrimaryColumn({ name: 'authority_id', type: 'uuid', primaryKeyConstraintName: 'dashboard_totals_pkey' })
  authorityId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'dashboard_totals_pkey' })
  metric!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'dashboard_totals_pkey' })
  key!: string;

  @Column({ type: 'bigint' })
  value!: string;
}
