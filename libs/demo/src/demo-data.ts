import type { PeriodUnit } from '#docket/calendar';
import type { CasePriority, CaseType, RiskFlag } from '#docket/cases';
import type { Assessment, Channel, OutcomeType } from '#docket/decisions';
import type { DeadlineKind, ExtensionTarget } from '#docket/deadlines';
import type { CreateOrganisationRequest, RepresentativeInput } from '#docket/registry';

/**
 * The demo, as data. Part one is the real 2025 story of one AI provider and seven authorities (dates from
 * the public record; see shared/RESEARCH-domain.md §1). Where the record is silent (a deadline nobody
 * published, the date of a reply) the value is chosen and the text says so. Part two is a current set
 * against invented providers, dated relative to the moment the demo is loaded.
 */

export const DEMO_ROLES = ['admin', 'manager', 'officer1', 'officer2'] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];

export const demoEmail = (code: string, role: DemoRole) => `${role}@${code.toLowerCase()}.demo.example`;
/** Known on purpose: demo users exist only in a database loaded with the demo. */
export const demoPassword = (code: string, role: DemoRole) => `demo-${code.toLowerCase()}-${role}`;
export const userRole = (role: DemoRole) => (role === 'officer1' || role === 'officer2' ? 'officer' : role);

/**
 * When something happens: an instant of the 2025 story (ISO 8601 with the authority's offset), a time
 * relative to the moment the demo is loaded (`days` may be negative), or `live` (the real clock when
 * the step runs).
 */
export type When = string | { days: number; minutes?: number } | 'live';

export interface DemoAuthority {
  code: string;
  name: string;
  country: string;
  timezone: string;
  /** The authority's own language. */
  locale: string;
  holidayRegion: string;
  /** The language of its letters (every demo authority writes in its own). */
  letterLocale: string;
  /** Names of the demo users, by role. */
  users: Record<DemoRole, string>;
}

export const DEMO_AUTHORITIES: readonly DemoAuthority[] = [
  {
    code: 'GPDP',
    name: 'Garante per la protezione dei dati personali',
    country: 'IT',
    timezone: 'Europe/Rome',
    locale: 'it',
    holidayRegion: 'IT',
    letterLocale: 'it',
    users: { admin: 'Luca Romano', manager: 'Giulia Bianchi', officer1: 'Marco Rossi', officer2: 'Chiara Esposito' },
  },
  {
    code: 'DPC',
    name: 'Data Protection Commission',
    country: 'IE',
    timezone: 'Europe/Dublin',
    locale: 'en',
    holidayRegion: 'IE',
    letterLocale: 'en',
    users: { admin: 'Aoife Byrne', manager: 'Ciarán Murphy', officer1: 'Niamh Kelly', officer2: "Seán O'Brien" },
  },
  {
    code: 'PIPC',
    name: '개인정보보호위원회',
    country: 'KR',
    timezone: 'Asia/Seoul',
    locale: 'ko',
    holidayRegion: 'KR',
    letterLocale: 'ko',
    users: { admin: '최유나', manager: '김민준', officer1: '이서연', officer2: '박지호' },
  },
  {
    code: 'PPC',
    name: '個人情報保護委員会',
    country: 'JP',
    timezone: 'Asia/Tokyo',
    locale: 'ja',
    holidayRegion: 'JP',
    letterLocale: 'ja',
    users: { admin: '田中 葵', manager: '佐藤 陽翔', officer1: '鈴木 結衣', officer2: '高橋 蓮' },
  },
  {
    code: 'CNIL',
    name: "Commission nationale de l'informatique et des libertés",
    country: 'FR',
    timezone: 'Europe/Paris',
    locale: 'fr',
    holidayRegion: 'FR',
    letterLocale: 'fr',
    users: { admin: 'Hugo Moreau', manager: 'Camille Martin', officer1: 'Julien Bernard', officer2: 'Léa Dubois' },
  },
  {
    code: 'AP',
    name: 'Autoriteit Persoonsgegevens',
    country: 'NL',
    timezone: 'Europe/Amsterdam',
    locale: 'nl',
    holidayRegion: 'NL',
    letterLocale: 'nl',
    users: { admin: 'Lars Visser', manager: 'Sanne de Vries', officer1: 'Daan Jansen', officer2: 'Emma Bakker' },
  },
  {
    // Codes are capital letters (case references are <CODE>-<YYYY>-<NNNN>); the office calls itself BlnBDI.
    code: 'BLNBDI',
    name: 'Berliner Beauftragte für Datenschutz und Informationsfreiheit (BlnBDI)',
    country: 'DE',
    timezone: 'Europe/Berlin',
    locale: 'de',
    holidayRegion: 'DE-BE',
    letterLocale: 'de',
    users: { admin: 'Felix Hoffmann', manager: 'Katrin Schulz', officer1: 'Jonas Wagner', officer2: 'Lena Becker' },
  },
];

/** Authorities and users are set up the day before the first letter, so every audit trail reads in order. */
export const SETUP_AT = '2025-01-27T08:00:00Z';

export interface DemoActor {
  authority: string;
  role: DemoRole;
}

export interface DemoOrganisation {
  registeredBy: DemoActor;
  at: When;
  request: CreateOrganisationRequest;
}

export const PROVIDER = 'Hangzhou DeepSeek Artificial Intelligence Basic Technology Research Co., Ltd.';

