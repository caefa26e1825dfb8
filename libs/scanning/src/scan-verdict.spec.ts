import { ProblemException } from '#docket/platform';
import { problemAnswer } from '../../../test/support/problem-answer.js';
import { FileQuarantined } from './scan-verdict.js';

describe('FileQuarantined', () => {
  it('answers as the 409 it replaced, named or not, in English and in Korean', () => {
    const pairs: [unknown, unknown][] = [
      [
        new FileQuarantined('answers.pdf', 'Eicar-Signature'),
        new ProblemException(
          409,
          'File quarantined',
          'answers.pdf contains Eicar-Signature; it is kept in quarantine as evidence and is not served.',
        ).withMessage('problem.attachments.quarantined', { filename: 'answers.pdf', finding: 'Eicar-Signature' }),
      ],
      [
        new FileQuarantined(null, null),
        new ProblemException(
          409,
          'File quarantined',
          'This file contains malware; it is kept in quarantine as evidence and is not served.',
        ).withMessage('problem.inbound.quarantinedUnnamed', { filename: '', finding: 'malware' }),
      ],
    ];
    for (const [domain, http] of pairs)
      for (const language of ['en', 'ko'] as const)
        expect(problemAnswer(domain, language)).toEqual(problemAnswer(http, language));
    expect(problemAnswer(pairs[0]![0], 'ko')).toMatchObject({ status: 409, title: 'File quarantined' });
  });
});
