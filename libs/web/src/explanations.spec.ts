import {
  addStoppedDays,
  addStoppedTime,
  computeDueDate,
  dueAtEndOf,
  extendDueDate,
  publicHolidayName,
  type AuthorityCalendar,
  type ExplanationEntry,
} from '#docket/calendar';
import { clockIdOf, jointDueDate, PROCEDURE_RULES, statutoryDue, urgentOpinionDue } from '#docket/cooperation';
import { catalogues, LanguageContext, LANGUAGES, type Language } from '#docket/i18n';
import type { DateSettings } from './dates.js';
import { explanationText } from './explanations.js';

/**
 * Issue 20: "why this date" in the reader's language. The calendar engine gives each line a code and parameters
 * beside its English reason; pages render them through the catalogue.
 */
const KR: AuthorityCalendar = {
  timeZone: 'Asia/Seoul',
  holidayRegion: 'KR',
  weekendDays: [6, 7],
  closures: [{ date: '2025-03-04', reason: '전산 장애' }],
  receiptCutoff: '18:00',
};
const IT: AuthorityCalendar = { timeZone: 'Europe/Rome', holidayRegion: 'IT', weekendDays: [6, 7], closures: [] };
const IN: AuthorityCalendar = { timeZone: 'Asia/Kolkata', holidayRegion: 'IN', weekendDays: [6, 7], closures: [] };

/** Every kind of line the engine writes: roll-overs over holidays, cut-off, hours, the EU rule set, extensions … */
function everyKindOfLine(): ExplanationEntry[] {
  return [
    // Seollal 2025 (28–30 Jan) and a weekend: the period rolls over; sent after the 18:00 cut-off.
    ...computeDueDate(new Date('2025-01-17T19:00:00+09:00'), KR, { count: 10, unit: 'calendar_days' }).explanation,
    // Received on a Saturday: counts from the next working day.
    ...computeDueDate(new Date('2025-03-01T10:00:00+09:00'), KR, { count: 2, unit: 'business_days' }).explanation,
    // Hours run through days off; under Reg. 1182/71 from the next hour, with its minimum of working days.
    ...computeDueDate(new Date('2025-01-27T10:30:00+09:00'), KR, { count: 72, unit: 'hours', ruleSet: 'eu-1182-71' })
      .explanation,
    ...computeDueDate(new Date('2025-04-18T10:00:00+02:00'), IT, {
      count: 2,
      unit: 'calendar_days',
      ruleSet: 'eu-1182-71',
    }).explanation,
    ...extendDueDate('2025-02-03', KR, { count: 1, unit: 'months' }).explanation,
    ...extendDueDate('2025-02-03', KR, { count: 24, unit: 'hours' }, '2025-02-03T23:59:59.999+09:00').explanation,
    ...dueAtEndOf('2025-03-01', KR).explanation,
    ...addStoppedDays('2025-02-03', 5, KR).explanation,
    ...addStoppedTime('2025-02-03T23:59:59.999+09:00', 5 * 3_600_000, KR).explanation,
    // India's 2027 lunar holidays are not in the data: the count says so.
    ...computeDueDate(new Date('2027-03-01T10:00:00+05:30'), IN, { count: 20, unit: 'calendar_days' }).explanation,
  ];
}

const SETTINGS: Record<Language, DateSettings> = {
  en: { timezone: 'Asia/Seoul', locale: 'en-GB' },
  it: { timezone: 'Asia/Seoul', locale: 'it-IT' },
  ko: { timezone: 'Asia/Seoul', locale: 'ko-KR' },
  ja: { timezone: 'Asia/Seoul', locale: 'ja-JP' },
  fr: { timezone: 'Asia/Seoul', locale: 'fr-FR' },
  de: { timezone: 'Asia/Seoul', locale: 'de-DE' },
  nl: { timezone: 'Asia/Seoul', locale: 'nl-NL' },
};

const render = (language: Language, entries: ExplanationEntry[]) =>
  LanguageContext.run(language, () => entries.map((entry) => explanationText(entry, SETTINGS[language])));

/** The English words of the explanation messages (placeholders and citations' abbreviations taken out). */
const ENGLISH_WORDS = new Set(
  catalogues()
    .keys('en')
    .filter((key) => key.startsWith('explanation'))
    .flatMap(
      (key) =>
        catalogues()
          .source('en', key)!
          .replace(/\{[^{}]*\}/g, ' ')
          .match(/[A-Za-z]{3,}/g) ?? [],
    )
    .filter((word) => !['EEC', 'Euratom', 'GDPR', 'art'].includes(word)),
);

