import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The log of the dashboard counters' changes, as signed deltas: triggers on cases, deadlines and responses (created
 * by the migrations) append a row per change and nothing ever updates one in place, so writers of the same authority
 * never wait on a counter row (nor deadlock over one). The compaction job folds the deltas into `dashboard_totals`
 * (DashboardTotal); a counter's value is its total plus its deltas still here.
 *
 * Metrics (key in brackets): cases [status]; open_cases.assignee [user id or '']; open_cases.organisation
 * [organisation id]; missed.assignee [user id or '']; missed.organisation [organisation id];
 * responses.on_time and responses.late [whole days to respond]; pending.due_day [UTC day of the due instant].
 */
@Entity({ name: 'dashboard_counters' })
@Index('dashboard_counters_authority', ['authorityId', 'metric', 'key'])
export class DashboardCounter {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'authority_id', type: 'uuid' })
  authorityId!: string;

  @Column({ type: 'text' })
  metric!: string;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'bigint' })
  delta!: string;
}
