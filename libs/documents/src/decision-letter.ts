/**
 * The text of a decision letter for each outcome type, in the authority's language (it, ko, ja, fr, de, nl, else
 * English): addressee, subject, legal basis, date of the decision, the decision as staff wrote it, and what applies of
 * the fine, the compliance deadline, the follow-up checks, the referral and the notice. Set as a PDF like any letter.
 */
export const DECISION_TYPES = [
  'no_action',
  'recommendation',
  'corrective_order',
  'processing_limitation',
  'suspension',
  'fine',
  'referral',
  'third_party_notice',
  'commitments',
] as const;
export type DecisionType = (typeof DECISION_TYPES)[number];

export interface DecisionLetterInput {
  locale: string;
  timeZone: string;
  type: DecisionType;
  reference: string;
  caseTitle: string;
  organisationName: string;
  legalBasis: string | null;
  decidedAt: Date;
  summary: string;
  fine: { amount: number; currency: string } | null;
  /** `YYYY-MM-DD` dates in the authority's calendar. */
  complianceDueDate: string | null;
  followUpCheckDates: string[];
  referralTo: string | null;
  noticeTo: string | null;
  authorityName: string;
}

interface Words {
  titles: Record<DecisionType, string>;
  to: string;
  subject: string;
  legalBasis: string;
  decided: string;
  intro: (reference: string) => string;
  fine: string;
  compliance: (date: string) => string;
  checks: string;
  referral: string;
  notice: string;
  closing: string;
}

