import type { Liquid, Template } from 'liquidjs';
import { intlLocale } from './dates.js';
import { fileLabel, inspectLetter, issueFromError, rawFilterIssues, unsafeHtmlIssues } from './diagnostics.js';
import { LAYOUT_FILE_PATTERN, RENDER_LIMITS, createEngine, type LetterPart } from './engine.js';
import type { TemplateIssue, TemplateSource, TemplateValidationResult } from './types.js';
import { checkVariablePath } from './variables.js';

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** `name` is the file's name for liquidjs (`it.liquid`, `letter.html`), `file` the one shown to people. */
function parse(
  engine: Liquid,
  content: string,
  name: string,
  file: string,
  issues: TemplateIssue[],
): Template[] | null {
  if (content.length > RENDER_LIMITS.parseLimit) {
    issues.push({
      file,
      message: `The file is too long (${content.length} characters; at most ${RENDER_LIMITS.parseLimit})`,
    });
    return null;
  }
  try {
    return engine.parse(content, name) as Template[];
  } catch (error) {
    issues.push(issueFromError(error, file));
    return null;
  }
}

/** Reads the variables the letter uses through its layout and partials, and checks each one. */
function variableIssues(engine: Liquid, templates: Template[], file: string): TemplateIssue[] {
  let globals;
  try {
    globals = engine.analyzeSync(templates, { partials: true }).globals;
  } catch (error) {
    return [issueFromError(error, file)];
  }
  const issues: TemplateIssue[] = [];
  for (const occurrences of Object.values(globals)) {
    for (const variable of occurrences) {
      const problem = checkVariablePath(variable.segments);
      if (problem) {
        issues.push({
          file: fileLabel(variable.location.file, file),
          line: variable.location.row,
          column: variable.location.col,
          message: problem,
        });
      }
    }
  }
  return issues;
}

function dedupe(issues: TemplateIssue[]): TemplateIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.file}|${issue.line}|${issue.column}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Checks a template version without rendering it: syntax, the letter's structure, the
 * layouts and partials it names, the variables it reads and unsafe HTML. Meant for the
 * page where staff edit templates; every problem is reported with its file and line.
 */
export function validateTemplateSource(source: TemplateSource): TemplateValidationResult {
  const issues: TemplateIssue[] = [];
  if (!isStringRecord(source?.sources) || Object.keys(source.sources).length === 0) {
    issues.push({ file: 'template', message: 'A template needs at least one locale file' });
  }
  if (!isStringRecord(source?.layout)) {
    issues.push({ file: 'template', message: 'The layout must map file names to their contents' });
  }
  if (issues.length) return { valid: false, issues };

  const engines = {
    html: createEngine('html', source.layout),
    text: createEngine('text', source.layout),
  } satisfies Partial<Record<LetterPart, Liquid>>;

  for (const [name, content] of Object.entries(source.layout)) {
    const file = `_layout/${name}`;
    if (!LAYOUT_FILE_PATTERN.test(name)) {
      issues.push({ file, message: 'Layout and partial files are named like "letter.html" or "questions.txt"' });
      continue;
    }
    const isHtml = name.endsWith('.html');
    const templates = parse(isHtml ? engines.html : engines.text, content, name, file, issues);
    if (!templates) continue;
    issues.push(...rawFilterIssues(templates, file));
    if (isHtml) issues.push(...unsafeHtmlIssues(templates, file));
  }

  for (const [locale, content] of Object.entries(source.sources)) {
    const file = `${locale}.liquid`;
    try {
      intlLocale(locale);
    } catch {
      issues.push({ file, message: `"${locale}" is not a valid locale code (expected e.g. "en", "it", "pt-BR")` });
      continue;
    }
    const htmlTemplates = parse(engines.html, content, file, file, issues);
    if (!htmlTemplates) continue;
    const structure = inspectLetter(htmlTemplates, file);
    issues.push(...structure.issues);
    issues.push(...rawFilterIssues(htmlTemplates, file));
    for (const name of ['subject', 'html'] as const) {
      const block = structure.blocks.get(name);
      if (block) issues.push(...unsafeHtmlIssues([block], file));
    }
    if (structure.issues.length) continue;
    issues.push(...variableIssues(engines.html, htmlTemplates, file));
    const textTemplates = parse(engines.text, content, file, file, issues);
    if (textTemplates) issues.push(...variableIssues(engines.text, textTemplates, file));
  }

  const unique = dedupe(issues);
  return { valid: unique.length === 0, issues: unique };
}
