import type { EntityManager } from 'typeorm';
import type { NewMessage } from '#docket/mailing';
import type { Deadline } from './deadline.entity.js';
import type { Reminder } from './reminder.entity.js';

export type ReminderMessage = Omit<NewMessage, 'dedupeKey' | 'authorityId'>;

/**
 * Writes the letter or notification of a reminder (the correspondence context provides it).
 * Returns null when the reminder has nobody to go to.
 */
export interface ReminderMessages {
  build(manager: EntityManager, reminder: Reminder, deadline: Deadline): Promise<ReminderMessage | null>;
}

export const REMINDER_MESSAGES = Symbol('REMINDER_MESSAGES');
