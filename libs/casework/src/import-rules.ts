import { PERIOD_UNITS, type PeriodUnit } from '#docket/calendar';
import { CASE_PRIORITIES, CASE_TAG_PATTERN, CASE_TYPES, type CasePriority, type CaseType } from '#docket/cases';
import { isCalendarDate } from '#docket/platform';
import type { MessageParams } from '#docket/i18n';

/** The most data rows one import takes; a larger file is refused whole (split it). */
export const IMPORT_MAX_ROWS = 10_000;

/** Columns every file must have (a value may be empty where the rules below allow it). */
export const IMPORT_REQUIRED_COLUMNS = [
  'external_reference',
  'organisation',
  'title',
  'type',
  'opened',
  'assignee',
  'deadline_label',
  'deadline_event',
  'deadline_count',
  'deadline_unit',
] as const;
export const IMPORT_OPTIONAL_COLUMNS = ['priority', 'tags', 'deadline_rule_set'] as const;
type Column = (typeof IMPORT_REQUIRED_COLUMNS)[number] | (typeof IMPORT_OPTIONAL_COLUMNS)[number];

/** A file refused whole: not text, not CSV, or not the columns of an import. */
export class ImportFileError extends Error {
  /**
   * @param message the English sentence (the API's detail for English callers)
   * @param key the same as a catalogue message (`imports.refusal.*`), for other readers
   */
  constructor(
    message: string,
    readonly key: string,
    readonly params: MessageParams = {},
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
  }
}

/**
 * One problem of a row: `message` is the English sentence (the API's words for English callers); `key` and `params`
 * the same as a catalogue message (`imports.refusal.*`, ISO dates in parameters named `…Day`), which pages show in the
 * reader's language and the API answers in the token user's.
 */
export interface ImportProblem {
  line: number;
  column: string;
  message: string;
  key: string;
  params?: MessageParams;
}

/** Adds a problem of one row: its column, English sentence and catalogue message. */
export type ProblemOf = (column: string, message: string, key: string, params?: MessageParams) => void;

/** One data row as read from the file, checked on its own (what needs the database is checked by the service). */
export interface ImportRow {
  line: number;
  /** Whether every value of the row is well-formed (a bad row is still looked up, to report all its problems). */
  valid: boolean;
  key: string;
  organisation: string;
  title: string;
  type: CaseType;
  opened: string;
  assignee: string | null;
  priority: CasePriority;
  tags: string[];
  deadline: { label: string; event: string; count: number; unit: PeriodUnit; ruleSet?: string } | null;
}

/** UTF-8 text without its byte-order mark; anything else (Latin-1, UTF-16, binary) is refused. */
export function decodeImportFile(bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportFileError(
      'The file is not UTF-8 text: save it as "CSV UTF-8" (comma-separated, UTF-8) and upload it again.',
      'imports.refusal.notUtf8',
    );
  }
  if (text.includes('\u0000'))
    throw new ImportFileError(
      'The file holds NUL characters: it is not a CSV text file (UTF-16 or binary?).',
      'imports.refusal.notText',
    );
  return text.replace(/^\uFEFF/, '');
}

