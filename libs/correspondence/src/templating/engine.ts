import { Liquid, type Context, type FilterImplOptions } from 'liquidjs';

/**
 * A letter file is rendered three times, once per part. Each part has its own engine
 * because output escaping is fixed when a template is parsed, and its own file
 * extension, so `{% layout 'letter' %}` and `{% render 'questions' %}` pick `letter.html`
 * for the HTML body and `letter.txt` for the text body.
 */
export type LetterPart = 'subject' | 'html' | 'text';
export const LETTER_PARTS: readonly LetterPart[] = ['subject', 'html', 'text'];

const EXTENSIONS: Record<LetterPart, string> = { subject: '.subject', html: '.html', text: '.txt' };

/** The subject pass swaps every layout for this, so only the subject block is rendered. */
const SUBJECT_LAYOUT = '{% block subject %}{% endblock %}';

/**
 * Limits for templates written by staff. A letter renders in a few milliseconds and
 * allocates a few kilobytes; a loop bomb hits the memory limit (ranges, every output and
 * every literal text are charged to it) or, failing that, the step limit.
 */
export const RENDER_LIMITS = {
  /** Characters in one file. */
  parseLimit: 200_000,
  /**
   * Steps (nodes and loop rounds rendered) for a whole letter (its three parts), or for a whole preview of every
   * locale: 0.25 to 1 second of rendering on an idle machine (empty loop rounds to conditions and outputs), 400 times
   * what the largest preview takes (2,500 for the 7 locales of ai-inquiry). Work, not time, so a busy machine renders
   * what an idle one does.
   */
  renderSteps: 1_000_000,
  /** Milliseconds of rendering past which a letter is stopped even within its steps: a node can be costly. */
  renderBackstopMs: 10_000,
  /** Liquid's allocation units (≈ characters and array items) per part: this bounds each part's output too. */
  memoryLimit: 1_000_000,
} as const;

/**
 * liquidjs charges what it outputs or builds (values, filters, ranges) to the memory limit, but not a
 * template's literal text: a loop around a long literal produced 450 MB in 230 ms within every limit.
 * Literal text is charged here too, on the one class liquidjs renders it with (shared by every engine of
 * the process; the pages' engine has no limit, so it only counts there).
 */
let literalCharged = false;
function chargeLiteralText(): void {
  if (literalCharged) return;
  const literal = new Liquid().parse('x')[0] as unknown as object;
  const prototype = Object.getPrototypeOf(literal) as { render: unknown };
  if (typeof (literal as { str?: unknown }).str !== 'string' || !Object.hasOwn(prototype, 'render')) {
    throw new Error('liquidjs renders literal text differently than this version expects: check chargeLiteralText');
  }
  // Replaces (does not wrap) liquidjs's `*render(ctx, emitter) { emitter.write(this.str) }`: the same, charged.
  prototype.render = function* render(
    this: { str: string },
    context: Context,
    emitter: { write(html: unknown): void },
  ) {
    context.memoryLimit.use(this.str.length);
    emitter.write(this.str);
  };
  literalCharged = true;
}

/** What a template author reads when a render ran out of steps (or, rarely, hit the backstop). */
export const timeLimitMessage = (): string =>
  `Time limit exceeded: rendering took longer than 1 second of work (${RENDER_LIMITS.renderSteps.toLocaleString('en')} tags, values and loop rounds); make loops shorter or remove them`;

export const LAYOUT_FILE_PATTERN = /^[a-z0-9][a-z0-9_-]*\.(html|txt)$/;

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

/** Text output is not escaped but, like escaped HTML output, is charged to the memory limit. */
function chargedPlainOutput(this: { context: Context }, value: unknown): string {
  const text = stringify(value);
  this.context.memoryLimit.use(text.length);
  return text;
}

/** The in-memory files one part may read: nothing else is reachable, there is no file system. */
export function partFiles(part: LetterPart, layout: Readonly<Record<string, string>>): Record<string, string> {
  const files: Record<string, string> = Object.create(null);
  for (const [name, content] of Object.entries(layout)) {
    if (!LAYOUT_FILE_PATTERN.test(name)) continue;
    const dot = name.lastIndexOf('.');
    if (part === 'subject') files[name.slice(0, dot) + EXTENSIONS.subject] = SUBJECT_LAYOUT;
    else if (name.slice(dot) === EXTENSIONS[part]) files[name] = content;
  }
  return files;
}

export interface EngineOptions {
  /** IANA zone for Liquid's own `date` filter. */
  timeZone?: string;
  /** Intl locale for Liquid's own `date` filter. */
  locale?: string;
}

export function createEngine(
  part: LetterPart,
  layout: Readonly<Record<string, string>>,
  options: EngineOptions = {},
): Liquid {
  chargeLiteralText();
  const engine = new Liquid({
    templates: partFiles(part, layout),
    extname: EXTENSIONS[part],
    ownPropertyOnly: true,
    strictFilters: true,
    // A typo must fail the preview, not send a letter with a blank in it.
    strictVariables: true,
    lenientIf: true,
    // Layouts and partials are parsed once per engine; an engine belongs to one layout version.
    cache: true,
    outputEscape: part === 'html' ? 'escape' : (chargedPlainOutput as (value: unknown) => string),
    parseLimit: RENDER_LIMITS.parseLimit,
    memoryLimit: RENDER_LIMITS.memoryLimit,
    ...(options.timeZone ? { timezoneOffset: options.timeZone } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
  });
  // `raw` would switch escaping off; here it is an ordinary pass-through, so escaping still applies.
  engine.registerFilter('raw', { handler: (value: unknown) => value, raw: false } as FilterImplOptions);
  return engine;
}
