import { fileURLToPath } from 'node:url';
import { buildLetterContext, type LetterContextInput } from './context.js';
import { loadQuestionBank } from './questions.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates', import.meta.url));
const bank = await loadQuestionBank(TEMPLATES_DIR);

const garante = (overrides: Partial<LetterContextInput> = {}): LetterContextInput => ({
  locale: 'it',
  now: new Date('2025-01-28T09:00:00Z'),
  authority: {
    code: 'GPDP',
    name: 'Garante per la protezione dei dati personali',
    country: 'IT',
    locale: 'it',
    timeZone: 'Europe/Rome',
  },
  case: { reference: 'GPDP-2025-0001', title: 'DeepSeek', legalBasis: '  ', url: '' },
  organisation: { name: 'Hangzhou DeepSeek Artificial Intelligence Co., Ltd.' },
  recipient: { name: '', email: 'privacy@respondent.example' },
  questionBank: bank,
  questionIds: ['ai.collection.categories', 'ai.storage_location.countries'],
  deadline: { dueAt: '2025-02-17T22:59:59.999Z' },
  inquiry: { replyTo: 'inquiries@docket.example', sentAt: '2025-01-28T10:00:00+01:00' },
  ...overrides,
});

describe('buildLetterContext', () => {
  it('assembles the variables of an Italian letter', () => {
    const context = buildLetterContext(garante());
    expect(context.deadline).toEqual({
      dueDate: '2025-02-17',
      dueAt: '2025-02-17T23:59:59.999+01:00',
      formatted: '17 febbraio 2025',
      passed: false,
      daysRemaining: 20,
    });
    expect(context.questions.map((q) => [q.number, q.id])).toEqual([
      [1, 'ai.collection.categories'],
      [2, 'ai.storage_location.countries'],
    ]);
    expect(context.questions[1]!.text).toContain('Repubblica popolare cinese');
    expect(context.inquiry).toEqual({
      replyTo: 'inquiries@docket.example',
      sentAt: '2025-01-28T10:00:00.000+01:00',
      sentFormatted: '28 gennaio 2025',
    });
    expect(context.officer).toBeNull();
    expect(context.reminder).toBeNull();
  });

  it('turns blank values into null, because an empty string is truthy in Liquid', () => {
    const context = buildLetterContext(garante());
    expect(context.case.legalBasis).toBeNull();
    expect(context.case.url).toBeNull();
    expect(context.recipient).toEqual({ name: null, email: 'privacy@respondent.example' });
  });

  it.each([
    ['2025-02-10T09:00:00Z', false, 7],
    ['2025-02-17T22:00:00Z', false, 0],
    ['2025-02-17T22:59:59.999Z', true, 0],
    ['2025-02-17T23:30:00Z', true, -1],
    ['2025-02-20T09:00:00Z', true, -3],
  ])('at %s the deadline has passed: %s, days remaining: %i', (now, passed, daysRemaining) => {
    const context = buildLetterContext(garante({ now: new Date(now) }));
    expect(context.deadline.passed).toBe(passed);
    expect(context.deadline.daysRemaining).toBe(daysRemaining);
  });

  it('derives the due date in the authority zone, and keeps one it is given', () => {
    const seoul = { code: 'PIPC', name: '개인정보보호위원회', country: 'KR', locale: 'ko', timeZone: 'Asia/Seoul' };
    const context = buildLetterContext(
      garante({ locale: 'ko', authority: seoul, deadline: { dueAt: '2025-02-17T14:59:59.999Z' } }),
    );
    expect(context.deadline).toMatchObject({
      dueDate: '2025-02-17',
      dueAt: '2025-02-17T23:59:59.999+09:00',
      formatted: '2025년 2월 17일',
    });
    const given = buildLetterContext(
      garante({ deadline: { dueAt: new Date('2025-02-17T22:59:59.999Z'), dueDate: '2025-02-17' } }),
    );
    expect(given.deadline.dueDate).toBe('2025-02-17');
  });

  it('carries the reminder that triggered the message', () => {
    const context = buildLetterContext(garante({ reminder: { offset: 'P3D', audience: 'respondent' } }));
    expect(context.reminder).toEqual({ offset: 'P3D', audience: 'respondent' });
  });

  it('refuses questions it does not know', () => {
    expect(() => buildLetterContext(garante({ questionIds: ['ai.unknown.question'] }))).toThrow(
      'Unknown question id "ai.unknown.question"',
    );
  });
});
