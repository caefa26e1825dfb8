import { createHash } from 'node:crypto';

/**
 * A fingerprint of what a person was shown before a letter leaves (recipients, subject, questions, due
 * date …). The confirming form carries it back; the letter is sent only when what would be sent now has
 * the same fingerprint, so nothing leaves that was not seen, and a changed letter is shown again.
 */
export function confirmationToken(shown: unknown): string {
  return createHash('sha256').update(JSON.stringify(shown)).digest('base64url');
}

/** The confirmation field of a form: the token, or null when the form asks for the preview. */
export function confirmationOf(body: Record<string, unknown>): string | null {
  return typeof body.confirm === 'string' && body.confirm.length > 0 ? body.confirm : null;
}
