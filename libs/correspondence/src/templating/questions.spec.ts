import { fileURLToPath } from 'node:url';
import {
  QUESTION_TOPICS,
  QuestionBankError,
  loadQuestionBank,
  localiseQuestions,
  parseQuestionBank,
  type QuestionBank,
} from './questions.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates', import.meta.url));
const bank = await loadQuestionBank(TEMPLATES_DIR);

/** A letter in a language must be written in that language's script, not left in English. */
const SCRIPT: Record<string, RegExp> = {
  en: /^(?=.*\b(the|of|and)\b)[\x20-\x7e“”]+$/,
  it: /^(?=.*\b(dei|delle|degli|di|che)\b)(?!.*\bthe\b)/,
  fr: /^(?=.*\b(les|des|vos|de)\b)(?!.*\bthe\b)/,
  ko: /[\uac00-\ud7a3]/,
  ja: /[\u3040-\u30ff]/,
  de: /^(?=.*\b(der|die|und|Sie)\b)(?!.*\bthe\b)/,
  nl: /^(?=.*\b(de|het|van|u)\b)(?!.*\bthe\b)/,
};

describe('the AI question bank in templates/questions.json', () => {
  it('has 15 to 20 questions with distinct stable ids', () => {
    expect(bank.questions.length).toBeGreaterThanOrEqual(15);
    expect(bank.questions.length).toBeLessThanOrEqual(20);
    const ids = bank.questions.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names each question ai.<topic>.<item>', () => {
    for (const q of bank.questions) expect(q.id).toMatch(new RegExp(`^ai\\.${q.topic}\\.[a-z_]+$`));
  });

  it('covers every topic', () => {
    expect(new Set(bank.questions.map((q) => q.topic))).toEqual(new Set(QUESTION_TOPICS));
  });

  it('is written in English, Italian, Korean, Japanese, French, German and Dutch', () => {
    expect(bank.locales).toEqual(['en', 'it', 'ko', 'ja', 'fr', 'de', 'nl']);
    for (const q of bank.questions) {
      expect(Object.keys(q.text).sort()).toEqual(['de', 'en', 'fr', 'it', 'ja', 'ko', 'nl']);
      for (const [locale, text] of Object.entries(q.text)) {
        expect(`${q.id} ${locale}: ${SCRIPT[locale]!.test(text)}`).toBe(`${q.id} ${locale}: true`);
        // Dutch requests are mostly put as questions ("Wilt u … vermelden?").
        expect(text).toMatch(locale === 'nl' ? /[.?]$/ : /[.。]$/);
        expect(text).toBe(text.trim());
      }
      expect(new Set(Object.values(q.text)).size).toBe(7);
    }
  });

  it('asks what the 2025 requests asked', () => {
    const en = (id: string) => bank.questions.find((q) => q.id === id)!.text.en;
    expect(en('ai.storage_location.countries')).toContain("People's Republic of China");
    expect(en('ai.transparency.scraping_notice')).toContain('non-registered users');
    expect(en('ai.training_use.opt_out')).toContain('opt out');
    expect(en('ai.minors.age_assurance')).toContain('age-verification');
    expect(en('ai.accuracy.hallucinations')).toContain('hallucinations');
    expect(bank.questions.find((q) => q.id === 'ai.transparency.scraping_notice')!.text.it).toContain(
      'utenti iscritti al servizio, quelli non iscritti',
    );
  });
});

describe('localiseQuestions', () => {
  it('numbers the chosen questions in order, in the letter locale', () => {
    const questions = localiseQuestions(bank, ['ai.retention.periods', 'ai.collection.categories'], 'ko');
    expect(questions.map((q) => [q.number, q.id, q.topic])).toEqual([
      [1, 'ai.retention.periods', 'retention'],
      [2, 'ai.collection.categories', 'collection'],
    ]);
    expect(questions[0]!.text).toMatch(/^프롬프트, 대화 기록/);
  });

  it('falls back from a regional locale to its language, never to another language', () => {
    expect(localiseQuestions(bank, ['ai.sources.origin'], 'it-CH')[0]!.text).toMatch(/^Per ciascuna categoria/);
    expect(localiseQuestions(bank, ['ai.sources.origin'], 'de-AT')[0]!.text).toMatch(/^Bitte geben Sie/);
    expect(() => localiseQuestions(bank, ['ai.sources.origin'], 'es')).toThrow(
      'Question "ai.sources.origin" has no text in locale "es"',
    );
  });

  it('refuses unknown and repeated ids', () => {
    expect(() => localiseQuestions(bank, ['ai.nothing.here'], 'en')).toThrow('Unknown question id "ai.nothing.here"');
    expect(() => localiseQuestions(bank, ['ai.sources.origin', 'ai.sources.origin'], 'en')).toThrow(
      'Question listed twice: ai.sources.origin',
    );
  });
});

describe('parseQuestionBank', () => {
  const valid: QuestionBank = {
    version: 1,
    locales: ['en', 'it'],
    questions: [
      { id: 'ai.collection.categories', topic: 'collection', text: { en: 'Which data?', it: 'Quali dati?' } },
    ],
  };

  it('accepts a well-formed bank', () => {
    expect(parseQuestionBank(structuredClone(valid))).toEqual(valid);
  });

  it('reports every problem at once', () => {
    const broken = {
      version: 0,
      locales: ['en', 'it'],
      questions: [
        { id: 'ai.collection.categories', topic: 'collection', text: { en: 'Which data?' } },
        { id: 'ai.collection.categories', topic: 'gossip', text: { en: 'Again?', it: ' ' } },
        { id: 'Bad Id', topic: 'rights', text: { en: 'x', it: 7 } },
      ],
    };
    let error: QuestionBankError | undefined;
    try {
      parseQuestionBank(broken);
    } catch (e) {
      error = e as QuestionBankError;
    }
    expect(error).toBeInstanceOf(QuestionBankError);
    expect(error!.problems).toEqual([
      '"version" must be a positive integer',
      'questions[0] (ai.collection.categories): no "it" text',
      'questions[1] (ai.collection.categories): duplicate id',
      `questions[1] (ai.collection.categories): "topic" must be one of ${QUESTION_TOPICS.join(', ')}`,
      'questions[1] (ai.collection.categories): no "it" text',
      'questions[2]: "id" must look like "ai.collection.categories"',
      'questions[2] (Bad Id): no "it" text',
      'questions[2] (Bad Id): "it" text must be a string',
    ]);
  });

  it('rejects something that is not a bank', () => {
    expect(() => parseQuestionBank([])).toThrow('The question bank must be a JSON object');
    expect(() => parseQuestionBank({ version: 1, locales: [], questions: [] })).toThrow(
      /"locales" must be a non-empty array[\s\S]*"questions" must be a non-empty array/,
    );
  });
});
