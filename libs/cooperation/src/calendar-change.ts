import type { EntityManager } from 'typeorm';
import type { AuthorityRecord } from '#docket/identity';
import type { CalendarChangeKind } from './procedure.entities.js';

/**
 * A change of how an authority's calendar counts, as the cooperation context learns of it: a closure day added or
 * removed, its calendar settings changed, or the release's public-holiday data updated. Every kind goes the same way:
 * the running procedure clocks of that authority are counted again and the joint deadlines it takes part in are
 * checked, in the transaction of the change, and the participants are told the day — never another authority's reason.
 */
export interface CooperationCalendarChange {
  manager: EntityManager;
  /** The authority whose calendar changed (for holiday data: the authority whose clocks are counted again). */
  authority: AuthorityRecord;
  change: CalendarChangeKind;
  /** The closure day; for the other kinds, the authority's local date of the change. */
  date: string;
  /** Which settings changed (names only), for the audit trail. */
  settings?: string[];
  /** Only clocks counted with other holiday data than the running release's (the holiday-data pass). */
  onlyOtherHolidayData?: boolean;
}

/** Why a date moved, as written in every participant's audit trail: the day and the kind, never a closure's reason. */
export function describeCalendarChange(
  change: Pick<CooperationCalendarChange, 'change' | 'date' | 'settings'>,
): string {
  switch (change.change) {
    case 'added':
    case 'removed':
      return `closure day ${change.date} ${change.change}`;
    case 'settings':
      return `calendar settings changed on ${change.date}${change.settings?.length ? ` (${change.settings.join(', ')})` : ''}`;
    case 'holiday_data':
      return `public-holiday data updated on ${change.date}`;
  }
}
