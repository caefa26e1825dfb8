import { NotFoundException } from '@nestjs/common';
import { LanguageContext } from '#docket/i18n';
import { ValidationProblem } from '#docket/platform';
import { describeOffset } from './deadline-rows.js';
import { fieldErrorsOf, listOf, localeLabel, queryString, requireUuid, splitList } from './page-helpers.js';

describe('page helpers', () => {
  it('reads repeated form fields and comma-separated lists', () => {
    expect(listOf(['a', 'b'])).toEqual(['a', 'b']);
    expect(listOf('a')).toEqual(['a']);
    expect(listOf(undefined)).toEqual([]);
    expect(listOf(['a', 3, null])).toEqual(['a']);
    expect(splitList(' dpo@x.example, legal@x.example;\nother@x.example ,, ')).toEqual([
      'dpo@x.example',
      'legal@x.example',
      'other@x.example',
    ]);
    expect(splitList(undefined)).toEqual([]);
  });

  it('builds a query string of the filled parameters only', () => {
    expect(queryString({ q: 'deep seek', status: '', cursor: null, assigneeId: undefined })).toBe('?q=deep+seek');
    expect(queryString({ q: '' })).toBe('');
  });

  it('maps the field errors of a validation problem onto the form, and leaves other errors alone', () => {
    // An error without a catalogue message is marked so (structured: null): readers of other languages get the
    // general one; an error with one carries it on.
    const problem = new ValidationProblem([
      { field: 'contacts.0.email', message: 'email must be an email' },
      { field: 'contacts.1.email', message: 'email must be an email', key: 'validation.email' },
    ]);
    expect(fieldErrorsOf(problem, (field) => (field.startsWith('contacts') ? 'contactEmail' : field))).toEqual([
      { field: 'contactEmail', message: 'email must be an email', structured: null },
      { field: 'contactEmail', message: 'email must be an email', key: 'validation.email', params: undefined },
    ]);
    expect(fieldErrorsOf(new ValidationProblem([], 'no fields'))).toBeNull();
    expect(fieldErrorsOf(new NotFoundException('gone'))).toBeNull();
    expect(fieldErrorsOf(new Error('boom'))).toBeNull();
  });

  it('treats an id that is no UUID as a page that does not exist', () => {
    expect(requireUuid('3f1c1e9a-8f59-4c55-9a47-0e6f3b1b2c3d', 'case')).toBe('3f1c1e9a-8f59-4c55-9a47-0e6f3b1b2c3d');
    expect(() => requireUuid('new', 'case')).toThrow(NotFoundException);
  });

  it('names a language code in words', () => {
    expect(localeLabel('it')).toBe('Italian (it)');
    expect(localeLabel('ko')).toBe('Korean (ko)');
    expect(localeLabel('xx-invalid-')).toBe('xx-invalid-');
  });

  it.each([
    ['en', '-P1WD@09:00', '1 working day before the due date, at 09:00'],
    ['en', 'P3WD@09:00', '3 working days after the due date, at 09:00'],
    ['en', 'P0WD@09:00', 'on the due date, at 09:00'],
    ['en', '-P7D@08:30', '7 days before the due date, at 08:30'],
    ['en', '-P7D', '7 days before the due time'],
    ['en', '-PT114H13M', '4 days, 18 hours, and 13 minutes before the due time'],
    ['en', '-PT48H', '2 days before the due time'],
    ['en', '-PT2H30M', '2 hours and 30 minutes before the due time'],
    ['it', '-P5WD@09:00', '5 giorni lavorativi prima della data di scadenza, alle 09:00'],
    ['de', 'P1WD@09:00', '1 Arbeitstag nach dem Tag des Fristablaufs, um 09:00 Uhr'],
    ['ko', '-P1WD@09:00', '기한일 1근무일 전 09:00'],
  ] as const)('describes the reminder offset in %s: %s', (language, offset, words) => {
    expect(LanguageContext.run(language, () => describeOffset(offset))).toBe(words);
  });
});
