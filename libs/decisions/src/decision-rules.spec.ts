import {
  assessAnswers,
  decimalPlaces,
  DEFAULTED_NOTE,
  followUpQuestionIds,
  instantProblem,
  isCurrency,
  minorUnits,
  outcomeErrors,
  responseTiming,
  type OutcomeInput,
} from './decision-rules.js';

// The Garante's seven questions of 28 Jan 2025, as an inquiry snapshot.
const questions = [
  { id: 'ai.collection.categories', number: 1, topic: 'collection', text: 'Which personal data?' },
  { id: 'ai.sources.origin', number: 2, topic: 'sources', text: 'From which sources?' },
  { id: 'ai.purposes.list', number: 3, topic: 'purposes', text: 'For which purposes?' },
  { id: 'ai.legal_basis.per_purpose', number: 4, topic: 'legal_basis', text: 'On which legal basis?' },
  { id: 'ai.storage_location.countries', number: 5, topic: 'storage_location', text: 'Stored in China?' },
  { id: 'ai.training_use.data', number: 6, topic: 'training_use', text: 'What trains the model?' },
  { id: 'ai.web_scraping.notice', number: 7, topic: 'web_scraping', text: 'How are people told about scraping?' },
];

describe('assessAnswers', () => {
  it('keeps one assessment per question in letter order and records left-out questions as not answered', () => {
    const { answers, errors } = assessAnswers(questions, [
      { questionId: 'ai.storage_location.countries', assessment: 'refused', note: ' Says the GDPR does not apply ' },
      { questionId: 'ai.collection.categories', assessment: 'insufficient' },
    ]);
    expect(errors).toEqual([]);
    expect(answers.map((answer) => answer.questionId)).toEqual(questions.map((question) => question.id));
    expect(answers[0]).toEqual({
      questionId: 'ai.collection.categories',
      questionNumber: 1,
      topic: 'collection',
      assessment: 'insufficient',
      note: null,
    });
    expect(answers[4]).toMatchObject({ assessment: 'refused', note: 'Says the GDPR does not apply' });
    expect(answers[1]).toMatchObject({ assessment: 'not_answered', note: DEFAULTED_NOTE });
  });

  it('refuses questions that are not in the inquiry and questions assessed twice, naming the entry', () => {
    const { errors } = assessAnswers(questions, [
      { questionId: 'ai.collection.categories', assessment: 'answered' },
      { questionId: 'ai.minors.age_checks', assessment: 'answered' },
      { questionId: 'ai.collection.categories', assessment: 'partial' },
    ]);
    expect(errors.map((error) => error.field)).toEqual(['answers.1.questionId', 'answers.2.questionId']);
    expect(errors[0].message).toContain('not one of this inquiry');
    expect(errors[1].message).toContain('twice');
  });
});

describe('followUpQuestionIds', () => {
  it('asks again what was partial, insufficient, refused or not answered, in letter order', () => {
    const ids = followUpQuestionIds([
      { questionId: 'c', questionNumber: 3, assessment: 'refused' },
      { questionId: 'a', questionNumber: 1, assessment: 'answered' },
      { questionId: 'b', questionNumber: 2, assessment: 'partial' },
      { questionId: 'e', questionNumber: 5, assessment: 'not_answered' },
      { questionId: 'd', questionNumber: 4, assessment: 'insufficient' },
    ]);
    expect(ids).toEqual(['b', 'c', 'd', 'e']);
    expect(followUpQuestionIds([{ questionId: 'a', questionNumber: 1, assessment: 'answered' }])).toEqual([]);
  });
});

describe('responseTiming', () => {
  it('counts the Garante reply of 30 Jan 2025 to the letter of 28 Jan as 2 days, on time for 17 Feb', () => {
    const timing = responseTiming({
      sentAt: new Date('2025-01-28T10:00:00+01:00'),
      receivedAt: new Date('2025-01-30T16:20:00+01:00'),
      dueAt: new Date('2025-02-17T23:59:59.999+01:00'),
      dueDate: '2025-02-17',
      timeZone: 'Europe/Rome',
    });
    expect(timing).toEqual({ onTime: true, daysToRespond: 2, lateByDays: 0 });
  });

  it('counts days in the authority zone: 23:30 UTC on 31 Jan is already 1 Feb in Seoul', () => {
    const timing = responseTiming({
      sentAt: new Date('2025-01-31T01:00:00Z'),
      receivedAt: new Date('2025-01-31T23:30:00Z'),
      dueAt: null,
      dueDate: null,
      timeZone: 'Asia/Seoul',
    });
    expect(timing).toEqual({ onTime: true, daysToRespond: 1, lateByDays: 0 });
  });

  it('records a late reply by the days after the due date', () => {
    const timing = responseTiming({
      sentAt: new Date('2025-01-31T09:00:00+09:00'),
      receivedAt: new Date('2025-02-10T11:00:00+09:00'),
      dueAt: new Date('2025-02-07T23:59:59.999+09:00'),
      dueDate: '2025-02-07',
      timeZone: 'Asia/Seoul',
    });
    expect(timing).toEqual({ onTime: false, daysToRespond: 10, lateByDays: 3 });
  });

  it('is late by 0 days when it came on the due day but after a due instant set by hand', () => {
    const timing = responseTiming({
      sentAt: new Date('2025-02-01T09:00:00Z'),
      receivedAt: new Date('2025-02-03T15:00:00Z'),
      dueAt: new Date('2025-02-03T12:00:00Z'),
      dueDate: '2025-02-03',
      timeZone: 'UTC',
    });
    expect(timing).toEqual({ onTime: false, daysToRespond: 2, lateByDays: 0 });
  });
});

