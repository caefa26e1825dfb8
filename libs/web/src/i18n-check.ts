import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { KEY_PATTERN } from '#docket/i18n';

/**
 * What the catalogue check reads (run by libs/web/src/i18n-check.spec.ts under `npm test`): the interface's texts
 * in the views and code, so that no page shows English outside the catalogues, no key used is missing and no
 * catalogue keeps a key nothing uses.
 */

/** Words a view may show as they are, in every language: the product's name and symbols of the trade. */
const ALLOWED_WORDS = new Set(['Docket', 'UTC', 'CSV', 'iCal', 'HTML', 'ID', 'SHA', 'PDF', 'PNG', 'JPEG']);

/** Attributes whose values a person reads (or hears). */
const READ_ATTRIBUTES = ['title', 'aria-label', 'placeholder', 'alt', 'aria-description', 'aria-roledescription'];

/** Arguments of `{% render %}` tags that carry a text to show: catalogue keys. */
const KEY_ARGUMENTS = ['label', 'legend', 'hint', 'title', 'text', 'caption', 'heading', 'summary', 'none'];

export interface Finding {
  file: string;
  line: number;
  text: string;
}

export function walk(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(join(dir, entry.name), suffix)
      : entry.name.endsWith(suffix) && !entry.name.endsWith('.spec.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const lineOf = (source: string, index: number): number => source.slice(0, index).split('\n').length;

/** Blanks a range (keeping line breaks, so line numbers stay right). */
const blank = (text: string): string => text.replace(/[^\n]/g, ' ');

/** A text with an English word in it: two letters or more of the Latin alphabet, not an allowed word. */
function englishWords(text: string): string[] {
  return (text.match(/[A-Za-z][A-Za-z'’-]+/g) ?? [])
    .map((word) => word.replace(/[-'’]+$/, ''))
    .filter((word) => !ALLOWED_WORDS.has(word));
}

/**
 * The English a view shows outside the catalogue: words in text nodes and in read attributes (title, aria-label,
 * placeholder, alt) once Liquid output and tags are taken out, and render arguments that carry a text (label,
 * legend, hint …) given as a literal that is not a catalogue key.
 */
export function englishLiterals(source: string, file = 'view'): Finding[] {
  const findings: Finding[] = [];
  let text = source.replace(/\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}/g, blank);
  // Render arguments that must be catalogue keys.
  for (const tag of text.matchAll(/\{%-?\s*render\s+'[^']+'([\s\S]*?)-?%\}/g)) {
    for (const argument of KEY_ARGUMENTS) {
      const literal = new RegExp(`(?:^|[\\s,])${argument}:\\s*'([^']*)'`).exec(tag[1])?.[1];
      if (literal !== undefined && !KEY_PATTERN.test(literal))
        findings.push({ file, line: lineOf(text, tag.index), text: `${argument}: '${literal}'` });
    }
  }
  // Liquid is data or logic, never text: blank it out, leaving the HTML.
  text = text.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, blank);
  text = text.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, (block) => blank(block));
  for (const attribute of READ_ATTRIBUTES) {
    for (const match of text.matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, 'g'))) {
      if (englishWords(match[1]).length)
        findings.push({ file, line: lineOf(text, match.index), text: `${attribute}="${match[1].trim()}"` });
    }
  }
  const textNodes = text.replace(/<!--[\s\S]*?-->/g, blank).replace(/<[^>]*>/g, (tag) => blank(tag));
  for (const match of textNodes.matchAll(/[^\s][^\n]*/g)) {
    const words = englishWords(match[0].replace(/&[a-z]+;|&#\d+;/g, ' '));
    if (words.length) findings.push({ file, line: lineOf(textNodes, match.index), text: match[0].trim() });
  }
  return findings;
}

/** Catalogue keys a view uses: `'key' | t`, render arguments given as keys, and prefixes of keys built with append. */
export function keysOfView(source: string): { keys: Set<string>; prefixes: Set<string> } {
  const keys = new Set<string>();
  const prefixes = new Set<string>();
  for (const match of source.matchAll(/'([^'\s]+)'\s*\|\s*t\b/g)) keys.add(match[1]);
  for (const match of source.matchAll(/'([a-z][\w]*\.(?:[\w-]+\.)*)'\s*\|\s*append:/g)) prefixes.add(match[1]);
  // A key assigned to a variable and handed on (`{% assign caption = 'deadlines.list.captionLatest' %}`).
  for (const match of source.matchAll(/\{%-?\s*assign\s+\w+\s*=\s*'([a-z][\w-]*(?:\.[\w-]+)+)'\s*-?%\}/g))
    keys.add(match[1]);
  for (const tag of source.matchAll(/\{%-?\s*render\s+'[^']+'([\s\S]*?)-?%\}/g))
    for (const argument of KEY_ARGUMENTS) {
      const literal = new RegExp(`(?:^|[\\s,])${argument}:\\s*'([^']*)'`).exec(tag[1])?.[1];
      if (literal && KEY_PATTERN.test(literal)) keys.add(literal);
    }
  return { keys, prefixes };
}

/**
 * Catalogue keys code uses: calls `t('key')`, `translate(language, 'key')`, `pages.t('key')`, `withMessage('key')`,
 * structured messages `key: 'key'` (a field error's catalogue message, a timeline line) and any literal
 * `'<context>.refusal.<name>'` (a refusal's message handed to a helper): all checked to exist;
 * and any string literal that is a key or a template literal's prefix (`` `caseStatus.${status}` ``): lists of keys
 * (the navigation, headings by status) count as uses.
 */
export function keysOfCode(source: string): { called: Set<string>; literals: Set<string>; prefixes: Set<string> } {
  const called = new Set<string>();
  const literals = new Set<string>();
  const prefixes = new Set<string>();
  const key = String.raw`'([a-z][\w-]*(?:\.[\w-]+)+)'`;
  for (const match of source.matchAll(
    new RegExp(String.raw`\bt\(\s*${key}|\btranslate\([^,()]+,\s*${key}|\bwithMessage\(\s*${key}|\bkey:\s*${key}`, 'g'),
  ))
    called.add(match[1] ?? match[2] ?? match[3] ?? match[4]);
  // A refusal's message handed to a helper (`refuse(message, 'documents.refusal.tooMany')`): named so, it is a use.
  for (const match of source.matchAll(/'([a-z][\w]*(?:\.[\w-]+)*\.refusal\.[\w-]+)'/g)) called.add(match[1]);
  for (const match of source.matchAll(/'([a-z][\w]*(?:\.[\w-]+)+)'/g)) literals.add(match[1]);
  for (const match of source.matchAll(/`([a-z][\w]*\.(?:[\w-]+\.)*)\$\{/g)) prefixes.add(match[1]);
  // A prefix handed to labelsOf / prefixedOptions ('caseType.').
  for (const match of source.matchAll(/'([a-z][\w]*\.(?:[\w-]+\.)*)'/g)) prefixes.add(match[1]);
  return { called, literals, prefixes };
}

/** The object literal opening at `start` (a `{`), strings and template literals skipped; to the end when unclosed. */
function objectLiteralAt(source: string, start: number): string {
  let depth = 0;
  for (let index = start; index < source.length; index++) {
    const char = source[index];
    if (char === "'" || char === '"') {
      for (index++; index < source.length && source[index] !== char; index++) if (source[index] === '\\') index++;
    } else if (char === '`') {
      for (index++; index < source.length && source[index] !== '`'; index++) {
        if (source[index] === '\\') index++;
        else if (source[index] === '$' && source[index + 1] === '{') {
          let inner = 1;
          for (index += 2; index < source.length && inner > 0; index++)
            inner += source[index] === '{' ? 1 : source[index] === '}' ? -1 : 0;
          index--;
        }
      }
    } else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return source.slice(start, index + 1);
  }
  return source.slice(start);
}

/**
 * Field errors a service raises without a catalogue message: object literals `{ field, message }` with neither
 * `key` nor a spread (`...offsetRefusal(offset)` brings one). Their English would reach pages and API callers of
 * every language.
 */
export function unkeyedFieldErrors(source: string, file = 'code'): Finding[] {
  const findings: Finding[] = [];
  for (const match of source.matchAll(/\{\s*field[\s,:]/g)) {
    const literal = objectLiteralAt(source, match.index);
    if (/\bmessage\b/.test(literal) && !/\bkey\b|\.\.\./.test(literal))
      findings.push({ file, line: lineOf(source, match.index), text: literal.replace(/\s+/g, ' ').slice(0, 120) });
  }
  return findings;
}

/** The ICU arguments of a message (`{count, plural, …}` → count), to compare a translation with the English. */
export function argumentsOf(message: string): string[] {
  type Element = { type: number; value?: unknown; options?: Record<string, { value: Element[] }> };
  const names = new Set<string>();
  const visit = (elements: Element[]): void => {
    for (const element of elements) {
      // 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural (0 literal, 7 #, 8 tag)
      if (element.type >= 1 && element.type <= 6 && typeof element.value === 'string') names.add(element.value);
      for (const option of Object.values(element.options ?? {})) visit(option.value);
    }
  };
  visit(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst() as Element[]);
  return [...names].sort();
}

export const relativeTo = (root: string, file: string): string => relative(root, file);

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}
