import type { PeriodUnit } from '#docket/calendar';
import type {
  JointCalendarChange,
  JointDeadline,
  JointDeadlineMove,
  JointDeadlineShare,
} from './procedure.entities.js';

export interface JointDeadlineView {
  id: string;
  label: string;
  start: string;
  count: number;
  unit: PeriodUnit;
  dueAt: string;
  perAuthority: JointDeadlineShare[];
  status: 'aligned' | 'affected';
  proposedDueAt: string | null;
  changes: JointCalendarChange[];
  moves: JointDeadlineMove[];
  createdBy: string;
  createdAt: string;
}

export function jointDeadlineView(row: JointDeadline): JointDeadlineView {
  return {
    id: row.id,
    label: row.label,
    start: row.start,
    count: row.count,
    unit: row.unit,
    dueAt: row.dueAt.toISOString(),
    perAuthority: row.perAuthority,
    status: row.status,
    proposedDueAt: row.proposedDueAt?.toISOString() ?? null,
    changes: row.changes,
    moves: row.moves,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