export const DEMO_ORGANISATIONS: readonly DemoOrganisation[] = [
  {
    registeredBy: { authority: 'GPDP', role: 'officer1' },
    at: '2025-01-28T09:30:00+01:00',
    request: {
      name: PROVIDER,
      tradingNames: ['DeepSeek'],
      country: 'CN',
      website: 'https://www.deepseek.com',
      legalEntities: [
        { name: PROVIDER, country: 'CN', address: 'Hangzhou, Zhejiang, China' },
        {
          name: 'Beijing DeepSeek Artificial Intelligence Basic Technology Research Co., Ltd.',
          country: 'CN',
          address: 'Beijing, China',
        },
      ],
      // Reserved .example addresses: the demo's letters and chasers can never reach a real mailbox.
      contacts: [
        { name: 'Privacy team', email: 'privacy@deepseek.example', role: 'dpo' },
        { name: 'Legal department', email: 'legal@deepseek.example', role: 'legal' },
      ],
      representatives: [
        { jurisdiction: 'EU', appointed: false },
        { jurisdiction: 'KR', appointed: false },
      ],
      products: [
        { name: 'DeepSeek app', kind: 'app' },
        { name: 'DeepSeek API', kind: 'api' },
        { name: 'DeepSeek-V3', kind: 'model' },
        { name: 'DeepSeek-R1', kind: 'model' },
        { name: 'DeepSeek web chat', kind: 'service' },
      ],
    },
  },
  {
    registeredBy: { authority: 'DPC', role: 'officer2' },
    at: { days: -41 },
    request: {
      name: 'Aster Minds S.r.l.',
      tradingNames: ['Aster'],
      country: 'IT',
      website: 'https://aster-minds.example',
      legalEntities: [{ name: 'Aster Minds S.r.l.', country: 'IT', address: 'Milano, Italy' }],
      contacts: [{ name: 'Data Protection Officer', email: 'dpo@aster-minds.example', role: 'dpo' }],
      products: [
        { name: 'Aster', kind: 'app' },
        { name: 'Aster-2', kind: 'model' },
      ],
    },
  },
  {
    registeredBy: { authority: 'PIPC', role: 'officer2' },
    at: { days: -26 },
    request: {
      name: 'Lumen Reasoning Ltd.',
      tradingNames: ['Lumen'],
      country: 'IE',
      website: 'https://lumen-reasoning.example',
      legalEntities: [{ name: 'Lumen Reasoning Ltd.', country: 'IE', address: 'Dublin, Ireland' }],
      contacts: [
        { name: 'Data Protection Officer', email: 'dpo@lumen-reasoning.example', role: 'dpo' },
        { name: 'Legal', email: 'legal@lumen-reasoning.example', role: 'legal' },
      ],
      representatives: [
        {
          jurisdiction: 'KR',
          appointed: true,
          name: 'Lumen Korea Agent Co.',
          email: 'kr-agent@lumen-reasoning.example',
        },
      ],
      products: [
        { name: 'Lumen Chat', kind: 'app' },
        { name: 'Lumen API', kind: 'api' },
        { name: 'Lumen-3', kind: 'model' },
      ],
    },
  },
  {
    registeredBy: { authority: 'PPC', role: 'officer1' },
    at: { days: -27 },
    request: {
      name: 'Kestrel Intelligence K.K.',
      tradingNames: ['Kestrel'],
      country: 'JP',
      website: 'https://kestrel-ai.example',
      legalEntities: [{ name: 'Kestrel Intelligence K.K.', country: 'JP', address: 'Tokyo, Japan' }],
      contacts: [{ name: 'Privacy Office', email: 'privacy@kestrel-ai.example', role: 'dpo' }],
      representatives: [
        {
          jurisdiction: 'EU',
          appointed: true,
          name: 'Kestrel Intelligence Europe B.V.',
          email: 'eu-rep@kestrel-ai.example',
        },
      ],
      products: [
        { name: 'Kestrel Search', kind: 'service' },
        { name: 'Kestrel-7B', kind: 'model' },
      ],
    },
  },
  {
    registeredBy: { authority: 'BLNBDI', role: 'officer1' },
    at: { days: -34 },
    request: {
      name: 'Hanbit AI Co., Ltd.',
      tradingNames: ['Hanbit'],
      country: 'KR',
      website: 'https://hanbit-ai.example',
      legalEntities: [{ name: 'Hanbit AI Co., Ltd.', country: 'KR', address: 'Seoul, Republic of Korea' }],
      contacts: [{ name: 'Chief Privacy Officer', email: 'cpo@hanbit-ai.example', role: 'dpo' }],
      representatives: [{ jurisdiction: 'EU', appointed: false }],
      products: [
        { name: 'Hanbit Chat', kind: 'app' },
        { name: 'Hanbit-L', kind: 'model' },
      ],
    },
  },
  {
    registeredBy: { authority: 'CNIL', role: 'officer1' },
    at: { days: -27 },
    request: {
      name: 'Verdant Voice SAS',
      tradingNames: ['Verdant'],
      country: 'FR',
      website: 'https://verdant-voice.example',
      legalEntities: [{ name: 'Verdant Voice SAS', country: 'FR', address: 'Lyon, France' }],
      contacts: [{ name: 'Délégué à la protection des données', email: 'dpo@verdant-voice.example', role: 'dpo' }],
      products: [{ name: 'Verdant Assistant', kind: 'app' }],
    },
  },
];

/** A deadline of the case: the nth (0-based, by due instant) of that kind. */
export interface DeadlineRef {
  kind: DeadlineKind;
  nth: number;
}

/**
 * Which reminders a deadline gets. `none`: historic steps (their reminders would all fire at once on
 * the next start). `upcoming`: the usual plan (the template's, or the outcome default), without the
 * reminders whose time has already passed on the real clock.
 */
export type ReminderChoice = 'none' | 'upcoming';

export interface AnswerData {
  questionId: string;
  assessment: Assessment;
  note?: string;
}

