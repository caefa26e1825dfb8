import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CASE_FILE, type CaseFileContribution, type CaseFileSection, type TimelineDescription } from '#docket/cases';
import { DeadlinesService } from '#docket/deadlines';
import { Contributes } from '#docket/platform';
import { InquiriesService } from './inquiries.service.js';
import { inquiryView } from './views.js';

type InquiryAudit = { subject?: string; error?: string; refused?: string[]; notified?: string[] };
const of = (event: { after: unknown }) => (event.after ?? {}) as InquiryAudit;

/**
 * The case file's inquiries (with their response deadlines), and how correspondence's audit actions read on the
 * timeline: each line also as a catalogue message (timeline.inquiry.*) for pages in the reader's language; the mail
 * server's own error text stays as it came.
 */
@Injectable()
@Contributes(CASE_FILE)
export class CorrespondenceCaseFile implements CaseFileContribution {
  constructor(
    private readonly inquiries: InquiriesService,
    private readonly deadlines: DeadlinesService,
  ) {}

  readonly sections: CaseFileSection[] = [
    {
      key: 'inquiries',
      load: async (caseId: string, manager?: EntityManager) => {
        const inquiries = await this.inquiries.forCase(caseId, manager);
        const deadlines = await this.deadlines.forCase(caseId);
        return inquiries.map((inquiry) =>
          inquiryView(
            inquiry,
            deadlines.find((deadline) => deadline.id === inquiry.deadlineId),
          ),
        );
      },
    },
  ];

  readonly timeline: Record<string, TimelineDescription> = {
    'inquiry.queued': {
      summary: (event) => `Inquiry queued: ${String((event.after as { subject?: string } | null)?.subject ?? '')}`,
      message: (event) => ({ key: 'timeline.inquiry.queued', params: { subject: of(event).subject ?? '' } }),
    },
    'letter.queued': (event) => ({ key: 'timeline.letter.queued', params: { subject: of(event).subject ?? '' } }),
    'inquiry.sent': {
      summary: () => 'Inquiry delivered to the mail server',
      message: () => ({ key: 'timeline.inquiry.sent' }),
    },
    'inquiry.refused_by_some': {
      summary: (event) => {
        const after = (event.after ?? {}) as { error?: string; refused?: string[] };
        return `Inquiry refused for ${after.refused?.join(', ') ?? 'some recipients'}: ${after.error ?? ''}`;
      },
      message: (event) => ({
        key: 'timeline.inquiry.refusedBySome',
        params: { recipients: of(event).refused?.join(', ') ?? '', error: of(event).error ?? '' },
      }),
    },
    'inquiry.failed': {
      summary: (event) => {
        const after = (event.after ?? {}) as { error?: string; notified?: string[] };
        return `Inquiry could not be delivered: ${after.error ?? ''}${after.notified?.length ? ` (notice sent to ${after.notified.join(', ')})` : ''}`;
      },
      message: (event) => ({
        key: 'timeline.inquiry.failed',
        params: { error: of(event).error ?? '', notified: of(event).notified?.join(', ') ?? '' },
      }),
    },
  };
}
