import { buildLetterContext } from './context.js';
import { fireAt } from '#docket/calendar';
import { toZonedDateTime } from './dates.js';
import type { QuestionBank } from './questions.js';
import type { LetterContext, ReminderDefault, TemplateDefinition, TemplateKind } from './types.js';

interface SampleAuthority {
  authority: LetterContext['authority'];
  caseTitle: string;
  legalBasis: string;
  officer: { name: string; email: string };
  manager: { name: string; email: string };
}

/**
 * The 2025 scenario: the authorities that wrote to the same AI provider in their own
 * language. Used to preview templates without a case and to render them for review.
 */
const SAMPLES: Record<string, SampleAuthority> = {
  en: {
    authority: {
      code: 'DPC',
      name: 'Data Protection Commission',
      country: 'IE',
      locale: 'en',
      timeZone: 'Europe/Dublin',
    },
    caseTitle: 'DeepSeek – processing of personal data of users in Ireland',
    legalBasis: 'Article 58(1)(a) and (e) of Regulation (EU) 2016/679 (GDPR)',
    officer: { name: 'Aoife Byrne', email: 'aoife.byrne@dpc.example' },
    manager: { name: 'Seán Murphy', email: 'sean.murphy@dpc.example' },
  },
  it: {
    authority: {
      code: 'GPDP',
      name: 'Garante per la protezione dei dati personali',
      country: 'IT',
      locale: 'it',
      timeZone: 'Europe/Rome',
    },
    caseTitle: 'DeepSeek – trattamento dei dati personali degli utenti italiani',
    legalBasis: 'art. 58, par. 1, lett. a) ed e), del Regolamento (UE) 2016/679',
    officer: { name: 'Giulia Rossi', email: 'g.rossi@gpdp.example' },
    manager: { name: 'Marco Bianchi', email: 'm.bianchi@gpdp.example' },
  },
  ko: {
    authority: { code: 'PIPC', name: '개인정보보호위원회', country: 'KR', locale: 'ko', timeZone: 'Asia/Seoul' },
    caseTitle: '딥시크(DeepSeek) 개인정보 처리 실태 점검',
    legalBasis: '「개인정보 보호법」 제63조',
    officer: { name: '김민준', email: 'minjun.kim@pipc.example' },
    manager: { name: '이서연', email: 'seoyeon.lee@pipc.example' },
  },
  ja: {
    authority: { code: 'PPC', name: '個人情報保護委員会', country: 'JP', locale: 'ja', timeZone: 'Asia/Tokyo' },
    caseTitle: 'DeepSeekにおける個人情報の取扱い',
    legalBasis: '個人情報の保護に関する法律第146条第1項',
    officer: { name: '佐藤 花子', email: 'hanako.sato@ppc.example' },
    manager: { name: '田中 一郎', email: 'ichiro.tanaka@ppc.example' },
  },
  fr: {
    authority: {
      code: 'CNIL',
      name: "Commission nationale de l'informatique et des libertés",
      country: 'FR',
      locale: 'fr',
      timeZone: 'Europe/Paris',
    },
    caseTitle: 'DeepSeek – traitement des données personnelles des utilisateurs en France',
    legalBasis: 'article 58, paragraphe 1, du règlement (UE) 2016/679 (RGPD)',
    officer: { name: 'Claire Martin', email: 'claire.martin@cnil.example' },
    manager: { name: 'Julien Bernard', email: 'julien.bernard@cnil.example' },
  },
  de: {
    authority: {
      code: 'BLNBDI',
      name: 'Berliner Beauftragte für Datenschutz und Informationsfreiheit',
      country: 'DE',
      locale: 'de',
      timeZone: 'Europe/Berlin',
    },
    caseTitle: 'DeepSeek – Verarbeitung personenbezogener Daten von Nutzerinnen und Nutzern in Deutschland',
    legalBasis: 'Art. 58 Abs. 1 Buchst. a und e der Verordnung (EU) 2016/679 (DSGVO)',
    officer: { name: 'Anna Schneider', email: 'anna.schneider@blnbdi.example' },
    manager: { name: 'Thomas Weber', email: 'thomas.weber@blnbdi.example' },
  },
  nl: {
    authority: {
      code: 'AP',
      name: 'Autoriteit Persoonsgegevens',
      country: 'NL',
      locale: 'nl',
      timeZone: 'Europe/Amsterdam',
    },
    caseTitle: 'DeepSeek – verwerking van persoonsgegevens van gebruikers in Nederland',
    legalBasis: 'artikel 58 lid 1, onder a en e, van Verordening (EU) 2016/679 (AVG)',
    officer: { name: 'Sanne de Vries', email: 's.devries@ap.example' },
    manager: { name: 'Pieter Jansen', email: 'p.jansen@ap.example' },
  },
};

