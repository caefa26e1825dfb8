/**
 * What staff of a participating authority are told by e-mail about a cooperation procedure, in their authority's
 * language. One notice per event that asks something of them (not one per participant's every move).
 */
export type NoticeEvent = 'opened' | 'step' | 'message' | 'due_soon' | 'missed';

export interface NoticeFacts {
  reference: string;
  title: string;
  from: string;
  label?: string;
  dueDate?: string;
  link: string;
}

type Texts = Record<NoticeEvent, (facts: NoticeFacts) => { subject: string; body: string }>;

const en: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from} opened a ${f.title}`,
    body: `${f.from} has opened the cooperation procedure ${f.reference} (${f.title}) with your authority.${f.dueDate ? ` ${f.label}: due on ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: ${f.label} by ${f.from}`,
    body: `${f.from} has recorded "${f.label}" in the cooperation procedure ${f.reference}.${f.dueDate ? ` Your period ends on ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: message from ${f.from}`,
    body: `${f.from} has sent a message in the cooperation procedure ${f.reference}.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: ${f.label} due on ${f.dueDate}`,
    body: `In the cooperation procedure ${f.reference}, "${f.label}" is due on ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: ${f.label} overdue since ${f.dueDate}`,
    body: `In the cooperation procedure ${f.reference}, the period for "${f.label}" (${f.from}) ended on ${f.dueDate} without the required step.`,
  }),
};

const it: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from} ha avviato una procedura di cooperazione`,
    body: `${f.from} ha avviato con codesta Autorità la procedura di cooperazione ${f.reference} (${f.title}).${f.dueDate ? ` ${f.label}: termine al ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: nuovo atto di ${f.from}`,
    body: `${f.from} ha registrato l'atto "${f.label}" nella procedura di cooperazione ${f.reference}.${f.dueDate ? ` Il termine per codesta Autorità scade il ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: comunicazione di ${f.from}`,
    body: `${f.from} ha inviato una comunicazione nella procedura di cooperazione ${f.reference}.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: termine in scadenza il ${f.dueDate}`,
    body: `Nella procedura di cooperazione ${f.reference} il termine per "${f.label}" scade il ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: termine scaduto il ${f.dueDate}`,
    body: `Nella procedura di cooperazione ${f.reference} il termine per "${f.label}" (${f.from}) è scaduto il ${f.dueDate} senza l'atto richiesto.`,
  }),
};

const ko: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from}의 협력 절차 개시`,
    body: `${f.from}이(가) 귀 기관과의 협력 절차 ${f.reference}(${f.title})를 개시하였습니다.${f.dueDate ? ` ${f.label}: 처리기한 ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: ${f.from}의 절차 진행`,
    body: `${f.from}이(가) 협력 절차 ${f.reference}에 "${f.label}"을(를) 등록하였습니다.${f.dueDate ? ` 귀 기관의 처리기한은 ${f.dueDate}입니다.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: ${f.from}의 메시지`,
    body: `${f.from}이(가) 협력 절차 ${f.reference}에서 메시지를 보냈습니다.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: 처리기한 ${f.dueDate}`,
    body: `협력 절차 ${f.reference}의 "${f.label}" 처리기한은 ${f.dueDate}입니다.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: 처리기한 경과 (${f.dueDate})`,
    body: `협력 절차 ${f.reference}의 "${f.label}"(${f.from}) 처리기한이 ${f.dueDate}에 경과하였으나 필요한 조치가 이루어지지 않았습니다.`,
  }),
};

const ja: Texts = {
  opened: (f) => ({
    subject: `${f.reference}：${f.from}による協力手続の開始`,
    body: `${f.from}は、貴機関との協力手続${f.reference}（${f.title}）を開始しました。${f.dueDate ? `${f.label}：回答期限 ${f.dueDate}。` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}：${f.from}による手続の進行`,
    body: `${f.from}は、協力手続${f.reference}において「${f.label}」を登録しました。${f.dueDate ? `貴機関の期限は${f.dueDate}です。` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}：${f.from}からの連絡`,
    body: `${f.from}は、協力手続${f.reference}において連絡を送付しました。`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}：期限 ${f.dueDate}`,
    body: `協力手続${f.reference}における「${f.label}」の期限は${f.dueDate}です。`,
  }),
  missed: (f) => ({
    subject: `${f.reference}：期限経過（${f.dueDate}）`,
    body: `協力手続${f.reference}における「${f.label}」（${f.from}）の期限は${f.dueDate}に経過しましたが、所要の手続がなされていません。`,
  }),
};

