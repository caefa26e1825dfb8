import { NotFoundException } from '@nestjs/common';
import { ValidationProblem } from '#docket/platform';
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
    const problem = new ValidationProblem([{ field: 'contacts.0.email', message: 'email must be an email' }]);
    expect(fieldErrorsOf(problem, (field) => (field.startsWith('contacts') ? 'contactEmail' : field))).toEqual([
      { field: 'contactEmail', message: 'email must be an email' },
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
});