export type DemoEvent =
  | { kind: 'share'; at: When; by: DemoRole }
  | { kind: 'note'; at: When; by: DemoRole; text: string }
  | {
      kind: 'inquiry';
      at: When;
      by: DemoRole;
      /** Defaults to the authority's letter locale. */
      locale?: string;
      to: string[];
      cc?: string[];
      /** The template's default questions when absent. */
      questionIds?: string[];
      deadline: ExtensionTarget;
      reminders: ReminderChoice;
      /** Adds reminders to assignee, managers and respondent that fire 1, 2 and 3 minutes after the step. */
      liveReminders?: boolean;
    }
  | {
      kind: 'response';
      at: When;
      by: DemoRole;
      receivedAt: When;
      channel: Channel;
      summary: string;
      answers: AnswerData[];
    }
  | {
      kind: 'outcome';
      at: When;
      by: DemoRole;
      type: OutcomeType;
      decidedAt: When;
      summary: string;
      legalBasis?: string;
      published?: boolean;
      noticeTo?: string;
      compliance?: { count: number; unit: PeriodUnit };
      followUpChecks?: { count: number; unit: PeriodUnit }[];
      reminders: ReminderChoice;
    }
  | {
      kind: 'deadline';
      at: When;
      by: DemoRole;
      deadlineKind: DeadlineKind;
      label: string;
      eventAt: When;
      rule: { count: number; unit: PeriodUnit };
      reminders: ReminderChoice;
    }
  | { kind: 'waive'; at: When; by: DemoRole; deadline: DeadlineRef; reason: string }
  /** What the overdue sweep does (as the system). */
  | { kind: 'missed'; at: When; deadline: DeadlineRef }
  /** A closure day of the authority on the current due date of a deadline of this case. */
  | { kind: 'closure'; at: When; by: DemoRole; on: DeadlineRef; reason: string }
  /** The organisation of the case names (or stops naming) a representative in one jurisdiction. */
  | { kind: 'representative'; at: When; by: DemoRole; representative: RepresentativeInput };

export interface DemoCase {
  /** The natural key: a tag `demo:…` on the case. */
  tag: string;
  authority: string;
  /** Legal name of a demo organisation. */
  organisation: string;
  opened: {
    at: When;
    by: DemoRole;
    title: string;
    type: CaseType;
    legalBasis?: string;
    priority?: CasePriority;
    assignee: DemoRole;
    products?: string[];
    riskFlags?: RiskFlag[];
    tags?: string[];
  };
  events: DemoEvent[];
}

const DEEPSEEK_TO = ['privacy@deepseek.example'];
const DEEPSEEK_CC = ['legal@deepseek.example'];
/** Why a 2025 deadline is waived without a reply, in the language of the authority's staff. */
const NOT_PUBLIC = {
  en: 'Demo data: no reply to this letter is on the public record, so the deadline is closed without one and the 2025 history keeps no open deadline.',
  fr: "Données de démonstration : aucune réponse à cette demande d'informations ne figure dans les sources publiques ; le délai est donc levé sans réponse et l'historique de 2025 ne conserve aucun délai en cours.",
  nl: 'Demogegevens: uit openbare bronnen is geen antwoord op dit verzoek om inlichtingen bekend; de termijn is daarom zonder antwoord vervallen verklaard, zodat de geschiedenis van 2025 geen openstaande termijn bevat.',
};

/** The seven questions of the Garante's request of 28 Jan 2025, in its order, as question-bank ids. */
export const GARANTE_QUESTIONS = [
  'ai.collection.categories', // which personal data are collected
  'ai.sources.origin', // from which sources
  'ai.purposes.list', // for which purposes
  'ai.legal_basis.per_purpose', // on which legal basis
  'ai.storage_location.countries', // stored on servers in China?
  'ai.web_scraping.training_data', // what information trains the model
  'ai.transparency.scraping_notice', // how registered and non-registered users are told about scraping
];

/** PIPC's questionnaire of 31 Jan 2025: processing entity, items collected, storage and sharing. */
export const PIPC_QUESTIONS = [
  'ai.representative.establishment',
  'ai.collection.categories',
  'ai.storage_location.countries',
  'ai.transfers.recipients',
];

const TRANSFER_QUESTIONS = ['ai.storage_location.countries', 'ai.transfers.recipients', 'ai.transfers.safeguards'];

