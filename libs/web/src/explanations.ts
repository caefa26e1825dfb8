import { publicHolidayName, type ExplanationEntry, type ExplanationParam } from '#docket/calendar';
import { CLOSURE_REASON_WITHHELD } from '#docket/deadlines';
import { LanguageContext, t, type MessageParams } from '#docket/i18n';
import type { DateSettings } from './dates.js';
import { readableParams } from './message-params.js';
import { unitWords } from './pages/deadline-rows.js';

/** The rule sets a catalogue names (`ruleSetName.<id>`); another id is shown as it is. */
const RULE_SETS = new Set(['national', 'eu-1182-71']);

type Structured = { code: string; params?: Record<string, ExplanationParam> };

/**
 * The parameters of an explanation line as the reader reads them: `…Day` a date in words (with its weekday),
 * `…At` an instant in the authority's zone, `weekday` its name, `ruleSet` the instrument's name, `count` with
 * `unit` a period ("10 working days"), a public holiday under its name in the reader's language (or its official
 * local name, see publicHolidayName).
 */
function readable(structured: Structured, settings: DateSettings): MessageParams {
  const raw = structured.params ?? {};
  const params = readableParams(raw, settings);
  if (typeof raw.ruleSet === 'string')
    params.ruleSet = RULE_SETS.has(raw.ruleSet) ? t(`ruleSetName.${raw.ruleSet}`) : raw.ruleSet;
  if (typeof raw.count === 'number' && typeof raw.unit === 'string') params.period = unitWords(raw.count, raw.unit);
  if (structured.code === 'holiday' && typeof raw.name === 'string' && typeof raw.region === 'string')
    params.name = publicHolidayName(raw.region, String(raw.holidayDay ?? ''), raw.name, LanguageContext.language());
  return params;
}

function line(structured: Structured, settings: DateSettings): string {
  return t(`explanation.${structured.code}`, readable(structured, settings));
}

/**
 * One line of "why this date" in the reader's language, from its code and parameters; a line stored before
 * explanations carried them keeps its English words.
 */
export function explanationText(entry: ExplanationEntry, settings: DateSettings): string {
  if (!entry.code) return entry.reason;
  const params = readable({ code: entry.code, params: entry.params }, settings);
  if (entry.causes) params.causes = entry.causes.map((cause) => line(cause, settings)).join('; ');
  // A closure whose reason another authority may not read (a cooperation clock on a participant's calendar).
  const withheld = entry.code === 'closure' && entry.params?.reason === CLOSURE_REASON_WITHHELD;
  const text = withheld ? t('explanation.closureWithheld') : t(`explanation.${entry.code}`, params);
  const whole = entry.kind === 'runs_through' ? t('explanationLine.runsThrough', { reason: text }) : text;
  // A line is a sentence: a weekday that starts it is capitalised ("samedi" → "Samedi").
  return whole.charAt(0).toLocaleUpperCase(LanguageContext.language()) + whole.slice(1);
}
