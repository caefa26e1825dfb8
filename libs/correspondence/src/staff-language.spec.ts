import { byLanguage, staffLocale } from './inquiries.service.js';
import { questionErrors } from './questions.service.js';
import type { TemplateDefinition } from './templating/index.js';

const template = { locales: ['en', 'it', 'ko', 'ja', 'fr', 'de', 'nl'] } as TemplateDefinition;
const berlin = { locale: 'de' };

describe('the language of a staff notice', () => {
  it("is the user's own where there is one, else the authority's, as the template has it", () => {
    expect(staffLocale({ email: 'a@x', language: 'it' }, berlin, template)).toBe('it');
    expect(staffLocale({ email: 'a@x', language: null }, berlin, template)).toBe('de');
    expect(staffLocale({ email: 'a@x' }, { locale: 'it-IT' }, template)).toBe('it');
    // A language the template lacks: English, never a 500.
    expect(staffLocale({ email: 'a@x', language: 'es' }, berlin, template)).toBe('en');
  });

  it('groups recipients by that language, in the order first met', () => {
    const staff = [{ email: 'k@x', language: 'de' }, { email: 'g@x', language: 'it' }, { email: 'm@x' }];
    expect(
      [...byLanguage(staff, berlin, template)].map(([locale, users]) => [locale, users.map((u) => u.email)]),
    ).toEqual([
      ['de', ['k@x', 'm@x']],
      ['it', ['g@x']],
    ]);
  });
});

describe('a question of an authority', () => {
  it("needs its text in the authority's language (or its base language) and known topics and codes", () => {
    expect(questionErrors({ topic: 'minors', text: { de: 'Frage?' } }, 'de')).toEqual([]);
    expect(questionErrors({ topic: 'minors', text: { it: 'Domanda?' } }, 'it-IT')).toEqual([]);
    expect(questionErrors({ topic: 'minors', text: { en: 'Question?' } }, 'it-IT').map((error) => error.field)).toEqual(
      ['text.it'],
    );
    expect(questionErrors({ topic: 'minors', text: { en: 'Question?' } }, 'de')).toEqual([
      {
        field: 'text.de',
        message: 'a question of your authority needs its text in "de", your authority\'s language',
        key: 'questions.refusal.authorityLanguage',
        params: { language: 'de' },
      },
    ]);
    expect(
      questionErrors({ topic: 'weather', text: { de: ' ', 'de-!!': 'x', ['x'.repeat(2)]: 'y'.repeat(4001) } }, 'de')
        .map((error) => error.field)
        .sort(),
    ).toEqual(['text.de', 'text.de-!!', 'text.xx', 'topic']);
    expect(questionErrors({ topic: 'minors', text: {} }, 'de')).toEqual([
      {
        field: 'text',
        message: 'text must map at least one locale (e.g. "it") to the question',
        key: 'questions.refusal.noText',
      },
    ]);
  });
});
