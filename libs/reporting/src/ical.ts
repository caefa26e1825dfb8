import ical, { ICalEventStatus } from 'ical-generator';

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
  explanation: { date: string; reason: string }[];
}

export interface FeedInput {
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

/**
 * An RFC 5545 calendar with one event per deadline, at its due instant (UTC). SEQUENCE is the
 * deadline's version, so an extension replaces the event; waived deadlines are left out.
 */
export function deadlineCalendar(input: FeedInput): string {
  const base = input.publicUrl.replace(/\/$/, '');
  const calendar = ical({
    name: `Docket ${input.authorityCode}: deadlines of ${input.owner}`,
    prodId: { company: 'Docket', product: 'Deadlines', language: 'EN' },
    ttl: 15 * 60,
  });
  for (const deadline of input.deadlines) {
    const settled =
      deadline.status === 'met'
        ? ' (met)'
        : deadline.status === 'missed'
          ? ' (MISSED)'
          : deadline.status === 'suspended'
            ? ' (suspended)'
            : '';
    const why = deadline.explanation.map((entry) => `${entry.date}: ${entry.reason}`).join('\n');
    calendar.createEvent({
      id: eventUid(deadline.id, input.publicUrl),
      start: deadline.dueAt,
      stamp: input.now,
      lastModified: deadline.updatedAt,
      sequence: deadline.version,
      summary: `${deadline.caseReference}: ${deadline.label}${settled}`,
      description: `${deadline.caseTitle}\nDue ${deadline.dueDate} (${input.timeZone}); status ${deadline.status}; ${deadline.kind.replace(/_/g, ' ')} deadline.${why ? `\n\n${why}` : ''}`,
      url: `${base}/cases/${deadline.caseId}`,
      status: ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
