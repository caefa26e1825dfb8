import { dateLocale } from '#docket/i18n';

/** Words the PDF itself prints around a letter, in the letter's language (English when the language is not here). */
export interface DocumentWords {
  reference: string;
  /** The date line of the letterhead: "Date: 2 December 2026", "Date : 2 décembre 2026". */
  dateLine: (date: string) => string;
  page: (page: number, pages: number) => string;
  verify: string;
  /** Said on every unsigned document, so it claims nothing false about itself. */
  unsigned: string;
  /** Said on every sealed document, naming the seal's holder. */
  sealed: (holder: string) => string;
  /** Said on a preview (never stored nor issued), instead of the seal line: what the letter sent will carry. */
  preview: (holder: string | null) => string;
  /** Heads the list of case documents enclosed with the letter. */
  enclosures: string;
}

const WORDS: Record<string, DocumentWords> = {
  en: {
    reference: 'Our ref.',
    dateLine: (date) => `Date: ${date}`,
    page: (page, pages) => `Page ${page} of ${pages}`,
    verify: 'Check that this document was issued by us:',
    unsigned: 'This document carries no electronic seal.',
    sealed: (holder) => `Electronically sealed by ${holder}.`,
    enclosures: 'Enclosures',
    preview: (holder) =>
      `Preview, not issued. ${holder ? `The letter sent will be electronically sealed by ${holder}.` : 'The letter sent will carry no electronic seal.'}`,
  },
  it: {
    reference: 'Rif.',
    dateLine: (date) => `Data: ${date}`,
    page: (page, pages) => `Pagina ${page} di ${pages}`,
    verify: "Verifica dell'autenticità del documento:",
    unsigned: 'Il presente documento non reca sigillo elettronico.',
    sealed: (holder) => `Documento munito del sigillo elettronico di ${holder}.`,
    enclosures: 'Allegati',
    preview: (holder) =>
      `Anteprima, documento non emesso. ${holder ? `Il documento inviato sarà munito del sigillo elettronico di ${holder}.` : 'Il documento inviato non recherà sigillo elettronico.'}`,
  },
  fr: {
    reference: 'Réf.',
    dateLine: (date) => `Date\u00a0: ${date}`,
    page: (page, pages) => `Page ${page} sur ${pages}`,
    verify: "Vérification de l'authenticité du document :",
    unsigned: 'Le présent document ne porte pas de cachet électronique.',
    sealed: (holder) => `Document revêtu du cachet électronique de ${holder}.`,
    enclosures: 'Pièces jointes',
    preview: (holder) =>
      `Aperçu, document non émis. ${holder ? `Le document envoyé sera revêtu du cachet électronique de ${holder}.` : 'Le document envoyé ne portera pas de cachet électronique.'}`,
  },
  de: {
    reference: 'Aktenzeichen',
    dateLine: (date) => `Datum: ${date}`,
    page: (page, pages) => `Seite ${page} von ${pages}`,
    verify: 'Prüfung der Echtheit dieses Schreibens:',
    unsigned: 'Dieses Dokument trägt kein elektronisches Siegel.',
    sealed: (holder) => `Elektronisch gesiegelt durch ${holder}.`,
    enclosures: 'Anlagen',
    preview: (holder) =>
      `Vorschau, nicht ausgefertigt. ${holder ? `Das versandte Schreiben wird elektronisch gesiegelt durch ${holder}.` : 'Das versandte Schreiben trägt kein elektronisches Siegel.'}`,
  },
  nl: {
    reference: 'Ons kenmerk',
    dateLine: (date) => `Datum: ${date}`,
    page: (page, pages) => `Pagina ${page} van ${pages}`,
    verify: 'Controle van de echtheid van dit document:',
    unsigned: 'Dit document draagt geen elektronisch zegel.',
    sealed: (holder) => `Elektronisch verzegeld door ${holder}.`,
    enclosures: 'Bijlagen',
    preview: (holder) =>
      `Voorbeeld, niet uitgegeven. ${holder ? `Het verzonden document wordt elektronisch verzegeld door ${holder}.` : 'Het verzonden document draagt geen elektronisch zegel.'}`,
  },
  ko: {
    reference: '사건번호',
    dateLine: (date) => `시행일자: ${date}`,
    page: (page, pages) => `${pages}쪽 중 ${page}쪽`,
    verify: '문서 진위 확인:',
    unsigned: '이 문서에는 전자인장이 없습니다.',
    sealed: (holder) => `이 문서는 ${holder}의 전자인장으로 서명되었습니다.`,
    enclosures: '붙임',
    preview: (holder) =>
      `미리보기, 시행 문서 아님. ${holder ? `발송되는 문서는 ${holder}의 전자인장으로 서명됩니다.` : '발송되는 문서에는 전자인장이 없습니다.'}`,
  },
  ja: {
    reference: '整理番号',
    dateLine: (date) => `日付：${date}`,
    page: (page, pages) => `${page} / ${pages} ページ`,
    verify: '本文書の真正性の確認：',
    unsigned: '本文書には電子シールは付されていません。',
    sealed: (holder) => `本文書には${holder}の電子シールが付されています。`,
    enclosures: '添付書類',
    preview: (holder) =>
      `プレビュー（未発出）。${holder ? `送付される文書には${holder}の電子シールが付されます。` : '送付される文書には電子シールは付されません。'}`,
  },
};

export function documentWords(locale: string): DocumentWords {
  return WORDS[locale] ?? WORDS[locale.toLowerCase().split('-')[0]] ?? WORDS.en;
}

/** The date a document is issued, as the letter's language writes it ("2 dicembre 2026", "2 December 2026"). */
export function issueDate(at: Date, locale: string, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(dateLocale(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone });
    formats.set(key, format);
  }
  return format.format(at);
}

const formats = new Map<string, Intl.DateTimeFormat>();
