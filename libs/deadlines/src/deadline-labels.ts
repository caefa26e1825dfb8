import { localDateOf } from '#docket/calendar';

/**
 * The label of the deadline an inquiry sets: which letter, by the local date it left, never the
 * template's key (staff read "Response to the inquiry of 2025-01-28"; pages show the date in words).
 */
export function responseDeadlineLabel(sentAt: Date, timezone: string): string {
  return `Response to the inquiry of ${localDateOf(sentAt, timezone)}`;
}

const RESPONSE_LABEL = /^Response to the inquiry of (\d{4}-\d{2}-\d{2})$/;

/** The local date in a label responseDeadlineLabel gave, or null for any other label. */
export function responseLabelDate(label: string): string | null {
  return RESPONSE_LABEL.exec(label)?.[1] ?? null;
}
