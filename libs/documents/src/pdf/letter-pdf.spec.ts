import { execFileSync } from 'node:child_process';
import { familyFor, MissingGlyphsError, primaryFamily } from './fonts.js';
import { paragraphs, renderLetterPdf, DocumentRenderError, type FormalLetter } from './letter-pdf.js';

const text = (pdf: Buffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');

const letter = (overrides: Partial<FormalLetter> = {}): FormalLetter => ({
  locale: 'it',
  timeZone: 'Europe/Rome',
  title: 'Richiesta di informazioni – Rif. GPDP-2026-0001',
  reference: 'GPDP-2026-0001',
  issuedAt: new Date('2026-12-02T10:00:00Z'),
  letterhead: {
    name: 'Garante per la protezione dei dati personali',
    address: 'Piazza Venezia 11\n00187 Roma',
    referenceLabel: null,
    signatoryName: 'Mario Rossi',
    signatoryTitle: 'Il Segretario generale',
    logo: null,
  },
  body: 'Garante per la protezione dei dati personali\n\nOGGETTO: Richiesta\n\n1. Quali dati raccogliete?\n\n2. Dove sono conservati?',
  verifyUrl: 'https://docket.example/verify',
  ...overrides,
});

describe('letter PDF', () => {
  it('chooses the locale’s font first and falls back to a font that has every character', () => {
    expect(primaryFamily('ko-KR')).toBe('kr');
    expect(primaryFamily('ja')).toBe('jp');
    expect(primaryFamily('it')).toBe('latin');
    expect(familyFor('Società', 'it')).toBe('latin');
    expect(familyFor('Spett.le 한빛 AI', 'it')).toBe('kr');
    expect(familyFor('回答期限', 'ko')).not.toBe('latin');
    expect(() => familyFor('Ǳ 𓀀', 'it')).toThrow(MissingGlyphsError);
    expect(() => familyFor('𓀀', 'it')).toThrow(/U\+13000/);
  });

  it('splits the template text into paragraphs without the layout’s heading line', () => {
    expect(paragraphs('Garante\n\nA\nB\n\n\n1. x\n', 'Garante')).toEqual([['A', 'B'], ['1. x']]);
    // The opening block's line that only repeats the reference (the letterhead prints it): left out, nothing else.
    const opening = 'Garante\n\nRif.: GPDP-2026-0001\nSpett.le Aster\n\nCome da Rif.: GPDP-2026-0001 del 2 dicembre\n';
    expect(paragraphs(opening, 'Garante', 'GPDP-2026-0001')).toEqual([
      ['Spett.le Aster'],
      ['Come da Rif.: GPDP-2026-0001 del 2 dicembre'],
    ]);
    expect(paragraphs('사건번호: PIPC-2026-0001\n\n본문', 'x', 'PIPC-2026-0001')).toEqual([['본문']]);
    expect(paragraphs('Rif.: GPDP-2026-0001', 'x', 'GPDP-2026-0002')).toEqual([['Rif.: GPDP-2026-0001']]);
  });

  it.each([
    ['it', 'Rif. GPDP-2026-0001', '2 dicembre 2026', 'Quali dati raccogliete?'],
    ['ko', '사건번호 GPDP-2026-0001', '2026년 12월 2일', '귀사가 수집하는 개인정보 항목'],
    // Day first, as the letter's own text dates it (a bare `en` is not American English).
    ['en', 'Our ref. GPDP-2026-0001', 'Date: 2 December 2026', 'What data do you collect?'],
    // A (no-break) space before the colon, as French is set; pdftotext gives the no-break space as a space.
    ['fr', 'Réf. GPDP-2026-0001', 'Date : 2 décembre 2026', 'Quelles données collectez-vous ?'],
    ['ja', '整理番号 GPDP-2026-0001', '日付：2026年12月2日', '収集している個人情報の項目'],
  ])('sets a %s letter with its reference line, date and numbered text, extractable', async (locale, ref, date, q) => {
    const pdf = await renderLetterPdf(
      letter({ locale, body: `Garante per la protezione dei dati personali\n\n1. ${q}\n\nX` }),
    );
    expect(pdf.subarray(0, 8).toString()).toBe('%PDF-1.7');
    const extracted = text(pdf);
    expect(extracted).toContain(ref);
    expect(extracted).toContain(date);
    expect(extracted).toContain(`1.`);
    expect(extracted).toContain(q);
    expect(extracted).toContain('Mario Rossi');
    expect(pdf.toString('latin1')).toContain('<pdfaid:part>2</pdfaid:part>');
  });

  it('refuses a logo that is not an image', async () => {
    await expect(
      renderLetterPdf(letter({ letterhead: { ...letter().letterhead, logo: Buffer.from('not an image at all') } })),
    ).rejects.toThrow(DocumentRenderError);
  });
});
