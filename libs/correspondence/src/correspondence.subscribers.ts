import { Injectable } from '@nestjs/common';
import { CaseAssigned } from '#docket/cases';
import { DeadlineChanged } from '#docket/deadlines';
import { MessageFailed, MessageRetried, MessageSent, ofKind } from '#docket/mailing';
import { OnEvent, OnEvents } from '#docket/platform';
import { InquiriesService } from './inquiries.service.js';
import { RespondentLetters } from './respondent-letters.js';

/** What correspondence does when other contexts tell what happened (events of the bus, in their transaction). */
@Injectable()
export class CorrespondenceSubscribers {
  constructor(
    private readonly inquiries: InquiriesService,
    private readonly respondentLetters: RespondentLetters,
  ) {}

  /** A response deadline extended, suspended, resumed or restarted: the organisation is told by letter. */
  @OnEvent(DeadlineChanged)
  deadlineChanged({ deadline, change }: DeadlineChanged) {
    return this.respondentLetters.deadlineChanged(deadline, change);
  }

  /** The inquiry's letter reached the mail server: the inquiry is sent (before campaigns count it, order 1). */
  @OnEvents(MessageSent, { when: ofKind('inquiry') })
  inquiriesSent(sent: MessageSent[]) {
    return this.inquiries.recordSent(sent.map(({ message }) => message));
  }

  @OnEvent(MessageFailed, { when: ofKind('inquiry') })
  inquiryFailed({ message }: MessageFailed) {
    return this.inquiries.recordFailed(message);
  }

  /** The new assignee of a case (not the person who assigned it) is told by mail. */
  @OnEvent(CaseAssigned)
  caseAssigned({ kase }: CaseAssigned) {
    return this.inquiries.notifyAssigned(kase);
  }

  @OnEvent(MessageRetried, { when: ofKind('inquiry') })
  inquiryRetried({ message }: MessageRetried) {
    return this.inquiries.recordRetried(message);
  }
}