describe('instantProblem', () => {
  const now = new Date('2025-04-24T10:00:00Z');
  it('refuses the future beyond a small clock skew, and instants before a bound', () => {
    expect(instantProblem(new Date('2025-04-24T10:01:00Z'), now)).toBeNull();
    expect(instantProblem(new Date('2025-04-25T10:00:00Z'), now)).toContain('future');
    expect(
      instantProblem(new Date('2025-01-01T00:00:00Z'), now, {
        notBefore: new Date('2025-01-28T09:00:00Z'),
        notBeforeWhat: 'the inquiry',
      }),
    ).toBe('is before the inquiry');
  });
});

describe('outcomeErrors', () => {
  const now = new Date('2025-05-01T00:00:00Z');
  const base: OutcomeInput = { type: 'recommendation', decidedAt: '2025-04-24T10:00:00+09:00' };
  const fields = (input: Partial<OutcomeInput>) =>
    outcomeErrors({ ...base, ...input }, now, 'Asia/Seoul').map((error) => error.field);

  it('accepts the PIPC recommendations of 24 Apr 2025: accept within 10 days, checked twice', () => {
    expect(
      fields({
        compliance: { count: 10, unit: 'calendar_days' },
        followUpChecks: [{ count: 3, unit: 'months' }, { dueDate: '2025-12-31' }],
      }),
    ).toEqual([]);
  });

  it('needs a fine with a positive amount and a known currency, only on fines', () => {
    expect(fields({ type: 'fine' })).toEqual(['fine']);
    expect(fields({ type: 'fine', fine: { amount: 15_000_000 } })).toEqual(['fine.currency']);
    expect(fields({ type: 'fine', fine: { amount: -5, currency: 'EUR' } })).toEqual(['fine.amount']);
    expect(fields({ type: 'fine', fine: { amount: 0, currency: 'EUR' } })).toEqual(['fine.amount']);
    expect(fields({ type: 'fine', fine: { amount: 100, currency: 'EUX' } })).toEqual(['fine.currency']);
    expect(fields({ type: 'fine', fine: { amount: 1000.5, currency: 'KRW' } })).toEqual(['fine.amount']);
    expect(fields({ type: 'fine', fine: { amount: 15_000_000, currency: 'EUR' } })).toEqual([]);
    expect(fields({ type: 'corrective_order', fine: { amount: 100, currency: 'EUR' } })).toEqual(['fine']);
  });

  it('asks a referral and a third-party notice whom they go to, and nobody else', () => {
    expect(fields({ type: 'referral' })).toEqual(['referralTo']);
    expect(fields({ type: 'third_party_notice' })).toEqual(['noticeTo']);
    expect(fields({ type: 'third_party_notice', noticeTo: 'Apple App Store; Google Play' })).toEqual([]);
    expect(fields({ referralTo: 'DPC' })).toEqual(['referralTo']);
  });

  it('wants exactly one of {count, unit} and {dueDate}, not before the decision, and nothing to watch after no_action', () => {
    expect(fields({ compliance: { count: 10, unit: 'calendar_days', dueDate: '2025-05-04' } })).toEqual(['compliance']);
    expect(fields({ compliance: {} })).toEqual(['compliance']);
    expect(fields({ followUpChecks: [{ count: 3 }] })).toEqual(['followUpChecks.0']);
    expect(fields({ compliance: { dueDate: '2025-04-23' } })).toEqual(['compliance.dueDate']);
    expect(fields({ compliance: { dueDate: '2025-04-24' } })).toEqual([]);
    expect(fields({ type: 'no_action', followUpChecks: [{ count: 1, unit: 'months' }] })).toEqual(['followUpChecks']);
  });

  it('refuses decisions in the future', () => {
    expect(fields({ decidedAt: '2025-06-01T00:00:00Z' })).toEqual(['decidedAt']);
  });
});

describe('currencies', () => {
  it('knows ISO 4217 codes and their decimals', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('KRW')).toBe(true);
    expect(isCurrency('XYZ')).toBe(false);
    expect([minorUnits('EUR'), minorUnits('KRW'), minorUnits('BHD')]).toEqual([2, 0, 3]);
    expect([decimalPlaces(15), decimalPlaces(0.25), decimalPlaces(1e-7)]).toEqual([0, 2, 7]);
  });
});
