import { translate, writtenInstant, type Language } from '#docket/i18n';
import { escapeHtml } from '#docket/platform';

/** Mail Docket sends a member of staff about their own account, in the language they read Docket in. */
export interface AccountMail {
  subject: string;
  text: string;
  html?: string;
}

/** An instant as a member of staff reads it, in UTC (the account's mails do not look up an authority's zone). */
function utcInstant(instant: Date, language: Language): string {
  return translate(language, 'mail.untilUtc', { until: writtenInstant(instant, 'UTC', language) });
}

/** Sign-in is locked after too many wrong passwords. */
export function accountLockedMail(
  owner: { name: string; language: Language },
  failures: number,
  until: Date,
): AccountMail {
  const { language } = owner;
  return {
    subject: translate(language, 'mail.accountLocked.subject'),
    text: translate(language, 'mail.accountLocked.body', {
      name: owner.name,
      count: failures,
      until: utcInstant(until, language),
    }),
  };
}

/** The link an administrator had sent to set a new password. */
export function passwordResetMail(
  user: { name: string; language: Language },
  link: string,
  expiresAt: Date,
): AccountMail {
  const { language } = user;
  const greeting = translate(language, 'mail.passwordReset.greeting', { name: user.name });
  const intro = translate(language, 'mail.passwordReset.intro');
  const expiry = translate(language, 'mail.passwordReset.expiry', { until: utcInstant(expiresAt, language) });
  return {
    subject: translate(language, 'mail.passwordReset.subject'),
    text: [greeting, '', intro, '', link, '', expiry].join('\n'),
    html: `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(
      translate(language, 'mail.passwordReset.button'),
    )}</a></p><p>${escapeHtml(expiry)}</p>`,
  };
}
