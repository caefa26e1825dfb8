import { escapeHtml } from '#docket/platform';
/**
 * The short mail that carries a formal document: the letter itself is the attached PDF. In the letter's language
 * (English when Docket has no cover note in it).
 */
export interface CoverNoteInput {
  locale: string;
  authorityName: string;
  title: string;
  reference: string;
  filename: string;
  /** The reply's due date as the letter writes it, when the letter asks for one. */
  dueFormatted?: string | null;
  replyTo?: string | null;
  verifyUrl: string;
}

type Phrases = {
  greeting: string;
  attached: (i: CoverNoteInput) => string;
  due: (due: string) => string;
  reply: (i: CoverNoteInput) => string;
  verify: (url: string) => string;
  closing: string;
};

const PHRASES: Record<string, Phrases> = {
  en: {
    greeting: 'Dear Sir or Madam,',
    attached: (i) =>
      `Please find attached our letter "${i.title}" (our reference ${i.reference}) as a PDF document (${i.filename}). The attached document is the authoritative text.`,
    due: (due) => `The reply is due by ${due}.`,
    reply: (i) =>
      `Please reply to this message${i.replyTo ? ` or write to ${i.replyTo}` : ''}, quoting the reference ${i.reference}.`,
    verify: (url) => `Anyone holding the document can check that it was issued by us at ${url}.`,
    closing: 'Yours faithfully,',
  },
  it: {
    greeting: 'Gentili Signori,',
    attached: (i) =>
      `si trasmette in allegato la nota di questa Autorità «${i.title}» (rif. ${i.reference}), in formato PDF (${i.filename}). Il documento allegato costituisce il testo ufficiale della comunicazione.`,
    due: (due) => `Il riscontro dovrà pervenire entro e non oltre il ${due}.`,
    reply: (i) =>
      `Si prega di rispondere al presente messaggio${i.replyTo ? ` ovvero all'indirizzo ${i.replyTo}` : ''}, indicando il riferimento ${i.reference}.`,
    verify: (url) => `L'autenticità del documento può essere verificata all'indirizzo ${url}.`,
    closing: 'Distinti saluti.',
  },
  fr: {
    greeting: 'Madame, Monsieur,',
    attached: (i) =>
      `Veuillez trouver ci-joint notre courrier « ${i.title} » (réf. ${i.reference}), au format PDF (${i.filename}). Le document joint fait foi.`,
    due: (due) => `La réponse est attendue au plus tard le ${due}.`,
    reply: (i) =>
      `Nous vous remercions de répondre à ce message${i.replyTo ? ` ou d'écrire à ${i.replyTo}` : ''}, en rappelant la référence ${i.reference}.`,
    verify: (url) => `L'authenticité du document peut être vérifiée à l'adresse ${url}.`,
    closing: "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
  },
  de: {
    greeting: 'Sehr geehrte Damen und Herren,',
    attached: (i) =>
      `anbei erhalten Sie unser Schreiben „${i.title}“ (Aktenzeichen ${i.reference}) als PDF-Dokument (${i.filename}). Maßgeblich ist das beigefügte Dokument.`,
    due: (due) => `Wir bitten um Ihre Antwort bis zum ${due}.`,
    reply: (i) =>
      `Bitte antworten Sie auf diese Nachricht${i.replyTo ? ` oder schreiben Sie an ${i.replyTo}` : ''} und geben Sie dabei das Aktenzeichen ${i.reference} an.`,
    verify: (url) => `Die Echtheit des Dokuments kann unter ${url} geprüft werden.`,
    closing: 'Mit freundlichen Grüßen',
  },
  nl: {
    greeting: 'Geachte heer, mevrouw,',
    attached: (i) =>
      `Bijgaand ontvangt u onze brief '${i.title}' (ons kenmerk ${i.reference}) als pdf-document (${i.filename}). Het bijgevoegde document is de officiële tekst.`,
    due: (due) => `Wij verzoeken u uiterlijk ${due} te antwoorden.`,
    reply: (i) =>
      `U kunt antwoorden op dit bericht${i.replyTo ? ` of schrijven naar ${i.replyTo}` : ''}, onder vermelding van kenmerk ${i.reference}.`,
    verify: (url) => `De echtheid van het document kunt u controleren op ${url}.`,
    closing: 'Hoogachtend,',
  },
  ko: {
    greeting: '귀사의 무궁한 발전을 기원합니다.',
    attached: (i) =>
      `붙임과 같이 공문 「${i.title}」(사건번호: ${i.reference})을 PDF 문서(${i.filename})로 첨부하여 송부합니다. 첨부 문서가 정본입니다.`,
    due: (due) => `회신 기한은 ${due}까지입니다.`,
    reply: (i) =>
      `회신은 본 메일에 회신하는 방법으로 하여 주시되${i.replyTo ? `(${i.replyTo}로 송부하셔도 됩니다)` : ''}, 사건번호(${i.reference})를 기재하여 주시기 바랍니다.`,
    verify: (url) => `문서의 진위는 ${url}에서 확인하실 수 있습니다.`,
    closing: '끝.',
  },
  ja: {
    greeting: 'ご担当者様',
    attached: (i) =>
      `文書「${i.title}」（整理番号：${i.reference}）をPDF文書（${i.filename}）として添付にてお送りします。添付文書が正本となります。`,
    due: (due) => `回答期限は${due}です。`,
    reply: (i) =>
      `ご回答は本メールへの返信にて${i.replyTo ? `（又は${i.replyTo}宛てに）` : ''}、整理番号（${i.reference}）を明記の上お送りください。`,
    verify: (url) => `本文書の真正性は${url}にて確認できます。`,
    closing: '以上',
  },
};

export function coverNote(input: CoverNoteInput): { text: string; html: string } {
  const phrases = PHRASES[input.locale] ?? PHRASES[input.locale.toLowerCase().split('-')[0]] ?? PHRASES.en;
  const paragraphs = [
    phrases.greeting,
    [phrases.attached(input), input.dueFormatted ? phrases.due(input.dueFormatted) : null].filter(Boolean).join(' '),
    phrases.reply(input),
    phrases.verify(input.verifyUrl),
    `${phrases.closing}\n${input.authorityName}`,
  ];
  const text = `${paragraphs.join('\n\n')}\n`;
  const html = `<!DOCTYPE html><html lang="${escapeHtml(input.locale)}"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title></head><body style="font-family:Arial,Helvetica,'Noto Sans',sans-serif;font-size:15px;line-height:1.6;color:#1a1a1a;">${paragraphs
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('')}</body></html>`;
  return { text, html };
}
