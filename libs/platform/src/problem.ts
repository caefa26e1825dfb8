import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  Optional,
  ValidationError,
  ValidationPipe,
  type ArgumentMetadata,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { getMetadataStorage } from 'class-validator';
import { QueryFailedError } from 'typeorm';
import { Extensions, ExtensionPoint } from './extensions.js';
import {
  Conflict,
  DomainError,
  Gone,
  InvalidInput,
  NotAllowed,
  NotAuthenticated,
  NotFound,
  StaleVersion,
  TooLarge,
  TooManyAttempts,
  Unavailable,
  Unprocessable,
} from './domain-errors.js';
import { checkInput } from './input-limits.js';
import { isLanguage, translate, type Language, type MessageParams } from '#docket/i18n';

/**
 * One field's refusal. `message` is the service's English sentence (the API's words, kept for English callers);
 * `key` and `params`, when given, are the same refusal as a catalogue message (`<context>.refusal.*`, ICU
 * arguments named `…Day` for ISO dates and `…At` for instants), which pages show in the reader's language and
 * the API's `errors[].message` answers in the language of the token's user. Only `field` and `message` leave in
 * problem+json; field names stay English.
 */
export interface FieldError {
  field: string;
  message: string;
  key?: string;
  params?: MessageParams;
}

/** A message as structured data, to show in the reader's language: the catalogue key and its parameters. */
export interface FieldMessage {
  key: string;
  params?: MessageParams;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** A 4xx whose body is an RFC 9457 problem; `errors` carries per-field messages. */
export class ProblemException extends HttpException {
  /** The detail as a catalogue message, for callers who read another language than English (see withMessage). */
  detailMessage?: FieldMessage;

  constructor(status: number, title: string, detail: string, extensions: Record<string, unknown> = {}) {
    super({ title, detail, ...extensions }, status);
  }

  /**
   * The same detail as a catalogue message: a caller whose user reads another language gets it in theirs (problem+json
   * and pages); English callers keep the detail as given.
   */
  withMessage(key: string, params: MessageParams = {}): this {
    this.detailMessage = { key, params };
    return this;
  }
}

/**
 * A 4xx whose detail is a message of the interface catalogue (libs/i18n): the problem+json answers it in the
 * language of the token's user (English for anonymous callers); title, status and fields stay English.
 */
export class CatalogueProblem extends ProblemException {
  constructor(
    status: number,
    title: string,
    readonly detailKey: string,
    readonly detailParams: MessageParams = {},
    extensions: Record<string, unknown> = {},
  ) {
    super(status, title, translate('en', detailKey, detailParams), extensions);
  }
}

/**
 * What was sent breaks a rule of the domain, field by field: a domain refusal (DomainError), answered at the HTTP edge
 * with 400 and its `errors`.
 */
export class ValidationProblem extends DomainError {
  /** The catalogue's message for the default detail (a detail given by the caller stays as it is). */
  readonly detailKey?: string;

  /** The errors with their catalogue messages (`key`, `params`) where they have one; the body keeps the rest. */
  readonly fieldErrors: FieldError[];

  /** The errors' own catalogue messages, index by index: the ones the API answers in the caller's language. */
  readonly apiMessages: (FieldMessage | null)[];

  /** The errors as the API answers them: each field with its English sentence. */
  readonly errors: FieldError[];

  /**
   * @param errors each field's English sentence, with its catalogue message (`key`, `params`) where it has one
   * @param fieldMessages messages for pages only, index by index (null where there is none): the validator's
   *   constraints, phrased for a form ("this form has no such field"); the API keeps their English sentences
   */
  constructor(errors: FieldError[], detail?: string, fieldMessages: (FieldMessage | null)[] = []) {
    const plain = errors.map(({ field, message }) => ({ field, message }));
    super(detail ?? translate('en', 'problem.invalidFields'), { errors: plain });
    this.errors = plain;
    if (detail === undefined) this.detailKey = 'problem.invalidFields';
    this.apiMessages = errors.map(({ key, params }) => (key ? { key, params } : null));
    this.fieldErrors = errors.map(({ field, message }, index) => {
      const structured = fieldMessages[index] ?? this.apiMessages[index];
      return structured ? { field, message, key: structured.key, params: structured.params } : { field, message };
    });
  }

