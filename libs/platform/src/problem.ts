import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  Optional,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';

export interface FieldError {
  field: string;
  message: string;
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
  constructor(status: number, title: string, detail: string, extensions: Record<string, unknown> = {}) {
    super({ title, detail, ...extensions }, status);
  }
}

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldError[], detail = 'The request has invalid fields; see errors.') {
    super(HttpStatus.BAD_REQUEST, 'Invalid request', detail, { errors });
  }
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Validates DTOs strictly: unknown fields and wrong types are refused, values are converted only where declared. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
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

/** Answers errors of page requests (browsers) with HTML pages instead of problem+json; libs/web provides it. */
export const HTML_ERROR_PAGES = Symbol('HTML_ERROR_PAGES');

export interface HtmlErrorPages {
  handles(request: Request): boolean;
  send(problem: Problem, request: Request, response: Response): Promise<void>;
}

/** Turns every error leaving the API into application/problem+json; server errors hide their internals. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(@Optional() @Inject(HTML_ERROR_PAGES) private readonly htmlPages?: HtmlErrorPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (response.headersSent) return;
    const problem = this.toProblem(exception, request);
    if (this.htmlPages?.handles(request)) {
      this.htmlPages.send(problem, request, response).catch((error: unknown) => {
        this.logger.error(error instanceof Error ? error.stack : String(error));
        if (!response.headersSent) sendProblem(response, problem);
      });
      return;
    }
    sendProblem(response, problem);
  }

  toProblem(exception: unknown, request: Request): Problem {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'title' in body && 'detail' in body) {
        return { ...problemFor(status, String((body as Problem).detail)), ...(body as object), status, instance: request.originalUrl } as Problem;
      }
      const message = typeof body === 'string' ? body : (body as { message?: string | string[] }).message;
      const detail = Array.isArray(message) ? message.join('; ') : (message ?? exception.message);
      if (exception instanceof BadRequestException && Array.isArray(message)) {
        return problemFor(status, 'The request has invalid fields; see errors.', {
          instance: request.originalUrl,
          errors: message.map((m) => ({ field: m.split(' ')[0] ?? '', message: m })),
        });
      }
      return problemFor(status, detail, { instance: request.originalUrl });
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string } | undefined)?.code;
      if (code === '22P02' || code === '22007' || code === '22008') {
        return problemFor(400, 'A value has the wrong format.', { instance: request.originalUrl });
      }
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return problemFor(500, 'Something went wrong on our side; the error has been logged.', { instance: request.originalUrl });
  }
}
