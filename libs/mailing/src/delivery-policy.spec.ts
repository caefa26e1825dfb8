import { nextAttemptAt, outcomeOfError, outcomeOfSent, retryDelayMs } from './delivery-policy.js';

const smtpError = (message: string, extra: Record<string, unknown>) => Object.assign(new Error(message), extra);

describe('what an attempt to send came to', () => {
  const recipients = ['a@org.example', 'b@org.example'];

  it('splits a message taken for one recipient and refused (5xx) for the other', () => {
    const outcome = outcomeOfSent(recipients, {
      messageId: '<x@d>',
      response: '250 OK',
      accepted: ['a@org.example'],
      rejected: [{ address: 'B@org.example', code: 550, reason: '550 mailbox unavailable' }],
    });
    expect(outcome.accepted).toEqual(['a@org.example']);
    expect(outcome.refused.map((refusal) => refusal.address)).toEqual(['B@org.example']);
    expect(outcome.deferred).toEqual([]);
  });

  it('matches recipients written with a name to the bare addresses the server answers for', () => {
    const outcome = outcomeOfSent(['GPDP manager <Manager@gpdp.test>', 'dpo@org.example'], {
      messageId: '<x@d>',
      response: '250 OK',
      accepted: ['manager@gpdp.test', 'dpo@org.example'],
      rejected: [],
    });
    expect(outcome).toMatchObject({ refused: [], deferred: [] });
    expect(outcome.accepted).toHaveLength(2);
  });

  it('defers a recipient refused for now (4xx) while the other took it', () => {
    const outcome = outcomeOfSent(recipients, {
      messageId: '<x@d>',
      response: '250 OK',
      accepted: ['b@org.example'],
      rejected: [{ address: 'a@org.example', code: 451, reason: '451 try later' }],
    });
    expect(outcome).toMatchObject({
      accepted: ['b@org.example'],
      refused: [],
      deferred: [{ address: 'a@org.example' }],
    });
  });

  it('reads every recipient refused at RCPT TO, each by its own code', () => {
    const error = smtpError("Can't send mail - all recipients were rejected", {
      code: 'EENVELOPE',
      responseCode: 451,
      rejectedErrors: [
        { recipient: 'a@org.example', responseCode: 550, response: '550 no such user' },
        { recipient: 'b@org.example', responseCode: 451, response: '451 greylisted' },
      ],
    });
    const outcome = outcomeOfError(recipients, error);
    expect(outcome.refused.map((refusal) => refusal.address)).toEqual(['a@org.example']);
    expect(outcome.deferred.map((refusal) => refusal.address)).toEqual(['b@org.example']);
    expect(outcome.serverTrouble).toBe(false);
  });

  it('treats a connection failure, a timeout and a 4xx as temporary, a 5xx as final', () => {
    const refused = outcomeOfError(recipients, smtpError('connect ECONNREFUSED 127.0.0.1:25', { code: 'ESOCKET' }));
    expect(refused).toMatchObject({ refused: [], serverTrouble: true });
    expect(refused.deferred).toHaveLength(2);
    expect(
      outcomeOfError(recipients, smtpError('Greeting never received', { code: 'ETIMEDOUT' })).deferred,
    ).toHaveLength(2);
    const busy = outcomeOfError(recipients, smtpError('451 try later', { code: 'EMESSAGE', responseCode: 451 }));
    expect(busy).toMatchObject({ refused: [], serverTrouble: false });
    expect(busy.deferred).toHaveLength(2);
    expect(outcomeOfError(recipients, smtpError('421 closing', { responseCode: 421 })).serverTrouble).toBe(true);
    const rejected = outcomeOfError(recipients, smtpError('554 rejected', { code: 'EMESSAGE', responseCode: 554 }));
    expect(rejected.refused).toHaveLength(2);
    expect(rejected.deferred).toEqual([]);
    // A message that cannot be built or addressed at all is not tried again.
    expect(outcomeOfError(recipients, smtpError('No recipients defined', { code: 'EENVELOPE' })).refused).toHaveLength(
      2,
    );
  });
});

describe('when a waiting message is tried again', () => {
  const window = { windowMs: 48 * 3_600_000, maxIntervalMs: 15 * 60_000 };

  it('waits 2 s, then twice as long each time, never longer than the longest pause', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => retryDelayMs(attempts, window.maxIntervalMs))).toEqual([
      2000, 4000, 8000, 16000, 32000,
    ]);
    expect(retryDelayMs(12, window.maxIntervalMs)).toBe(15 * 60_000);
    expect(retryDelayMs(1000, window.maxIntervalMs)).toBe(15 * 60_000);
  });

  it('makes the last attempt at the end of the window and none after it', () => {
    const since = new Date('2026-12-01T00:00:00Z');
    expect(nextAttemptAt(new Date('2026-12-01T00:00:10Z'), since, 3, window)?.toISOString()).toBe(
      '2026-12-01T00:00:18.000Z',
    );
    expect(nextAttemptAt(new Date('2026-12-02T23:59:00Z'), since, 40, window)?.toISOString()).toBe(
      '2026-12-03T00:00:00.000Z',
    );
    expect(nextAttemptAt(new Date('2026-12-03T00:00:00Z'), since, 41, window)).toBeNull();
  });
});
