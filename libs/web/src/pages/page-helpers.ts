import { NotFoundException, type Type } from '@nestjs/common';
import { LANGUAGE_NAMES, LanguageContext, LANGUAGES } from '#docket/i18n';
import { httpExceptionOf, strictValidationPipe } from '#docket/platform';
import { domainFieldErrors, type PageFieldError } from '../forms.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that cannot be a row id is a page that does not exist (not a 400 for a person who mistyped a link). */
export function requireUuid(id: string, what: string): string {
  if (!UUID.test(id)) throw new NotFoundException(`There is no such ${what}.`);
  return id;
}

/** Whose home is My work rather than the dashboard: officers (managers and admins watch the whole authority). */
const MY_WORK_HOME = new Set(['officer']);

/** Where a signed-in user starts: My work for an officer of an authority, the dashboard for everyone else. */
export function homeOf(auth: { user: { role: string }; authority?: unknown }): string {
  return auth.authority && MY_WORK_HOME.has(auth.user.role) ? '/my-work' : '/dashboard';
}

export { settingsOf } from '../page-context.js';

/**
 * Validates structured input (lists, nested objects) with the API's DTO and rules; throws the API's ValidationProblem.
 */
export async function validateInput<T extends object>(dto: Type<T>, input: Record<string, unknown>): Promise<T> {
  return (await strictValidationPipe().transform(input, { type: 'body', metatype: dto, data: undefined })) as T;
}

/**
 * The field errors of a refusal with per-field errors (a ValidationProblem), with each field name mapped
 * onto the form's; null for any other error, which the caller hands to formErrors.
 */
export function fieldErrorsOf(
  error: unknown,
  mapField: (field: string) => string = (field) => field,
): PageFieldError[] | null {
  const refusal = httpExceptionOf(error);
  if (!refusal || refusal.getStatus() !== 400) return null;
  return domainFieldErrors(refusal)?.map((item) => ({ ...item, field: mapField(item.field) })) ?? null;
}

/** The values of a form field that may repeat (checkboxes, several hidden inputs): always a list of strings. */
export function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** Comma-, semicolon- or line-separated entries of a text field, trimmed, blanks dropped. */
export function splitList(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(/[,;\n]/)
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
}

/** `<a href>` query string of the non-empty parameters. */
export function queryString(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** "Italian (it)": a language code as a person reads it. */
export function localeLabel(locale: string): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([LanguageContext.language()], { type: 'language' }).of(locale);
  } catch {
    name = undefined;
  }
  return name && name !== locale ? `${name} (${locale})` : locale;
}

/** The languages of the pages for a select, each named in its own language. */
export function languageOptions(): { value: string; label: string }[] {
  return LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language] }));
}
