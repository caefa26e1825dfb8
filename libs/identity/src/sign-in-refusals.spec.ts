import { ForbiddenException, HttpException, HttpStatus } from '@nestjs/common';
import { translate, type MessageParams } from '#docket/i18n';
import { httpStatusOf, isRefusal, ProblemException } from '#docket/platform';
import { problemAnswer } from '../../../test/support/problem-answer.js';
import { WrongSecondFactorCode } from './auth.service.js';
import { AccountLocked } from './login-throttle.js';
import { isSsoRefusal, SsoFlowInvalid, SsoNotOffered, SsoProviderUnavailable, SsoRefused } from './oidc.service.js';
import { SecondFactorRequired } from './second-factor.service.js';
import { SsoOnly } from './sso-only.js';

/** SsoRefused as it was: an HttpException with its catalogue message as `detailKey`. */
class HttpSsoRefused extends HttpException {
  constructor(
    readonly detailKey: string,
    readonly detailParams: MessageParams = {},
    status = HttpStatus.FORBIDDEN,
  ) {
    super(translate('en', detailKey, detailParams), status);
  }
}

const until = new Date('2025-02-03T10:15:00Z');

describe("identity's sign-in refusals", () => {
  it('answer with the problem+json the HTTP exceptions they replace answered with, in English and in Italian', () => {
    const pairs: [unknown, unknown][] = [
      [
        new WrongSecondFactorCode(false),
        new ProblemException(
          401,
          'Wrong code',
          'The code is not correct: enter the 6-digit code your authenticator app shows now, or an unused recovery code.',
          { secondFactorRequired: true, errors: [{ field: 'code', message: 'The code is not correct' }] },
        ).withMessage('login.code.wrong'),
      ],
      [
        new WrongSecondFactorCode(true),
        new ProblemException(
          401,
          'Wrong code',
          'This code was already used: wait for the next code of your authenticator app.',
          { secondFactorRequired: true, errors: [{ field: 'code', message: 'This code was already used' }] },
        ).withMessage('login.code.replayed'),
      ],
      [
        new SecondFactorRequired(),
        new ProblemException(
          401,
          'Second factor required',
          'This account has a second factor: send the 6-digit code of your authenticator app (or a recovery code) as "code" with the email and password.',
          { secondFactorRequired: true },
        ),
      ],
      [
        new AccountLocked(until),
        new HttpException(
          'Too many wrong passwords for this account: it is locked until 10:15 UTC. Try again then, or ask your administrator for a password reset.',
          429,
        ),
      ],
      [
        new SsoOnly({ code: 'SSOA', label: 'Garante ID' }),
        new ForbiddenException(
          'Users of SSOA sign in with Garante ID (single sign-on) only: passwords are not accepted.',
        ),
      ],
      [new SsoNotOffered('GPDP'), new HttpSsoRefused('sso.refused.none', { authority: 'GPDP' }, 404)],
      [new SsoProviderUnavailable('GPDP'), new HttpSsoRefused('sso.refused.unavailable', { authority: 'GPDP' }, 503)],
      [new SsoFlowInvalid('sso.refused.flow'), new HttpSsoRefused('sso.refused.flow', {}, 400)],
      [
        new SsoFlowInvalid('sso.refused.answer', { reason: 'state mismatch' }),
        new HttpSsoRefused('sso.refused.answer', { reason: 'state mismatch' }, 400),
      ],
      [
        new SsoRefused('sso.refused.noAccount', { email: 'a@example.org', authority: 'GPDP' }),
        new HttpSsoRefused('sso.refused.noAccount', { email: 'a@example.org', authority: 'GPDP' }),
      ],
    ];
    for (const [domain, http] of pairs)
      for (const language of ['en', 'it'] as const)
        expect(problemAnswer(domain, language)).toEqual(problemAnswer(http, language));
    expect(problemAnswer(new SsoRefused('sso.refused.deactivated', { email: 'a@example.org' }), 'it')).toMatchObject({
      status: 403,
      detail: translate('it', 'sso.refused.deactivated', { email: 'a@example.org' }),
    });
  });

  it('are told apart by type: a wrong code from a replayed one, a refused single sign-on from anything else', () => {
    expect([new WrongSecondFactorCode(true).replayed, new WrongSecondFactorCode(false).replayed]).toEqual([
      true,
      false,
    ]);
    expect(new AccountLocked(until).until).toBe(until);
    const refusals = [
      new SsoNotOffered('X'),
      new SsoProviderUnavailable('X'),
      new SsoFlowInvalid('sso.refused.flow'),
      new SsoRefused('sso.refused.noRole', { email: 'a@example.org', authority: 'X' }),
    ];
    expect(refusals.map(isSsoRefusal)).toEqual([true, true, true, true]);
    expect(refusals.map(httpStatusOf)).toEqual([404, 503, 400, 403]);
    expect(refusals.map((refusal) => refusal.detailMessage?.key)).toEqual([
      'sso.refused.none',
      'sso.refused.unavailable',
      'sso.refused.flow',
      'sso.refused.noRole',
    ]);
    expect(isSsoRefusal(new SsoOnly({ code: 'X', label: 'Y' }))).toBe(false);
    // A provider that does not answer now may answer later: no refusal a worker would give up on.
    expect(refusals.map(isRefusal)).toEqual([true, false, true, true]);
  });
});
