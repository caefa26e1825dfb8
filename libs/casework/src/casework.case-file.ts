import { Injectable } from '@nestjs/common';
import { CASE_FILE, type CaseFileContribution, type TimelineDescription } from '#docket/cases';
import { Contributes } from '#docket/platform';

/** How a case imported from a CSV file reads on its timeline. */
@Injectable()
@Contributes(CASE_FILE)
export class CaseworkCaseFile implements CaseFileContribution {
  readonly timeline: Record<string, TimelineDescription> = {
    'case.imported': (event) => ({
      key: 'timeline.case.imported',
      params: { line: Number((event.after as { line?: number } | null)?.line ?? 0) },
    }),
  };
}
