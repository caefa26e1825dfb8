import { DateTime } from 'luxon';
import { formatDeadline, toZonedDateTime } from './dates.js';
import { localiseQuestions, type QuestionBank } from './questions.js';
import type { LetterContext, LetterQuestion, NoticeKind, ReminderDefault } from './types.js';

export interface LetterContextInput {
  /** The letter's locale: question texts and dates are written in it. */
  locale: string;
  /** From the injected clock; decides `deadline.passed` and `deadline.daysRemaining`. */
  now: Date;
  authority: LetterContext['authority'];
  case: { reference: string; title: string; legalBasis?: string | null; url?: string | null };
  organisation: { name: string };
  recipient: { name?: string | null; email: string };
  officer?: { name: string; email: string } | null;
  questionBank?: QuestionBank;
  questionIds?: readonly string[];
  /** The questions as a sent letter carried them (its snapshot), used as they are instead of the bank's. */
  questions?: readonly LetterQuestion[];
  /** `dueDate` (the last day, `YYYY-MM-DD`) is derived from `dueAt` in the authority's zone when absent. */
  deadline: { dueAt: string | Date; dueDate?: string };
  inquiry?: { replyTo?: string | null; sentAt?: string | Date | null };
  reminder?: ReminderDefault | null;
  /** The reply by e-mail a staff notification is about; `url`: its page. */
  reply?: { from: string; subject: string; receivedAt: string | Date; url?: string | null } | null;
  delivery?: { subject: string; to: readonly string[]; error: string } | null;
  assignment?: { by?: string | null } | null;
  /** What a notice to the respondent is about, with the instants it names. */
  notice?: {
    kind: NoticeKind;
    receivedAt?: string | Date | null;
    previousDueAt?: string | Date | null;
    stoppedAt?: string | Date | null;
    eventAt?: string | Date | null;
  } | null;
  /** The decision a decision letter carries; `complianceDueDate` and the checks' dates are `YYYY-MM-DD`. */
  decision?: {
    type: string;
    decidedAt: string | Date;
    summary: string;
    legalBasis?: string | null;
    fine?: { amount: number; currency: string } | null;
    complianceDueDate?: string | null;
    followUpCheckDates?: readonly string[];
    referralTo?: string | null;
    noticeTo?: string | null;
  } | null;
}

function blankToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

/** Assembles the variables of a letter from the case's data; pure, no I/O. */
export function buildLetterContext(input: LetterContextInput): LetterContext {
  const { locale, authority } = input;
  const zone = authority.timeZone;
  const dueAt = toZonedDateTime(input.deadline.dueAt, zone);
  const dueDate = input.deadline.dueDate ?? dueAt.toISODate()!;
  const today = DateTime.fromJSDate(input.now, { zone }).startOf('day');
  const daysRemaining = Math.round(toZonedDateTime(dueDate, zone).startOf('day').diff(today, 'days').days);
  const sentAt = input.inquiry?.sentAt ? toZonedDateTime(input.inquiry.sentAt, zone) : null;

  return {
    authority: { ...authority },
    case: {
      reference: input.case.reference,
      title: input.case.title,
      legalBasis: blankToNull(input.case.legalBasis),
      url: blankToNull(input.case.url),
    },
    organisation: { name: input.organisation.name },
    recipient: { name: blankToNull(input.recipient.name), email: input.recipient.email },
    questions: input.questions
      ? input.questions.map((question) => ({ ...question }))
      : input.questionBank
        ? localiseQuestions(input.questionBank, input.questionIds ?? [], locale)
        : [],
    deadline: {
      dueDate,
      dueAt: dueAt.toISO()!,
      formatted: formatDeadline(dueDate, locale, zone),
      passed: input.now.getTime() >= dueAt.toMillis(),
      daysRemaining,
    },
    officer: input.officer ? { name: input.officer.name, email: input.officer.email } : null,
    inquiry: {
      replyTo: blankToNull(input.inquiry?.replyTo),
      sentAt: sentAt ? sentAt.toISO() : null,
      sentFormatted: sentAt ? formatDeadline(sentAt.toJSDate(), locale, zone) : null,
    },
    reminder: input.reminder ? { offset: input.reminder.offset, audience: input.reminder.audience } : null,
    reply: input.reply ? replyOf(input.reply, locale, zone) : null,
    delivery: input.delivery
      ? { subject: input.delivery.subject, to: input.delivery.to.join(', '), error: input.delivery.error }
      : null,
    assignment: input.assignment ? { by: blankToNull(input.assignment.by) } : null,
    notice: input.notice
      ? {
          kind: input.notice.kind,
          receivedFormatted: input.notice.receivedAt ? formatDeadline(input.notice.receivedAt, locale, zone) : null,
          previousDueFormatted: input.notice.previousDueAt
            ? formatDeadline(input.notice.previousDueAt, locale, zone)
            : null,
          stoppedFormatted: input.notice.stoppedAt ? formatDeadline(input.notice.stoppedAt, locale, zone) : null,
          eventFormatted: input.notice.eventAt ? formatDeadline(input.notice.eventAt, locale, zone) : null,
        }
      : null,
    decision: input.decision ? decisionOf(input.decision, locale, zone) : null,
  };
}

function decisionOf(
  decision: NonNullable<LetterContextInput['decision']>,
  locale: string,
  zone: string,
): NonNullable<LetterContext['decision']> {
  return {
    type: decision.type,
    decidedFormatted: formatDeadline(decision.decidedAt, locale, zone),
    summary: decision.summary.trim(),
    legalBasis: blankToNull(decision.legalBasis),
    fine: decision.fine
      ? new Intl.NumberFormat(locale, { style: 'currency', currency: decision.fine.currency }).format(
          decision.fine.amount,
        )
      : null,
    complianceFormatted: decision.complianceDueDate ? formatDeadline(decision.complianceDueDate, locale, zone) : null,
    checks: (decision.followUpCheckDates ?? []).map((date, index) => ({
      number: index + 1,
      formatted: formatDeadline(date, locale, zone),
    })),
    referralTo: blankToNull(decision.referralTo),
    noticeTo: blankToNull(decision.noticeTo),
  };
}

function replyOf(
  reply: NonNullable<LetterContextInput['reply']>,
  locale: string,
  zone: string,
): NonNullable<LetterContext['reply']> {
  const at = toZonedDateTime(reply.receivedAt, zone);
  return {
    from: reply.from,
    subject: reply.subject,
    receivedAt: at.toISO()!,
    receivedFormatted: at.setLocale(locale).toLocaleString(DateTime.DATETIME_MED),
    url: blankToNull(reply.url),
  };
}
