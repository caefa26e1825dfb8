import { Injectable } from '@nestjs/common';
import { CASE_FILE, type CaseFileContribution, type TimelineDescription } from '#docket/cases';
import { Contributes } from '#docket/platform';

const after = (event: { after: unknown }) => (event.after ?? {}) as Record<string, unknown>;

/** How the documents context's audit actions read on the case timeline. */
@Injectable()
@Contributes(CASE_FILE)
export class DocumentsCaseFile implements CaseFileContribution {
  readonly timeline: Record<string, TimelineDescription> = {
    'document.issued': (event) => ({
      key: 'timeline.document.issued',
      params: { title: String(after(event).title ?? ''), sealed: after(event).signed === true ? 'yes' : 'no' },
    }),
    'document.added': (event) => ({
      key: 'timeline.document.added',
      params: { title: String(after(event).title ?? ''), filename: String(after(event).filename ?? '') },
    }),
  };
}