export const HISTORIC_CASES: readonly DemoCase[] = [
  {
    tag: 'demo:gpdp-2025-request',
    authority: 'GPDP',
    organisation: PROVIDER,
    opened: {
      at: '2025-01-28T09:45:00+01:00',
      by: 'officer1',
      title: 'DeepSeek: trattamento dei dati personali degli utenti in Italia',
      type: 'ex_officio',
      legalBasis: 'GDPR Art. 58(1)(a)',
      priority: 'urgent',
      assignee: 'officer1',
      products: ['DeepSeek app', 'DeepSeek web chat', 'DeepSeek-R1'],
      riskFlags: ['cross_border_transfer', 'children'],
      tags: ['deepseek', 'ai'],
    },
    events: [
      {
        kind: 'inquiry',
        at: '2025-01-28T11:00:00+01:00',
        by: 'officer1',
        to: DEEPSEEK_TO,
        cc: DEEPSEEK_CC,
        questionIds: GARANTE_QUESTIONS,
        deadline: { count: 20, unit: 'calendar_days' },
        reminders: 'none',
      },
      { kind: 'share', at: '2025-01-28T11:15:00+01:00', by: 'manager' },
      {
        kind: 'response',
        at: '2025-01-30T12:00:00+01:00',
        by: 'officer1',
        receivedAt: '2025-01-30T10:30:00+01:00',
        channel: 'email',
        summary:
          'Nel riscontro le società dichiarano di non operare in Italia e che la normativa europea in materia di protezione dei dati personali non si applica nei loro confronti. Nessuna delle sette domande della richiesta di informazioni ha ricevuto risposta.',
        answers: [
          {
            questionId: 'ai.collection.categories',
            assessment: 'insufficient',
            note: "Nessun elenco delle categorie di dati; le società negano l'applicabilità del GDPR.",
          },
          { questionId: 'ai.sources.origin', assessment: 'insufficient', note: 'Fonti non descritte.' },
          { questionId: 'ai.purposes.list', assessment: 'insufficient', note: 'Finalità non descritte.' },
          {
            questionId: 'ai.legal_basis.per_purpose',
            assessment: 'insufficient',
            note: 'Nessuna base giuridica indicata.',
          },
          {
            questionId: 'ai.storage_location.countries',
            assessment: 'insufficient',
            note: 'Il riscontro non indica dove siano conservati i dati degli utenti in Italia.',
          },
          {
            questionId: 'ai.web_scraping.training_data',
            assessment: 'insufficient',
            note: 'Dati di addestramento non descritti.',
          },
          {
            questionId: 'ai.transparency.scraping_notice',
            assessment: 'insufficient',
            note: 'Nessuna indicazione sulle modalità con cui sono informati gli utenti registrati e non registrati.',
          },
        ],
      },
      {
        kind: 'outcome',
        at: '2025-01-30T18:00:00+01:00',
        by: 'manager',
        type: 'processing_limitation',
        decidedAt: '2025-01-30T17:30:00+01:00',
        summary:
          "Provvedimento d'urgenza, con effetto immediato, di limitazione provvisoria del trattamento dei dati personali degli utenti in Italia nei confronti delle due società; il riscontro pervenuto in pari data è risultato del tutto insufficiente. Avviata un'istruttoria.",
        legalBasis: 'GDPR Art. 58(2)(f)',
        published: true,
        reminders: 'none',
      },
    ],
  },
  {
    tag: 'demo:dpc-2025-letter',
    authority: 'DPC',
    organisation: PROVIDER,
    opened: {
      at: '2025-01-29T09:00:00+00:00',
      by: 'officer1',
      title: 'DeepSeek: processing of personal data of data subjects in Ireland',
      type: 'ex_officio',
      legalBasis: 'GDPR Art. 58(1)(a)',
      priority: 'high',
      assignee: 'officer1',
      products: ['DeepSeek app', 'DeepSeek-R1'],
      tags: ['deepseek', 'ai'],
    },
    events: [
      // The DPC published neither its questions nor a deadline: the template's questions and one month are the demo's
      // choice.
      {
        kind: 'inquiry',
        at: '2025-01-29T10:30:00+00:00',
        by: 'officer1',
        to: DEEPSEEK_TO,
        cc: DEEPSEEK_CC,
        deadline: { count: 1, unit: 'months' },
        reminders: 'none',
      },
      { kind: 'share', at: '2025-01-29T10:45:00+00:00', by: 'manager' },
      {
        kind: 'waive',
        at: '2025-03-03T10:00:00+00:00',
        by: 'manager',
        deadline: { kind: 'response', nth: 0 },
        reason: NOT_PUBLIC.en,
      },
    ],
  },
  {
    tag: 'demo:cnil-2025-inquiry',
    authority: 'CNIL',
    organisation: PROVIDER,
    opened: {
      at: '2025-01-30T10:00:00+01:00',
      by: 'officer1',
      title: "DeepSeek : analyse de l'outil et questions à la société",
      type: 'ex_officio',
      legalBasis: 'RGPD art. 58(1)(a)',
      assignee: 'officer1',
      products: ['DeepSeek app', 'DeepSeek-R1'],
      tags: ['deepseek', 'ai'],
    },
    events: [
      {
        kind: 'note',
        at: '2025-01-30T10:05:00+01:00',
        by: 'manager',
        text: "Le service de l'intelligence artificielle de la CNIL analyse l'outil et interrogera la société. Aucune plainte reçue à ce stade.",
      },
      // The CNIL announced on 30 Jan that it would question the company; the letter's date and deadline are the demo's
      // choice.
      {
        kind: 'inquiry',
        at: '2025-01-31T11:00:00+01:00',
        by: 'officer1',
        to: DEEPSEEK_TO,
        deadline: { count: 1, unit: 'months' },
        reminders: 'none',
      },
      { kind: 'share', at: '2025-01-31T11:15:00+01:00', by: 'manager' },
      {
        kind: 'waive',
        at: '2025-03-03T10:00:00+01:00',
        by: 'manager',
        deadline: { kind: 'response', nth: 0 },
        reason: NOT_PUBLIC.fr,
      },
    ],
  },
  {
    tag: 'demo:ap-2025-inquiry',
    authority: 'AP',
    organisation: PROVIDER,
    opened: {
      at: '2025-01-31T09:00:00+01:00',
      by: 'officer1',
      title: 'DeepSeek: doorgifte van persoonsgegevens van gebruikers in Nederland naar China',
      type: 'ex_officio',
      legalBasis: 'artikel 58 lid 1, onder a, AVG',
      assignee: 'officer1',
      products: ['DeepSeek app'],
      riskFlags: ['cross_border_transfer'],
      tags: ['deepseek', 'ai'],
    },
    events: [
      {
        kind: 'note',
        at: '2025-01-31T09:10:00+01:00',
        by: 'manager',
        text: 'Publieke waarschuwing van de voorzitter: gebruikers in Nederland wordt opgeroepen voorzichtig te zijn met de app. Onderzoek naar de doorgifte van persoonsgegevens naar China aangekondigd.',
      },
      // Letter date, questions and four weeks are the demo's choice; the AP announced the investigation, not its
      // letters.
      {
        kind: 'inquiry',
        at: '2025-01-31T14:00:00+01:00',
        by: 'officer1',
        to: DEEPSEEK_TO,
        questionIds: [...TRANSFER_QUESTIONS, 'ai.representative.establishment'],
        deadline: { count: 4, unit: 'weeks' },
        reminders: 'none',
      },
      { kind: 'share', at: '2025-01-31T14:15:00+01:00', by: 'manager' },
      {
        kind: 'waive',
        at: '2025-03-03T10:00:00+01:00',
        by: 'manager',
        deadline: { kind: 'response', nth: 0 },
        reason: NOT_PUBLIC.nl,
      },
    ],
  },
  {
    tag: 'demo:pipc-2025-questionnaire',
    authority: 'PIPC',
    organisation: PROVIDER,
    opened: {
      at: '2025-01-31T09:00:00+09:00',
      by: 'officer1',
      title: 'DeepSeek 서비스의 국내 이용자 개인정보 처리 실태',
      type: 'ex_officio',
      legalBasis: 'PIPA (개인정보 보호법)',
      priority: 'urgent',
      assignee: 'officer1',
      products: ['DeepSeek app', 'DeepSeek-R1'],
      riskFlags: ['cross_border_transfer', 'children'],
      tags: ['deepseek', 'ai'],
    },
    events: [
      // The questionnaire's deadline was not published: 14 days is the demo's choice.
      {
        kind: 'inquiry',
        at: '2025-01-31T10:00:00+09:00',
        by: 'officer1',
        to: DEEPSEEK_TO,
        questionIds: PIPC_QUESTIONS,
        deadline: { count: 14, unit: 'calendar_days' },
        reminders: 'none',
      },
      { kind: 'share', at: '2025-01-31T10:15:00+09:00', by: 'manager' },
      {
        kind: 'representative',
        at: '2025-02-10T16:00:00+09:00',
        by: 'officer1',
        representative: {
          jurisdiction: 'KR',
          appointed: true,
          name: '국내대리인(2025년 2월 10일 개인정보보호위원회에 통보)',
          email: 'kr-agent@deepseek.example',
        },
      },
      {
        kind: 'response',
        at: '2025-02-14T17:00:00+09:00',
        by: 'officer1',
        receivedAt: '2025-02-14T15:00:00+09:00',
        channel: 'email',
        summary:
          '자료 제출 요구에 대하여 2월 10일 지정된 국내대리인을 통해 회신함. 회사는 서비스 출시 당시 한국의 개인정보 보호 법령을 일부 소홀히 하였음을 인정하고, 협조하겠다는 입장을 밝힘.',
        answers: [
          {
            questionId: 'ai.representative.establishment',
            assessment: 'answered',
            note: '서비스 제공 주체는 Hangzhou DeepSeek임. 2025년 2월 10일 국내대리인을 지정함.',
          },
          {
            questionId: 'ai.collection.categories',
            assessment: 'partial',
            note: '계정 정보, 기기 정보 및 이용 정보를 제시함. 프롬프트 내용에 대해서는 명확히 답변하지 않음.',
          },
          {
            questionId: 'ai.storage_location.countries',
            assessment: 'partial',
            note: '중국 소재 서버에 저장한다고 밝힘. 서버 제공업체는 밝히지 않음.',
          },
          {
            questionId: 'ai.transfers.recipients',
            assessment: 'insufficient',
            note: '한국인터넷진흥원(KISA)과 함께 실시한 기술 분석에서 제3자로의 트래픽이 확인되었으나, 개인정보를 제공받는 제3자를 밝히지 않음.',
          },
        ],
      },
      {
        kind: 'outcome',
        at: '2025-02-17T10:00:00+09:00',
        by: 'manager',
        type: 'suspension',
        decidedAt: '2025-02-15T18:00:00+09:00',
        summary:
          '2025년 2월 15일 18:00(한국 표준시)부터 서비스가 개인정보 보호법을 준수할 때까지 국내에서 DeepSeek 앱의 신규 다운로드를 중단함. 개인정보보호위원회가 권고하고 회사가 이를 적용함. 웹을 통한 이용은 계속됨. 2025년 2월 17일 발표.',
        legalBasis: 'PIPA (개인정보 보호법)',
        published: true,
        reminders: 'none',
      },
      {
        kind: 'outcome',
        at: '2025-04-24T11:00:00+09:00',
        by: 'manager',
        type: 'recommendation',
        decidedAt: '2025-04-24T10:00:00+09:00',
        summary:
          '사전 실태점검 결과에 따른 시정권고(2025년 4월 23일 제9회 전체회의 의결): 국외 이전의 법적 근거 마련, Beijing Volcano Engine으로 이전된 프롬프트 파기 및 이전 중단, 한국어 개인정보 처리방침 마련, 아동 보호(연령 확인, 아동의 개인정보 파기), 국내대리인 유지. 10일 이내에 수용하면 시정명령으로 간주하며, 이행 여부는 최소 2회 점검함.',
        legalBasis: 'PIPA (개인정보 보호법)',
        published: true,
        compliance: { count: 10, unit: 'calendar_days' },
        // "At least twice": after three and six months is the demo's choice.
        followUpChecks: [
          { count: 3, unit: 'months' },
          { count: 6, unit: 'months' },
        ],
        reminders: 'none',
      },
      {
        kind: 'waive',
        at: '2025-05-08T10:00:00+09:00',
        by: 'manager',
        deadline: { kind: 'compliance', nth: 0 },
        reason:
          '시연용 데이터: 시정권고가 10일 이내에 수용되었는지는 공개된 자료에서 확인되지 않음(한국어 개인정보 처리방침이 공개되었고 2025년 4월 28일경 다운로드가 재개됨).',
      },
      {
        kind: 'waive',
        at: '2025-07-25T10:00:00+09:00',
        by: 'manager',
        deadline: { kind: 'follow_up_check', nth: 0 },
        reason: '시연용 데이터: 이 점검의 결과는 공개된 자료에서 확인되지 않음.',
      },
      {
        kind: 'waive',
        at: '2025-10-27T10:00:00+09:00',
        by: 'manager',
        deadline: { kind: 'follow_up_check', nth: 1 },
        reason: '시연용 데이터: 이 점검의 결과는 공개된 자료에서 확인되지 않음.',
      },
    ],
  },
  {
    tag: 'demo:ppc-2025-advisory',
    authority: 'PPC',
    organisation: PROVIDER,
    opened: {
      at: '2025-02-03T10:00:00+09:00',
      by: 'officer1',
      title: 'DeepSeekの個人情報の取扱いに関する注意喚起',
      type: 'ex_officio',
      legalBasis: 'APPI (個人情報保護法)',
      assignee: 'officer1',
      products: ['DeepSeek app', 'DeepSeek web chat'],
      riskFlags: ['cross_border_transfer'],
      tags: ['deepseek', 'ai'],
    },
    events: [
      {
        kind: 'note',
        at: '2025-02-03T15:00:00+09:00',
        by: 'manager',
        text: '注意喚起を公表し、あわせてプライバシーポリシーの日本語による概要を掲載した。同ポリシーは中国語及び英語でのみ提供されている。データは中華人民共和国内のサーバに保存され、同国の法令（個人情報保護法（PIPL）、サイバーセキュリティ法、データセキュリティ法及び国家情報法）が適用される。',
      },
      { kind: 'share', at: '2025-02-03T15:10:00+09:00', by: 'manager' },
    ],
  },
  {
    tag: 'demo:blnbdi-2025-request',
    authority: 'BLNBDI',
    organisation: PROVIDER,
    opened: {
      at: '2025-05-06T09:00:00+02:00',
      by: 'officer1',
      title:
        'DeepSeek: Übermittlung personenbezogener Daten von Nutzerinnen und Nutzern in Deutschland nach China (Art. 46 Abs. 1 DSGVO)',
      type: 'ex_officio',
      legalBasis: 'Art. 58 Abs. 1 Buchst. a, Art. 46 Abs. 1 DSGVO',
      priority: 'high',
      assignee: 'officer1',
      products: ['DeepSeek app'],
      riskFlags: ['cross_border_transfer'],
      tags: ['deepseek', 'ai'],
    },
    events: [
      // The request's deadline was not published: four weeks is the demo's choice.
      {
        kind: 'inquiry',
        at: '2025-05-06T11:00:00+02:00',
        by: 'officer1',
        to: DEEPSEEK_TO,
        questionIds: TRANSFER_QUESTIONS,
        deadline: { count: 4, unit: 'weeks' },
        reminders: 'none',
      },
      {
        kind: 'note',
        at: '2025-05-06T11:05:00+02:00',
        by: 'officer1',
        text: 'Aufforderung, die Apps freiwillig aus den deutschen App-Stores zu entfernen, die Übermittlungen nach China einzustellen oder die Anforderungen an Übermittlungen in Drittländer zu erfüllen.',
      },
      { kind: 'share', at: '2025-05-06T11:15:00+02:00', by: 'manager' },
      // DeepSeek did not comply: the overdue sweep marks the deadline missed the night after it.
      { kind: 'missed', at: '2025-06-04T00:05:00+02:00', deadline: { kind: 'response', nth: 0 } },
      {
        kind: 'outcome',
        at: '2025-06-27T11:00:00+02:00',
        by: 'manager',
        type: 'third_party_notice',
        decidedAt: '2025-06-27T10:00:00+02:00',
        noticeTo: 'Apple (App Store) und Google (Google Play), Deutschland',
        summary:
          'Meldung nach Art. 16 DSA an Apple und Google, dass die DeepSeek-App ein rechtswidriger Inhalt ist: Ihre Übermittlungen personenbezogener Daten nach China verstoßen gegen Art. 46 Abs. 1 DSGVO. Die Plattformen müssen die Meldung zeitnah prüfen. Von einem Bußgeld wurde abgesehen, da es in China nicht vollstreckt werden könnte. Abgestimmt mit Baden-Württemberg, Rheinland-Pfalz und Bremen.',
        legalBasis: 'Art. 16 DSA; Art. 46 Abs. 1 DSGVO',
        published: true,
        reminders: 'none',
      },
      // The request was ignored: the deadline stays missed until the decision settles the matter.
      {
        kind: 'waive',
        at: '2025-06-27T11:05:00+02:00',
        by: 'manager',
        deadline: { kind: 'response', nth: 0 },
        reason:
          'Der Aufforderung vom 6. Mai wurde nicht nachgekommen; erledigt durch die Meldung an die App-Stores vom 27. Juni 2025.',
      },
    ],
  },
];

