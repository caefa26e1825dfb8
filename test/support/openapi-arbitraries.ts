import fc from 'fast-check';

/** The part of an OpenAPI 3 document the generators read. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  operationId?: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

/** A request body: a JSON value, or raw text sent as application/json (for what JSON.stringify cannot build). */
export type Body = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; note: string };

export interface JsonOperation {
  method: 'post' | 'patch' | 'put';
  path: string;
  operation: Operation;
  schema: Schema;
}

/** Every POST/PATCH/PUT of the document that takes a JSON body. */
export function jsonOperations(document: OpenApiDocument): JsonOperation[] {
  const found: JsonOperation[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const method of ['post', 'patch', 'put'] as const) {
      const operation = operations[method];
      const schema = operation?.requestBody?.content?.['application/json']?.schema;
      if (operation && schema) found.push({ method, path, operation, schema });
    }
  }
  return found;
}

/** Strings the database and the string handling of a server choke on. */
export const NUL_STRINGS = ['\u0000', 'name\u0000', '\u0000DROP', 'a\u0000b@provider.example'];
export const LONE_SURROGATE_STRINGS = [
  '\ud800',
  'dpo\udc00@provider.example',
  'x\ud83d@example.com',
  'Acme\udfff Ltd.',
];
/** Dates and instants outside 1900–2199, or not dates at all, in ISO 8601 shape. */
export const EXTREME_DATES = [
  '0001-01-01',
  '1899-12-31',
  '2200-01-01',
  '9999-12-31',
  '0000-00-00',
  '2025-02-30',
  '1000-01-01T00:00:00+14:00',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '0001-01-01T00:00:00.000Z',
  '2025-01-28T10:00:00+99:99',
];

export function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = kind === 'array' ? [] : {};
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** Values of the wrong shape for any field. */
export function oddValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      -0,
      2 ** 31,
      2 ** 53 + 2,
      1e21,
      1e308,
      -1e308,
      '',
      ' ',
      '1',
      'null',
      [],
      {},
      [[]],
      [[['x']]],
      [null],
      [{}],
      { '': '' },
    ),
    fc.constantFrom(...NUL_STRINGS, ...LONE_SURROGATE_STRINGS, ...EXTREME_DATES),
    fc.constantFrom('x'.repeat(20_000), '😀'.repeat(3_000), 'a@b'.repeat(500)),
    fc.integer({ min: 10, max: 400 }).map((depth) => nested(depth, depth % 2 ? 'array' : 'object')),
    fc.array(fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), { maxLength: 3 }),
    fc.string({ maxLength: 20, unit: 'binary' }),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

/** Whole bodies that are not objects, or are too deep/large to be one, including raw JSON text. */
export function oddBody(): fc.Arbitrary<Body> {
  return fc.oneof(
    oddValue().map((value): Body => ({ kind: 'json', value })),
    fc.constantFrom<Body>(
      { kind: 'raw', text: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, note: '100000 nested arrays' },
      { kind: 'raw', text: `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`, note: '50000 nested objects' },
      { kind: 'raw', text: `{"x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`, note: '5000 nested arrays in a field' },
      {
        kind: 'raw',
        text: `[${Array.from({ length: 100_000 }, () => '[]').join(',')}]`,
        note: '100000 arrays in an array',
      },
      { kind: 'raw', text: '{"name":"a\\u0000b"}', note: 'escaped NUL' },
      { kind: 'raw', text: '{"email":"\\ud800@x.example","name":"\\udfff"}', note: 'escaped lone surrogates' },
      { kind: 'raw', text: '{"a":1,"a":2}', note: 'duplicate key' },
      { kind: 'raw', text: '{"__proto__":{"polluted":true}}', note: '__proto__ key' },
      { kind: 'raw', text: '', note: 'empty' },
      { kind: 'raw', text: 'null', note: 'null' },
      { kind: 'raw', text: '{', note: 'truncated' },
      { kind: 'raw', text: `"${'x'.repeat(2 * 1024 * 1024)}"`, note: '2 MiB string' },
    ),
  );
}

export interface Pools {
  /** Real ids of the tenant's own records, used for uuid-formatted fields. */
  uuids: string[];
}

/** Values of the shape the schema declares (examples, enum members, ids of real records, plausible strings). */
export class SchemaArbitraries {
  constructor(
    private readonly document: OpenApiDocument,
    private readonly pools: Pools,
  ) {}

  resolve(schema: Schema): Schema {
    let current = schema;
    for (let i = 0; current.$ref && i < 10; i++) {
      const name = current.$ref.split('/').pop()!;
      current = this.document.components?.schemas?.[name] ?? {};
    }
    return current;
  }

  valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const resolved = this.resolve(schema);
    if (resolved.allOf?.length) {
      return fc
        .tuple(...resolved.allOf.map((part) => this.valid(part, depth)))
        .map((parts) =>
          parts.every((part) => typeof part === 'object' && part !== null && !Array.isArray(part))
            ? Object.assign({}, ...parts)
            : parts[0],
        );
    }
    const alternatives = resolved.oneOf ?? resolved.anyOf;
    if (alternatives?.length) return fc.oneof(...alternatives.map((part) => this.valid(part, depth)));
    const options: fc.Arbitrary<unknown>[] = [];
    if (resolved.example !== undefined) options.push(fc.constant(resolved.example));
    if (resolved.enum?.length) options.push(fc.constantFrom(...resolved.enum));
    else options.push(this.byType(resolved, depth));
    const value = options.length > 1 ? fc.oneof(...options) : options[0]!;
    return resolved.nullable ? fc.option(value, { nil: null, freq: 6 }) : value;
  }

  private byType(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
    switch (type) {
      case 'string':
        if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...this.pools.uuids), fc.uuid());
        if (schema.format === 'date-time' || schema.format === 'date')
          return fc.constantFrom('2025-02-17', '2026-12-31T12:00:00+01:00', ...EXTREME_DATES);
        return fc.oneof(
          fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
          fc.emailAddress(),
          fc.constantFrom('2025-02-17', '2026-03-01T09:00:00+01:00', 'en', 'it', 'ai-inquiry', 'P7D', '-P3D', 'GPDP'),
        );
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 400, 400) });
      case 'number':
        return fc.double({ min: -1e6, max: 1e6, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return depth > 4 ? fc.constant([]) : fc.array(this.valid(schema.items ?? {}, depth + 1), { maxLength: 3 });
      case 'object':
        return this.object(schema, depth);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private object(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const properties = schema.properties ?? {};
    if (Object.keys(properties).length === 0)
      return fc.dictionary(fc.constantFrom('en', 'it', 'x'), fc.string({ maxLength: 30 }), { maxKeys: 2 });
    if (depth > 4) return fc.constant({});
    const required = new Set(schema.required ?? []);
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, property] of Object.entries(properties)) record[name] = this.valid(property, depth + 1);
    return fc.record(record, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
  }
}

/** Every path to a value inside a JSON value (arrays by index), the root included as []. */
export function valuePaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...valuePaths(item, [...prefix, index])));
  else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value)) paths.push(...valuePaths(item, [...prefix, key]));
  return paths;
}

export function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value))
    return value.map((item, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  const copy = { ...(value as Record<string, unknown>) };
  copy[head as string] = replaceAt(copy[head as string], rest, replacement);
  return copy;
}

/**
 * Bodies for one operation: valid-shaped, valid-shaped with one value made odd, with an extra key, or odd as a
 * whole. `good`, a body known to pass validation, is mostly the one mutated, so that one odd value at a time
 * reaches the services and the database behind the validation.
 */
export function bodiesFor(arbitraries: SchemaArbitraries, schema: Schema, good?: unknown): fc.Arbitrary<Body> {
  const derived = arbitraries.valid(schema);
  const valid =
    good === undefined
      ? derived
      : fc.oneof({ weight: 3, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: derived });
  const withOddValue = fc.tuple(valid, fc.nat(), oddValue()).map(([body, pick, odd]) => {
    const paths = valuePaths(body).filter((path) => path.length > 0);
    const path = paths.length ? paths[pick % paths.length]! : ['x'];
    return replaceAt(body, path, odd);
  });
  const withExtraKey = fc
    .tuple(valid, fc.constantFrom('extra', '__proto__', 'constructor', 'a\u0000b', '\ud800', ''), oddValue())
    .map(([body, key, odd]) =>
      typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, [key]: odd } : body,
    );
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((value): Body => ({ kind: 'json', value })) },
    { weight: 5, arbitrary: withOddValue.map((value): Body => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: withExtraKey.map((value): Body => ({ kind: 'json', value })) },
    { weight: 2, arbitrary: oddBody() },
  );
}

/** The field name a validation error gives for a value at `path` (nested properties and indexes joined by dots). */
export const fieldName = (path: (string | number)[]) => path.join('.') || 'body';

/** Paths of strings (and object keys) holding a NUL or a lone UTF-16 surrogate. */
export function badStringPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const bad = (text: string) =>
    text.includes('\u0000') || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
  if (typeof value === 'string') return bad(value) ? [prefix] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => badStringPaths(item, [...prefix, index]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) =>
      bad(key) ? [[...prefix, key]] : badStringPaths(item, [...prefix, key]),
    );
  }
  return [];
}
