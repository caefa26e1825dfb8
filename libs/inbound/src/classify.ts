import type { ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

export type MessageKind = 'reply' | 'auto_reply' | 'bounce';

const header = (mail: ParsedMail, name: string): string => {
  const value = mail.headers.get(name);
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  return String(value);
};

/**
 * Bounces (delivery status reports, mailer-daemon senders) and automatic replies (RFC 3834 and the usual vendor
 * headers).
 */
export function classify(mail: ParsedMail, envelopeFrom: string): MessageKind {
  const contentType = mail.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  const from = (mail.from?.value[0]?.address ?? '').toLowerCase();
  if (
    contentType?.value?.toLowerCase() === 'multipart/report' &&
    /delivery-status/i.test(contentType.params?.['report-type'] ?? '')
  )
    return 'bounce';
  if (/^(mailer-daemon|postmaster)@/.test(from) || (envelopeFrom === '' && /^mailer-daemon/i.test(from)))
    return 'bounce';
  const autoSubmitted = header(mail, 'auto-submitted').toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_reply';
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return 'auto_reply';
  if (/^(auto_reply|bulk|junk|list)$/.test(header(mail, 'precedence').toLowerCase().trim())) return 'auto_reply';
  return 'reply';
}

/** The token of `reply+<token>@<accepted domain>` among the recipients. */
export function replyToken(recipients: string[], domains: Set<string>): string | null {
  for (const address of recipients) {
    const match = /^reply\+([A-Za-z0-9]{1,64})@([^@\s>]+)$/i.exec(address.trim());
    if (match && domains.has(match[2].toLowerCase())) return match[1];
  }
  return null;
}

/** A case reference `<CODE>-<YYYY>-<NNNN>` in a subject. */
export function caseReference(subject: string): string | null {
  return /\b([A-Z][A-Z0-9]{1,19}-\d{4}-\d{4,})\b/.exec(subject)?.[1] ?? null;
}

/**
 * Message-IDs this message answers or reports on: In-Reply-To, References, and for reports the embedded original's
 * headers.
 */
export function referencedMessageIds(mail: ParsedMail, raw: Buffer): string[] {
  const ids = new Set<string>();
  const add = (value: unknown) => {
    for (const id of String(value ?? '').match(/<[^<>\s]+>/g) ?? []) ids.add(id);
  };
  add(mail.inReplyTo);
  add(Array.isArray(mail.references) ? mail.references.join(' ') : mail.references);
  // A delivery report carries the original's headers (text/rfc822-headers or message/rfc822) in a part mailparser may
  // turn into an attachment.
  for (const match of raw.toString('latin1').matchAll(/^Message-ID:\s*(<[^<>\s]+>)/gim)) ids.add(match[1]);
  if (mail.messageId) ids.delete(mail.messageId);
  return [...ids].slice(0, 50);
}

/** HTML safe to show in the pages: no scripts, handlers, styles, forms, frames or remote images; links open safely. */
export function sanitiseHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== 'img'),
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
    disallowedTagsMode: 'discard',
  });
}

/** Plain text of an HTML-only message (no markup, no script or style content). */
export function htmlToText(html: string): string {
  const blocks = html.replace(/<\/(p|div|li|tr|h[1-6])>|<br\s*\/?>/gi, '\n');
  return sanitizeHtml(blocks, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['script', 'style', 'textarea', 'noscript', 'title', 'head'],
  })
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The detail worth keeping from a bounce: the first status lines of the report. */
export function bounceDetail(mail: ParsedMail, raw: Buffer): string {
  const text = raw.toString('latin1');
  const lines = [...text.matchAll(/^(Action|Status|Diagnostic-Code|Final-Recipient):.*$/gim)].map((match) =>
    match[0].trim(),
  );
  const detail = lines.length ? lines.join('; ') : (mail.text ?? '').trim().split('\n').slice(0, 3).join(' ');
  return detail.slice(0, 1000);
}