const WORDS: Record<string, Words> = {
  en: {
    titles: {
      no_action: 'Decision to take no further action',
      recommendation: 'Recommendation',
      corrective_order: 'Corrective order',
      processing_limitation: 'Order limiting processing',
      suspension: 'Order suspending processing',
      fine: 'Decision imposing an administrative fine',
      referral: 'Decision to refer the matter',
      third_party_notice: 'Notice to a third party',
      commitments: 'Decision accepting commitments',
    },
    to: 'To:',
    subject: 'Subject:',
    legalBasis: 'Legal basis:',
    decided: 'Date of the decision:',
    intro: (reference) => `Having examined the matter in case ${reference}, the authority has decided as follows.`,
    fine: 'Administrative fine:',
    compliance: (date) => `The measures shall be implemented by ${date}, and the authority informed of them.`,
    checks: 'The authority will verify compliance on the following dates:',
    referral: 'The matter is referred to:',
    notice: 'Notice is given to:',
    closing: 'Yours faithfully,',
  },
  it: {
    titles: {
      no_action: 'Provvedimento di archiviazione',
      recommendation: 'Raccomandazione',
      corrective_order: 'Provvedimento correttivo',
      processing_limitation: 'Provvedimento di limitazione provvisoria del trattamento',
      suspension: 'Provvedimento di sospensione del trattamento',
      fine: 'Ordinanza di ingiunzione del pagamento di una sanzione amministrativa pecuniaria',
      referral: 'Provvedimento di trasmissione degli atti',
      third_party_notice: 'Comunicazione a terzi',
      commitments: 'Provvedimento di accettazione degli impegni',
    },
    to: 'Spett.le',
    subject: 'OGGETTO:',
    legalBasis: 'Base giuridica:',
    decided: 'Data del provvedimento:',
    intro: (reference) =>
      `All'esito dell'istruttoria condotta nel procedimento ${reference}, questa Autorità ha adottato la seguente decisione.`,
    fine: 'Sanzione amministrativa pecuniaria:',
    compliance: (date) => `Le misure dovranno essere attuate entro il ${date}, dandone riscontro a questa Autorità.`,
    checks: "Questa Autorità verificherà l'adempimento nelle seguenti date:",
    referral: 'Gli atti sono trasmessi a:',
    notice: 'La presente comunicazione è indirizzata a:',
    closing: 'Distinti saluti.',
  },
  fr: {
    titles: {
      no_action: 'Décision de clôture sans suite',
      recommendation: 'Recommandation',
      corrective_order: 'Injonction de mise en conformité',
      processing_limitation: 'Décision de limitation du traitement',
      suspension: 'Décision de suspension du traitement',
      fine: 'Délibération prononçant une amende administrative',
      referral: 'Décision de transmission du dossier',
      third_party_notice: 'Notification à un tiers',
      commitments: 'Décision acceptant les engagements',
    },
    to: 'Destinataire :',
    subject: 'Objet :',
    legalBasis: 'Fondement juridique :',
    decided: 'Date de la décision :',
    intro: (reference) =>
      `À l'issue de l'instruction de l'affaire ${reference}, l'autorité a pris la décision suivante.`,
    fine: 'Amende administrative :',
    compliance: (date) =>
      `Les mesures doivent être mises en œuvre au plus tard le ${date} et l'autorité doit en être informée.`,
    checks: "L'autorité vérifiera la mise en conformité aux dates suivantes :",
    referral: "L'affaire est transmise à :",
    notice: 'Notification adressée à :',
    closing: "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
  },
  de: {
    titles: {
      no_action: 'Bescheid über die Einstellung des Verfahrens',
      recommendation: 'Empfehlung',
      corrective_order: 'Anordnung von Abhilfemaßnahmen',
      processing_limitation: 'Anordnung einer Beschränkung der Verarbeitung',
      suspension: 'Anordnung der Aussetzung der Verarbeitung',
      fine: 'Bußgeldbescheid',
      referral: 'Abgabe des Verfahrens',
      third_party_notice: 'Mitteilung an Dritte',
      commitments: 'Bescheid über die Annahme von Verpflichtungszusagen',
    },
    to: 'An:',
    subject: 'Betreff:',
    legalBasis: 'Rechtsgrundlage:',
    decided: 'Datum der Entscheidung:',
    intro: (reference) => `Nach Prüfung der Angelegenheit ${reference} hat die Behörde Folgendes entschieden.`,
    fine: 'Geldbuße:',
    compliance: (date) => `Die Maßnahmen sind bis zum ${date} umzusetzen; die Behörde ist darüber zu unterrichten.`,
    checks: 'Die Behörde wird die Umsetzung zu folgenden Terminen prüfen:',
    referral: 'Die Angelegenheit wird abgegeben an:',
    notice: 'Mitteilung an:',
    closing: 'Mit freundlichen Grüßen',
  },
  nl: {
    titles: {
      no_action: 'Besluit om geen verdere maatregelen te nemen',
      recommendation: 'Aanbeveling',
      corrective_order: 'Corrigerend bevel',
      processing_limitation: 'Besluit tot beperking van de verwerking',
      suspension: 'Besluit tot opschorting van de verwerking',
      fine: 'Besluit tot oplegging van een bestuurlijke boete',
      referral: 'Besluit tot overdracht van de zaak',
      third_party_notice: 'Kennisgeving aan een derde',
      commitments: 'Besluit tot aanvaarding van toezeggingen',
    },
    to: 'Aan:',
    subject: 'Onderwerp:',
    legalBasis: 'Rechtsgrond:',
    decided: 'Datum van het besluit:',
    intro: (reference) => `Na onderzoek van zaak ${reference} heeft de autoriteit het volgende besloten.`,
    fine: 'Bestuurlijke boete:',
    compliance: (date) =>
      `De maatregelen moeten uiterlijk ${date} zijn uitgevoerd, onder mededeling aan de autoriteit.`,
    checks: 'De autoriteit controleert de naleving op de volgende data:',
    referral: 'De zaak wordt overgedragen aan:',
    notice: 'Kennisgeving aan:',
    closing: 'Hoogachtend,',
  },
  ko: {
    titles: {
      no_action: '종결 결정',
      recommendation: '개선권고',
      corrective_order: '시정명령',
      processing_limitation: '처리제한 명령',
      suspension: '처리정지 명령',
      fine: '과징금 부과 처분',
      referral: '이송 결정',
      third_party_notice: '제3자 통지',
      commitments: '자진시정 확약 수용 결정',
    },
    to: '수신:',
    subject: '제목:',
    legalBasis: '근거 법령:',
    decided: '의결일:',
    intro: (reference) => `사건번호 ${reference} 사안에 대한 조사 결과 다음과 같이 결정하였음을 알려 드립니다.`,
    fine: '과징금:',
    compliance: (date) => `${date}까지 조치를 이행하고 그 결과를 위원회에 제출하여 주시기 바랍니다.`,
    checks: '이행 여부는 다음 일자에 점검할 예정입니다.',
    referral: '이송 기관:',
    notice: '통지 대상:',
    closing: '끝.',
  },
  ja: {
    titles: {
      no_action: '措置を講じない旨の決定',
      recommendation: '勧告',
      corrective_order: '是正命令',
      processing_limitation: '取扱いの制限に係る命令',
      suspension: '取扱いの停止に係る命令',
      fine: '課徴金納付命令',
      referral: '移送の決定',
      third_party_notice: '第三者への通知',
      commitments: '確約の受入れに係る決定',
    },
    to: '宛先：',
    subject: '件名：',
    legalBasis: '根拠法令：',
    decided: '決定日：',
    intro: (reference) => `事案番号${reference}に係る調査の結果、下記のとおり決定しましたので通知します。`,
    fine: '課徴金の額：',
    compliance: (date) => `${date}までに措置を講じ、その結果を当委員会に報告してください。`,
    checks: '履行状況は次の日に確認します。',
    referral: '移送先：',
    notice: '通知先：',
    closing: '以上',
  },
};

