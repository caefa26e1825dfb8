import { Injectable } from '@nestjs/common';
import { CaseClosed } from '#docket/cases';
import { MessageFailed, MessageRetried, ofKind } from '#docket/mailing';
import { OnEvent, RequestContext } from '#docket/platform';
import { DeadlinesService } from './deadlines.service.js';
import { ReminderRepository } from './reminder.repository.js';

/** Message kinds a reminder produces; a kind that finally fails marks its reminder failed. */
export const REMINDER_MESSAGE_KINDS = ['chaser', 'staff_reminder', 'manager_escalation'];

/**
 * What the deadlines context does when other contexts tell what happened (events of the bus, in their transaction).
 * A message's outcome is recorded for the authority of the message.
 */
@Injectable()
export class DeadlinesSubscribers {
  constructor(
    private readonly reminders: ReminderRepository,
    private readonly deadlines: DeadlinesService,
  ) {}

  /**
   * Closing a case stops its clocks; the cancelled reminders' jobs are removed by reconciliation or find their rows
   * cancelled and do nothing.
   */
  @OnEvent(CaseClosed)
  caseClosed({ caseId, reason }: CaseClosed) {
    return this.deadlines.cancelForCase(caseId, `case closed: ${reason}`);
  }

  @OnEvent(MessageFailed, { when: ofKind(...REMINDER_MESSAGE_KINDS) })
  reminderFailed({ message }: MessageFailed) {
    return RequestContext.actingFor(message.authorityId, () =>
      this.reminders.change({ outboundMessageId: message.id }, { status: 'failed', note: message.lastError }),
    );
  }

  /** A reminder's failed message sent again by an operator: the reminder went out after all. */
  @OnEvent(MessageRetried, { when: ofKind(...REMINDER_MESSAGE_KINDS) })
  reminderRetried({ message }: MessageRetried) {
    return RequestContext.actingFor(message.authorityId, () =>
      this.reminders.change(
        { outboundMessageId: message.id, status: 'failed' },
        { status: 'sent', note: 'its message was sent again by an operator' },
      ),
    );
  }
}
