export const TEMPLATE_KINDS = [
  'inquiry',
  'chaser',
  'staff_reminder',
  'manager_escalation',
  'respondent_notice',
] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export const REMINDER_AUDIENCES = ['assignee', 'manager', 'respondent'] as const;
export type ReminderAudience = (typeof REMINDER_AUDIENCES)[number];

/** A reminder relative to the due instant: `offset` is a signed ISO 8601 duration (`-P7D`, `PT0S`, `P3D`). */
export interface ReminderDefault {
  offset: string;
  audience: ReminderAudience;
}

/**
 * Everything needed to render one template version, as plain strings, so that a version
 * stored in the database renders exactly like the files under `templates/`.
 */
export interface TemplateSource {
  /** Locale (BCP 47, e.g. `it`, `ko`) → contents of `<locale>.liquid`. */
  sources: Record<string, string>;
  /** Layout and partial files by name without `.liquid`, e.g. `letter.html`, `questions.txt`. */
  layout: Record<string, string>;
}

export interface TemplateDefinition extends TemplateSource {
  key: string;
  version: number;
  kind: TemplateKind;
  description: string;
  locales: string[];
  defaultQuestionIds: string[];
  defaultReminders: ReminderDefault[];
}

export interface LetterQuestion {
  number: number;
  id: string;
  topic: string;
  /** Already in the letter's locale. */
  text: string;
}

/**
 * The variables every template can use. Absent values are `null`, never `''`
 * (an empty string is truthy in Liquid).
 */
export interface LetterContext {
  authority: { code: string; name: string; country: string; locale: string; timeZone: string };
  case: { reference: string; title: string; legalBasis: string | null; url: string | null };
  organisation: { name: string };
  recipient: { name: string | null; email: string };
  questions: LetterQuestion[];
  deadline: {
    /** `YYYY-MM-DD`, the last day in the authority's calendar. */
    dueDate: string;
    /** ISO 8601 instant with offset. */
    dueAt: string;
    /** Localised long date, e.g. "17 febbraio 2025", "2025년 2월 17일". */
    formatted: string;
    /** Whether the due instant had passed when the context was built. */
    passed: boolean;
    /** Calendar days from today (authority time zone) to the due date; negative when overdue. */
    daysRemaining: number;
  };
  officer: { name: string; email: string } | null;
  inquiry: { replyTo: string | null; sentAt: string | null; sentFormatted: string | null };
  reminder: ReminderDefault | null;
  /** The reply by e-mail a staff notification is about (null in letters). */
  reply: { from: string; subject: string; receivedAt: string; receivedFormatted: string; url: string | null } | null;
  /** The letter a staff notice says was not delivered: its subject, recipients and the mail server's answer. */
  delivery: { subject: string; to: string; error: string } | null;
  /** The assignment a staff notice is about: who assigned the case (null when not known). */
  assignment: { by: string | null } | null;
  /**
   * What a notice to the respondent is about: `acknowledgement` (its reply was received), `extension`, `suspension`,
   * `resumption` or `restart` of the reply's time limit; dates in the letter's language (null when not given).
   */
  notice: {
    kind: NoticeKind;
    receivedFormatted: string | null;
    previousDueFormatted: string | null;
    stoppedFormatted: string | null;
    eventFormatted: string | null;
  } | null;
  /**
   * The decision a decision letter carries (null in other letters): the outcome `type` (no_action, recommendation,
   * corrective_order, processing_limitation, suspension, fine, referral, third_party_notice, commitments), its date,
   * the decision as staff wrote it, and what applies of the fine (formatted in the letter's language), the compliance
   * date, the numbered follow-up checks, the referral and the notice, each null (or empty) when it does not apply.
   */
  decision: {
    type: string;
    decidedFormatted: string;
    summary: string;
    legalBasis: string | null;
    fine: string | null;
    complianceFormatted: string | null;
    checks: { number: number; formatted: string }[];
    referralTo: string | null;
    noticeTo: string | null;
  } | null;
}

export const NOTICE_KINDS = ['acknowledgement', 'extension', 'suspension', 'resumption', 'restart'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface RenderedLetter {
  subject: string;
  html: string;
  text: string;
}

/** One problem found in a template, positioned for an editor. */
export interface TemplateIssue {
  /** `it.liquid`, or a layout file such as `_layout/letter.html`. */
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export interface TemplateValidationResult {
  valid: boolean;
  issues: TemplateIssue[];
}
