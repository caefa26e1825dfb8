import { LanguageContext, t, translate } from './context.js';
import { dateLocale, formattingLocale, languageOfLocale, negotiateLanguage } from './languages.js';

describe('languages', () => {
  it('negotiates Accept-Language by weight and primary subtag', () => {
    expect(negotiateLanguage('it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('it');
    expect(negotiateLanguage('es-ES, de-AT;q=0.5, en;q=0.4')).toBe('de');
    expect(negotiateLanguage('en;q=0.5, ko')).toBe('ko');
    expect(negotiateLanguage('ja;q=0, fr;q=0.1')).toBe('fr');
    expect(negotiateLanguage('es, pt')).toBe('en');
    expect(negotiateLanguage(undefined)).toBe('en');
    expect(negotiateLanguage('*')).toBe('en');
  });

  it('takes the language of a locale, English when there is no catalogue for it', () => {
    expect(languageOfLocale('it-IT')).toBe('it');
    expect(languageOfLocale('nl')).toBe('nl');
    expect(languageOfLocale('es-ES')).toBe('en');
    expect(languageOfLocale(null)).toBe('en');
  });

  it("formats in the authority's locale when it is in the user's language", () => {
    expect(formattingLocale('it', 'it-IT')).toBe('it-IT');
    expect(formattingLocale('en', 'de-DE')).toBe('en-GB');
    expect(formattingLocale('en', 'en-IE')).toBe('en-IE');
    // A bare `en` (the DPC's letter locale) writes dates day first, as in its letters.
    expect(formattingLocale('en', 'en')).toBe('en-GB');
    expect(formattingLocale('en', null)).toBe('en-GB');
    expect(dateLocale('en')).toBe('en-GB');
    expect(dateLocale('it-it')).toBe('it-IT');
    expect(() => dateLocale('not a locale')).toThrow(RangeError);
    expect(formattingLocale('ko', 'en-IE')).toBe('ko');
  });
});

describe('messages', () => {
  it('plural rules of each language through ICU MessageFormat', () => {
    expect(translate('en', 'daysLeft.left', { days: 1 })).toBe('1 day left');
    expect(translate('en', 'daysLeft.left', { days: 3 })).toBe('3 days left');
    expect(translate('en', 'daysLeft.left', { days: 0 })).toBe('due today');
    expect(translate('it', 'daysLeft.left', { days: 1 })).toBe('manca 1 giorno');
    expect(translate('ko', 'daysLeft.left', { days: 2 })).toBe('2일 남음');
    expect(translate('de', 'daysLeft.overdue', { days: 12 })).toBe('seit 12 Tagen überfällig');
  });

  it('follows the language of the request, English outside one', () => {
    expect(t('nav.cases')).toBe('Cases');
    expect(LanguageContext.run('ja', () => t('nav.deadlines'))).toBe('期限');
  });

  it('shows an unknown key as it is rather than failing the page', () => {
    expect(translate('fr', 'no.such.key')).toBe('no.such.key');
  });
});