  /**
   * The same refusal with each field renamed (a nested request's fields under their parent, `query.sort`), its
   * messages kept; `detail` as given (the default otherwise).
   */
  renamed(rename: (field: string) => string, detail?: string): ValidationProblem {
    return new ValidationProblem(
      this.fieldErrors.map(({ field, message }, index) => ({
        field: rename(field),
        message,
        ...(this.apiMessages[index] ?? {}),
      })),
      detail,
      this.fieldMessages,
    );
  }

  /** The errors as catalogue messages, index by index (null where an error has none), for pages. */
  get fieldMessages(): (FieldMessage | null)[] {
    return this.fieldErrors.map(({ key, params }) => (key ? { key, params } : null));
  }
}

/**
 * The HTTP status and title each kind of domain error is answered with: the titles of the HTTP exceptions they
 * replaced. A domain error of no other kind listed here is a 422.
 */
const KINDS: [kind: abstract new (...args: never[]) => DomainError, status: number, title: string][] = [
  [ValidationProblem, HttpStatus.BAD_REQUEST, 'Invalid request'],
  [InvalidInput, HttpStatus.BAD_REQUEST, 'Bad request'],
  [NotAuthenticated, HttpStatus.UNAUTHORIZED, 'Not signed in'],
  [NotAllowed, HttpStatus.FORBIDDEN, 'Not allowed'],
  [NotFound, HttpStatus.NOT_FOUND, 'Not found'],
  [Conflict, HttpStatus.CONFLICT, 'Conflict'],
  [Gone, HttpStatus.GONE, 'Request refused'],
  [StaleVersion, HttpStatus.PRECONDITION_FAILED, 'Precondition failed'],
  [TooLarge, HttpStatus.PAYLOAD_TOO_LARGE, 'Request too large'],
  [Unprocessable, HttpStatus.UNPROCESSABLE_ENTITY, 'Unprocessable request'],
  [TooManyAttempts, HttpStatus.TOO_MANY_REQUESTS, 'Too many requests'],
  [Unavailable, HttpStatus.SERVICE_UNAVAILABLE, 'Service unavailable'],
  [DomainError, HttpStatus.UNPROCESSABLE_ENTITY, 'Unprocessable request'],
];

/** The status and title a domain error is answered with: its kind's, or the title it has of its own. */
function httpOf(error: DomainError): { status: number; title: string } {
  // The last kind, DomainError, matches every domain error.
  const [, status, title] = KINDS.find(([kind]) => error instanceof kind)!;
  return { status, title: error.title ?? title };
}

/** A domain refusal as the HTTP edge answers it (its problem+json), keeping its catalogue messages. */
export class DomainProblem extends ProblemException {
  readonly detailKey?: string;
  /** A ValidationProblem's errors with their catalogue messages (see there). */
  readonly fieldErrors?: FieldError[];
  readonly apiMessages?: (FieldMessage | null)[];
  readonly fieldMessages?: (FieldMessage | null)[];

