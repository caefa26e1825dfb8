import { assert, Context, type Liquid, type Template } from 'liquidjs';
import { intlLocale, isKnownTimeZone } from './dates.js';
import { issueFromError, inspectLetter } from './diagnostics.js';
import {
  LETTER_PARTS,
  RENDER_LIMITS,
  createEngine,
  timeLimitMessage,
  type EngineOptions,
  type LetterPart,
} from './engine.js';
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

interface ParsedPart {
  part: LetterPart;
  engine: Liquid;
  templates: Template[];
}

/**
 * Parsed letters by layout, then by file, body and date settings. Parsing (three engines, three passes)
 * costs several times more than rendering; both are pure, and a parsed template renders any number of
 * times, so every letter of the same template version is parsed once.
 */
const parsedLetters = new WeakMap<Readonly<Record<string, string>>, Map<string, ParsedPart[]>>();
const PARSED_LETTERS_PER_LAYOUT = 500;

function parseLetter(
  layout: Readonly<Record<string, string>>,
  body: string,
  file: string,
  options: EngineOptions,
): ParsedPart[] {
  let cache = parsedLetters.get(layout);
  if (!cache) parsedLetters.set(layout, (cache = new Map()));
  const key = [options.timeZone ?? '', options.locale ?? '', file, body].join('\u0000');
  const cached = cache.get(key);
  if (cached) return cached;
  const parsed = LETTER_PARTS.map((part) => {
    const engine = createEngine(part, layout, options);
    try {
      return { part, engine, templates: engine.parse(body, file) as Template[] };
    } catch (error) {
      throw new TemplateRenderError(issueFromError(error, file), part);
    }
  });
  const structure = inspectLetter(parsed[0]!.templates, file);
  if (structure.issues.length) throw new TemplateRenderError(structure.issues[0]!);
  if (cache.size >= PARSED_LETTERS_PER_LAYOUT) cache.delete(cache.keys().next().value as string);
  cache.set(key, parsed);
  return parsed;
}

export interface RenderBudget {
  /**
   * Steps of rendering left (see stepLimit): several letters (a preview of every locale) can share one. Parsing,
   * bounded by the parse limit, does not count.
   */
  remainingSteps: number;
  /** Milliseconds of rendering left before the backstop: far more than any letter takes on a loaded machine. */
  remainingMs: number;
}

/** The work one letter, or one job of several, may do. */
export const renderBudget = (): RenderBudget => ({
  remainingSteps: RENDER_LIMITS.renderSteps,
  remainingMs: RENDER_LIMITS.renderBackstopMs,
});

/**
 * liquidjs's render limit reads the wall clock, so a busy machine failed legitimate letters. liquidjs asks its limit
 * once per node rendered and once per block (every loop round, even an empty one): counting those asks measures
 * the work itself, the same on any machine. One node can still be costly (an expression as long as the parse limit
 * allows), which the wall-clock backstop stops.
 */
function stepLimit(budget: RenderBudget): { check(now: number): void; use(): void } {
  const deadline = performance.now() + budget.remainingMs;
  return {
    check(now) {
      budget.remainingSteps -= 1;
      assert(budget.remainingSteps >= 0 && now <= deadline, 'template render limit exceeded');
    },
    use() {},
  };
}

/**
 * Renders one locale of a template into a mail's subject, HTML body and text body.
 * Every value is HTML-escaped in the HTML body and left as it is in the text body.
 * The three parts share one budget of work; each part has the memory limit, which bounds its output.
 */
export async function renderLetter(
  source: TemplateSource,
  locale: string,
  context: LetterContext,
  budget: RenderBudget = renderBudget(),
): Promise<RenderedLetter> {
  const file = `${locale}.liquid`;
  if (!Object.hasOwn(source.sources, locale)) {
    const available = Object.keys(source.sources).join(', ') || 'none';
    throw new TemplateRenderError({
      file,
      message: `This template has no "${locale}" version (available: ${available})`,
    });
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
  const timeZone = isKnownTimeZone(context.authority.timeZone) ? context.authority.timeZone : undefined;
  const parsed = parseLetter(source.layout, body, file, { timeZone, locale: dateLocale });

  const output = {} as Record<LetterPart, string>;
  for (const { part, engine, templates } of parsed) {
    if (budget.remainingSteps <= 0 || budget.remainingMs <= 0)
      throw new TemplateRenderError({ file, message: timeLimitMessage() }, part);
    const started = performance.now();
    // liquidjs calls only check() and use() of its render limit.
    const limits = { liquid: engine, renderLimit: stepLimit(budget) as never };
    try {
      // Synchronous: the parts have nothing to wait for, and the asynchronous render makes a promise
      // per node, which costs more than the rendering itself.
      output[part] = String(
        engine.renderSync(templates, new Context({}, engine.options, { globals, sync: true }, limits)),
      );
    } catch (error) {
      throw new TemplateRenderError(issueFromError(error, file), part);
    } finally {
      budget.remainingMs -= performance.now() - started;
    }
  }

  const subject = toSubjectLine(output.subject);
  if (!subject) throw new TemplateRenderError({ file, message: 'The subject is empty' }, 'subject');
  return { subject, html: output.html.trim(), text: tidyText(output.text) };
}
