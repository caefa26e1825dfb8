import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import {
  Conflict,
  Gone,
  InvalidInput,
  isRefusal,
  NotAllowed,
  NotAuthenticated,
  NotFound,
  StaleVersion,
  TooLarge,
  TooManyAttempts,
  Unavailable,
  Unprocessable,
} from './domain-errors.js';
import { staleVersion } from './http-helpers.js';
import { httpExceptionOf, httpStatusOf, ProblemException, ProblemFilter, ValidationProblem } from './problem.js';

const request = { originalUrl: '/api/v1/cases/1' } as Request;
const problemOf = (error: unknown) => new ProblemFilter().toProblem(error, request);

describe('domain refusals at the HTTP edge', () => {
  it('answer with the problem the HTTP exceptions they replace answered with', () => {
    const pairs: [unknown, unknown][] = [
      [
        new NotFound('There is no case with id 1 in your authority.'),
        new ProblemException(404, 'Not found', 'There is no case with id 1 in your authority.'),
      ],
      [new NotFound('There is no deadline 1.'), new NotFoundException('There is no deadline 1.')],
      [
        new Conflict('GPDP-2025-0001: A case that is open cannot record a response.', {
          currentStatus: 'open',
          allowed: [{ event: 'close', to: 'closed' }],
        }),
        new ProblemException(409, 'Conflict', 'GPDP-2025-0001: A case that is open cannot record a response.', {
          currentStatus: 'open',
          allowed: [{ event: 'close', to: 'closed' }],
        }),
      ],
      [
        new Conflict('2025-05-01 is already a closure day.'),
        new ConflictException('2025-05-01 is already a closure day.'),
      ],
      [
        staleVersion('case', 1, 2),
        new ProblemException(
          412,
          'Precondition failed',
          'The case changed since you read it: you sent version 1, it is now at version 2. Reload it and apply your change again.',
          { currentVersion: 2 },
        ),
      ],
      [
        new NotAllowed('You can only add closure days to your own authority.'),
        new ForbiddenException('You can only add closure days to your own authority.'),
      ],
      [
        new NotAuthenticated('Email or password is not correct.'),
        new UnauthorizedException('Email or password is not correct.'),
      ],
    ];
    for (const [domain, http] of pairs) expect(problemOf(domain)).toEqual(problemOf(http));
  });

  it('of the kinds that replaced the last HTTP exceptions of services answer as those did', () => {
    class FileQuarantined extends Conflict {
      override readonly title = 'File quarantined';
    }
    const pairs: [unknown, unknown][] = [
      [
        new InvalidInput('A template version needs at least one locale.'),
        new ProblemException(400, 'Bad request', 'A template version needs at least one locale.'),
      ],
      [
        new InvalidInput('Job 7 is not failed; only failed jobs can be retried.'),
        new BadRequestException('Job 7 is not failed; only failed jobs can be retried.'),
      ],
      [
        new Gone('This password-reset link has already been used.'),
        new ProblemException(410, 'Request refused', 'This password-reset link has already been used.'),
      ],
      [new TooLarge('At most 5000 rows.'), new ProblemException(413, 'Request too large', 'At most 5000 rows.')],
      [
        new Unprocessable('2 row(s) have problems; nothing was imported.', { report: { rows: 2 } }),
        new ProblemException(422, 'Unprocessable request', '2 row(s) have problems; nothing was imported.', {
          report: { rows: 2 },
        }),
      ],
      [
        new TooManyAttempts('Too many wrong passwords for this account.'),
        new HttpException('Too many wrong passwords for this account.', 429),
      ],
      [
        new Unavailable('The reset mail could not be sent; try again later.'),
        new ServiceUnavailableException('The reset mail could not be sent; try again later.'),
      ],
      [
        new FileQuarantined('a.pdf contains Eicar; it is kept in quarantine.'),
        new ProblemException(409, 'File quarantined', 'a.pdf contains Eicar; it is kept in quarantine.'),
      ],
    ];
    for (const [domain, http] of pairs) expect(problemOf(domain)).toEqual(problemOf(http));
    expect(problemOf(new Unavailable('The mail server is down.'))).toMatchObject({
      type: 'about:blank',
      title: 'Service unavailable',
      status: 503,
      detail: 'The mail server is down.',
    });
    expect(problemOf(staleVersion('case', 1, 2))).toMatchObject({
      type: 'https://docket.example/problems/412',
      title: 'Precondition failed',
      status: 412,
      currentVersion: 2,
      instance: '/api/v1/cases/1',
    });
  });

  it('keep their catalogue messages and field errors', () => {
    const closed = new Conflict('Case GPDP-2025-0001 is closed.').withMessage('problem.cases.closedUnchangeable', {
      reference: 'GPDP-2025-0001',
    });
    expect(httpExceptionOf(closed)).toMatchObject({
      detailMessage: { key: 'problem.cases.closedUnchangeable', params: { reference: 'GPDP-2025-0001' } },
    });
    const invalid = new ValidationProblem([{ field: 'reason', message: 'closing a case needs a reason' }], undefined, [
      { key: 'validation.required' },
    ]);
    expect(problemOf(invalid)).toEqual({
      type: 'https://docket.example/problems/400',
      title: 'Invalid request',
      status: 400,
      detail: invalid.detail,
      errors: [{ field: 'reason', message: 'closing a case needs a reason' }],
      instance: '/api/v1/cases/1',
    });
    expect(httpExceptionOf(invalid)).toMatchObject({
      detailKey: 'problem.invalidFields',
      fieldMessages: [{ key: 'validation.required' }],
    });
    expect(httpExceptionOf(new ValidationProblem([], 'Send at least one field.'))).toMatchObject({
      detailKey: undefined,
    });
  });

  it('are told from faults by type (workers), and answered by status only at the edge', () => {
    expect(isRefusal(new StaleVersion('old'))).toBe(true);
    expect(isRefusal(new ValidationProblem([]))).toBe(true);
    expect(isRefusal(new Error('connection terminated'))).toBe(false);
    expect(isRefusal(new NotAuthenticated('x'))).toBe(true);
    expect(isRefusal(new TooManyAttempts('x'))).toBe(true);
    // Not now is no refusal: the job is tried again.
    expect(isRefusal(new Unavailable('the mail server is down'))).toBe(false);
    // HTTP exceptions are the edge's: no service throws one, and a worker would take one for a fault.
    expect(isRefusal(new NotFoundException('x'))).toBe(false);
    expect(
      [
        new NotFound('x'),
        new Conflict('x'),
        new StaleVersion('x'),
        new NotAllowed('x'),
        new NotAuthenticated('x'),
        new InvalidInput('x'),
        new Gone('x'),
        new TooLarge('x'),
        new Unprocessable('x'),
        new TooManyAttempts('x'),
        new Unavailable('x'),
      ].map(httpStatusOf),
    ).toEqual([404, 409, 412, 403, 401, 400, 410, 413, 422, 429, 503]);
    expect(httpStatusOf(new Error('x'))).toBeNull();
  });
});
