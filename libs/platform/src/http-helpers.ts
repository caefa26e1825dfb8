import { applyDecorators, HttpStatus, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { StaleVersion } from './domain-errors.js';
import { ProblemException, ValidationProblem } from './problem.js';

/** A path parameter that must be a UUID; anything else is a 400 problem naming the parameter. */
export const UuidParam = (name = 'id'): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new ValidationProblem(
          [{ field: name, message: `${name} must be a UUID`, key: 'validation.reference' }],
          `The path parameter ${name} is not a valid id.`,
        ).withMessage('problem.badId', { name }),
    }),
  );

/**
 * The version a client last read, from `If-Match: <version>` (quotes and a weak `W/` prefix are tolerated).
 * Missing → 428 when required; not a number → 400.
 */
export function ifMatchVersion(header: string | undefined, required: true): number;
export function ifMatchVersion(header: string | undefined, required: false): number | undefined;
export function ifMatchVersion(header: string | undefined, required: boolean): number | undefined {
  if (header === undefined || header.trim() === '') {
    if (!required) return undefined;
    throw new ProblemException(
      HttpStatus.PRECONDITION_REQUIRED,
      'Precondition required',
      'Send If-Match: <version> with the version you last read (GET returns it as "version" and in the ETag header).',
    );
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match)
    throw new ProblemException(
      HttpStatus.BAD_REQUEST,
      'Bad request',
      `If-Match must be the version number you last read, e.g. If-Match: 3 (got "${header.slice(0, 40)}").`,
    );
  return Number(match[1]);
}

/** A write based on an old read (HTTP: 412, with the current version). */
export function staleVersion(what: string, sent: number, current: number): StaleVersion {
  return new StaleVersion(
    `The ${what} changed since you read it: you sent version ${sent}, it is now at version ${current}. Reload it and apply your change again.`,
    { currentVersion: current },
  );
}

/** Opaque keyset cursors: base64url JSON of the sort key of the last item returned. */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, shape: ('string' | 'number')[]): (string | number)[] {
  const refuse = () =>
    new ValidationProblem([
      {
        field: 'cursor',
        message: 'cursor is not one this server gave out; use nextCursor from the previous page',
        key: 'list.refusal.cursor',
      },
    ]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((part, i) => typeof part !== shape[i]))
    throw refuse();
  return key as (string | number)[];
}

export class FieldErrorDoc {
  @ApiProperty({ example: 'title' })
  field!: string;

  @ApiProperty({ example: 'title must be 1 to 300 characters long' })
  message!: string;
}

/** The RFC 9457 body every error has, for the OpenAPI document. */
export class ProblemDoc {
  @ApiProperty({ example: 'https://docket.example/problems/400' })
  type!: string;

  @ApiProperty({ example: 'Invalid request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request has invalid fields; see errors.' })
  detail!: string;

  @ApiPropertyOptional()
  instance?: string;

  @ApiPropertyOptional({ type: [FieldErrorDoc], description: 'Per-field messages (validation errors only)' })
  errors?: FieldErrorDoc[];
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: errors[] names each bad field (field, message); nothing was written',
  401: 'Missing, invalid or expired token',
  403: 'Your role may not do this (or you are not a user of an authority)',
  404: 'No such record in your authority (records of other authorities are not disclosed)',
  409: 'Conflicts with the current state; detail says what is allowed',
  412: 'If-Match names an old version: reload and retry; nothing was written',
  428: 'If-Match is required',
};

/** Documents problem+json error responses for the given statuses. */
export const ApiProblems = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtraModels(ProblemDoc, FieldErrorDoc),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Refused (problem+json)',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDoc) } } },
      }),
    ),
  );