/**
 * RFC 4180 CSV: comma-separated, fields in double quotes may hold commas, quotes (doubled) and line breaks; CRLF or
 * LF line ends. Returns the records with the line each starts on. A quote left open or a stray quote is refused.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"') {
      if (field !== '' || wasQuoted)
        throw new ImportFileError(
          `Line ${line}: a quote inside a field that does not start with one; double it ("").`,
          'imports.refusal.strayQuote',
          { line },
        );
      quoted = true;
      wasQuoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      wasQuoted = false;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      wasQuoted = false;
      line++;
      recordLine = line;
    } else {
      if (wasQuoted)
        throw new ImportFileError(
          `Line ${line}: text after a closing quote; put the whole field in quotes.`,
          'imports.refusal.afterQuote',
          { line },
        );
      field += char;
    }
  }
  if (quoted)
    throw new ImportFileError(`Line ${recordLine}: a quoted field is never closed.`, 'imports.refusal.openQuote', {
      line: recordLine,
    });
  fields.push(field);
  if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
  return records;
}

/** The header's columns by name; a missing, unknown or repeated column refuses the file, naming them all. */
export function readHeader(header: string[]): Map<Column, number> {
  const names = header.map((name) => name.trim().toLowerCase());
  const known = new Set<string>([...IMPORT_REQUIRED_COLUMNS, ...IMPORT_OPTIONAL_COLUMNS]);
  const missing = IMPORT_REQUIRED_COLUMNS.filter((column) => !names.includes(column));
  const unknown = names.filter((name) => !known.has(name));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  const faults = [
    missing.length ? `missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}` : '',
    unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}` : '',
    repeated.length ? `column${repeated.length > 1 ? 's' : ''} given twice: ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  if (faults.length)
    throw new ImportFileError(
      `The first line must name the columns (${IMPORT_REQUIRED_COLUMNS.join(', ')}; optional: ${IMPORT_OPTIONAL_COLUMNS.join(', ')}): ${faults.join('; ')}.`,
      'imports.refusal.header',
      {
        required: IMPORT_REQUIRED_COLUMNS.join(', '),
        optional: IMPORT_OPTIONAL_COLUMNS.join(', '),
        missing: missing.join(', '),
        missingCount: missing.length,
        unknown: unknown.join(', '),
        unknownCount: unknown.length,
        repeated: repeated.join(', '),
        repeatedCount: repeated.length,
      },
    );
  return new Map(names.map((name, index) => [name as Column, index]));
}

/**
 * Reads every data row of a parsed file and checks what can be checked without the database: a problem per bad
 * value, each naming its line and column (a row of the wrong length is not read further). `today` is the
 * authority's local date (opened and event dates may not be later).
 */
export function readImportRows(
  records: { line: number; fields: string[] }[],
  today: string,
): { rows: ImportRow[]; problems: ImportProblem[] } {
  if (records.length === 0)
    throw new ImportFileError('The file is empty: its first line must name the columns.', 'imports.refusal.empty');
  const columns = readHeader(records[0].fields);
  const data = records.slice(1);
  if (data.length === 0) throw new ImportFileError('The file has a header but no rows.', 'imports.refusal.noRows');
  if (data.length > IMPORT_MAX_ROWS)
    throw new ImportFileError(
      `The file has ${data.length.toLocaleString('en')} rows; one import takes at most ${IMPORT_MAX_ROWS.toLocaleString('en')}: split it into several files.`,
      'imports.refusal.tooManyRows',
      { rows: data.length, max: IMPORT_MAX_ROWS },
      413,
    );
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  const keys = new Map<string, number>();
  for (const { line, fields } of data) {
    const problem: ProblemOf = (column, message, key, params) =>
      problems.push({ line, column, message, key, ...(params ? { params } : {}) });
    if (fields.length !== columns.size) {
      problem(
        '*',
        `the row has ${fields.length} fields; the header names ${columns.size}`,
        'imports.refusal.rowLength',
        {
          fields: fields.length,
          columns: columns.size,
        },
      );
      continue;
    }
    const value = (column: Column) => {
      const index = columns.get(column);
      return index === undefined ? '' : fields[index].trim();
    };
    const before = problems.length;
    const key = value('external_reference');
    if (!key)
      problem(
        'external_reference',
        'the import key (your reference for the case) is empty',
        'imports.refusal.keyEmpty',
      );
    else if (key.length > 100)
      problem('external_reference', 'the import key is longer than 100 characters', 'imports.refusal.keyTooLong', {
        max: 100,
      });
    else if (keys.has(key))
      problem('external_reference', `the same key as line ${keys.get(key)}`, 'imports.refusal.keyRepeated', {
        line: keys.get(key)!,
      });
    else keys.set(key, line);
    const organisation = value('organisation');
    if (!organisation) problem('organisation', 'the organisation is empty', 'imports.refusal.organisationEmpty');
    const title = value('title');
    if (!title || title.length > 300)
      problem('title', 'the title must be 1 to 300 characters long', 'imports.refusal.title', { min: 1, max: 300 });
    const type = value('type');
    if (!(CASE_TYPES as readonly string[]).includes(type))
      problem('type', `"${type}" is not a case type; one of ${CASE_TYPES.join(', ')}`, 'imports.refusal.type', {
        value: type,
        choices: CASE_TYPES.join(', '),
      });
    const opened = value('opened');
    if (!isCalendarDate(opened))
      problem('opened', `"${opened}" is not a date written YYYY-MM-DD`, 'imports.refusal.date', { value: opened });
    else if (opened > today)
      problem('opened', `${opened} is in the future`, 'imports.refusal.future', { dateDay: opened });
    const priority = value('priority') || 'normal';
    if (!(CASE_PRIORITIES as readonly string[]).includes(priority))
      problem(
        'priority',
        `"${priority}" is not a priority; one of ${CASE_PRIORITIES.join(', ')}`,
        'imports.refusal.priority',
        { value: priority, choices: CASE_PRIORITIES.join(', ') },
      );
    const tags = value('tags')
      .split(';')
      .map((tag) => tag.trim())
      .filter(Boolean);
    const badTag = tags.find((tag) => !CASE_TAG_PATTERN.test(tag));
    if (badTag !== undefined)
      problem('tags', `"${badTag}" is not a tag: letters, digits, spaces or _ . : / -`, 'imports.refusal.tag', {
        value: badTag,
      });
    else if (tags.length > 20) problem('tags', 'at most 20 tags, separated by ;', 'imports.refusal.tags', { max: 20 });
    const assignee = value('assignee') || null;
    const deadline = readDeadline(value, opened, today, problem);
    rows.push({
      valid: problems.length === before,
      line,
      key,
      organisation,
      title,
      type: type as CaseType,
      opened,
      assignee,
      priority: priority as CasePriority,
      tags: [...new Set(tags)],
      deadline,
    });
  }
  return { rows, problems };
}