const fr: Texts = {
  opened: (f) => ({
    subject: `${f.reference} : ${f.from} a ouvert une procédure de coopération`,
    body: `${f.from} a ouvert avec votre autorité la procédure de coopération ${f.reference} (${f.title}).${f.dueDate ? ` ${f.label} : délai au ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference} : nouvel acte de ${f.from}`,
    body: `${f.from} a enregistré « ${f.label} » dans la procédure de coopération ${f.reference}.${f.dueDate ? ` Le délai de votre autorité expire le ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference} : message de ${f.from}`,
    body: `${f.from} a adressé un message dans la procédure de coopération ${f.reference}.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference} : échéance le ${f.dueDate}`,
    body: `Dans la procédure de coopération ${f.reference}, le délai pour « ${f.label} » expire le ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference} : délai expiré le ${f.dueDate}`,
    body: `Dans la procédure de coopération ${f.reference}, le délai pour « ${f.label} » (${f.from}) a expiré le ${f.dueDate} sans l'acte requis.`,
  }),
};

const de: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from} hat ein Kooperationsverfahren eingeleitet`,
    body: `${f.from} hat mit Ihrer Behörde das Kooperationsverfahren ${f.reference} (${f.title}) eingeleitet.${f.dueDate ? ` ${f.label}: Frist bis ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: neuer Verfahrensschritt von ${f.from}`,
    body: `${f.from} hat im Kooperationsverfahren ${f.reference} „${f.label}“ erfasst.${f.dueDate ? ` Die Frist Ihrer Behörde endet am ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: Mitteilung von ${f.from}`,
    body: `${f.from} hat im Kooperationsverfahren ${f.reference} eine Mitteilung übersandt.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: Frist endet am ${f.dueDate}`,
    body: `Im Kooperationsverfahren ${f.reference} endet die Frist für „${f.label}“ am ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: Frist am ${f.dueDate} abgelaufen`,
    body: `Im Kooperationsverfahren ${f.reference} ist die Frist für „${f.label}“ (${f.from}) am ${f.dueDate} ohne den erforderlichen Schritt abgelaufen.`,
  }),
};

const nl: Texts = {
  opened: (f) => ({
    subject: `${f.reference}: ${f.from} heeft een samenwerkingsprocedure ingesteld`,
    body: `${f.from} heeft met uw autoriteit de samenwerkingsprocedure ${f.reference} (${f.title}) ingesteld.${f.dueDate ? ` ${f.label}: termijn tot ${f.dueDate}.` : ''}`,
  }),
  step: (f) => ({
    subject: `${f.reference}: nieuwe stap van ${f.from}`,
    body: `${f.from} heeft in de samenwerkingsprocedure ${f.reference} "${f.label}" vastgelegd.${f.dueDate ? ` De termijn van uw autoriteit verstrijkt op ${f.dueDate}.` : ''}`,
  }),
  message: (f) => ({
    subject: `${f.reference}: bericht van ${f.from}`,
    body: `${f.from} heeft een bericht gestuurd in de samenwerkingsprocedure ${f.reference}.`,
  }),
  due_soon: (f) => ({
    subject: `${f.reference}: termijn verstrijkt op ${f.dueDate}`,
    body: `In de samenwerkingsprocedure ${f.reference} verstrijkt de termijn voor "${f.label}" op ${f.dueDate}.`,
  }),
  missed: (f) => ({
    subject: `${f.reference}: termijn verstreken op ${f.dueDate}`,
    body: `In de samenwerkingsprocedure ${f.reference} is de termijn voor "${f.label}" (${f.from}) op ${f.dueDate} verstreken zonder de vereiste stap.`,
  }),
};

const BY_LANGUAGE: Record<string, Texts> = { en, it, ko, ja, fr, de, nl };

/** The notice in the language of `locale` (e.g. `it-IT`), English when Docket has none for it. */
export function cooperationNotice(
  event: NoticeEvent,
  locale: string,
  facts: NoticeFacts,
): { subject: string; text: string } {
  const texts = BY_LANGUAGE[locale.slice(0, 2).toLowerCase()] ?? en;
  const { subject, body } = texts[event](facts);
  return { subject, text: `${body}\n\n${facts.link}\n` };
}
