import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LetterQuestion } from './types.js';

export const QUESTION_TOPICS = [
  'collection',
  'sources',
  'purposes',
  'legal_basis',
  'storage_location',
  'transfers',
  'retention',
  'training_use',
  'web_scraping',
  'transparency',
  'minors',
  'security',
  'rights',
  'representative',
  'accuracy',
] as const;
export type QuestionTopic = (typeof QUESTION_TOPICS)[number];

export interface Question {
  /** Stable id, e.g. `ai.collection.categories`; answers and sent letters refer to it. */
  id: string;
  topic: QuestionTopic;
  /** Locale → text of the question as it appears in a letter. */
  text: Record<string, string>;
}

export interface QuestionBank {
  version: number;
  /** Every question has a text in each of these locales. */
  locales: string[];
  questions: Question[];
}

export const QUESTION_BANK_FILE = 'questions.json';

const ID_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

export class QuestionBankError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}:\n- ${problems.join('\n- ')}` : message);
    this.name = 'QuestionBankError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the shape of a parsed `questions.json`; reports every problem at once. */
export function parseQuestionBank(data: unknown): QuestionBank {
  const problems: string[] = [];
  if (!isRecord(data)) throw new QuestionBankError('The question bank must be a JSON object');

  const version = data.version;
  if (!Number.isInteger(version) || (version as number) < 1) problems.push('"version" must be a positive integer');

  const locales = data.locales;
  const localeList =
    Array.isArray(locales) && locales.length > 0 && locales.every((l) => typeof l === 'string' && l.length > 0)
      ? (locales as string[])
      : null;
  if (!localeList) problems.push('"locales" must be a non-empty array of locale codes');

  const rawQuestions = data.questions;
  const questions: Question[] = [];
  if (!Array.isArray(rawQuestions) || rawQuestions.length === 0) {
    problems.push('"questions" must be a non-empty array');
  } else {
    const seen = new Set<string>();
    rawQuestions.forEach((raw, index) => {
      const where = `questions[${index}]`;
      if (!isRecord(raw)) {
        problems.push(`${where} must be an object`);
        return;
      }
      const { id, topic, text } = raw;
      const label = typeof id === 'string' ? `${where} (${id})` : where;
      if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
        problems.push(`${where}: "id" must look like "ai.collection.categories"`);
      } else if (seen.has(id)) {
        problems.push(`${label}: duplicate id`);
      } else {
        seen.add(id);
      }
      if (!QUESTION_TOPICS.includes(topic as QuestionTopic)) {
        problems.push(`${label}: "topic" must be one of ${QUESTION_TOPICS.join(', ')}`);
      }
      if (!isRecord(text)) {
        problems.push(`${label}: "text" must map locales to strings`);
        return;
      }
      for (const locale of localeList ?? []) {
        const value = text[locale];
        if (typeof value !== 'string' || value.trim() === '') problems.push(`${label}: no "${locale}" text`);
      }
      for (const [locale, value] of Object.entries(text)) {
        if (typeof value !== 'string') problems.push(`${label}: "${locale}" text must be a string`);
      }
      questions.push({
        id: id as string,
        topic: topic as QuestionTopic,
        text: { ...(text as Record<string, string>) },
      });
    });
  }

  if (problems.length) throw new QuestionBankError('Invalid question bank', problems);
  return { version: version as number, locales: localeList!, questions };
}

/** Reads `<templatesDir>/questions.json`. */
export async function loadQuestionBank(templatesDir: string): Promise<QuestionBank> {
  const file = join(templatesDir, QUESTION_BANK_FILE);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new QuestionBankError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  return parseQuestionBank(data);
}

export function findQuestion(bank: QuestionBank, id: string): Question | undefined {
  return bank.questions.find((q) => q.id === id);
}

/** `it-CH` falls back to `it`; there is deliberately no fallback to another language. */
function questionText(question: Question, locale: string): string | undefined {
  if (Object.hasOwn(question.text, locale)) return question.text[locale];
  const language = locale.split('-')[0]!;
  return Object.hasOwn(question.text, language) ? question.text[language] : undefined;
}

/** The questions of a letter, numbered from 1 in the given order, with their text in `locale`. */
export function localiseQuestions(bank: QuestionBank, ids: readonly string[], locale: string): LetterQuestion[] {
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length) throw new QuestionBankError(`Question listed twice: ${[...new Set(duplicates)].join(', ')}`);
  return ids.map((id, index) => {
    const question = findQuestion(bank, id);
    if (!question) throw new QuestionBankError(`Unknown question id "${id}"`);
    const text = questionText(question, locale);
    if (text === undefined) throw new QuestionBankError(`Question "${id}" has no text in locale "${locale}"`);
    return { number: index + 1, id: question.id, topic: question.topic, text };
  });
}
