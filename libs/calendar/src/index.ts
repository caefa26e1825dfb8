export {
  addStoppedDays,
  addStoppedTime,
  CalendarError,
  computeDueDate,
  cutoffProblem,
  dueAtEndOf,
  endOfLocalDay,
  extendDueDate,
  holidaysBetween,
  isWorkingDay,
  localDateOf,
  MAX_STOPPED_DAYS,
  nonWorkingReasons,
  PERIOD_LIMITS,
  PERIOD_UNITS,
  validateCalendar,
} from './engine.js';
export type {
  AuthorityCalendar,
  CalendarHoliday,
  Closure,
  DueDateResult,
  ExplanationEntry,
  ExplanationParam,
  ExplanationKind,
  PeriodRule,
  PeriodUnit,
} from './engine.js';
export {
  addDays,
  endInstantOfLocalDate,
  instantOfLocalDate,
  instantOfLocalTime,
  isDateOnly,
  localDateTimeOf,
  parseDateOrInstant,
} from './local-time.js';
export { HOLIDAY_DATA_VERSION } from './holiday-data-version.js';
export { DEFAULT_RULE_SET, RULE_SETS, ruleSetOf, ruleSetViews } from './rule-sets.js';
export type { RuleSet } from './rule-sets.js';
export { publicHolidayName, regionProblem } from './holidays.js';
export { HOLIDAY_DATA_GAPS, holidayDataWarnings } from './holiday-data-gaps.js';
export type { HolidayDataGap, HolidayDataShortfall } from './holiday-data-gaps.js';
export {
  HOLIDAY_SUPPLEMENTS,
  SUPPLEMENTS_REVIEWED_REGIONS,
  SUPPLEMENTS_REVIEWED_YEARS,
} from './holiday-supplements.js';
export type { HolidaySupplement } from './holiday-supplements.js';
export { fireAt, officeOffset, offsetProblem, offsetRefusal, parseOffset } from './offsets.js';
export type { OfficeOffset } from './offsets.js';
