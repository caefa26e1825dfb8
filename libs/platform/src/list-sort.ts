import { ValidationProblem } from './problem.js';

export interface ListSort<K extends string> {
  key: K;
  descending: boolean;
  /** As given back in `sort=` (e.g. `-dueAt`). */
  value: string;
}

/**
 * Parses `sort=` of a list: one key of `keys`, `-` in front for descending (e.g. `-createdAt`). An unknown key is
 * a 400 naming the keys there are.
 */
export function parseSort<K extends string>(
  value: string | undefined,
  keys: readonly K[],
  fallback: string,
): ListSort<K> {
  const given = value === undefined || value === '' ? fallback : value.trim();
  const descending = given.startsWith('-');
  const key = (descending ? given.slice(1) : given) as K;
  if (!keys.includes(key))
    throw new ValidationProblem([
      {
        field: 'sort',
        message: `sort must be one of ${keys.join(', ')}, with - in front for descending (e.g. -${keys[0]})`,
        key: 'validation.choice',
      },
    ]);
  return { key, descending, value: `${descending ? '-' : ''}${key}` };
}

/** The message of a cursor that does not fit its list (or its sort). */
export const badCursor = (): ValidationProblem =>
  new ValidationProblem([
    {
      field: 'cursor',
      message: 'cursor is not one this server gave out; use nextCursor from the previous page',
      key: 'list.refusal.cursor',
    },
  ]);
