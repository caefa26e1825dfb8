import { LanguageContext } from '#docket/i18n';
import { deadlineLabel, historyReason } from './deadline-rows.js';

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

describe('reasons in a deadline’s history in the reader’s words', () => {
  it('writes the moves Docket made itself in the reader’s language, and what a person typed as typed', () => {
    const inFrench = (reason: string | null) => LanguageContext.run('fr', () => historyReason(reason, 'fr-FR'));
    expect(inFrench('closure day 2026-12-08 added: Déménagement des services')).toBe(
      'jour de fermeture 8 décembre 2026 ajouté : Déménagement des services',
    );
    expect(inFrench('closure day 2026-12-08 (Déménagement (démonstration)) removed: reporté')).toBe(
      'jour de fermeture 8 décembre 2026 (Déménagement (démonstration)) supprimé : reporté',
    );
    expect(inFrench('calendar settings changed: receiptCutoff null → "18:00"')).toBe(
      'paramètres du calendrier modifiés : receiptCutoff null → "18:00"',
    );
    expect(LanguageContext.run('ja', () => historyReason('holiday data updated (a → b)', 'ja'))).toBe(
      '祝日データを更新（a → b）',
    );
    expect(inFrench('Prorogation accordée à la demande de l’organisme')).toBe(
      'Prorogation accordée à la demande de l’organisme',
    );
    expect(inFrench(null)).toBeNull();
  });
});