function readDeadline(
  value: (column: Column) => string,
  opened: string,
  today: string,
  problem: ProblemOf,
): ImportRow['deadline'] {
  const label = value('deadline_label');
  const event = value('deadline_event');
  const count = value('deadline_count');
  const unit = value('deadline_unit');
  const ruleSet = value('deadline_rule_set');
  if (!label && !event && !count && !unit && !ruleSet) return null;
  const before = { problems: 0 };
  const fault: ProblemOf = (column, message, key, params) => {
    before.problems++;
    problem(column, message, key, params);
  };
  if (label.length < 2 || label.length > 300)
    fault('deadline_label', 'the deadline needs a label of 2 to 300 characters', 'imports.refusal.deadlineLabel', {
      min: 2,
      max: 300,
    });
  if (!isCalendarDate(event))
    fault(
      'deadline_event',
      `the deadline's event needs the date it happened, YYYY-MM-DD (got "${event}")`,
      'imports.refusal.deadlineEvent',
      { value: event },
    );
  else if (event > today)
    fault('deadline_event', `${event} is in the future`, 'imports.refusal.future', { dateDay: event });
  else if (isCalendarDate(opened) && event < opened)
    fault(
      'deadline_event',
      `the event (${event}) is before the case was opened (${opened})`,
      'imports.refusal.eventBeforeOpened',
      { eventDay: event, openedDay: opened },
    );
  if (!/^\d{1,4}$/.test(count) || Number(count) < 1 || Number(count) > 8760)
    fault(
      'deadline_count',
      `the period needs a whole number from 1 to 8760 (got "${count}")`,
      'imports.refusal.deadlineCount',
      { value: count, min: 1, max: 8760 },
    );
  if (!PERIOD_UNITS.includes(unit as PeriodUnit))
    fault('deadline_unit', `"${unit}" is not a unit; one of ${PERIOD_UNITS.join(', ')}`, 'imports.refusal.unit', {
      value: unit,
      choices: PERIOD_UNITS.join(', '),
    });
  if (before.problems) return null;
  return { label, event, count: Number(count), unit: unit as PeriodUnit, ...(ruleSet ? { ruleSet } : {}) };
}

/** How names are compared: case, accents kept, runs of white space as one. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}
