export { fireAt, offsetProblem, offsetRefusal, parseOffset } from '#docket/calendar';

export const REMINDER_AUDIENCES = ['assignee', 'manager', 'respondent'] as const;
export type ReminderAudience = (typeof REMINDER_AUDIENCES)[number];

export interface ReminderPlanItem {
  offset: string;
  audience: ReminderAudience;
}