export function decisionWords(locale: string): Words {
  return WORDS[locale] ?? WORDS[locale.toLowerCase().split('-')[0]] ?? WORDS.en;
}

/** The language a decision letter is written in: the authority's, when Docket has decision letters in it. */
export function decisionLocale(locale: string): string {
  const base = locale.toLowerCase().split('-')[0];
  return WORDS[base] ? base : 'en';
}

const longDate = (date: Date | string, locale: string, timeZone: string) =>
  new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(
    typeof date === 'string' ? new Date(`${date}T12:00:00Z`) : date,
  );

/** `{title, text}`: the document's title and its text (paragraphs apart by blank lines, numbered lines). */
export function decisionLetter(input: DecisionLetterInput): { title: string; text: string } {
  const locale = decisionLocale(input.locale);
  const words = decisionWords(locale);
  const heading = words.titles[input.type];
  const title = `${heading} – ${input.organisationName} – ${input.reference}`;
  const dateOf = (date: string) => longDate(date, locale, 'UTC');
  const paragraphs: string[] = [
    `${words.to} ${input.organisationName}`,
    [
      `${words.subject} ${heading} – ${input.caseTitle}`,
      input.legalBasis ? `${words.legalBasis} ${input.legalBasis}` : null,
      `${words.decided} ${longDate(input.decidedAt, locale, input.timeZone)}`,
    ]
      .filter(Boolean)
      .join('\n'),
    words.intro(input.reference),
    input.summary.trim(),
  ];
  if (input.type === 'fine' && input.fine)
    paragraphs.push(
      `${words.fine} ${new Intl.NumberFormat(locale, { style: 'currency', currency: input.fine.currency }).format(input.fine.amount)}`,
    );
  if (input.referralTo) paragraphs.push(`${words.referral} ${input.referralTo}`);
  if (input.noticeTo) paragraphs.push(`${words.notice} ${input.noticeTo}`);
  if (input.complianceDueDate) paragraphs.push(words.compliance(dateOf(input.complianceDueDate)));
  if (input.followUpCheckDates.length)
    paragraphs.push(
      [words.checks, ...input.followUpCheckDates.map((date, index) => `${index + 1}. ${dateOf(date)}`)].join('\n\n'),
    );
  paragraphs.push(`${words.closing}\n${input.authorityName}`);
  return { title, text: paragraphs.join('\n\n') };
}
