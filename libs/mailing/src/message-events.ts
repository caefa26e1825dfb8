import type { OutboundMessageRecord } from './outbound-message.entity.js';

/**
 * What became of a stored message, told on the event bus in the transaction that records it, so that the context that
 * wrote the message (an inquiry, a reminder) keeps its own rows in step. Subscribers pick their kinds of message with
 * `when: ofKind(…)`; several subscribers of one kind run in their `order`.
 */
abstract class MessageOutcome {
  constructor(readonly message: OutboundMessageRecord) {}
}

/** The mail server took the message, for some recipients at least (those refused are split off and fail alone). */
export class MessageSent extends MessageOutcome {}

/**
 * The message finally failed: refused for good, or not taken within the retry window; also the part of a message
 * split off for the recipients who refused it while others took it.
 */
export class MessageFailed extends MessageOutcome {}

/** An operator sent a failed message again: it is queued once more (told for the authority of the message). */
export class MessageRetried extends MessageOutcome {}

/** A subscriber's filter: only messages of these kinds (`inquiry`, `chaser`, …). */
export const ofKind =
  (...kinds: string[]) =>
  (event: MessageOutcome): boolean =>
    kinds.includes(event.message.kind);
