import { Injectable } from '@nestjs/common';
import {
  CASE_FILE,
  type CaseFileContribution,
  type CaseFileSection,
  type TimelineDescription,
  type TimelineMessageMaker,
} from '#docket/cases';
import { Contributes } from '#docket/platform';
import { InboundService } from './inbound.service.js';

type After = Record<string, unknown>;
const after = (value: unknown): After => (value !== null && typeof value === 'object' ? (value as After) : {});

/** Each line also as a catalogue message (timeline.inbound.*) for pages in the reader's language. */
const params = (event: { after: unknown }) => ({
  from: String(after(event.after).from ?? '').slice(0, 200),
  subject: String(after(event.after).subject ?? '').slice(0, 200),
  detail: String(after(event.after).detail ?? after(event.after).from ?? '').slice(0, 200),
});
const message =
  (key: string): TimelineMessageMaker =>
  (event) => ({ key, params: params(event) });

/** The case file's replies by e-mail, and how the inbound context's audit actions read on the timeline. */
@Injectable()
@Contributes(CASE_FILE)
export class InboundCaseFile implements CaseFileContribution {
  constructor(private readonly inbound: InboundService) {}

  readonly sections: CaseFileSection[] = [{ key: 'inbound', load: (caseId: string) => this.inbound.forCase(caseId) }];

  readonly timeline: Record<string, TimelineDescription> = {
    'inbound.received': {
      summary: (event) =>
        `Reply by e-mail from ${String(after(event.after).from)} (draft, to be confirmed): ${String(after(event.after).subject)}`.slice(
          0,
          240,
        ),
      message: message('timeline.inbound.received'),
    },
    'inbound.confirmed': {
      summary: () => 'E-mail reply confirmed as the response',
      message: message('timeline.inbound.confirmed'),
    },
    'inbound.extension_requested': {
      summary: (event) => `E-mail filed as an extension request: ${String(after(event.after).subject)}`.slice(0, 240),
      message: message('timeline.inbound.extensionRequested'),
    },
    'inbound.dismissed': {
      summary: (event) => `E-mail dismissed: ${String(after(event.after).subject)}`.slice(0, 240),
      message: message('timeline.inbound.dismissed'),
    },
    'inbound.triaged': {
      summary: (event) => `E-mail to triage: ${String(after(event.after).subject)}`.slice(0, 240),
      message: message('timeline.inbound.triaged'),
    },
    'inquiry.bounced': {
      summary: (event) =>
        `Inquiry bounced: ${String(after(event.after).detail ?? after(event.after).from)}`.slice(0, 240),
      message: message('timeline.inbound.bounced'),
    },
    'inquiry.auto_replied': {
      summary: (event) => `Automatic reply to the inquiry from ${String(after(event.after).from)}`.slice(0, 240),
      message: message('timeline.inbound.autoReplied'),
    },
    'inbound.attachment_quarantined': (event) => ({
      key: 'timeline.inbound.attachmentQuarantined',
      params: {
        filename: String(after(event.after).filename ?? ''),
        signature: String(after(event.after).signature ?? ''),
      },
    }),
  };
}