const days = (value: number, minutes = 0): When => ({ days: value, minutes });

/** Open work around today: overdue, due within a week, due later, and reminders firing while you watch. */
export const CURRENT_CASES: readonly DemoCase[] = [
  {
    tag: 'demo:now-gpdp-aster',
    authority: 'GPDP',
    organisation: 'Aster Minds S.r.l.',
    opened: {
      at: days(-36),
      by: 'officer2',
      title: 'Aster: addestramento del modello Aster-2 sulle conversazioni degli utenti',
      type: 'ex_officio',
      legalBasis: 'GDPR Art. 58(1)(a)',
      assignee: 'officer2',
      products: ['Aster', 'Aster-2'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-36, 60),
        by: 'officer2',
        to: ['dpo@aster-minds.example'],
        deadline: { count: 20, unit: 'calendar_days' },
        reminders: 'upcoming',
      },
      { kind: 'missed', at: 'live', deadline: { kind: 'response', nth: 0 } },
    ],
  },
  {
    tag: 'demo:now-gpdp-lumen',
    authority: 'GPDP',
    organisation: 'Lumen Reasoning Ltd.',
    opened: {
      at: days(-17),
      by: 'officer1',
      title: "Lumen Chat: verifica dell'età degli utenti in Italia",
      type: 'ex_officio',
      legalBasis: 'GDPR Art. 58(1)(a)',
      assignee: 'officer1',
      products: ['Lumen Chat'],
      riskFlags: ['children'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-17, 60),
        by: 'officer1',
        to: ['dpo@lumen-reasoning.example'],
        questionIds: ['ai.minors.age_assurance', 'ai.transparency.privacy_notice', 'ai.legal_basis.per_purpose'],
        deadline: { count: 20, unit: 'calendar_days' },
        reminders: 'upcoming',
      },
      { kind: 'share', at: days(-17, 75), by: 'manager' },
    ],
  },
  {
    tag: 'demo:now-gpdp-verdant',
    authority: 'GPDP',
    organisation: 'Verdant Voice SAS',
    opened: {
      at: days(-18),
      by: 'officer1',
      title: 'Verdant Assistant: conservazione delle registrazioni vocali',
      type: 'complaint',
      legalBasis: 'GDPR Art. 77',
      assignee: 'officer1',
      products: ['Verdant Assistant'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-18, 60),
        by: 'officer1',
        to: ['dpo@verdant-voice.example'],
        questionIds: ['ai.retention.periods', 'ai.training_use.prompts', 'ai.rights.exercise'],
        deadline: { count: 20, unit: 'calendar_days' },
        reminders: 'upcoming',
        liveReminders: true,
      },
    ],
  },
  {
    tag: 'demo:now-gpdp-kestrel',
    authority: 'GPDP',
    organisation: 'Kestrel Intelligence K.K.',
    opened: {
      at: days(-3),
      by: 'officer2',
      title: "Kestrel Search: web scraping di siti di notizie italiani per l'addestramento",
      type: 'ex_officio',
      legalBasis: 'GDPR Art. 58(1)(a)',
      assignee: 'officer2',
      products: ['Kestrel Search', 'Kestrel-7B'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-3, 60),
        by: 'officer2',
        to: ['privacy@kestrel-ai.example'],
        questionIds: [
          'ai.web_scraping.training_data',
          'ai.transparency.scraping_notice',
          'ai.rights.exercise',
          'ai.representative.establishment',
        ],
        deadline: { count: 30, unit: 'calendar_days' },
        reminders: 'upcoming',
      },
    ],
  },
  {
    tag: 'demo:now-dpc-lumen',
    authority: 'DPC',
    organisation: 'Lumen Reasoning Ltd.',
    opened: {
      at: days(-9),
      by: 'officer1',
      title: "Lumen: legal basis for training Lumen-3 on EU users' data (lead authority)",
      type: 'ex_officio',
      legalBasis: 'GDPR Art. 58(1)(a), Art. 56',
      priority: 'high',
      assignee: 'officer1',
      products: ['Lumen Chat', 'Lumen-3'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-9, 60),
        by: 'officer1',
        to: ['dpo@lumen-reasoning.example'],
        cc: ['legal@lumen-reasoning.example'],
        deadline: { count: 1, unit: 'months' },
        reminders: 'upcoming',
      },
      { kind: 'share', at: days(-9, 75), by: 'manager' },
    ],
  },
  {
    tag: 'demo:now-dpc-aster',
    authority: 'DPC',
    organisation: 'Aster Minds S.r.l.',
    opened: {
      at: days(-40),
      by: 'officer2',
      title: "Aster Minds: the Garante's mutual assistance request (GDPR Art. 61)",
      type: 'cooperation',
      legalBasis: 'GDPR Art. 61',
      assignee: 'officer2',
      products: ['Aster'],
    },
    events: [
      {
        kind: 'deadline',
        at: 'live',
        by: 'officer2',
        deadlineKind: 'other',
        label: "Reply to the Garante's mutual assistance request (GDPR Art. 61(2))",
        eventAt: days(-40),
        rule: { count: 1, unit: 'months' },
        reminders: 'upcoming',
      },
    ],
  },
  {
    tag: 'demo:now-pipc-hanbit',
    authority: 'PIPC',
    organisation: 'Hanbit AI Co., Ltd.',
    opened: {
      at: days(-30),
      by: 'officer1',
      title: 'Hanbit Chat: 동의 없는 프롬프트 국외 이전',
      type: 'ex_officio',
      legalBasis: 'PIPA (개인정보 보호법)',
      assignee: 'officer1',
      products: ['Hanbit Chat'],
      riskFlags: ['cross_border_transfer'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-30, 60),
        by: 'officer1',
        to: ['cpo@hanbit-ai.example'],
        questionIds: ['ai.transfers.recipients', 'ai.transfers.safeguards', 'ai.training_use.prompts'],
        deadline: { count: 14, unit: 'calendar_days' },
        reminders: 'upcoming',
      },
      {
        kind: 'response',
        at: days(-18, 120),
        by: 'officer1',
        receivedAt: days(-18, 60),
        channel: 'portal',
        summary:
          '프롬프트를 콘텐츠 검토(모더레이션)를 위해 국외 클라우드 사업자에게 전송함. 이용자의 동의는 받지 않음. 학습 목적의 이용은 지난달 중단함.',
        answers: [
          { questionId: 'ai.transfers.recipients', assessment: 'answered' },
          {
            questionId: 'ai.transfers.safeguards',
            assessment: 'insufficient',
            note: '국외 이전에 대한 동의 및 그 밖의 법적 근거가 없음.',
          },
          { questionId: 'ai.training_use.prompts', assessment: 'partial' },
        ],
      },
      {
        kind: 'outcome',
        at: 'live',
        by: 'manager',
        type: 'recommendation',
        decidedAt: days(-6),
        summary:
          '시정권고: 프롬프트를 국외로 이전하기 전에 동의 또는 그 밖의 법적 근거를 갖추고, 이전받는 자를 공개할 것.',
        legalBasis: 'PIPA (개인정보 보호법)',
        compliance: { count: 10, unit: 'calendar_days' },
        followUpChecks: [{ count: 2, unit: 'months' }],
        reminders: 'upcoming',
      },
    ],
  },
  {
    tag: 'demo:now-pipc-lumen',
    authority: 'PIPC',
    organisation: 'Lumen Reasoning Ltd.',
    opened: {
      at: days(-25),
      by: 'officer2',
      title: 'Lumen Chat: 한국어 개인정보 처리방침 및 동의',
      type: 'ex_officio',
      legalBasis: 'PIPA (개인정보 보호법)',
      assignee: 'officer2',
      products: ['Lumen Chat'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-25, 60),
        by: 'officer2',
        to: ['dpo@lumen-reasoning.example'],
        questionIds: ['ai.transparency.privacy_notice', 'ai.legal_basis.per_purpose', 'ai.minors.age_assurance'],
        deadline: { count: 10, unit: 'business_days' },
        reminders: 'upcoming',
      },
      { kind: 'share', at: days(-25, 75), by: 'manager' },
      { kind: 'missed', at: 'live', deadline: { kind: 'response', nth: 0 } },
    ],
  },
  {
    tag: 'demo:now-ppc-kestrel',
    authority: 'PPC',
    organisation: 'Kestrel Intelligence K.K.',
    opened: {
      at: days(-26),
      by: 'officer1',
      title: 'Kestrel Search：利用目的及び第三者提供',
      type: 'ex_officio',
      legalBasis: 'APPI (個人情報保護法)',
      assignee: 'officer1',
      products: ['Kestrel Search'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-26, 60),
        by: 'officer1',
        to: ['privacy@kestrel-ai.example'],
        questionIds: ['ai.purposes.list', 'ai.transfers.recipients', 'ai.retention.periods'],
        deadline: { count: 30, unit: 'calendar_days' },
        reminders: 'upcoming',
      },
    ],
  },
  {
    tag: 'demo:now-cnil-verdant',
    authority: 'CNIL',
    organisation: 'Verdant Voice SAS',
    opened: {
      at: days(-26),
      by: 'officer1',
      title: 'Verdant Assistant : enregistrements vocaux et information des utilisateurs',
      type: 'complaint',
      legalBasis: 'RGPD art. 77',
      assignee: 'officer1',
      products: ['Verdant Assistant'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-26, 60),
        by: 'officer1',
        to: ['dpo@verdant-voice.example'],
        questionIds: ['ai.retention.periods', 'ai.transparency.privacy_notice', 'ai.rights.exercise'],
        deadline: { count: 1, unit: 'months' },
        reminders: 'upcoming',
      },
      {
        kind: 'closure',
        at: 'live',
        by: 'manager',
        on: { kind: 'response', nth: 0 },
        reason: 'Fermeture des services pour déménagement dans de nouveaux locaux (démonstration)',
      },
    ],
  },
  {
    tag: 'demo:now-ap-lumen',
    authority: 'AP',
    organisation: 'Lumen Reasoning Ltd.',
    opened: {
      at: days(-7),
      by: 'officer1',
      title: 'Lumen Chat: profilering van gebruikers in Nederland',
      type: 'ex_officio',
      legalBasis: 'artikel 58 lid 1, onder a, AVG',
      assignee: 'officer1',
      products: ['Lumen Chat'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-7, 60),
        by: 'officer1',
        to: ['dpo@lumen-reasoning.example'],
        questionIds: ['ai.purposes.list', 'ai.legal_basis.per_purpose', 'ai.rights.exercise'],
        deadline: { count: 4, unit: 'weeks' },
        reminders: 'upcoming',
      },
      { kind: 'share', at: days(-7, 75), by: 'manager' },
    ],
  },
  {
    tag: 'demo:now-blnbdi-hanbit',
    authority: 'BLNBDI',
    organisation: 'Hanbit AI Co., Ltd.',
    opened: {
      at: days(-33),
      by: 'officer1',
      title: 'Hanbit Chat: Altersprüfung und Informationen für Kinder',
      type: 'complaint',
      legalBasis: 'Art. 77, Art. 8 DSGVO',
      assignee: 'officer1',
      products: ['Hanbit Chat'],
      riskFlags: ['children'],
    },
    events: [
      {
        kind: 'inquiry',
        at: days(-33, 60),
        by: 'officer1',
        to: ['cpo@hanbit-ai.example'],
        questionIds: ['ai.minors.age_assurance', 'ai.transparency.privacy_notice', 'ai.representative.establishment'],
        deadline: { count: 3, unit: 'weeks' },
        reminders: 'upcoming',
      },
      { kind: 'missed', at: 'live', deadline: { kind: 'response', nth: 0 } },
    ],
  },
];

export const DEMO_CASES: readonly DemoCase[] = [...HISTORIC_CASES, ...CURRENT_CASES];
