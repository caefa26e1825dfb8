import { IANAZone } from 'luxon';
import type { Template } from 'liquidjs';
import { intlLocale } from './dates.js';
import { issueFromError, inspectLetter } from './diagnostics.js';
import { LETTER_PARTS, createEngine, type LetterPart } from './engine.js';
import type { LetterContext, RenderedLetter, TemplateIssue, TemplateSource } from './types.js';

export class TemplateRenderError extends Error {
  constructor(
    readonly issue: TemplateIssue,
    readonly part?: LetterPart,
  ) {
    const where = [issue.file, issue.line, issue.column].filter((x) => x !== undefined).join(':');
    super(`${where}${part ? ` (${part})` : ''}: ${issue.message}`);
    this.name = 'TemplateRenderError';
  }
}

/** One line, no control characters: a CR or LF from any variable would start a new mail header. */
export function toSubjectLine(subject: string): string {
  return subject.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** Whitespace only: line endings, trailing blanks, runs of empty lines. Characters are kept as they are. */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Renders one locale of a template into a mail's subject, HTML body and text body.
 * Every value is HTML-escaped in the HTML body and left as it is in the text body.
 */
export async function renderLetter(source: TemplateSource, locale: string, context: LetterContext): Promise<RenderedLetter> {
  const file = `${locale}.liquid`;
  if (!Object.hasOwn(source.sources, locale)) {
    const available = Object.keys(source.sources).join(', ') || 'none';
    throw new TemplateRenderError({ file, message: `This template has no "${locale}" version (available: ${available})` });
  }
  const body = source.sources[locale]!;
  // A copy, so the template sees plain data only and nothing it does reaches the caller's objects.
  const globals = { ...structuredClone(context), locale };
  let dateLocale: string | undefined;
  try {
    dateLocale = intlLocale(locale);
  } catch {
    dateLocale = undefined;
  }
  const timeZone = IANAZone.isValidZone(context.authority.timeZone) ? context.authority.timeZone : undefined;

  const parsed = LETTER_PARTS.map((part) => {
    const engine = createEngine(part, source.layout, { timeZone, locale: dateLocale });
    try {
      return { part, engine, templates: engine.parse(body, file) as Template[] };
    } catch (error) {
      throw new TemplateRenderError(issueFromError(error, file), part);
    }
  });
  const structure = inspectLetter(parsed[0]!.templates, file);
  if (structure.issues.length) throw new TemplateRenderError(structure.issues[0]!);

  const output = {} as Record<LetterPart, string>;
  for (const { part, engine, templates } of parsed) {
    try {
      output[part] = String(await engine.render(templates, {}, { globals }));
    } catch (error) {
      throw new TemplateRenderError(issueFromError(error, file), part);
    }
  }

  const subject = toSubjectLine(output.subject);
  if (!subject) throw new TemplateRenderError({ file, message: 'The subject is empty' }, 'subject');
  return { subject, html: output.html.trim(), text: tidyText(output.text) };
}
