import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { translate } from '#docket/i18n';
import { mapInSequence } from '#docket/platform';
import type { TimelineSource } from './timeline.js';

/** A part of the case file that another context owns (inquiries, deadlines, responses, outcomes). */
export interface CaseFileSection<T = unknown> {
  /** The property of GET /api/v1/cases/{id} it fills. */
  key: string;
  /** Runs in the caller's request context, so tenant-scoped repositories work as usual. */
  load(caseId: string, manager?: EntityManager): Promise<T>;
}

export type TimelineSummariser = (event: TimelineSource) => string;

/**
 * A timeline line as structured data, for pages in the reader's language: the catalogue key (`timeline.*`) and
 * parameters, machine values as they are (statuses, dates `…Day`, instants `…At`); the API's `summary` stays English.
 */
export interface TimelineMessage {
  key: string;
  params?: Record<string, string | number | boolean>;
}

export type TimelineMessageMaker = (event: TimelineSource) => TimelineMessage;

/** Runs in the transaction that closes a case (e.g. to stop its deadlines and reminders). */
export type CaseClosedHandler = (manager: EntityManager, caseId: string, reason: string) => Promise<void>;

const RESERVED = new Set([
  'id',
  'reference',
  'title',
  'status',
  'type',
  'priority',
  'organisationId',
  'organisation',
  'assigneeId',
  'assignee',
  'products',
  'legalBasis',
  'tags',
  'riskFlags',
  'version',
  'sharedForCoordination',
  'createdAt',
  'updatedAt',
  'closedAt',
  'closeReason',
  'notes',
  'allowedActions',
]);

/**
 * Where later contexts hook into the case file without the cases context depending on them:
 * they register a section at module init, and may say how their audit actions read on the timeline.
 */
@Injectable()
export class CaseFileRegistry {
  private readonly sections = new Map<string, CaseFileSection>();
  private readonly summarisers = new Map<string, TimelineSummariser>();
  private readonly messages = new Map<string, TimelineMessageMaker>();
  private readonly closedHandlers: CaseClosedHandler[] = [];

  register(section: CaseFileSection): void {
    if (RESERVED.has(section.key)) throw new Error(`case file section "${section.key}" would hide a field of the case`);
    if (this.sections.has(section.key)) throw new Error(`case file section "${section.key}" is registered twice`);
    this.sections.set(section.key, section);
  }

  /** How events with this audit action (e.g. "inquiry.sent") are summarised on the case timeline. */
  describe(action: string, summarise: TimelineSummariser, message?: TimelineMessageMaker): void {
    this.summarisers.set(action, summarise);
    if (message) this.messages.set(action, message);
  }

  /** As `describe`, the API's English summary being the message in the English catalogue. */
  describeMessage(action: string, message: TimelineMessageMaker): void {
    this.describe(
      action,
      (event) => {
        const { key, params } = message(event);
        return translate('en', key, params);
      },
      message,
    );
  }

  messageFor(action: string): TimelineMessageMaker | undefined {
    return this.messages.get(action);
  }

  onClosed(handler: CaseClosedHandler): void {
    this.closedHandlers.push(handler);
  }

  async closed(manager: EntityManager, caseId: string, reason: string): Promise<void> {
    for (const handler of this.closedHandlers) await handler(manager, caseId, reason);
  }

  summariserFor(action: string): TimelineSummariser | undefined {
    return this.summarisers.get(action);
  }

  keys(): string[] {
    return [...this.sections.keys()];
  }

  async load(caseId: string, manager?: EntityManager): Promise<Record<string, unknown>> {
    const entries = await mapInSequence(
      [...this.sections.values()],
      async (section) => [section.key, await section.load(caseId, manager)] as const,
    );
    return Object.fromEntries(entries);
  }
}
