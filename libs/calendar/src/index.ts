export {
  addStoppedDays,
  CalendarError,
  computeDueDate,
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
  ExplanationKind,
  PeriodRule,
  PeriodUnit,
} from './engine.js';
export { regionProblem } from './holidays.js';
export {
  HOLIDAY_SUPPLEMENTS,
  SUPPLEMENTS_REVIEWED_REGIONS,
  SUPPLEMENTS_REVIEWED_YEARS,
} from './holiday-supplements.js';
export type { HolidaySupplement } from './holiday-supplements.js';
export { fireAt, offsetProblem, parseOffset } from './offsets.js';
