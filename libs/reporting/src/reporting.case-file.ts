import { Injectable } from '@nestjs/common';
import { CASE_FILE, type CaseFileContribution, type TimelineDescription } from '#docket/cases';
import { Contributes } from '#docket/platform';

/** How sharing a case with the coordination view reads on its timeline. */
@Injectable()
@Contributes(CASE_FILE)
export class ReportingCaseFile implements CaseFileContribution {
  readonly timeline: Record<string, TimelineDescription> = {
    'case.shared': {
      summary: () => "Shared with other authorities' coordination view",
      message: () => ({ key: 'timeline.caseShared' }),
    },
    'case.unshared': {
      summary: () => 'No longer shared with other authorities',
      message: () => ({ key: 'timeline.caseUnshared' }),
    },
  };
}
