import { DateTime } from 'luxon';
import { localDateOf, parseDateOrInstant } from '#docket/calendar';
import type { FieldError } from '#docket/platform';

export const CHANNELS = ['email', 'portal', 'post'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ASSESSMENTS = ['answered', 'partial', 'insufficient', 'refused', 'not_answered'] as const;
export type Assessment = (typeof ASSESSMENTS)[number];

/** Assessments that a follow-up inquiry asks again. */
export const NEEDS_FOLLOW_UP: readonly Assessment[] = ['partial', 'insufficient', 'refused', 'not_answered'];

export const OUTCOME_TYPES = [
  'no_action',
  'recommendation',
  'corrective_order',
  'processing_limitation',
  'suspension',
  'fine',
  'referral',
  'third_party_notice',
  'commitments',
] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

const OUTCOME_WORDS: Record<OutcomeType, string> = {
  no_action: 'no action',
  recommendation: 'recommendation',
  corrective_order: 'corrective order',
  processing_limitation: 'processing limitation',
  suspension: 'suspension',
  fine: 'fine',
  referral: 'referral',
  third_party_notice: 'third-party notice',
  commitments: 'commitments',
};

/** The type of an outcome in words: "third-party notice". */
export const outcomeWords = (type: string): string => OUTCOME_WORDS[type as OutcomeType] ?? type;

/** The outcome type named by its words in a label the system wrote ("third-party notice" → third_party_notice). */
export const outcomeTypeOfWords = (words: string): OutcomeType | undefined =>
  (Object.keys(OUTCOME_WORDS) as OutcomeType[]).find((type) => OUTCOME_WORDS[type] === words);

/** A deadline an outcome starts: a period counted from the decision ({count, unit}), or a date. */
export interface DeadlineSpec {
  count?: number;
  unit?: string;
  dueDate?: string;
  ruleSet?: string;
}

/** Note given to questions the request left out: they are recorded as not answered. */
export const DEFAULTED_NOTE = 'No assessment was given for this question; recorded as not answered.';

/** Clients' clocks may run a little ahead of the server's. */
export const CLOCK_SKEW_MS = 2 * 60_000;

export interface QuestionRef {
  id: string;
  number: number;
  topic: string;
  text: string;
}

export interface AnswerInput {
  questionId: string;
  assessment: Assessment;
  note?: string;
}

export interface AssessedAnswer {
  questionId: string;
  questionNumber: number;
  topic: string;
  assessment: Assessment;
  note: string | null;
}

/**
 * Matches the assessments sent with the questions of the inquiry's snapshot. Every question of the
 * inquiry gets exactly one assessment: one the request leaves out is recorded as not_answered (with a
 * note saying so); a question that is not in the inquiry, or one assessed twice, is an error.
 */
export function assessAnswers(
  questions: QuestionRef[],
  answers: AnswerInput[],
): { answers: AssessedAnswer[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const known = new Map(questions.map((question) => [question.id, question]));
  const given = new Map<string, AnswerInput>();
  answers.forEach((answer, index) => {
    if (!known.has(answer.questionId)) {
      const listed = questions.map((question) => question.id).join(', ');
      errors.push({
        field: `answers.${index}.questionId`,
        message: `question "${answer.questionId}" is not one of this inquiry's questions (${listed})`,
        key: 'decisions.refusal.notAQuestion',
        params: { id: answer.questionId, questions: listed },
      });
    } else if (given.has(answer.questionId)) {
      errors.push({
        field: `answers.${index}.questionId`,
        message: `question "${answer.questionId}" is assessed twice`,
        key: 'decisions.refusal.assessedTwice',
        params: { id: answer.questionId },
      });
    } else {
      given.set(answer.questionId, answer);
    }
  });
  const assessed = questions
    .slice()
    .sort((a, b) => a.number - b.number)
    .map((question): AssessedAnswer => {
      const answer = given.get(question.id);
      return {
        questionId: question.id,
        questionNumber: question.number,
        topic: question.topic,
        assessment: answer?.assessment ?? 'not_answered',
        note: answer ? answer.note?.trim() || null : DEFAULTED_NOTE,
      };
    });
  return { answers: assessed, errors };
}

/** How many questions got each assessment. */
export function assessmentCounts(answers: Pick<AssessedAnswer, 'assessment'>[]): Record<Assessment, number> {
  const counts = Object.fromEntries(ASSESSMENTS.map((assessment) => [assessment, 0])) as Record<Assessment, number>;
  for (const answer of answers) counts[answer.assessment]++;
  return counts;
}

/** The questions a follow-up inquiry asks again, in the order of the letter. */
export function followUpQuestionIds(
  answers: Pick<AssessedAnswer, 'questionId' | 'questionNumber' | 'assessment'>[],
): string[] {
  return answers
    .filter((answer) => NEEDS_FOLLOW_UP.includes(answer.assessment))
    .sort((a, b) => a.questionNumber - b.questionNumber)
    .map((answer) => answer.questionId);
}

/** Why a received or decided instant is unusable; null when it is fine. */
export function instantProblem(
  at: Date,
  now: Date,
  options: { notBefore?: Date; notBeforeWhat?: string } = {},
): string | null {
  if (Number.isNaN(at.getTime())) return 'is not a valid instant';
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) return `is in the future (it is now ${now.toISOString()})`;
  if (options.notBefore && at.getTime() < options.notBefore.getTime())
    return `is before ${options.notBeforeWhat ?? options.notBefore.toISOString()}`;
  return null;
}

/**
 * The field error of an unusable received or decided instant (instantProblem's, with its catalogue message), or
 * null; `sentAt` is the inquiry's letter, which a response cannot precede.
 */
export function instantError(field: string, at: Date, now: Date, sentAt?: Date): FieldError | null {
  const problem = instantProblem(at, now, {
    notBefore: sentAt,
    notBeforeWhat: sentAt ? `the inquiry was sent (${sentAt.toISOString()})` : undefined,
  });
  if (!problem) return null;
  const message = `${field} ${problem}`;
  if (Number.isNaN(at.getTime())) return { field, message, key: 'decisions.refusal.notInstant' };
  if (sentAt && at.getTime() < sentAt.getTime())
    return { field, message, key: 'decisions.refusal.beforeInquiry', params: { sentAt: sentAt.toISOString() } };
  return { field, message, key: 'decisions.refusal.future' };
}

export interface Timing {
  onTime: boolean;
  /** Calendar days (authority's time zone) from the letter to the response. */
  daysToRespond: number;
  /** Calendar days after the due date; 0 when on time. */
  lateByDays: number;
}

/** Whole calendar days from one local date to another. */
const daysFrom = (from: string, to: string) =>
  Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days);

