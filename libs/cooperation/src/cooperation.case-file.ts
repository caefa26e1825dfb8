import { Injectable } from '@nestjs/common';
import { CASE_FILE, type CaseFileContribution, type TimelineDescription } from '#docket/cases';
import { Contributes } from '#docket/platform';

/** How a recorded service of a document reads on the case timeline. */
@Injectable()
@Contributes(CASE_FILE)
export class CooperationCaseFile implements CaseFileContribution {
  readonly timeline: Record<string, TimelineDescription> = {
    'case.service_attempted': (event) => {
      const attempt = (event.after ?? {}) as { recipient?: string; servedFrom?: string };
      return {
        key: 'timeline.service.attempted',
        params: { recipient: String(attempt.recipient ?? ''), servedFromDay: String(attempt.servedFrom ?? '') },
      };
    },
  };
}