  constructor(readonly refusal: DomainError) {
    const { status, title } = httpOf(refusal);
    super(status, title, refusal.detail, refusal.extensions);
    this.detailMessage = refusal.detailMessage;
    if (refusal instanceof ValidationProblem) {
      this.detailKey = refusal.detailKey;
      this.fieldErrors = refusal.fieldErrors;
      this.apiMessages = refusal.apiMessages;
      this.fieldMessages = refusal.fieldMessages;
    }
  }
}

/**
 * An error as the HTTP edge sees it: an HttpException as it is, a domain refusal as its problem (DomainProblem), null
 * for anything else (a fault: 500, or a database error, see databaseProblem). For the places that answer a request
 * and look at what was refused (the exception filter, pages re-rendering a form, the bulk actions' per-case status).
 */
export function httpExceptionOf(error: unknown): HttpException | null {
  if (error instanceof HttpException) return error;
  if (error instanceof DomainError) return new DomainProblem(error);
  return null;
}

/** The HTTP status an error is answered with when it is a refusal (HttpException or domain refusal); null otherwise. */
export function httpStatusOf(error: unknown): number | null {
  return httpExceptionOf(error)?.getStatus() ?? null;
}

/**
 * The catalogue message of a class-validator constraint (`validation.<…>`), with the limits the decorator was given
 * (read from class-validator's metadata: `@Length(1, 200)` gives min 1 and max 200); `validation.invalid` for a
 * constraint without a message of its own.
 */
const CONSTRAINT_MESSAGES: Record<string, (limits: unknown[]) => FieldMessage> = {
  isNotEmpty: () => ({ key: 'validation.required' }),
  isDefined: () => ({ key: 'validation.required' }),
  arrayNotEmpty: () => ({ key: 'validation.required' }),
  whitelistValidation: () => ({ key: 'validation.unknownField' }),
  isString: () => ({ key: 'validation.text' }),
  isLength: ([min, max]) =>
    typeof max === 'number'
      ? { key: 'validation.length', params: { min: Number(min ?? 0), max } }
      : { key: 'validation.minLength', params: { min: Number(min ?? 0) } },
  maxLength: ([max]) => ({ key: 'validation.maxLength', params: { max: Number(max) } }),
  minLength: ([min]) => ({ key: 'validation.minLength', params: { min: Number(min) } }),
  isIn: () => ({ key: 'validation.choice' }),
  isEnum: () => ({ key: 'validation.choice' }),
  isArray: () => ({ key: 'validation.list' }),
  arrayMaxSize: ([max]) => ({ key: 'validation.arrayMaxSize', params: { max: Number(max) } }),
  arrayMinSize: ([min]) => ({ key: 'validation.arrayMinSize', params: { min: Number(min) } }),
  arrayUnique: () => ({ key: 'validation.arrayUnique' }),
  isUuid: () => ({ key: 'validation.reference' }),
  matches: () => ({ key: 'validation.format' }),
  min: ([min]) => ({ key: 'validation.min', params: { min: Number(min) } }),
  max: ([max]) => ({ key: 'validation.max', params: { max: Number(max) } }),
  isInt: () => ({ key: 'validation.wholeNumber' }),
  isNumber: () => ({ key: 'validation.number' }),
  isBoolean: () => ({ key: 'validation.yesNo' }),
  isEmail: () => ({ key: 'validation.email' }),
  isUrl: () => ({ key: 'validation.url' }),
  isCalendarDate: () => ({ key: 'validation.date' }),
  isInstant: () => ({ key: 'validation.instant' }),
  isDateOrInstant: () => ({ key: 'validation.dateOrInstant' }),
};

function constraintMessage(error: ValidationError, constraint: string): FieldMessage {
  const describe = CONSTRAINT_MESSAGES[constraint];
  if (!describe) return { key: 'validation.invalid' };
  const target = error.target?.constructor;
  const metadata = target
    ? getMetadataStorage()
        .getTargetValidationMetadatas(target, '', true, false)
        .find((entry) => entry.propertyName === error.property && (entry.name ?? entry.type) === constraint)
    : undefined;
  return describe((metadata?.constraints as unknown[] | undefined) ?? []);
}

/** The language of the caller: the signed-in user's (token or web session), else English. */
export function callerLanguage(request: Request): Language {
  const language = (request as Request & { auth?: { user?: { language?: unknown } } }).auth?.user?.language;
  return isLanguage(language) ? language : 'en';
}

function flatten(errors: ValidationError[], parent = ''): (FieldError & { structured: FieldMessage })[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message,
      structured: constraintMessage(error, constraint),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validates DTOs strictly: unknown fields and wrong types are refused, values are converted only where declared.
 * Before any DTO sees it, every body, query and path parameter is checked without recursion (see input-limits.ts):
 * nesting deeper than INPUT_LIMITS.maxDepth, a list in a list, NUL or lone surrogates in any string or key are a
 * 400 naming the field (a 404 in a path parameter), more than INPUT_LIMITS.maxValues values a 413.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      // The validated object stays on each error: its class's metadata gives the limits of the catalogue messages.
      validationError: { target: true, value: false },
      stopAtFirstError: false,
      exceptionFactory: (errors) => {
        const flat = flatten(errors);
        return new ValidationProblem(
          flat.map(({ field, message }) => ({ field, message })),
          undefined,
          flat.map((error) => error.structured),
        );
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const verdict = checkInput(value, metadata.data ?? '');
      // A path that cannot name anything (a NUL in an id, a token) is an address where nothing is.
      if (verdict.kind === 'invalid' && metadata.type === 'param')
        throw new NotFound(`Nothing exists at this address: ${verdict.errors[0]!.message}.`);
      if (verdict.kind === 'invalid') throw new ValidationProblem(verdict.errors);
      if (verdict.kind === 'too_large') throw new TooLarge(verdict.detail);
    }
    return super.transform(value, metadata);
  }
}

