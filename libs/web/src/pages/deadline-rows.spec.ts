import { LanguageContext } from '#docket/i18n';
import { deadlineLabel } from './deadline-rows.js';

const rome = { timezone: 'Europe/Rome', locale: 'it-IT' };
const seoul = { timezone: 'Asia/Seoul', locale: 'ko-KR' };

describe('deadline labels in the reader’s words', () => {
  it('names an outcome’s compliance deadline with the outcome type and date in the reader’s language', () => {
    const deadline = { kind: 'compliance' as const, label: 'Compliance with the corrective order of 2026-11-27' };
    expect(LanguageContext.run('it', () => deadlineLabel(deadline, rome))).toBe(
      'Adempimento: ordine correttivo del 27 nov 2026',
    );
    expect(LanguageContext.run('ko', () => deadlineLabel(deadline, seoul))).toBe('이행: 2026년 11월 27일자 시정명령');
    expect(LanguageContext.run('en', () => deadlineLabel(deadline, { timezone: 'UTC', locale: 'en-GB' }))).toBe(
      'Compliance with the corrective order of 27 Nov 2026',
    );
  });

  it('numbers follow-up checks and keeps a label a person typed as typed', () => {
    const check = {
      kind: 'follow_up_check' as const,
      label: 'Follow-up check 2 of 3 of the third-party notice of 2026-01-05',
    };
    expect(
      LanguageContext.run('de', () => deadlineLabel(check, { timezone: 'Europe/Berlin', locale: 'de-DE' })),
    ).toMatch(/^Nachkontrolle 2 von 3: .+ vom 5\. Jan\. 2026$/);
    const typed = { kind: 'other' as const, label: 'Compliance with the fine of 2026-11-27' };
    expect(LanguageContext.run('it', () => deadlineLabel(typed, rome))).toBe(typed.label);
    const unknownType = { kind: 'compliance' as const, label: 'Compliance with the audit of 2026-11-27' };
    expect(LanguageContext.run('it', () => deadlineLabel(unknownType, rome))).toBe(
      'Compliance with the audit of 27 nov 2026',
    );
  });
});
