import { Processor } from '@nestjs/bullmq';

/** Every BullMQ queue Docket uses. */
export enum QueueName {
  Mail = 'mail',
  Reminders = 'reminders',
  Maintenance = 'maintenance',
}

/** Every job name, with the (ids only) payload it carries. */
export enum JobName {
  RenderInquiry = 'render-inquiry',
  SendMail = 'send-mail',
  FireReminder = 'fire-reminder',
  DeadlineDue = 'deadline-due',
  Reconcile = 'reconcile',
  MarkOverdue = 'mark-overdue',
}

export interface JobPayloads {
  [JobName.RenderInquiry]: { inquiryId: string };
  [JobName.SendMail]: { outboundMessageId: string };
  [JobName.FireReminder]: { reminderId: string; fireAt: string };
  [JobName.DeadlineDue]: { deadlineId: string; dueAt: string };
  [JobName.Reconcile]: Record<string, never>;
  [JobName.MarkOverdue]: Record<string, never>;
}

/**
 * A queue processor that does not start by itself: the worker role starts them
 * (see WorkerLauncher), so an api-only process never consumes jobs.
 */
export const DocketProcessor = (queue: QueueName, concurrency = 10): ClassDecorator =>
  Processor(queue, { autorun: false, concurrency });

/** BullMQ job ids may not contain ':'; ids are built from parts joined by '.'. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((part) => String(part).replace(/:/g, '_')).join('.');
}