export function strictValidationPipe(): ValidationPipe {
  return new StrictValidationPipe();
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  428: 'Precondition required',
  429: 'Too many requests',
  503: 'Service unavailable',
};

export function problemFor(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: status >= 500 ? 'about:blank' : `https://docket.example/problems/${status}`,
    title: TITLES[status] ?? (status >= 500 ? 'Server error' : 'Request refused'),
    status,
    detail,
    ...extra,
  };
}

export function sendProblem(response: Response, problem: Problem): void {
  response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

export interface ProblemMessages {
  detail: FieldMessage | null;
  /** Index by index with `problem.errors`. */
  errors: (FieldMessage | null)[];
}

/**
 * Answers errors of page requests (browsers) with HTML pages instead of problem+json: a query the ProblemFilter asks
 * of the context that renders pages (libs/web contributes one, marked `@Contributes(HTML_ERROR_PAGES)`).
 */
export interface HtmlErrorPages {
  handles(request: Request): boolean;
  /**
   * `messages`: the detail and each field error as catalogue messages (null where the words are English only), for a
   * page in its reader's language.
   */
  send(problem: Problem, request: Request, response: Response, messages?: ProblemMessages): Promise<void>;
}

export const HTML_ERROR_PAGES = new ExtensionPoint<HtmlErrorPages>('HTML error pages');

/** Turns every error leaving the API into application/problem+json; server errors hide their internals. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(@Optional() private readonly extensions?: Extensions) {}

  /** The HTML error pages, when a context renders pages (an API-only application has none). */
  private get htmlPages(): HtmlErrorPages | undefined {
    return this.extensions?.of(HTML_ERROR_PAGES)[0];
  }

  catch(thrown: unknown, host: ArgumentsHost): void {
    // A domain refusal is answered as its problem (DomainProblem): status, title, detail, extensions, messages.
    const exception = httpExceptionOf(thrown) ?? thrown;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (response.headersSent) return;
    const problem = this.toProblem(exception, request);
    // Details that come from the catalogue follow the caller's language.
    const { detailKey, detailParams } = (exception ?? {}) as { detailKey?: unknown; detailParams?: MessageParams };
    const language = callerLanguage(request);
    // A refusal of the database (a unique key, a reference gone) has catalogue messages of its own.
    const database = exception instanceof HttpException ? null : databaseRefusal(exception);
    const detailMessage =
      exception instanceof ProblemException ? exception.detailMessage : (database?.messages.detail ?? undefined);
    if (typeof detailKey === 'string') problem.detail = translate(language, detailKey, detailParams);
    else if (detailMessage && language !== 'en')
      problem.detail = translate(language, detailMessage.key, detailMessage.params);
    // A deliberate 5xx (the audit trail is damaged, a dependency is down) keeps its own words; anything else is hidden.
    else if (problem.status >= 500 && !(exception instanceof HttpException) && !database) {
      problem.detail = translate(callerLanguage(request), 'problem.serverError');
    }
    // Field messages too, where the service or the database refusal gave their catalogue message; field names stay
    // English.
    const errorMessages = thrown instanceof ValidationProblem ? thrown.apiMessages : database?.messages.errors;
    if (errorMessages && language !== 'en' && Array.isArray(problem.errors))
      problem.errors = problem.errors.map((error, index) => {
        const structured = errorMessages[index];
        return structured
          ? { field: error.field, message: translate(language, structured.key, structured.params) }
          : error;
      });
    if (this.htmlPages?.handles(request)) {
      const messages: ProblemMessages = {
        detail: typeof detailKey === 'string' ? { key: detailKey, params: detailParams } : (detailMessage ?? null),
        errors: thrown instanceof ValidationProblem ? thrown.fieldMessages : (database?.messages.errors ?? []),
      };
      this.htmlPages.send(problem, request, response, messages).catch((error: unknown) => {
        this.logger.error(error instanceof Error ? error.stack : String(error));
        if (!response.headersSent) sendProblem(response, problem);
      });
      return;
    }
    sendProblem(response, problem);
  }

  toProblem(thrown: unknown, request: Request): Problem {
    const exception = httpExceptionOf(thrown) ?? thrown;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'title' in body && 'detail' in body) {
        return {
          ...problemFor(status, String((body as Problem).detail)),
          ...(body as object),
          status,
          instance: request.originalUrl,
        } as Problem;
      }
      const message = typeof body === 'string' ? body : (body as { message?: string | string[] }).message;
      const detail = Array.isArray(message) ? message.join('; ') : (message ?? exception.message);
      if (exception instanceof BadRequestException && Array.isArray(message)) {
        return problemFor(status, translate(callerLanguage(request), 'problem.invalidFields'), {
          instance: request.originalUrl,
          errors: message.map((m) => ({ field: m.split(' ')[0] ?? '', message: m })),
        });
      }
      return problemFor(status, detail, { instance: request.originalUrl });
    }
    const database = databaseProblem(exception);
    if (database) {
      const cause = exception instanceof Error ? exception.message : String(exception);
      if (pgError(exception))
        this.logger.warn(
          `${request.method} ${request.path}: the database refused the input (${database.status}): ${cause}`,
        );
      else this.logger.error(`${request.method} ${request.path}: no answer from a service it needs: ${cause}`);
      return { ...database, instance: request.originalUrl };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return problemFor(500, translate('en', 'problem.serverError'), {
      instance: request.originalUrl,
    });
  }
}

