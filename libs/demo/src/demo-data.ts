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
const NOT_PUBLIC =
  'Demo data: no reply to this letter is on the public record, so the deadline is closed without one and the 2025 history keeps no open deadline.';

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
          'The companies state that they do not operate in Italy and that European data-protection law does not apply to them. None of the seven questions is answered.',
        answers: [
          {
            questionId: 'ai.collection.categories',
            assessment: 'insufficient',
            note: 'No list of data categories; the companies deny that the GDPR applies.',
          },
          { questionId: 'ai.sources.origin', assessment: 'insufficient', note: 'Sources not described.' },
          { questionId: 'ai.purposes.list', assessment: 'insufficient', note: 'Purposes not described.' },
          { questionId: 'ai.legal_basis.per_purpose', assessment: 'insufficient', note: 'No legal basis given.' },
          {
            questionId: 'ai.storage_location.countries',
            assessment: 'insufficient',
            note: 'Does not say where the data of users in Italy are stored.',
          },
          {
            questionId: 'ai.web_scraping.training_data',
            assessment: 'insufficient',
            note: 'Training data not described.',
          },
          {
            questionId: 'ai.transparency.scraping_notice',
            assessment: 'insufficient',
            note: 'Nothing on how registered and non-registered users are informed.',
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
          'Urgent order with immediate effect limiting the processing of personal data of users in Italy by the two companies; the reply of the same day was wholly insufficient. Investigation opened.',
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
        reason: NOT_PUBLIC,
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
        reason: NOT_PUBLIC,
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
        text: 'Public warning by the chair: users in the Netherlands should be careful with the app. Investigation into transfers of personal data to China announced.',
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
        reason: NOT_PUBLIC,
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
          name: 'Domestic agent in Korea (as notified to the PIPC on 10 Feb 2025)',
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
          'Reply through the domestic agent named on 10 Feb. The company admits that it partly neglected Korean data-protection law at launch and says it will cooperate.',
        answers: [
          {
            questionId: 'ai.representative.establishment',
            assessment: 'answered',
            note: 'Hangzhou DeepSeek provides the service; a domestic agent was designated on 10 Feb 2025.',
          },
          {
            questionId: 'ai.collection.categories',
            assessment: 'partial',
            note: 'Account, device and usage data listed; prompt contents not addressed clearly.',
          },
          {
            questionId: 'ai.storage_location.countries',
            assessment: 'partial',
            note: 'Stored on servers in the PRC; providers not named.',
          },
          {
            questionId: 'ai.transfers.recipients',
            assessment: 'insufficient',
            note: 'Third-party recipients not disclosed, although the technical analysis with KISA shows traffic to third parties.',
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
          'New downloads of the DeepSeek app in Korea suspended from 15 Feb 2025 18:00 KST until the service complies with PIPA; recommended by the PIPC and applied by the company. Access through the web continues. Announced 17 Feb 2025.',
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
          'Corrective recommendations (시정권고) after the pre-inspection, decided at the 9th plenary on 23 Apr 2025: a legal basis for transfers abroad; destroy the prompts transferred to Beijing Volcano Engine and stop such transfers; a Korean privacy policy; protect children (age check, destroy their data); keep a domestic agent. Accepting within 10 days counts as a corrective order; implementation is checked at least twice.',
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
          'Demo data: whether the recommendations were accepted within the 10 days is not on the public record (a Korean privacy policy was published and downloads resumed around 28 Apr 2025).',
      },
      {
        kind: 'waive',
        at: '2025-07-25T10:00:00+09:00',
        by: 'manager',
        deadline: { kind: 'follow_up_check', nth: 0 },
        reason: 'Demo data: the result of this check is not on the public record.',
      },
      {
        kind: 'waive',
        at: '2025-10-27T10:00:00+09:00',
        by: 'manager',
        deadline: { kind: 'follow_up_check', nth: 1 },
        reason: 'Demo data: the result of this check is not on the public record.',
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
        text: 'Advisory (注意喚起) published with a Japanese summary of the privacy policy: the policy exists only in Chinese and English; data are stored on servers in the PRC and are subject to PRC law (PIPL, Cybersecurity, Data Security and National Intelligence Laws).',
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
        text: 'Request: remove the apps from the German app stores voluntarily, or stop the transfers to China, or meet the requirements for transfers to third countries.',
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
        noticeTo: 'Apple (App Store) and Google (Google Play), Germany',
        summary:
          'Notice under Art. 16 DSA to Apple and Google that the DeepSeek app is illegal content: its transfers of personal data to China breach Art. 46(1) GDPR. The platforms must review the notice promptly. No fine, as it could not be enforced in China. Coordinated with Baden-Württemberg, Rhineland-Palatinate and Bremen.',
        legalBasis: 'DSA Art. 16; GDPR Art. 46(1)',
        published: true,
        reminders: 'none',
      },
      // The request was ignored: the deadline stays missed until the decision settles the matter.
      {
        kind: 'waive',
        at: '2025-06-27T11:05:00+02:00',
        by: 'manager',
        deadline: { kind: 'response', nth: 0 },
        reason: 'The request of 6 May was not complied with; decided by the notice to the app stores of 27 Jun 2025.',
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
          'Prompts are sent to a cloud provider abroad for moderation; no consent is asked. Training use stopped last month.',
        answers: [
          { questionId: 'ai.transfers.recipients', assessment: 'answered' },
          {
            questionId: 'ai.transfers.safeguards',
            assessment: 'insufficient',
            note: 'No consent and no other legal basis for the transfer.',
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
          'Corrective recommendation: obtain consent or another legal basis before transferring prompts abroad, and publish the recipients.',
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
        reason: 'Office closed for the move to new premises (demo)',
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
