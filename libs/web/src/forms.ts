import type { HttpException, Type } from '@nestjs/common';
import { LanguageContext, t } from '#docket/i18n';
import { httpExceptionOf, strictValidationPipe, type FieldError, type FieldMessage } from '#docket/platform';
import { readableParams } from './message-params.js';
import { fieldLabel, humanMessage } from './messages.js';
import { currentDateSettings } from './page-context.js';

/** What a form template needs to show errors: a summary linking to each field, and each field's message. */
export interface FormErrors {
  /** For the error summary; `href` is the id of the field (or of the form) to jump to. */
  summary: { field: string | null; href: string; message: string }[];
  /** Field name → the message shown by it. */
  fields: Record<string, string>;
  /** The form that failed, when a page has several. */
  form: string | null;
}

export interface FormErrorOptions {
  /** Prefix of the field ids when a page has several forms: field `reason` of form `extend` has id `extend-reason`. */
  form?: string;
  /** Friendlier messages by field name, in place of the validator's. */
  messages?: Record<string, string>;
  /** The field a refusal without a field (409, 403 …) belongs to; without it, the summary links to the form. */
  problemField?: string;
  /** Maps a field name of the service or DTO onto a form field, e.g. `{ dueAt: 'dueDate' }`. */
  rename?: Record<string, string>;
  /** The form's fields; an error about anything else is shown for the whole form. */
  fields?: string[];
}

export const noErrors = (): FormErrors => ({ summary: [], fields: {}, form: null });

export const fieldId = (field: string, form?: string | null): string => (form ? `${form}-${field}` : field);

/** The id of a form element (`<form id="extend-form">`), or of the main content for a page with one form. */
export const formId = (form?: string | null): string => (form ? `${form}-form` : 'main-content');

/**
 * A field error on its way to a page: `structured` (or the error's own `key` and `params`) is the catalogue message
 * to show in the reader's language; `structured: null` is a sentence of the domain without one, for which a reader
 * of another language than English reads the catalogue's general message for a value to check (the service's own
 * sentence is English, the API's words). Without either, `message` is already in the reader's language (a page's
 * own `t(…)`).
 */
export type PageFieldError = FieldError & { structured?: FieldMessage | null };

const structuredOf = (error: PageFieldError): FieldMessage | null | undefined =>
  error.key ? { key: error.key, params: error.params } : error.structured;

/**
 * A field error's words for a page that lays errors out itself: the service's sentence for English readers (and
 * for a message the page wrote), its catalogue message in the reader's language for others.
 */
export function fieldErrorText(error: PageFieldError): string {
  const structured = structuredOf(error);
  if (structured === undefined || LanguageContext.language() === 'en') return error.message;
  return structured
    ? t(structured.key, readableParams(structured.params, currentDateSettings()))
    : t('validation.check');
}

/** Builds FormErrors from messages a controller found itself (e.g. blank sign-in fields). */
export function errorsOf(errors: PageFieldError[], options: FormErrorOptions = {}): FormErrors {
  const result = noErrors();
  result.form = options.form ?? null;
  // The domain's words as a person reads them: the field as the form labels it, dates in the authority's zone.
  const settings = currentDateSettings();
  const human = (error: PageFieldError, field: string | null) => {
    // English readers read the domain's own sentence (the API's words, made human); others its catalogue message.
    const structured = structuredOf(error);
    if (structured === undefined || LanguageContext.language() === 'en')
      return sentence(humanMessage(error.message, { field, form: options.form, settings }));
    const message = structured ? t(structured.key, readableParams(structured.params, settings)) : t('validation.check');
    const label = field ? fieldLabel(options.form, field) : null;
    return label ? t('validation.ofField', { label, message }) : sentence(message);
  };
  for (const error of errors) {
    const field = options.rename?.[error.field] ?? error.field;
    if (options.fields && !options.fields.includes(field)) {
      result.summary.push({ field: null, href: formId(options.form), message: human(error, null) });
      continue;
    }
    if (result.fields[field] !== undefined) continue;
    const message = options.messages?.[field] ?? human(error, field);
    result.fields[field] = message;
    result.summary.push({ field, href: fieldId(field, options.form), message });
  }
  return result;
}

/**
 * Turns a refusal of the domain (ValidationProblem with field errors, or another 4xx such as a 409)
 * into FormErrors to re-render the form with; anything else (404, 403 of a guard, 5xx) is thrown on
 * to become an error page.
 */