/**
 * How a response stands against its letter and due instant, counted in the authority's calendar:
 * a reply on the day after the letter took 1 day; a reply after the due instant is late, by the
 * number of days after the due date (0 when it came on the due day itself but after a due instant
 * set by hand earlier that day).
 */
export function responseTiming(input: {
  sentAt: Date;
  receivedAt: Date;
  dueAt: Date | null;
  dueDate: string | null;
  timeZone: string;
}): Timing {
  const received = localDateOf(input.receivedAt, input.timeZone);
  const daysToRespond = Math.max(0, daysFrom(localDateOf(input.sentAt, input.timeZone), received));
  if (!input.dueAt) return { onTime: true, daysToRespond, lateByDays: 0 };
  const onTime = input.receivedAt.getTime() <= input.dueAt.getTime();
  if (onTime) return { onTime, daysToRespond, lateByDays: 0 };
  const dueDay = input.dueDate ?? localDateOf(input.dueAt, input.timeZone);
  const lateByDays = Math.max(0, daysFrom(dueDay, received));
  return { onTime, daysToRespond, lateByDays };
}

// ---- outcomes ----

let currencies: Set<string> | undefined;

/** ISO 4217 codes this runtime knows (Intl.supportedValuesOf). */
export function isCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

/** Decimal places a currency has (EUR 2, KRW and JPY 0, BHD 3). */
export function minorUnits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function decimalPlaces(amount: number): number {
  const text = String(amount);
  if (/e-/i.test(text))
    return Number(/e-(\d+)/i.exec(text)?.[1] ?? 0) + (text.split('e')[0].split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

export interface OutcomeInput {
  type: OutcomeType;
  decidedAt: string;
  fine?: { amount?: number; currency?: string } | null;
  referralTo?: string | null;
  noticeTo?: string | null;
  compliance?: DeadlineSpec | null;
  followUpChecks?: DeadlineSpec[] | null;
}

/** The largest fine accepted, far above any imposed so far (the amount is stored exactly). */
export const MAX_FINE = 1e13;

/** The deadline a spec asks for, or the field errors that stop it. Exactly one of {count, unit} and {dueDate}. */
export function deadlineSpecErrors(spec: DeadlineSpec, field: string): FieldError[] {
  const hasPeriod = spec.count !== undefined || spec.unit !== undefined;
  const hasDate = spec.dueDate !== undefined;
  if (hasPeriod === hasDate)
    return [
      {
        field,
        message: `${field} needs either {count, unit} or {dueDate}, not both and not neither`,
        key: 'decisions.refusal.periodOrDate',
      },
    ];
  if (hasPeriod && (spec.count === undefined || spec.unit === undefined))
    return [{ field, message: `${field}: count and unit go together`, key: 'deadlines.refusal.countAndUnit' }];
  return [];
}

/** Rules of an outcome that go beyond the shape of its fields; empty when it can be recorded. */
/**
 * The instant of a decision: an instant as given, or a date (the authority's local date: its first instant, never
 * midnight UTC). Invalid Date when it is neither.
 */
export function decisionInstant(decidedAt: string, timeZone: string): Date {
  return parseDateOrInstant(decidedAt, timeZone) ?? new Date(NaN);
}

export function outcomeErrors(input: OutcomeInput, now: Date, timeZone = 'UTC'): FieldError[] {
  const errors: FieldError[] = [];
  const decidedAt = decisionInstant(input.decidedAt, timeZone);
  const when = instantError('decidedAt', decidedAt, now);
  if (when) errors.push(when);

  if (input.type === 'fine') {
    const fine = input.fine;
    if (!fine) {
      errors.push({ field: 'fine', message: 'a fine needs fine: {amount, currency}', key: 'decisions.refusal.fine' });
    } else {
      if (fine.amount === undefined || fine.amount === null)
        errors.push({ field: 'fine.amount', message: 'a fine needs an amount', key: 'decisions.refusal.fineAmount' });
      else if (!(fine.amount > 0))
        errors.push({
          field: 'fine.amount',
          message: 'the amount of a fine must be more than 0',
          key: 'decisions.refusal.fineNotPositive',
        });
      else if (fine.amount > MAX_FINE)
        errors.push({
          field: 'fine.amount',
          message: `the amount must be at most ${MAX_FINE}`,
          key: 'decisions.refusal.fineTooLarge',
          params: { max: MAX_FINE },
        });
      if (!fine.currency)
        errors.push({
          field: 'fine.currency',
          message: 'a fine needs a currency (ISO 4217, e.g. EUR)',
          key: 'decisions.refusal.fineCurrency',
        });
      else if (!isCurrency(fine.currency))
        errors.push({
          field: 'fine.currency',
          message: `"${fine.currency}" is not an ISO 4217 currency code (e.g. EUR, KRW, USD)`,
          key: 'decisions.refusal.notCurrency',
          params: { currency: fine.currency },
        });
      else if (fine.amount !== undefined && fine.amount > 0 && decimalPlaces(fine.amount) > minorUnits(fine.currency)) {
        errors.push({
          field: 'fine.amount',
          message: `${fine.currency} amounts have at most ${minorUnits(fine.currency)} decimal places`,
          key: 'decisions.refusal.fineDecimals',
          params: { currency: fine.currency, places: minorUnits(fine.currency) },
        });
      }
    }
  } else if (input.fine) {
    errors.push({
      field: 'fine',
      message: `only an outcome of type fine has a fine (this one is ${input.type})`,
      key: 'decisions.refusal.fineNotFine',
    });
  }

  if (input.type === 'referral' && !input.referralTo)
    errors.push({
      field: 'referralTo',
      message: 'a referral names the authority it goes to (referralTo)',
      key: 'decisions.refusal.referralTo',
    });
  if (input.type !== 'referral' && input.referralTo)
    errors.push({
      field: 'referralTo',
      message: 'referralTo belongs to outcomes of type referral',
      key: 'decisions.refusal.referralToNotReferral',
    });
  if (input.type === 'third_party_notice' && !input.noticeTo)
    errors.push({
      field: 'noticeTo',
      message: 'a third-party notice names who it goes to (noticeTo), e.g. an app store or an ISP',
      key: 'decisions.refusal.noticeTo',
    });
  if (input.type !== 'third_party_notice' && input.noticeTo)
    errors.push({
      field: 'noticeTo',
      message: 'noticeTo belongs to outcomes of type third_party_notice',
      key: 'decisions.refusal.noticeToNotNotice',
    });

  if (input.type === 'no_action' && (input.compliance || input.followUpChecks?.length)) {
    errors.push({
      field: input.compliance ? 'compliance' : 'followUpChecks',
      message: 'an outcome of no_action has nothing to comply with or check',
      key: 'decisions.refusal.noActionNothingToWatch',
    });
  }
  const specs: [DeadlineSpec, string][] = [
    ...(input.compliance ? [[input.compliance, 'compliance'] as [DeadlineSpec, string]] : []),
    ...(input.followUpChecks ?? []).map((check, index): [DeadlineSpec, string] => [check, `followUpChecks.${index}`]),
  ];
  for (const [spec, field] of specs) {
    errors.push(...deadlineSpecErrors(spec, field));
    const dueDate = spec.dueDate;
    if (dueDate && !Number.isNaN(decidedAt.getTime()) && dueDate < localDateOf(decidedAt, timeZone)) {
      errors.push({
        field: `${field}.dueDate`,
        message: `${field} is due on ${dueDate}, before the decision of ${input.decidedAt}`,
        key: 'decisions.refusal.dueBeforeDecision',
        params: { dueDay: dueDate, decidedAt: decidedAt.toISOString() },
      });
    }
  }
  return errors;
}

/**
 * Default reminders of compliance and follow-up deadlines, in office hours of the authority: the assignee five
 * working days and one working day before the due date at 09:00, the manager at 09:00 on the due date itself.
 */
export const OUTCOME_REMINDERS = [
  { offset: '-P5WD@09:00', audience: 'assignee' },
  { offset: '-P1WD@09:00', audience: 'assignee' },
  { offset: 'P0WD@09:00', audience: 'manager' },
] as const;

/** Formats a fine for people: "EUR 15,000,000.00". */
export function formatFine(amount: number, currency: string): string {
  return `${currency} ${new Intl.NumberFormat('en', { minimumFractionDigits: minorUnits(currency), maximumFractionDigits: minorUnits(currency) }).format(amount)}`;
}
