import type { RecipientRefusal, SentMail } from '#docket/platform';

/** An SMTP reply in the 5xx range: the server will refuse the same message again. */
export function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** nodemailer error codes that no retry can change: a message it cannot build or address. */
const UNSENDABLE = new Set(['EMESSAGE', 'EENVELOPE']);

/**
 * What one attempt came to, per recipient: taken, refused for good (5xx, or a message that cannot be sent), or
 * deferred (4xx, connection failure, timeout: to be tried again). `serverTrouble`: the server itself did not
 * answer (connection refused or cut, timeout, 421), not one recipient or message.
 */
export interface AttemptOutcome {
  accepted: string[];
  refused: RecipientRefusal[];
  deferred: RecipientRefusal[];
  serverTrouble: boolean;
  /** The server's reply, for the record. */
  response: string | null;
}

/** The bare address of `Name <address>` or `address`, for comparing what was asked with what the server answered. */
export const bareAddress = (value: string) => (/<([^>]+)>\s*$/.exec(value)?.[1] ?? value).trim().toLowerCase();

const same = (a: string, b: string) => bareAddress(a) === bareAddress(b);

/** Splits an attempt's refusals (those named per recipient) into refused and deferred. */
function byCode(refusals: RecipientRefusal[]): Pick<AttemptOutcome, 'refused' | 'deferred'> {
  return {
    refused: refusals.filter((refusal) => refusal.code !== null && refusal.code >= 500),
    deferred: refusals.filter((refusal) => refusal.code === null || refusal.code < 500),
  };
}

/** The outcome of an attempt the server answered with 250 (for some recipients at least). */
export function outcomeOfSent(recipients: string[], sent: SentMail): AttemptOutcome {
  const refusals = sent.rejected.filter((refusal) => recipients.some((address) => same(address, refusal.address)));
  const accepted = recipients.filter(
    (address) =>
      !refusals.some((refusal) => same(refusal.address, address)) &&
      (sent.accepted.length === 0 || sent.accepted.some((taken) => same(taken, address))),
  );
  // A recipient neither accepted nor refused by name (a server that answers oddly) is tried again.
  const unaccounted = recipients
    .filter((address) => !accepted.includes(address) && !refusals.some((refusal) => same(refusal.address, address)))
    .map((address) => ({ address, code: null, reason: 'not confirmed by the mail server' }));
  return { accepted, ...byCode([...refusals, ...unaccounted]), serverTrouble: false, response: sent.response };
}

/** The outcome of an attempt that threw: every recipient refused (by name or all at once) or deferred. */
export function outcomeOfError(recipients: string[], error: unknown): AttemptOutcome {
  const { responseCode, code, response, message } = (error ?? {}) as {
    responseCode?: unknown;
    code?: unknown;
    response?: unknown;
    message?: unknown;
  };
  const reason = String(response ?? message ?? error);
  const perRecipient = (error as { rejectedErrors?: unknown } | null)?.rejectedErrors;
  if (Array.isArray(perRecipient) && perRecipient.length) {
    // Every recipient was refused at RCPT TO, each with its own reply.
    const refusals: RecipientRefusal[] = recipients.map((address) => {
      const found = perRecipient.find((item: { recipient?: unknown }) =>
        same(String(item.recipient ?? ''), address),
      ) as { responseCode?: unknown; response?: unknown; message?: unknown } | undefined;
      return found
        ? {
            address,
            code: typeof found.responseCode === 'number' ? found.responseCode : null,
            reason: String(found.response ?? found.message ?? reason),
          }
        : { address, code: null, reason };
    });
    return { accepted: [], ...byCode(refusals), serverTrouble: false, response: reason };
  }
  const smtpCode = typeof responseCode === 'number' ? responseCode : null;
  const permanent = (smtpCode !== null && smtpCode >= 500) || (smtpCode === null && UNSENDABLE.has(String(code)));
  const all = recipients.map((address) => ({ address, code: smtpCode, reason }));
  return permanent
    ? { accepted: [], refused: all, deferred: [], serverTrouble: false, response: reason }
    : {
        accepted: [],
        refused: [],
        deferred: all,
        serverTrouble: smtpCode === null || smtpCode === 421,
        response: reason,
      };
}

/** First pause after a temporary failure; each following one doubles, up to the configured longest. */
export const FIRST_RETRY_DELAY_MS = 2000;

/** The pause before the next attempt of a message that has had `attempts` attempts. */
export function retryDelayMs(attempts: number, maxIntervalMs: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** exponent, maxIntervalMs);
}

/**
 * When a message deferred now is tried next, or null when its window is over (it fails). The last attempt is made
 * at the end of the window.
 */
export function nextAttemptAt(
  now: Date,
  waitingSince: Date,
  attempts: number,
  window: { windowMs: number; maxIntervalMs: number },
): Date | null {
  const end = waitingSince.getTime() + window.windowMs;
  if (now.getTime() >= end) return null;
  return new Date(Math.min(now.getTime() + retryDelayMs(attempts, window.maxIntervalMs), end));
}

/** One line for the record: each refusal with its address. */
export function describeRefusals(refusals: RecipientRefusal[]): string {
  const reasons = [...new Set(refusals.map((refusal) => refusal.reason))];
  if (reasons.length === 1) return `${reasons[0]} (${refusals.map((refusal) => refusal.address).join(', ')})`;
  return refusals.map((refusal) => `${refusal.address}: ${refusal.reason}`).join('; ');
}
