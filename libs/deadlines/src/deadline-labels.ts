import { localDateOf } from '#docket/calendar';

/**
 * The label of the deadline an inquiry sets: which letter, by the local date it left, never the
 * template's key (staff read "Response to the inquiry of 2025-01-28"; pages show the date in words).
 */
export function responseDeadlineLabel(sentAt: Date, timezone: string): string {
  return `Response to the inquiry of ${localDateOf(sentAt, timezone)}`;
}
