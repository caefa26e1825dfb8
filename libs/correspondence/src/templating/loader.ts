import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOffset } from '#docket/calendar';
import { intlLocale } from './dates.js';
import { LAYOUT_FILE_PATTERN } from './engine.js';
import { findQuestion, type QuestionBank } from './questions.js';
import {
  REMINDER_AUDIENCES,
  TEMPLATE_KINDS,
  type ReminderAudience,
  type ReminderDefault,
  type TemplateDefinition,
  type TemplateKind,
} from './types.js';
import { validateTemplateSource } from './validate.js';

export const LAYOUT_DIR = '_layout';
export const TEMPLATE_MANIFEST = 'template.json';

const KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LOCALE_FILE = /^(.+)\.liquid$/;
const MANIFEST_FIELDS = ['key', 'version', 'kind', 'description', 'locales', 'defaultQuestionIds', 'defaultReminders'];

export type TemplateManifest = Omit<TemplateDefinition, 'sources' | 'layout'>;

export class TemplateLoadError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}:\n- ${problems.join('\n- ')}` : message);
    this.name = 'TemplateLoadError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUniqueStrings(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.every((v) => typeof v === 'string' && v !== '') &&
    new Set(value).size === value.length
  );
}

/** Checks a parsed `template.json`; reports every problem at once. */
export function parseTemplateManifest(data: unknown, where = TEMPLATE_MANIFEST): TemplateManifest {
  if (!isRecord(data)) throw new TemplateLoadError(`${where} must be a JSON object`);
  const problems: string[] = [];
  for (const field of Object.keys(data)) {
    if (!MANIFEST_FIELDS.includes(field)) problems.push(`unknown field "${field}"`);
  }
  const { key, version, kind, description, locales, defaultQuestionIds, defaultReminders } = data;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key))
    problems.push('"key" must be lower-case words joined by hyphens, e.g. "ai-inquiry"');
  if (!Number.isInteger(version) || (version as number) < 1) problems.push('"version" must be a positive integer');
  if (!TEMPLATE_KINDS.includes(kind as TemplateKind))
    problems.push(`"kind" must be one of ${TEMPLATE_KINDS.join(', ')}`);
  if (typeof description !== 'string' || description.trim() === '')
    problems.push('"description" must be a non-empty string');
  if (!isUniqueStrings(locales) || locales.length === 0) {
    problems.push('"locales" must be a non-empty list of distinct locale codes');
  } else {
    for (const locale of locales) {
      try {
        intlLocale(locale);
      } catch {
        problems.push(`"${locale}" is not a valid locale code`);
      }
    }
  }
  if (!isUniqueStrings(defaultQuestionIds))
    problems.push('"defaultQuestionIds" must be a list of distinct question ids');
  const reminders: ReminderDefault[] = [];
  if (!Array.isArray(defaultReminders)) {
    problems.push('"defaultReminders" must be a list of {offset, audience}');
  } else {
    defaultReminders.forEach((reminder, i) => {
      const offset = isRecord(reminder) ? reminder.offset : undefined;
      const audience = isRecord(reminder) ? reminder.audience : undefined;
      if (typeof offset !== 'string' || parseOffset(offset) === null) {
        problems.push(
          `defaultReminders[${i}].offset must be an office offset such as "-P1WD@09:00" or a signed ISO 8601 duration such as "-P7D"`,
        );
      }
      if (!REMINDER_AUDIENCES.includes(audience as ReminderAudience)) {
        problems.push(`defaultReminders[${i}].audience must be one of ${REMINDER_AUDIENCES.join(', ')}`);
      }
      reminders.push({ offset: offset as string, audience: audience as ReminderAudience });
    });
  }
  if (problems.length) throw new TemplateLoadError(`Invalid ${where}`, problems);
  return {
    key: key as string,
    version: version as number,
    kind: kind as TemplateKind,
    description: description as string,
    locales: [...(locales as string[])],
    defaultQuestionIds: [...(defaultQuestionIds as string[])],
    defaultReminders: reminders,
  };
}

/** The shared layout and partials: `_layout/letter.html.liquid` becomes `letter.html`. */
export async function loadLayout(templatesDir: string): Promise<Record<string, string>> {
  const dir = join(templatesDir, LAYOUT_DIR);
  const layout: Record<string, string> = {};
  const problems: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const match = LOCALE_FILE.exec(entry.name);
    if (!entry.isFile() || !match) continue;
    if (!LAYOUT_FILE_PATTERN.test(match[1]!)) {
      problems.push(`${LAYOUT_DIR}/${entry.name}: name it like "letter.html.liquid" or "questions.txt.liquid"`);
      continue;
    }
    layout[match[1]!] = await readFile(join(dir, entry.name), 'utf8');
  }
  if (problems.length) throw new TemplateLoadError(`Invalid files in ${dir}`, problems);
  return layout;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new TemplateLoadError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

export interface LoadTemplateOptions {
  /** When given, every default question id must exist in it. */
  questionBank?: QuestionBank;
}

/**
 * Reads every `templates/<key>/` folder (a `template.json` and one `<locale>.liquid` per
 * declared locale) with the shared `_layout/`, and validates each template as the
 * template editor would. Sorted by key.
 */
export async function loadTemplateSources(
  templatesDir: string,
  options: LoadTemplateOptions = {},
): Promise<TemplateDefinition[]> {
  const layout = await loadLayout(templatesDir);
  const entries = (await readdir(templatesDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name));

  const definitions: TemplateDefinition[] = [];
  for (const entry of entries) {
    const dir = join(templatesDir, entry.name);
    const manifest = parseTemplateManifest(
      await readJson(join(dir, TEMPLATE_MANIFEST)),
      `${entry.name}/${TEMPLATE_MANIFEST}`,
    );
    const problems: string[] = [];
    if (manifest.key !== entry.name)
      problems.push(`key "${manifest.key}" differs from the folder name "${entry.name}"`);

    const sources: Record<string, string> = {};
    for (const file of (await readdir(dir)).sort()) {
      const match = LOCALE_FILE.exec(file);
      if (!match) continue;
      if (!manifest.locales.includes(match[1]!)) problems.push(`${file} is not declared in "locales"`);
      else sources[match[1]!] = await readFile(join(dir, file), 'utf8');
    }
    for (const locale of manifest.locales) {
      if (!(locale in sources)) problems.push(`locale "${locale}" is declared but ${locale}.liquid is missing`);
    }
    if (options.questionBank) {
      for (const id of manifest.defaultQuestionIds) {
        if (!findQuestion(options.questionBank, id))
          problems.push(`default question "${id}" is not in the question bank`);
      }
    }
    const definition: TemplateDefinition = { ...manifest, sources, layout: { ...layout } };
    if (!problems.length) {
      for (const issue of validateTemplateSource(definition).issues) {
        problems.push(`${issue.file}${issue.line ? `:${issue.line}:${issue.column}` : ''}: ${issue.message}`);
      }
    }
    if (problems.length) throw new TemplateLoadError(`Invalid template ${dir}`, problems);
    definitions.push(definition);
  }
  return definitions;
}
