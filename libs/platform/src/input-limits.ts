import type { FieldError } from './problem.js';

/**
 * What any request input (JSON or form body, query, path parameter) may hold before a DTO sees it.
 * The deepest body the API takes nests 4 levels; the size of a body is bounded by BODY_LIMIT.
 */
export const INPUT_LIMITS = {
  /** Objects and arrays nested in each other, the body itself included. */
  maxDepth: 16,
  /** Values in one input (every string, number, object, array and element counted once). */
  maxValues: 20_000,
} as const;

export type InputVerdict =
  { kind: 'ok' } | { kind: 'invalid'; errors: FieldError[] } | { kind: 'too_large'; detail: string };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_ERRORS = 20;

/** Why text cannot be stored as text (PostgreSQL refuses NUL; a lone surrogate is no Unicode character), or null. */
export function textProblem(text: string): string | null {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return `contains a NUL character (\\u0000) at position ${nul + 1}; remove it`;
  const lone = LONE_SURROGATE.exec(text);
  if (lone)
    return `contains an invalid character (a lone UTF-16 surrogate \\u${lone[0].charCodeAt(0).toString(16)}) at position ${lone.index + 1}; retype it`;
  return null;
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/**
 * Checks a parsed input without recursion (so any depth is safe): nesting deeper than maxDepth, more
 * than maxValues values, a list directly inside a list, and strings or keys holding NUL or lone surrogates. `root`
 * names the input
 * in field errors ('' for a whole body, whose fields are then named from their own keys).
 */
export function checkInput(input: unknown, root = ''): InputVerdict {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: root, depth: 1 }];
  let values = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (++values > INPUT_LIMITS.maxValues) {
      return {
        kind: 'too_large',
        detail: `The request holds more than ${INPUT_LIMITS.maxValues} values; send less at a time.`,
      };
    }
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem)
        errors.push({
          field: path || 'body',
          message: `${path || 'the body'} ${problem}`,
          key: 'validation.characters',
        });
    } else if (typeof value === 'object' && value !== null) {
      if (depth > INPUT_LIMITS.maxDepth) {
        return {
          kind: 'invalid',
          errors: [
            {
              field: path || 'body',
              message: `${path || 'the body'} is nested more than ${INPUT_LIMITS.maxDepth} levels deep`,
              key: 'validation.nesting',
              params: { max: INPUT_LIMITS.maxDepth },
            },
          ],
        };
      }
      if (Array.isArray(value)) {
        // No operation takes a list of lists; a DTO's nested validation would pass the inner lists unchecked.
        const inner = value.findIndex((item) => Array.isArray(item));
        if (inner >= 0) {
          errors.push({
            field: join(path, inner),
            message: `${join(path, inner)} is a list inside a list; give ${path ? `each item of ${path}` : 'each item'} as a single value or object`,
            key: 'validation.listInList',
          });
          continue;
        }
        for (let index = value.length - 1; index >= 0; index--)
          stack.push({ value: value[index], path: join(path, index), depth: depth + 1 });
      } else {
        const keys = Object.keys(value);
        for (let index = keys.length - 1; index >= 0; index--) {
          const key = keys[index]!;
          const keyProblem = textProblem(key);
          if (keyProblem) {
            errors.push({
              field: join(path, key),
              message: `the field name ${JSON.stringify(key)} ${keyProblem}`,
              key: 'validation.fieldName',
            });
            continue;
          }
          stack.push({ value: (value as Record<string, unknown>)[key], path: join(path, key), depth: depth + 1 });
        }
      }
    }
    if (errors.length >= MAX_ERRORS) break;
  }
  return errors.length ? { kind: 'invalid', errors } : { kind: 'ok' };
}
