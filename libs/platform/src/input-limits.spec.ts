import { isCalendarDate, isInstant } from './date-validators.js';
import { checkInput, INPUT_LIMITS } from './input-limits.js';

const deep = (depth: number) => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe('checkInput', () => {
  it('accepts ordinary bodies', () => {
    expect(
      checkInput({
        name: 'Acme',
        contacts: [{ email: 'dpo@acme.example', role: 'dpo' }],
        weekendDays: [6, 7],
        emoji: '😀',
      }),
    ).toEqual({ kind: 'ok' });
  });

  it('refuses nesting deeper than the limit, at any depth, without recursion', () => {
    expect(checkInput(deep(INPUT_LIMITS.maxDepth))).toEqual({ kind: 'ok' });
    const verdict = checkInput({ email: deep(1_000_000) });
    expect(verdict.kind).toBe('invalid');
    expect(verdict.kind === 'invalid' && verdict.errors[0]!.field).toBe(
      `email${'.a'.repeat(INPUT_LIMITS.maxDepth - 1)}`,
    );
  });

  it('refuses a list directly inside a list, naming it', () => {
    expect(checkInput({ contacts: [{ email: 'a@b.example' }, [[]]] })).toEqual({
      kind: 'invalid',
      errors: [
        {
          field: 'contacts.1',
          message: 'contacts.1 is a list inside a list; give each item of contacts as a single value or object',
          key: 'validation.listInList',
        },
      ],
    });
  });

  it('names every string and key holding a NUL or a lone surrogate, and passes surrogate pairs', () => {
    const verdict = checkInput({
      name: 'a\u0000b',
      contacts: [{ email: 'dpo\ud800@x.example' }],
      ['k\udc00']: 1,
      ok: '😀',
    });
    expect(verdict).toEqual({
      kind: 'invalid',
      errors: [
        // A key is named as its object is read, before the values inside.
        { field: 'k\udc00', message: expect.stringContaining('the field name'), key: 'validation.fieldName' },
        {
          field: 'name',
          message: 'name contains a NUL character (\\u0000) at position 2; remove it',
          key: 'validation.characters',
        },
        {
          field: 'contacts.0.email',
          message:
            'contacts.0.email contains an invalid character (a lone UTF-16 surrogate \\ud800) at position 4; retype it',
          key: 'validation.characters',
        },
      ],
    });
    expect(checkInput('x\u0000', 'q')).toEqual({
      kind: 'invalid',
      errors: [{ field: 'q', message: expect.stringContaining('NUL'), key: 'validation.characters' }],
    });
  });

  it('refuses more values than the limit as too large', () => {
    expect(checkInput(Array.from({ length: INPUT_LIMITS.maxValues + 1 }, () => 0)).kind).toBe('too_large');
  });
});

describe('dates and instants', () => {
  it.each([
    ['1900-01-01', true],
    ['2199-12-31', true],
    ['2024-02-29', true],
    ['1899-12-31', false],
    ['2200-01-01', false],
    ['2025-02-29', false],
    ['2025-13-01', false],
    ['0000-00-00', false],
    ['25-01-01', false],
  ])('calendar date %s → %s', (value, valid) => expect(isCalendarDate(value)).toBe(valid));

  it.each([
    ['2025-01-30T16:20:00+01:00', true],
    ['2025-01-30T15:20:00.123Z', true],
    ['1900-01-01T00:00:00+14:00', true],
    ['9999-12-31T23:59:59Z', false],
    ['+275760-09-13T00:00:00Z', false],
    ['0001-01-01T00:00:00.000Z', false],
    ['2025-02-30T10:00:00Z', false],
    ['2025-01-28T10:00:00+99:99', false],
    ['2025-01-28', false],
  ])('instant %s → %s', (value, valid) => expect(isInstant(value)).toBe(valid));

  it('takes a date where a date or an instant is allowed', () => {
    expect(isInstant('2025-01-28', true)).toBe(true);
    expect(isInstant('2200-01-28', true)).toBe(false);
  });
});
