import type { Variable } from 'liquidjs';

/** `null` is a single value, an object lists its properties, a one-element array is a list of that shape. */
export type VariableShape = null | { readonly [name: string]: VariableShape } | readonly [VariableShape];

/** Every variable a template may read: `LetterContext` plus `locale`, the locale being rendered. */
export const LETTER_VARIABLES: { readonly [name: string]: VariableShape } = {
  locale: null,
  authority: { code: null, name: null, country: null, locale: null, timeZone: null },
  case: { reference: null, title: null, legalBasis: null, url: null },
  organisation: { name: null },
  recipient: { name: null, email: null },
  questions: [{ number: null, id: null, topic: null, text: null }],
  deadline: { dueDate: null, dueAt: null, formatted: null, passed: null, daysRemaining: null },
  officer: { name: null, email: null },
  inquiry: { replyTo: null, sentAt: null, sentFormatted: null },
  reminder: { offset: null, audience: null },
  reply: { from: null, subject: null, receivedAt: null, receivedFormatted: null, url: null },
  delivery: { subject: null, to: null, error: null },
  assignment: { by: null },
  notice: {
    kind: null,
    receivedFormatted: null,
    previousDueFormatted: null,
    stoppedFormatted: null,
    eventFormatted: null,
  },
  decision: {
    type: null,
    decidedFormatted: null,
    summary: null,
    legalBasis: null,
    fine: null,
    complianceFormatted: null,
    checks: [{ number: null, formatted: null }],
    referralTo: null,
    noticeTo: null,
  },
};

type Segment = string | number | Variable;

function pathText(segments: readonly Segment[]): string {
  return segments
    .map((s, i) =>
      typeof s === 'string' ? (i === 0 ? s : `.${s}`) : typeof s === 'number' ? `[${s}]` : `[${String(s)}]`,
    )
    .join('');
}

function propertiesOf(prefix: string, shape: { readonly [name: string]: VariableShape }): string {
  return Object.keys(shape)
    .map((k) => (prefix ? `${prefix}.${k}` : k))
    .join(', ');
}

/**
 * Checks a variable path such as `case.reference` or `questions.first.text` against
 * `LETTER_VARIABLES`; returns why it is wrong, or `null` when it is fine. Paths that use a
 * variable as a key (`case[name]`) can only be checked up to that key.
 */
export function checkVariablePath(segments: readonly Segment[]): string | null {
  let shape: VariableShape = LETTER_VARIABLES;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const seen = pathText(segments.slice(0, i));
    const unknown = () => `Unknown variable "${pathText(segments.slice(0, i + 1))}"`;
    if (shape === null) {
      // Liquid gives every string its `size`.
      if (segment === 'size' && i === segments.length - 1) return null;
      return `${unknown()}: "${seen}" is a single value`;
    }
    if (Array.isArray(shape)) {
      const list = shape as readonly [VariableShape];
      if (segment === 'size') {
        shape = null;
      } else if (segment === 'first' || segment === 'last' || typeof segment !== 'string') {
        shape = list[0];
      } else {
        return `${unknown()}: "${seen}" is a list (use .first, .last, .size, an index or a for loop)`;
      }
      continue;
    }
    const properties = shape as { readonly [name: string]: VariableShape };
    if (typeof segment === 'number') return `${unknown()}: "${seen}" is not a list`;
    if (typeof segment !== 'string') return null;
    if (!Object.hasOwn(properties, segment)) {
      return i === 0
        ? `${unknown()}. Available: ${propertiesOf('', properties)}`
        : `${unknown()}. Available: ${propertiesOf(seen, properties)}`;
    }
    shape = properties[segment]!;
  }
  return null;
}