/**
 * No answer from a service the request needed — the database above all (not running, restarting, its connection cut),
 * or another one reached over the network: the request may have stopped after an earlier transaction of its own had
 * committed. The log names the service; the caller is told to try again later.
 */
const unavailable = () => ({
  problem: problemFor(
    503,
    'A service Docket depends on is not answering at the moment. Try again in a few minutes; if you were saving something, check first whether it was saved.',
  ),
  messages: { detail: { key: 'problem.unavailable', params: {} }, errors: [] },
});

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
/** node-postgres's own words for a connection that could not be had or was lost. */
const PG_CONNECTION_LOST =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

function connectionLost(exception: unknown): boolean {
  const candidate = exception instanceof QueryFailedError ? exception.driverError : exception;
  // Not `instanceof Error`: Node's socket errors may come from another realm (a vm context, as under jest).
  if (typeof candidate !== 'object' || candidate === null) return false;
  const { code, message } = candidate as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && CONNECTION_ERRORS.has(code)) ||
    (typeof message === 'string' && PG_CONNECTION_LOST.test(message))
  );
}

/** The fields of a PostgreSQL error (pg's DatabaseError, or TypeORM's QueryFailedError around one). */
interface PgError {
  code: string;
  detail?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

function pgError(exception: unknown): PgError | null {
  const candidate = exception instanceof QueryFailedError ? exception.driverError : exception;
  if (typeof candidate !== 'object' || candidate === null) return null;
  const { code, severity } = candidate as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (!(exception instanceof QueryFailedError) && typeof severity !== 'string') return null;
  return candidate as PgError;
}

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

/**
 * The columns of a constraint error's detail, `Key (authority_id, lower(email::text))=(…) …`, as API field names; the
 * tenant column left out.
 */
function keyFields(error: PgError): string[] {
  const columns = /^Key \((.+?)\)=/.exec(error.detail ?? '')?.[1];
  if (!columns) return error.column ? [camel(error.column)] : [];
  return columns
    .split(',')
    .map((part) => /([a-z_][a-z0-9_]*)(?:::[\w ]+)?\)*\s*$/i.exec(part.trim())?.[1] ?? part.trim())
    .filter((column) => column !== 'authority_id')
    .map(camel);
}

/** 'organisations' → 'organisation', 'authorities' → 'authority', 'inbound_messages' → 'inbound message'. */
function thing(table: string | undefined): string {
  if (!table) return 'record';
  const words = table.replace(/_/g, ' ');
  return words.endsWith('ies') ? `${words.slice(0, -3)}y` : words.endsWith('s') ? words.slice(0, -1) : words;
}

const article = (word: string) => (/^([aeio]|un(?!i))/i.test(word) ? `An ${word}` : `A ${word}`);

