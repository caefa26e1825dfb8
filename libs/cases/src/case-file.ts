import { Injectable, type OnModuleInit } from '@nestjs/common';
import { translate } from '#docket/i18n';
import { ExtensionPoint, Extensions, mapInSequence } from '#docket/platform';
import type { TimelineSource } from './timeline.js';

/** A part of the case file that another context owns (inquiries, responses, outcomes, replies by e-mail). */
export interface CaseFileSection<T = unknown> {
  /** The property of GET /api/v1/cases/{id} it fills. */
  key: string;
  /**
   * Runs in the caller's request context, so tenant-scoped repositories work as usual, and in its transaction when
   * there is one (they default to it).
   */
  load(caseId: string): Promise<T>;
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

/**
 * How an audit action reads on the case timeline: a catalogue message (the API's English `summary` is that message
 * in the English catalogue), or an English summary of its own with, for pages, the message.
 */
export type TimelineDescription =
  TimelineMessageMaker | { summary: TimelineSummariser; message?: TimelineMessageMaker };

/**
 * What a context adds to the case file, asked by the cases context, which cannot import the contexts that build on
 * it: the sections of GET /api/v1/cases/{id} it owns, and how its audit actions (`inquiry.sent`, …) read on the case
 * timeline. A query, not an event: each context declares one provider class implementing it, marked
 * `@Contributes(CASE_FILE)`.
 */
export interface CaseFileContribution {
  readonly sections?: readonly CaseFileSection[];
  /** By audit action. */
  readonly timeline?: Readonly<Record<string, TimelineDescription>>;
}

export const CASE_FILE = new ExtensionPoint<CaseFileContribution>('the case file');

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

export interface CaseFileIndex {
  sections: CaseFileSection[];
  summaries: Map<string, TimelineSummariser>;
  messages: Map<string, TimelineMessageMaker>;
}

/**
 * The contributions as one index; throws (and so stops the start) on a section that would hide a field of the case
 * or is given twice, and on an audit action described twice.
 */
export function caseFileIndex(contributions: readonly CaseFileContribution[]): CaseFileIndex {
  const index: CaseFileIndex = { sections: [], summaries: new Map(), messages: new Map() };
  for (const contribution of contributions) {
    for (const section of contribution.sections ?? []) {
      if (RESERVED.has(section.key))
        throw new Error(`case file section "${section.key}" would hide a field of the case`);
      if (index.sections.some((known) => known.key === section.key))
        throw new Error(`case file section "${section.key}" is given twice`);
      index.sections.push(section);
    }
    for (const [action, description] of Object.entries(contribution.timeline ?? {})) {
      if (index.summaries.has(action)) throw new Error(`timeline action "${action}" is described twice`);
      if (typeof description === 'function') {
        index.summaries.set(action, (event) => {
          const { key, params } = description(event);
          return translate('en', key, params);
        });
        index.messages.set(action, description);
      } else {
        index.summaries.set(action, description.summary);
        if (description.message) index.messages.set(action, description.message);
      }
    }
  }
  return index;
}

/**
 * The case file as the contexts that build on the cases context contribute to it (CASE_FILE): their sections and
 * how their audit actions read on the timeline. Read once the application's providers exist; a bad contribution
 * stops the start.
 */
@Injectable()
export class CaseFile implements OnModuleInit {
  private index: CaseFileIndex | null = null;

  constructor(private readonly extensions: Extensions) {}

  onModuleInit(): void {
    this.read();
  }

  private read(): CaseFileIndex {
    this.index ??= caseFileIndex(this.extensions.of(CASE_FILE));
    return this.index;
  }

  /** The properties of GET /api/v1/cases/{id} that other contexts fill. */
  sectionKeys(): string[] {
    return this.read().sections.map((section) => section.key);
  }

  summariserFor(action: string): TimelineSummariser | undefined {
    return this.read().summaries.get(action);
  }

  messageFor(action: string): TimelineMessageMaker | undefined {
    return this.read().messages.get(action);
  }

  async load(caseId: string): Promise<Record<string, unknown>> {
    const entries = await mapInSequence(
      this.read().sections,
      async (section) => [section.key, await section.load(caseId)] as const,
    );
    return Object.fromEntries(entries);
  }
}
