import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDate, formatInstant, type DateSettings } from './dates.js';
import { VIEWS_DIR } from './paths.js';
import { t } from '#docket/i18n';

/**
 * Messages of the domain as a person reads them on a page. The services answer in the API's words
 * ("receivedAt is before the inquiry was sent (2026-12-02T07:56:17.528Z)"); a page names the field as
 * its form labels it, shows dates in the authority's zone and format, and never an API path.
 */

/** Form prefix ('' for a page with one unprefixed form) → field name → the catalogue key of the form's label. */
export type FieldLabels = Map<string, Map<string, string>>;

const RENDER_TAG = /\{%-?\s*render\s+'partials\/(?:field|checkboxes)'([\s\S]*?)-?%\}/g;
const quoted = (args: string, key: string): string | null =>
  new RegExp(`(?:^|[\\s,])${key}:\\s*'([^']*)'`).exec(args)?.[1] ?? null;

/**
 * The labels of the form fields in the views, read from the field and checkbox partials they render
 * (`form: 'inquiry', name: 'dueDate', label: 'Due date'`). A name labelled differently in two views of
 * the same form prefix is left out (its message then names it in plain words).
 */
export function readFieldLabels(dir: string): FieldLabels {
  const labels: FieldLabels = new Map();
  const ambiguous = new Set<string>();
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(folder, entry.name))
        : entry.name.endsWith('.liquid')
          ? [join(folder, entry.name)]
          : [],
    );
  for (const file of walk(dir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(RENDER_TAG)) {
      const args = match[1];
      const name = quoted(args, 'name');
      const label = quoted(args, 'label') ?? quoted(args, 'legend');
      if (!name || !label) continue;
      // A prefix computed in the view (one form per record) cannot be matched to a request here.
      if (/\bform:/.test(args) && quoted(args, 'form') === null) continue;
      const form = quoted(args, 'form') ?? '';
      const key = `${form} ${name}`;
      const byName = labels.get(form) ?? new Map<string, string>();
      labels.set(form, byName);
      const known = byName.get(name);
      if (known !== undefined && known !== label) ambiguous.add(key);
      byName.set(name, label);
    }
  }
  for (const key of ambiguous) {
    const [form, name] = key.split(' ');
    labels.get(form)?.delete(name);
  }
  return labels;
}

let viewLabels: FieldLabels | null = null;
let viewNames: Set<string> | null = null;

function labelsOfViews(): FieldLabels {
  viewLabels ??= readFieldLabels(VIEWS_DIR);
  return viewLabels;
}

/**
 * The label of a field of a form in the views, in the request's language, or null when no view labels it with a
 * catalogue key.
 */
export function fieldLabel(form: string | null | undefined, field: string): string | null {
  const key = labelsOfViews()
    .get(form ?? '')
    ?.get(field);
  return key === undefined ? null : t(key);
}

/** Whether some form of the views has a field of that name. */
function isFieldName(name: string): boolean {
  viewNames ??= new Set([...labelsOfViews().values()].flatMap((byName) => [...byName.keys()]));
  return viewNames.has(name);
}

/** "receivedAt" → "received at", "fine.amount" → "fine amount", "due_date" → "due date". */
export function plainWords(identifier: string): string {
  return identifier
    .replace(/\.\d+(?=\.|$)/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._]/g, ' ')
    .toLowerCase()
    .trim();
}

/** A token that is a name in code rather than a word: camelCase, dotted or with an index. */
const CODE_NAME = /^[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*|\.[A-Za-z0-9]+)+$/;
const LEADING_NAME = /^([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)(?=\s)/;
const INNER_NAME = /(?<![\w./"'“@-])([a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+)(?![\w/"'”@-]|\.\w)/g;
const INSTANT = /(?<![\w-])\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})(?![\w:])/g;
const DATE = /(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w:-])/g;
/** A date after these words is an example of what to type in a date field, not a date to read. */
const EXAMPLE_BEFORE = /(?:for example|e\.g\.|such as|like|format)\s*$/i;
const API_PATH = /(?:\b(?:GET|POST|PUT|PATCH|DELETE)\s+)?\/api\/\S*/;

export interface MessageContext {
  /** The form field the message is about, if any (after the page mapped the API's field onto its own). */
  field?: string | null;
  /** The form prefix, to find the field's label in the views. */
  form?: string | null;
  settings: DateSettings;
}

/**
 * The message in a person's words: the clause that points to an API call dropped, ISO instants and
 * dates in the authority's zone and format, and a field named in code (at the start, or camelCase in
 * the sentence) replaced by the form's label for it, else by plain words.
 */
export function humanMessage(message: string, context: MessageContext): string {
  let text = withoutApiPaths(message);
  text = text.replace(INSTANT, (instant) => formatInstant(instant, context.settings));
  text = text.replace(DATE, (date, offset: number, whole: string) =>
    EXAMPLE_BEFORE.test(whole.slice(0, offset)) ? date : formatDate(date, context.settings),
  );
  const label = (name: string): string | null => fieldLabel(context.form, name);
  const leading = LEADING_NAME.exec(text)?.[1];
  // A message starts with the field it is about, in the API's name for it (receivedAt for "Date received").
  if (
    leading &&
    (leading === context.field ||
      (CODE_NAME.test(leading) &&
        (Boolean(context.field) || leading.includes('.') || label(leading) !== null || isFieldName(leading))))
  ) {
    text =
      ((context.field && label(context.field)) ?? label(leading) ?? plainWords(leading)) + text.slice(leading.length);
  }
  // Other fields named in the sentence ("names the authority it goes to (referralTo)"); other words are left alone.
  return text.replace(INNER_NAME, (name: string) => {
    const known = label(name);
    return known ? `“${known}”` : isFieldName(name) ? plainWords(name) : name;
  });
}

/** Drops each clause that names an API path ("…; search for it with GET /api/v1/organisations?q=."). */
function withoutApiPaths(message: string): string {
  if (!API_PATH.test(message)) return message;
  const clauses = message.split(/(?<=;)\s*|(?<=[.:])\s+(?=[A-Z])/);
  const kept = clauses.filter((clause) => !API_PATH.test(clause));
  let text =
    kept.length > 0
      ? kept.join(' ')
      : message.replace(new RegExp(`\\s*(?:with|at|from|via|using)?\\s*${API_PATH.source}`, 'g'), '');
  text = text.trim().replace(/[;:,]\s*$/, '');
  return /[.!?]$/.test(text) || !/[.!?]$/.test(message.trim()) ? text : `${text}.`;
}