export function formErrors(thrown: unknown, options: FormErrorOptions = {}): FormErrors {
  const error = httpExceptionOf(thrown);
  if (!error) throw thrown;
  const status = error.getStatus();
  if (status !== 400 && status !== 409 && status !== 412 && status !== 422) throw thrown;
  const body = error.getResponse() as { errors?: FieldError[]; detail?: string; message?: string | string[] } | string;
  if (typeof body === 'object' && Array.isArray(body.errors) && body.errors.length > 0) {
    // Each error with its catalogue message where the domain gave one (ValidationProblem.fieldErrors).
    return errorsOf(domainFieldErrors(error) ?? [], options);
  }
  const message =
    typeof body === 'string'
      ? body
      : (body.detail ?? (Array.isArray(body.message) ? body.message.join('; ') : body.message) ?? error.message);
  // A refusal whose detail is a catalogue message (CatalogueProblem) reads in the reader's language.
  const { detailKey, detailParams, detailMessage } = error as {
    detailKey?: unknown;
    detailParams?: FieldMessage['params'];
    detailMessage?: FieldMessage;
  };
  const structured: FieldMessage =
    typeof detailKey === 'string'
      ? { key: detailKey, params: detailParams }
      : (detailMessage ?? problemMessage(status));
  if (options.problemField) {
    const english = LanguageContext.language() === 'en' && typeof detailKey !== 'string';
    return errorsOf([{ field: options.problemField, message, structured: english ? undefined : structured }], {
      ...options,
      messages: {},
    });
  }
  const result = noErrors();
  result.form = options.form ?? null;
  const english = LanguageContext.language() === 'en' && typeof detailKey !== 'string';
  result.summary.push({
    field: null,
    href: formId(options.form),
    message: english
      ? sentence(humanMessage(message, { form: options.form, settings: currentDateSettings() }))
      : sentence(t(structured.key, readableParams(structured.params, currentDateSettings()))),
  });
  return result;
}

/**
 * The field errors of a 4xx refusal with per-field errors, each with its catalogue message where the domain gave
 * one (`structured: null` where it did not), or null for a refusal without field errors.
 */
export function domainFieldErrors(error: HttpException): PageFieldError[] | null {
  const body = error.getResponse() as { errors?: FieldError[] } | string;
  if (typeof body !== 'object' || !Array.isArray(body.errors) || body.errors.length === 0) return null;
  const own = (error as { fieldErrors?: FieldError[] }).fieldErrors;
  return body.errors.map((fieldError, index) => {
    const known = own?.[index];
    return known?.key
      ? { field: fieldError.field, message: fieldError.message, key: known.key, params: known.params }
      : { field: fieldError.field, message: fieldError.message, structured: null };
  });
}

/** The catalogue's general message of a refusal by its status, for a service sentence without a message of its own. */
function problemMessage(status: number): FieldMessage {
  return { key: status === 409 ? 'problem.conflict' : status === 412 ? 'problem.stale' : 'problem.refused' };
}

export interface FormReadOptions {
  /** The fields the form has; others are ignored (and the strict validation would refuse them). */
  fields: string[];
  /** Fields to convert to numbers when they look like whole numbers. */
  numbers?: string[];
}

/** The fields of a urlencoded form, as strings, to put back into a re-rendered form. */
export function formValues(body: unknown, fields: string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    fields.map((field) => [field, typeof source[field] === 'string' ? (source[field] as string) : '']),
  );
}

/**
 * Validates a form with the same DTO (and the same rules) as the API: blank fields count as not
 * given, number fields are converted. Throws the ValidationProblem the API would answer with.
 */
export async function validateForm<T extends object>(
  dto: Type<T>,
  body: unknown,
  options: FormReadOptions,
): Promise<T> {
  const source = (body ?? {}) as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  for (const field of options.fields) {
    const value = source[field];
    if (typeof value !== 'string' || value.trim() === '') continue;
    input[field] =
      options.numbers?.includes(field) && /^-?\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value.trim();
  }
  return (await strictValidationPipe().transform(input, { type: 'body', metatype: dto, data: undefined })) as T;
}

export function sentence(message: string): string {
  const trimmed = message.trim();
  return trimmed ? trimmed.charAt(0).toUpperCase() + trimmed.slice(1) : trimmed;
}
