import { ProblemException } from '#docket/platform';
import { problemAnswer } from '../../../test/support/problem-answer.js';
import { AttachmentNotKept } from './inbound.service.js';

describe('AttachmentNotKept', () => {
  it('answers as the 409 it replaced, in English and in Japanese', () => {
    const sha256 = 'a'.repeat(64);
    const pairs: [unknown, unknown][] = [
      [
        new AttachmentNotKept('scan.tiff', sha256),
        new ProblemException(
          409,
          'File not kept',
          `scan.tiff was larger than ATTACHMENT_MAX_MB and was not kept apart; the raw message (SHA-256 ${sha256}) still holds it.`,
        ).withMessage('problem.inbound.notKept', { filename: 'scan.tiff', sha256 }),
      ],
      [
        new AttachmentNotKept(null, sha256),
        new ProblemException(
          409,
          'File not kept',
          `This file was larger than ATTACHMENT_MAX_MB and was not kept apart; the raw message (SHA-256 ${sha256}) still holds it.`,
        ).withMessage('problem.inbound.notKept', { filename: 'none', sha256 }),
      ],
    ];
    for (const [domain, http] of pairs)
      for (const language of ['en', 'ja'] as const)
        expect(problemAnswer(domain, language)).toEqual(problemAnswer(http, language));
  });
});
