/** Words the PDF itself prints around a letter, in the letter's language (English when the language is not here). */
export interface DocumentWords {
  reference: string;
  date: string;
  page: (page: number, pages: number) => string;
  verify: string;
  /** Said on every unsigned document, so it claims nothing false about itself. */
  unsigned: string;
  /** Said on every sealed document, naming the seal's holder. */
  sealed: (holder: string) => string;
}

const WORDS: Record<string, DocumentWords> = {
  en: {
    reference: 'Our ref.',
    date: 'Date',
    page: (page, pages) => `Page ${page} of ${pages}`,
    verify: 'Check that this document was issued by us:',
    unsigned: 'This document carries no electronic seal.',
    sealed: (holder) => `Electronically sealed by ${holder}.`,
  },
  it: {
    reference: 'Rif.',
    date: 'Data',
    page: (page, pages) => `Pagina ${page} di ${pages}`,
    verify: "Verifica dell'autenticità del documento:",
    unsigned: 'Il presente documento non reca sigillo elettronico.',
    sealed: (holder) => `Documento munito del sigillo elettronico di ${holder}.`,
  },
  fr: {
    reference: 'Réf.',
    date: 'Date',
    page: (page, pages) => `Page ${page} sur ${pages}`,
    verify: "Vérification de l'authenticité du document :",
    unsigned: 'Le présent document ne porte pas de cachet électronique.',
    sealed: (holder) => `Document revêtu du cachet électronique de ${holder}.`,
  },
  de: {
    reference: 'Aktenzeichen',
    date: 'Datum',
    page: (page, pages) => `Seite ${page} von ${pages}`,
    verify: 'Prüfung der Echtheit dieses Schreibens:',
    unsigned: 'Dieses Dokument trägt kein elektronisches Siegel.',
    sealed: (holder) => `Elektronisch gesiegelt durch ${holder}.`,
  },
  nl: {
    reference: 'Ons kenmerk',
    date: 'Datum',
    page: (page, pages) => `Pagina ${page} van ${pages}`,
    verify: 'Controle van de echtheid van dit document:',
    unsigned: 'Dit document draagt geen elektronisch zegel.',
    sealed: (holder) => `Elektronisch verzegeld door ${holder}.`,
  },
  ko: {
    reference: '사건번호',
    date: '시행일자',
    page: (page, pages) => `${pages}쪽 중 ${page}쪽`,
    verify: '문서 진위 확인:',
    unsigned: '이 문서에는 전자인장이 없습니다.',
    sealed: (holder) => `이 문서는 ${holder}의 전자인장으로 서명되었습니다.`,
  },
  ja: {
    reference: '事案番号',
    date: '日付',
    page: (page, pages) => `${page} / ${pages} ページ`,
    verify: '本文書の真正性の確認:',
    unsigned: '本文書には電子シールは付されていません。',
    sealed: (holder) => `本文書には${holder}の電子シールが付されています。`,
  },
};

export function documentWords(locale: string): DocumentWords {
  return WORDS[locale] ?? WORDS[locale.toLowerCase().split('-')[0]] ?? WORDS.en;
}

/** The date a document is issued, as the letter's language writes it ("2 dicembre 2026", "2026년 12월 2일"). */
export function issueDate(at: Date, locale: string, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone });
    formats.set(key, format);
  }
  return format.format(at);
}

const formats = new Map<string, Intl.DateTimeFormat>();