/** The reminder that sends each kind of template, and how far from the due instant it fires. */
const SAMPLE_REMINDERS: Record<TemplateKind, ReminderDefault | null> = {
  inquiry: null,
  chaser: { offset: 'P3D', audience: 'respondent' },
  staff_reminder: { offset: '-P7D', audience: 'assignee' },
  manager_escalation: { offset: 'PT0S', audience: 'manager' },
  respondent_notice: null,
};

const SENT_AT = '2025-01-28T10:00:00Z';
const DUE_DATE = '2025-02-17';

export interface SampleOptions {
  /** Defaults to the moment the kind's sample reminder fires (the sending day for an inquiry). */
  now?: Date;
  questionIds?: readonly string[];
}

/** A realistic context for any template and locale (Garante: 28 Jan 2025 + 20 days = 17 Feb 2025). */
export function sampleLetterContext(
  template: Pick<TemplateDefinition, 'kind' | 'defaultQuestionIds'>,
  locale: string,
  bank: QuestionBank,
  options: SampleOptions = {},
): LetterContext {
  const sample = SAMPLES[locale.split('-')[0]!] ?? SAMPLES.en!;
  const zone = sample.authority.timeZone;
  const dueAt = toZonedDateTime(DUE_DATE, zone).endOf('day').toJSDate();
  const reminder = SAMPLE_REMINDERS[template.kind];
  const now = options.now ?? (reminder ? fireAt(dueAt, reminder.offset, zone) : new Date(SENT_AT));
  const staff =
    template.kind === 'staff_reminder'
      ? sample.officer
      : template.kind === 'manager_escalation'
        ? sample.manager
        : null;
  const questionIds =
    options.questionIds ??
    (template.defaultQuestionIds.length ? template.defaultQuestionIds : bank.questions.slice(0, 3).map((q) => q.id));
  const caseSlug = `${sample.authority.code.toLowerCase()}-2025-0001`;

  return buildLetterContext({
    locale,
    now,
    authority: sample.authority,
    case: {
      reference: `${sample.authority.code}-2025-0001`,
      title: sample.caseTitle,
      legalBasis: sample.legalBasis,
      url: `https://docket.example/cases/${caseSlug}`,
    },
    organisation: { name: 'Hangzhou DeepSeek Artificial Intelligence Co., Ltd.' },
    recipient: staff ?? { name: null, email: 'privacy@respondent.example' },
    officer: sample.officer,
    questionBank: bank,
    questionIds,
    deadline: { dueAt, dueDate: DUE_DATE },
    inquiry: { replyTo: `inquiries+${caseSlug}@docket.example`, sentAt: SENT_AT },
    reminder,
    reply: {
      from: 'Data Protection Officer <dpo@respondent.example>',
      subject: `Re: ${sample.authority.code}-2025-0001`,
      receivedAt: '2025-01-30T09:12:00Z',
      url: 'https://docket.example/inbox/reply-1',
    },
    delivery: {
      subject: `${sample.authority.code}-2025-0001`,
      to: ['privacy@respondent.example'],
      error: '550 5.1.1 <privacy@respondent.example>: Recipient address rejected: User unknown',
    },
    assignment: { by: sample.manager.name },
    notice: {
      kind: 'extension',
      receivedAt: '2025-01-30T09:12:00Z',
      previousDueAt: '2025-02-10T12:00:00Z',
      stoppedAt: '2025-02-03T12:00:00Z',
      eventAt: SENT_AT,
    },
    decision: {
      type: 'corrective_order',
      decidedAt: '2025-04-24T01:00:00Z',
      summary: sample.caseTitle,
      legalBasis: sample.legalBasis,
      fine: { amount: 15000000, currency: 'EUR' },
      complianceDueDate: '2025-05-08',
      followUpCheckDates: ['2025-06-30', '2025-12-31'],
      referralTo: null,
      noticeTo: null,
    },
  });
}
