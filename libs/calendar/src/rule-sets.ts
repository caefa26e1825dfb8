/**
 * How periods are counted under one legal instrument. An authority counts GDPR-procedure periods under
 * Reg. (EEC, Euratom) No 1182/71 and national administrative periods under its own law; each deadline names the
 * rule set it was counted under and its explanation cites it.
 */
export interface RuleSet {
  id: string;
  name: string;
  instrument: string;
  description: string;
  /** 'EU': the roll-over cites Reg. 1182/71 art. 3(4) whatever the authority's country. */
  legalSystem: 'national' | 'EU';
  /** Days that are never working days under this instrument (ISO weekday → reason), on top of the authority's. */
  restDays: Partial<Record<number, string>>;
  /** The explanation code of those rest days (catalogue key explanation.<code>), null when there are none. */
  restDaysCode: string | null;
  /** Roll-over basis cited in the explanation (a leading space and parentheses), or null for the national one. */
  rolloverBasis: string | null;
  /** A period of two days or more includes at least this many working days (art. 3(5)); null: no minimum. */
  minimumWorkingDays: number | null;
  minimumBasis: string | null;
  /** A period in hours starts at the beginning of the hour after the event (art. 3(1)). */
  hoursFromNextHour: boolean;
  hoursBasis: string | null;
  hoursNote: string | null;
}

export const DEFAULT_RULE_SET = 'national';

const EU_WORKING_DAYS =
  'Reg. 1182/71 art. 2(2): working days are all days other than public holidays, Sundays and Saturdays';

export const RULE_SETS: readonly RuleSet[] = [
  {
    id: 'national',
    name: "The authority's national law",
    instrument:
      'National law of the authority (Korean Civil Act arts. 157–161, Japanese Civil Code arts. 140–143, and for EU authorities Reg. 1182/71 art. 3(4))',
    description:
      'Day one is the day after the event; a period ending on a weekend day, public holiday or closure day ends on the next working day; a period in hours runs exactly from the event through nights, weekends and holidays.',
    legalSystem: 'national',
    restDays: {},
    restDaysCode: null,
    rolloverBasis: null,
    minimumWorkingDays: null,
    minimumBasis: null,
    hoursFromNextHour: false,
    hoursBasis: null,
    hoursNote: null,
  },
  {
    id: 'eu-1182-71',
    name: 'Regulation (EEC, Euratom) No 1182/71 (periods, dates and time limits in EU law)',
    instrument: 'Regulation (EEC, Euratom) No 1182/71 of the Council of 3 June 1971, OJ L 124, 8.6.1971, p. 1',
    description:
      'Art. 3(1): the day (or hour) of the event is not counted. Art. 3(4): a period other than one in hours whose last day is a public holiday, Saturday or Sunday ends at the end of the next working day. Art. 3(5): a period of two days or more includes at least two working days. Art. 2(2): Saturdays and Sundays are never working days. Periods in hours start at the beginning of the hour after the event and are not moved off days off.',
    legalSystem: 'EU',
    restDays: { 6: `Saturday (${EU_WORKING_DAYS})`, 7: `Sunday (${EU_WORKING_DAYS})` },
    restDaysCode: 'restEu',
    rolloverBasis: ' (Regulation (EEC, Euratom) No 1182/71, art. 3(4))',
    minimumWorkingDays: 2,
    minimumBasis: 'Regulation (EEC, Euratom) No 1182/71, art. 3(5)',
    hoursFromNextHour: true,
    hoursBasis: 'Regulation (EEC, Euratom) No 1182/71, art. 3(1) first subparagraph',
    hoursNote: 'Reg. 1182/71 art. 3(4) moves only periods other than those in hours',
  },
];

export function ruleSetOf(id: string): RuleSet | undefined {
  return RULE_SETS.find((set) => set.id === id);
}

/** The rule sets as the API lists them. */
export function ruleSetViews() {
  return RULE_SETS.map((set) => ({
    id: set.id,
    name: set.name,
    instrument: set.instrument,
    description: set.description,
    minimumWorkingDays: set.minimumWorkingDays,
    hours: set.hoursFromNextHour ? 'from the beginning of the hour after the event' : 'exactly from the event',
    default: set.id === DEFAULT_RULE_SET,
  }));
}