describe('explanations in the reader’s language', () => {
  const entries = everyKindOfLine();

  it('gives every line of the engine a code of the catalogue', () => {
    const kinds = new Set(entries.map((entry) => entry.kind));
    expect([...kinds].sort()).toEqual(
      [
        'closure',
        'cutoff',
        'due',
        'holiday',
        'minimum',
        'rollover',
        'runs_through',
        'start',
        'unverified',
        'weekend',
      ].sort(),
    );
    expect(entries.filter((entry) => !entry.code || !catalogues().has(`explanation.${entry.code}`))).toEqual([]);
  });

  it('reads in English as the engine wrote it, with dates in words', () => {
    const lines = render('en', entries);
    expect(lines).toContain('Public holiday: Korean New Year');
    expect(
      lines.some((line) =>
        /^The last day of the period, .*2025.*ends on the next working day \(Korean Civil Act, art\. 161\)$/.test(line),
      ),
    ).toBe(true);
  });

  it.each(['ko', 'ja'] as const)('has no English word in %s', (language) => {
    const lines = render(language, entries);
    const english = lines.flatMap((line) =>
      (line.match(/[A-Za-z]{3,}/g) ?? []).filter((word) => ENGLISH_WORDS.has(word)).map((word) => `${word} in ${line}`),
    );
    expect(english).toEqual([]);
    expect(lines.every((line) => line.length > 0 && !line.startsWith('explanation.'))).toBe(true);
  });

  it('shows Korean holidays in Korean to Korean staff, and the holiday’s own terms', () => {
    const lines = render('ko', entries);
    expect(lines).toContain('공휴일: 설날');
    expect(lines.some((line) => line.startsWith('공휴일: 설날 전날(산입: '))).toBe(true);
    expect(lines).toContain('기관 휴무일: 전산 장애');
    expect(lines.some((line) => line.startsWith('처리기한: ') && line.includes('2025년'))).toBe(true);
    expect(lines.some((line) => line.includes('「민법」 제161조'))).toBe(true);
  });

  it.each(LANGUAGES.filter((language) => language !== 'en'))('differs from English in %s on every line', (language) => {
    const english = render('en', entries);
    const translated = render(language, entries);
    // The closure's reason is the authority's own text, as it entered it.
    const same = translated.filter((line, index) => line === english[index]);
    expect(same).toEqual([]);
  });

  it('keeps the English reason of a line stored before lines had codes', () => {
    const old: ExplanationEntry = { date: '2025-01-28', kind: 'holiday', reason: 'Public holiday: Korean New Year' };
    expect(LanguageContext.run('ko', () => explanationText(old, SETTINGS.ko))).toBe('Public holiday: Korean New Year');
  });
});

describe('cooperation clocks in the reader’s language', () => {
  const spec = PROCEDURE_RULES.mutual_assistance.opening[0]!;
  const measures = PROCEDURE_RULES.urgency.opening[0]!;
  const entries = [
    ...statutoryDue(new Date('2026-02-02T10:00:00+09:00'), KR, spec).explanation,
    ...statutoryDue(new Date('2026-02-02T10:00:00+01:00'), IT, measures).explanation,
    ...urgentOpinionDue('2026-05-02', IT).explanation,
  ];

  it('cites the legal basis and names the clock through the catalogue', () => {
    expect(entries.filter((entry) => !entry.code)).toEqual([]);
    const korean = render('ko', entries);
    expect(korean[0]).toBe('GDPR 제61조제2항: 요청을 받은 후 부당한 지체 없이, 늦어도 1개월 이내');
    const english = korean.flatMap((line) =>
      (line.match(/[A-Za-z]{3,}/g) ?? []).filter((word) => ENGLISH_WORDS.has(word)).map((word) => `${word}: ${line}`),
    );
    expect(english).toEqual([]);
    expect(clockIdOf(spec.label)).toBe('mutualAssistanceReply');
    expect(LanguageContext.run('de', () => catalogues().format('de', `coopClock.${clockIdOf(spec.label)}.label`))).toBe(
      'Antwort auf das Amtshilfeersuchen',
    );
    // English readers read the legal basis as the rules state it.
    expect(render('en', entries)[0]).toBe(spec.legalBasis);
  });
});

describe('joint deadlines in the reader’s language', () => {
  it('explains each participant’s share through the catalogue', () => {
    const JP: AuthorityCalendar = { timeZone: 'Asia/Tokyo', holidayRegion: 'JP', weekendDays: [6, 7], closures: [] };
    // Two days from Wed 29 Apr 2026: Rome's own date is Mon 4 May; 5 and 6 May are holidays in Tokyo.
    const joint = jointDueDate('2026-04-29', { count: 2, unit: 'calendar_days' }, [
      { code: 'GPDP', calendar: IT },
      { code: 'PPC', calendar: JP },
    ]);
    const ppc = joint.perAuthority.find((share) => share.code === 'PPC')!;
    expect(ppc.lines.map((line) => line.code)).toEqual(['jointOwn', 'jointBlocked', 'jointBlocked', 'jointDue']);
    const lines = LanguageContext.run('ja', () =>
      ppc.lines.map((line) =>
        explanationText({ date: ppc.localDate, kind: 'start', reason: '', ...line }, SETTINGS.ja),
      ),
    );
    expect(lines[1]).toMatch(/^2026年5月5日火曜日はこの機関の執務日ではありません（祝日：こどもの日）$/);
    const english = lines.flatMap((line) =>
      (line.match(/[A-Za-z]{3,}/g) ?? []).filter((word) => ENGLISH_WORDS.has(word)).map((word) => `${word}: ${line}`),
    );
    expect(english).toEqual([]);
  });
});

describe('holiday names', () => {
  it('are in the reader’s language where the data has it, else the official local name', () => {
    expect(publicHolidayName('KR', '2025-01-01', "New Year's Day", 'ko')).toBe('신정');
    expect(publicHolidayName('KR', '2025-01-01', "New Year's Day", 'en')).toBe("New Year's Day");
    expect(publicHolidayName('IT', '2025-12-25', 'Christmas Day', 'it')).toBe('Natale di Gesù');
    expect(publicHolidayName('DE-BE', '2025-10-03', 'National Holiday', 'nl')).not.toBe('National Holiday');
    // Docket's own corrections carry the official name.
    expect(publicHolidayName('KR', '2025-01-28', 'Day before Seollal (설날 전날)', 'ja')).toBe('설날 전날');
    expect(publicHolidayName('JP', '2025-12-29', 'Government year-end holiday (行政機関の休日)', 'ja')).toBe(
      '年末の行政機関の休日',
    );
    // A name the data does not know stays as it was given.
    expect(publicHolidayName('KR', '2025-01-01', 'Something else', 'ko')).toBe('Something else');
  });
});