/**
 * The problem for an error PostgreSQL raised over the data of a request, or null for other errors. Services
 * check their rules first with their own messages; this answers what gets past them: two requests at once
 * colliding on a unique key (409), a reference to a row deleted meanwhile, a value out of the column's range,
 * a lock or serialization conflict (409: try again). It never shows SQL or values.
 */
export function databaseProblem(exception: unknown): Problem | null {
  return databaseRefusal(exception)?.problem ?? null;
}

/**
 * databaseProblem with its words as catalogue messages (`problem.database.*`): the detail and each field error, for
 * callers and pages that read another language than English. The English sentences name the table; the catalogue's
 * name the fields by their API names only (a table's name is no word of the reader's language).
 */
export function databaseRefusal(exception: unknown): { problem: Problem; messages: ProblemMessages } | null {
  const error = pgError(exception);
  if (!error) return connectionLost(exception) ? unavailable() : null;
  const fields = keyFields(error);
  // In sentences, as words: legalName, country → 'legal name and country'.
  const words = fields.map((name) => name.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`));
  const named = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
  const what = thing(error.table);
  // The fields as the API names them, for the catalogue's messages (`legalName, country`).
  const params = { fields: fields.join(', '), count: fields.length };
  const refusal = (
    status: number,
    detail: string,
    key: string,
    errors: { field: string; message: string; key: string }[] = [],
  ) => ({
    problem: problemFor(
      status,
      detail,
      errors.length ? { errors: errors.map(({ field, message }) => ({ field, message })) } : {},
    ),
    messages: { detail: { key, params }, errors: errors.map((entry) => ({ key: entry.key })) },
  });
  switch (error.code) {
    case '23505': {
      const field = named || 'value';
      return refusal(
        409,
        `${article(what)} with this ${field} already exists (it may have been created at the same moment). Use the existing ${what}, or choose another ${field}.`,
        'problem.database.duplicate',
        (fields.length ? fields : ['']).map((name) => ({
          field: name,
          message: `${name || 'this value'} is already used by another ${what}`,
          key: 'problem.database.fieldTaken',
        })),
      );
    }
    case '23503':
      if (/is still referenced/.test(error.detail ?? ''))
        return refusal(
          409,
          `This ${what} is still referred to by other records, so it cannot be removed.`,
          'problem.database.stillReferenced',
        );
      return refusal(
        400,
        `${named ? `The ${named}` : 'A reference'} points to something that does not exist (or no longer does). Reload and choose again.`,
        'problem.database.missingReference',
        fields.map((name) => ({
          field: name,
          message: `${name} refers to nothing that exists`,
          key: 'problem.database.fieldMissingReference',
        })),
      );
    case '23502':
      return refusal(
        400,
        `${named ? `The ${named}` : 'A field'} is required.`,
        'problem.database.required',
        fields.map((name) => ({ field: name, message: `${name} is required`, key: 'problem.database.fieldRequired' })),
      );
    case '23514':
      return refusal(400, `A value is outside what this ${what} allows.`, 'problem.database.outOfRange');
    case '40001':
    case '40P01':
    case '55P03':
      return refusal(
        409,
        'Another change to the same records happened at the same moment; nothing was changed. Try again.',
        'problem.database.concurrent',
      );
    // No connection to be had (max_connections reached, the server starting or shutting down): the request may have
    // stopped after an earlier transaction of its own had committed.
    case '53300':
    case '57P03':
      return refusal(
        503,
        'The database is taking no more connections at the moment. Try again shortly; if you were saving something, check first whether it was saved.',
        'problem.database.busy',
      );
    // The server ended the session (shut down by its administrator, restarted after a crash) or the connection failed:
    // the same as no answer at all.
    case '57P01':
    case '57P02':
      return unavailable();
    case '22001':
      return refusal(
        400,
        `${named ? `The ${named}` : 'A value'} is too long.`,
        'problem.database.tooLong',
        fields.map((name) => ({ field: name, message: `${name} is too long`, key: 'problem.database.fieldTooLong' })),
      );
    default:
      // Class 22, data exceptions: wrong format, out of range, invalid characters.
      if (error.code.startsWith('22'))
        return refusal(400, 'A value has the wrong format or is out of range.', 'problem.database.wrongFormat');
      // Class 08, connection exceptions.
      if (error.code.startsWith('08')) return unavailable();
      return null;
  }
}
