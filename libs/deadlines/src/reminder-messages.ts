import type { NewMessage } from '#docket/mailing';
import { ExtensionPoint } from '#docket/platform';
import type { DeadlineRecord } from './deadline.entity.js';
import type { ReminderRecord } from './reminder.entity.js';

export type ReminderMessage = Omit<NewMessage, 'dedupeKey' | 'authorityId'> & {
  /** The same notice written in other languages for those of its recipients who read them (staff notices). */
  translations?: (Omit<NewMessage, 'dedupeKey' | 'authorityId'> & { locale: string })[];
};

/**
 * Writes the letters or notifications of reminders (the correspondence context contributes it: a query the deadlines
 * context asks of a context that builds on it, so an extension point rather than an injected token), reading
 * what they need in the caller's transaction. `reminders`: of the authority of the request context,
 * each with its deadline loaded. Returns each reminder's message by reminder id, null for one that has
 * nobody to go to.
 */
export interface ReminderMessages {
  buildMany(reminders: (ReminderRecord & { deadline: DeadlineRecord })[]): Promise<Map<string, ReminderMessage | null>>;
}

export const REMINDER_MESSAGES = new ExtensionPoint<ReminderMessages>('reminder messages');
