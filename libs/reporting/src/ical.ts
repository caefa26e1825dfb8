import ical, { ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { addDays, endInstantOfLocalDate, localDateTimeOf } from '#docket/calendar';
import { translate, type Language } from '#docket/i18n';

export interface FeedDeadline {
  id: string;
  caseId: string;
  caseReference: string;
  caseTitle: string;
  label: string;
  kind: string;
  status: string;
  dueDate: string;
  dueAt: Date;
  version: number;
  updatedAt: Date;
  /** Why the date is what it is, line by line, already in the feed's language. */
  explanation: { date: string; reason: string }[];
}

export interface FeedInput {
  /** The language of the feed's owner: its name, the events' status words and descriptions (dates stay ISO). */
  language: Language;
  owner: string;
  authorityCode: string;
  timeZone: string;
  publicUrl: string;
  now: Date;
  deadlines: FeedDeadline[];
}

/** A stable UID per deadline: calendar clients update the event when the due instant moves. */
export const eventUid = (deadlineId: string, publicUrl: string): string =>
  `deadline-${deadlineId}@${new URL(publicUrl).hostname}`;

/** A deadline due at the end of its date in the authority's zone (a period in days, a date): a date, not a time. */
export function isDateOnlyDeadline(deadline: Pick<FeedDeadline, 'dueDate' | 'dueAt'>, timeZone: string): boolean {
  return endInstantOfLocalDate(deadline.dueDate, timeZone).getTime() === deadline.dueAt.getTime();
}

/** A date as ical-generator writes a VALUE=DATE: from the Date's UTC fields when the event has no time zone. */
const asCalendarDate = (date: string): Date => new Date(`${date}T00:00:00Z`);

/**
 * An RFC 5545 calendar with one event per deadline. A deadline due on a date is an all-day event on the authority's
 * local date (VALUE=DATE; a due instant in UTC would land on the day before or after in a client far from the
 * authority); one due at an exact instant (a period in hours) is an event at that instant in UTC. SEQUENCE is the
 * deadline's version, so an extension replaces the event; waived deadlines are left out.
 */
export function deadlineCalendar(input: FeedInput): string {
  const base = input.publicUrl.replace(/\/$/, '');
  const say = (key: string, params?: Parameters<typeof translate>[2]) => translate(input.language, key, params);
  const calendar = ical({
    name: say('ical.name', { authority: input.authorityCode, owner: input.owner }),
    prodId: { company: 'Docket', product: 'Deadlines', language: input.language.toUpperCase() },
    ttl: 15 * 60,
  });
  for (const deadline of input.deadlines) {
    const settled = ['met', 'missed', 'suspended'].includes(deadline.status)
      ? ` (${say('ical.settled', { status: deadline.status })})`
      : '';
    const why = deadline.explanation.map((entry) => `${entry.date}: ${entry.reason}`).join('\n');
    const dateOnly = isDateOnlyDeadline(deadline, input.timeZone);
    const due = dateOnly ? deadline.dueDate : localDateTimeOf(deadline.dueAt, input.timeZone);
    calendar.createEvent({
      id: eventUid(deadline.id, input.publicUrl),
      ...(dateOnly
        ? {
            allDay: true,
            start: asCalendarDate(deadline.dueDate),
            end: asCalendarDate(addDays(deadline.dueDate, 1)),
            transparency: ICalEventTransparency.TRANSPARENT,
          }
        : { start: deadline.dueAt }),
      stamp: input.now,
      lastModified: deadline.updatedAt,
      sequence: deadline.version,
      summary: `${deadline.caseReference}: ${deadline.label}${settled}`,
      description: `${deadline.caseTitle}\n${say('ical.due', {
        due,
        timeZone: input.timeZone,
        status: say(`deadlineStatus.${deadline.status}`),
        kind: say(`deadlineKind.${deadline.kind}`),
      })}${why ? `\n\n${why}` : ''}`,
      url: `${base}/cases/${deadline.caseId}`,
      status: ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
