import { Injectable } from '@nestjs/common';
import { CASE_FILE, type CaseFileContribution, type CaseFileSection } from '#docket/cases';
import { Contributes } from '#docket/platform';
import { OutcomesService } from './outcomes.service.js';
import { ResponsesService } from './responses.service.js';
import { DECISION_TIMELINE } from './timeline.js';

/** The case file's responses and outcomes, and how the decisions context's audit actions read on the timeline. */
@Injectable()
@Contributes(CASE_FILE)
export class DecisionsCaseFile implements CaseFileContribution {
  constructor(
    private readonly responses: ResponsesService,
    private readonly outcomes: OutcomesService,
  ) {}

  readonly sections: CaseFileSection[] = [
    { key: 'responses', load: (caseId: string) => this.responses.forCase(caseId) },
    { key: 'outcomes', load: (caseId: string) => this.outcomes.forCase(caseId) },
  ];

  readonly timeline = DECISION_TIMELINE;
}
