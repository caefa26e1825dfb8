import { Processor } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';

/** Every BullMQ queue Docket uses. */
export enum QueueName {
  Mail = 'mail',
  Reminders = 'reminders',
  Maintenance = 'maintenance',
  Reporting = 'reporting',
  Campaigns = 'campaigns',
  Inbound = 'inbound',
}

/** Every job name, with the (ids only) payload it carries. Each has exactly one processor (checked at start). */
export enum JobName {
  SendMail = 'send-mail',
  FireReminder = 'fire-reminder',
  DeadlineDue = 'deadline-due',
  Reconcile = 'reconcile',
  CompactCounters = 'compact-counters',
  CampaignFanout = 'campaign-fanout',
  PollMailbox = 'poll-mailbox',
  ReconcileCampaigns = 'reconcile-campaigns',
}

export interface JobPayloads {
  [JobName.SendMail]: { outboundMessageId: string };
  [JobName.FireReminder]: { reminderId: string; fireAt: string };
  [JobName.DeadlineDue]: { deadlineId: string; dueAt: string };
  [JobName.Reconcile]: Record<string, never>;
  [JobName.CompactCounters]: Record<string, never>;
  [JobName.CampaignFanout]: { campaignId: string; organisationId: string; attempt: number };
  [JobName.PollMailbox]: Record<string, never>;
  [JobName.ReconcileCampaigns]: Record<string, never>;
}

/** Worker settings that come from the configuration (set by prepareRuntime, process-wide like the backend). */
export interface QueueWorkerSettings {
  lockDuration: number;
  stalledInterval: number;
  /** Jobs one process runs at once, for the queues whose processors take it from the configuration. */
  concurrency: Partial<Record<QueueName, number>>;
}

const workerSettings: QueueWorkerSettings = { lockDuration: 30_000, stalledInterval: 30_000, concurrency: {} };

export function configureQueueWorkers(settings: QueueWorkerSettings): void {
  Object.assign(workerSettings, settings);
}

const processorQueues = new WeakMap<object, QueueName>();
const processorJobNames = new WeakMap<object, readonly JobName[]>();

/** The queue a `@DocketProcessor` class processes. */
export function processorQueue(target: object): QueueName | undefined {
  return processorQueues.get(target);
}

/** The job names a `@DocketProcessor` class handles. */
export function processorJobs(target: object): readonly JobName[] {
  return processorJobNames.get(target) ?? [];
}

/**
 * What is wrong with the job names the processors declare: a job name no processor handles, or that more than one
 * does (by queue and class), or that a processor of another queue claims. Empty when every job has exactly one.
 */
export function jobHandlerProblems(
  processors: { name: string; queue: QueueName; jobs: readonly JobName[] }[],
  jobNames: readonly JobName[] = Object.values(JobName),
): string[] {
  return jobNames.flatMap((job) => {
    const handlers = processors.filter((processor) => processor.jobs.includes(job));
    if (handlers.length === 1) return [];
    if (handlers.length === 0) return [`job ${job} has no handler`];
    return [`job ${job} has ${handlers.length} handlers: ${handlers.map((h) => `${h.name} (${h.queue})`).join(', ')}`];
  });
}

/**
 * A queue processor and the job names it handles. Only a process with the worker role builds and starts its BullMQ
 * Worker (see WorkerLauncher), so an api-only process never consumes jobs nor opens a worker's connections.
 * `concurrency` applies unless the configuration sets one for the queue.
 */
export const DocketProcessor =
  (queue: QueueName, jobs: readonly JobName[], concurrency = 10): ClassDecorator =>
  (target) => {
    processorQueues.set(target, queue);
    processorJobNames.set(target, jobs);
    Processor(queue, {
      autorun: false,
      // Getters: @nestjs/bullmq reads these when it builds the worker, after the configuration is
      // loaded, not when the class is declared.
      get concurrency() {
        return workerSettings.concurrency[queue] ?? concurrency;
      },
      get lockDuration() {
        return workerSettings.lockDuration;
      },
      get stalledInterval() {
        return workerSettings.stalledInterval;
      },
    })(target);
  };

/** BullMQ job ids may not contain ':'; ids are built from parts joined by '.'. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((part) => String(part).replace(/:/g, '_')).join('.');
}

/**
 * Whether the job of this id must be added (again): it is missing, or it already finished (completed or failed
 * for good) and is then removed so that its id can be used again. Reads the job itself, one key look-up:
 * Queue.getJobState is avoided because on Redis it scans the whole waiting list for every id it is asked about,
 * which with a large backlog stalls Redis for every other client.
 */
export async function jobNeedsAdding(queue: Queue, id: string): Promise<boolean> {
  const job = await queue.getJob(id);
  if (!job) return true;
  if (!job.finishedOn) return false;
  await queue.remove(id);
  return true;
}
