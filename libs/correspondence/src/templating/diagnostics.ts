import { BlockTag, LayoutTag, LiquidError, Tag, TokenKind, Value, toValueSync, type Template } from 'liquidjs';
import { RENDER_LIMITS, timeLimitMessage } from './engine.js';
import type { TemplateIssue } from './types.js';

export const LETTER_BLOCKS = ['subject', 'html', 'text'] as const;
export type LetterBlock = (typeof LETTER_BLOCKS)[number];

/** Tags allowed between the blocks of a letter; they produce no output there. */
const TAGS_OUTSIDE_BLOCKS = new Set(['assign', 'capture', 'comment', '#']);

/** Names the file of an issue as a person editing the template sees it. */
export function fileLabel(file: string | undefined, fallback: string): string {
  if (!file) return fallback;
  return file.endsWith('.liquid') ? file : `_layout/${file}`;
}

function lineAndColumn(input: string, offset: number): { line: number; column: number } {
  const lines = input.slice(0, offset).split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/** Where a node starts; for literal text, where its first visible character is. */
function position(template: Template): { line: number; column: number } {
  const { token } = template;
  if (token.kind === TokenKind.HTML) {
    const leading = /^\s*/.exec(token.getText())![0].length;
    return lineAndColumn(token.input, token.begin + leading);
  }
  const [line, column] = token.getPosition() as [number, number];
  return { line, column };
}

/** Rewrites liquidjs's messages that do not tell a template author what to do. */
function explain(message: string): string {
  const lookup = /Failed to lookup "([^"]+)"/.exec(message);
  if (lookup) return `No layout or partial named "${lookup[1]}": only the files in _layout/ can be used`;
  const tag = /^tag "(\w+)" not found$/.exec(message);
  if (tag?.[1]!.startsWith('end')) {
    const name = tag[1]!;
    return `Unexpected {% ${name} %}: a tag opened before it is not closed, or there is no {% ${name.slice(3)} %} for it to close`;
  }
  if (tag) return `Unknown tag {% ${tag[1]} %}`;
  // Rendering is synchronous, so a partial that renders itself ends on the stack's limit.
  if (/^memory alloc limit exceeded/.test(message)) {
    return `Size limit exceeded: the letter would need more than ${RENDER_LIMITS.memoryLimit.toLocaleString('en')} characters of text and values; make loops shorter or repeat less text`;
  }
  if (/^template render limit exceeded/.test(message)) return timeLimitMessage();
  if (/^parse length limit exceeded/.test(message))
    return `Length limit exceeded: a file may have at most ${RENDER_LIMITS.parseLimit.toLocaleString('en')} characters`;
  if (/Maximum call stack size exceeded/.test(message))
    return 'Nesting limit exceeded: layouts and partials include each other too deeply';
  if (/^expected "\|" before filter/i.test(message)) {
    return 'Unexpected text inside {{ … }}: a filter must follow "|", or the closing }} is missing';
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Turns a liquidjs error into one positioned issue with a message without liquidjs's location suffix. */
export function issueFromError(error: unknown, fallbackFile: string): TemplateIssue {
  if (!(error instanceof LiquidError)) {
    return { file: fallbackFile, message: explain(error instanceof Error ? error.message : String(error)) };
  }
  let innermost: LiquidError = error;
  while (innermost.originalError instanceof LiquidError) innermost = innermost.originalError;
  const cause = innermost.originalError ?? innermost;
  const issue: TemplateIssue = {
    file: fileLabel(innermost.token?.file, fallbackFile),
    message: explain(cause.message.replace(/,? ?(file:[^,]*, )?line:\d+, col:\d+$/, '')),
  };
  const at = innermost.token?.getPosition();
  if (at) [issue.line, issue.column] = at as [number, number];
  return issue;
}

function isBlank(template: Template): boolean {
  if (template.token.kind === TokenKind.HTML) return template.token.getText().trim() === '';
  return template instanceof Tag && (template.name === 'comment' || template.name === '#');
}

export interface LetterStructure {
  layout: string | null;
  blocks: Map<LetterBlock, BlockTag>;
  issues: TemplateIssue[];
}

/**
 * A letter file is `{% layout 'name' %}` followed by the blocks `subject`, `html` and
 * `text`. Anything else would silently disappear or leak into the wrong part.
 */
export function inspectLetter(templates: Template[], file: string): LetterStructure {
  const issues: TemplateIssue[] = [];
  const blocks = new Map<LetterBlock, BlockTag>();
  const significant = templates.filter((t) => !isBlank(t));
  const layout = significant[0];
  if (!(layout instanceof LayoutTag)) {
    issues.push({
      file,
      ...(layout ? position(layout) : {}),
      message:
        "A letter must start with {% layout 'letter' %} (or another layout in _layout/), followed by the blocks subject, html and text",
    });
    return { layout: null, blocks, issues };
  }
  const layoutName = typeof layout.file === 'string' ? layout.file : null;
  if (layoutName === null) {
    issues.push({
      file,
      ...position(layout),
      message: "The layout must be named in quotes, e.g. {% layout 'letter' %}",
    });
  }
  let strayContent = false;
  for (const template of layout.templates) {
    if (isBlank(template)) continue;
    if (template instanceof BlockTag) {
      const name = template.block as LetterBlock;
      if (!LETTER_BLOCKS.includes(name)) {
        issues.push({
          file,
          ...position(template),
          message: `Unknown block "${template.block}": a letter has the blocks subject, html and text`,
        });
      } else if (blocks.has(name)) {
        issues.push({ file, ...position(template), message: `The block "${name}" is defined twice` });
      } else {
        blocks.set(name, template);
      }
    } else if (template instanceof Tag && TAGS_OUTSIDE_BLOCKS.has(template.name)) {
      continue;
    } else if (!strayContent) {
      strayContent = true;
      issues.push({
        file,
        ...position(template),
        message: 'Content outside the subject, html and text blocks is never shown: move it into a block',
      });
    }
  }
  for (const name of LETTER_BLOCKS) {
    if (!blocks.has(name))
      issues.push({
        file,
        ...position(layout),
        message: `Missing block "${name}": add {% block ${name} %}…{% endblock %}`,
      });
  }
  return { layout: layoutName, blocks, issues };
}

/** Every node of a parsed template, depth first, without following partials. */
export function* walkTemplates(templates: readonly Template[]): Generator<Template> {
  for (const template of templates) {
    yield template;
    if (template.children) yield* walkTemplates(toValueSync(template.children(false, true)));
  }
}

/** `raw` cannot switch escaping off (the engines neutralise it), but using it is always a mistake. */
export function rawFilterIssues(templates: readonly Template[], file: string): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const template of walkTemplates(templates)) {
    for (const argument of template.arguments?.() ?? []) {
      if (argument instanceof Value && argument.filters.some((f) => f.name === 'raw')) {
        issues.push({
          file,
          ...position(template),
          message: 'The raw filter is not allowed: every value is escaped in the HTML body',
        });
      }
    }
  }
  return issues;
}

const UNSAFE_HTML: ReadonlyArray<[RegExp, string]> = [
  [/<\s*script\b/i, 'a <script> element'],
  [/<\s*(iframe|object|embed|frame|frameset)\b/i, 'an embedded frame or object'],
  [/\son[a-z]+\s*=/i, 'an event-handler attribute (on…=)'],
  [/javascript\s*:/i, 'a javascript: URL'],
];

/** Letters are read in mail clients and on the Outbox page: their HTML must stay inert. */
export function unsafeHtmlIssues(templates: readonly Template[], file: string): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const template of walkTemplates(templates)) {
    if (template.token.kind !== TokenKind.HTML) continue;
    const { input, begin } = template.token;
    const text = template.token.getText();
    for (const [pattern, what] of UNSAFE_HTML) {
      const match = pattern.exec(text);
      if (match)
        issues.push({
          file,
          ...lineAndColumn(input, begin + match.index),
          message: `HTML in a template must not contain ${what}`,
        });
    }
  }
  return issues;
}
