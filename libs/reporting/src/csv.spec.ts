import { stringify } from 'csv-stringify/sync';
import { csvSafe, DEADLINE_CSV_COLUMNS, deadlineCsvRow } from './csv.js';

describe('csvSafe', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ['+1+cmd|" /C calc"!A0', `'+1+cmd|" /C calc"!A0`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `'\r=1+1`],
  ])('prefixes %j with a quote', (input, output) => {
    expect(csvSafe(input)).toBe(output);
  });

  it('leaves ordinary text, dates and empty values alone', () => {
    expect(csvSafe('Response to the ai-inquiry letter')).toBe('Response to the ai-inquiry letter');
    expect(csvSafe('a = b')).toBe('a = b');
    expect(csvSafe(new Date('2025-02-17T22:59:59.999Z'))).toBe('2025-02-17T22:59:59.999Z');
    expect(csvSafe(null)).toBe('');
    expect(csvSafe(undefined)).toBe('');
  });
});

describe('deadlineCsvRow', () => {
  const deadline = {
    id: 'd1',
    caseId: 'c1',
    label: '=cmd|calc',
    kind: 'response',
    status: 'pending' as const,
    dueDate: '2025-02-17',
    dueAt: new Date('2025-02-17T22:59:59.999Z'),
    eventAt: new Date('2025-01-28T09:00:00Z'),
    settledAt: null,
  };
  const kase = {
    reference: 'GPDP-2025-0001',
    title: '@evil, "quoted"\nline',
    status: 'awaiting_response',
    organisation: 'Hangzhou DeepSeek',
    assignee: null,
  };

  it('has a cell per column, every text made safe, and marks overdue deadlines', () => {
    const row = deadlineCsvRow({
      deadline,
      case: kase,
      now: new Date('2025-02-18T00:00:00Z'),
      publicUrl: 'https://docket.example/',
    });
    expect(row).toHaveLength(DEADLINE_CSV_COLUMNS.length);
    const cell = (column: (typeof DEADLINE_CSV_COLUMNS)[number]) => row[DEADLINE_CSV_COLUMNS.indexOf(column)];
    expect(cell('deadline_label')).toBe("'=cmd|calc");
    expect(cell('case_title')).toBe(`'@evil, "quoted"\nline`);
    expect(cell('overdue')).toBe('yes');
    expect(cell('assignee')).toBe('');
    expect(cell('case_url')).toBe('https://docket.example/cases/c1');
    // The CSV writer then quotes what needs it; the cell keeps its leading quote.
    expect(stringify([row])).toContain(`"'@evil, ""quoted""\nline"`);
  });

  it('is not overdue before the due instant', () => {
    const row = deadlineCsvRow({
      deadline,
      case: kase,
      now: new Date('2025-02-17T12:00:00Z'),
      publicUrl: 'https://docket.example',
    });
    expect(row[DEADLINE_CSV_COLUMNS.indexOf('overdue')]).toBe('no');
  });
});

describe('deadlineCsvRow dates', () => {
  it('writes the event date as the authority’s local date, with the rule set and holiday data', () => {
    const row = deadlineCsvRow({
      deadline: {
        id: 'd1',
        caseId: 'c1',
        label: 'Compliance',
        kind: 'compliance',
        status: 'pending',
        dueDate: '2026-12-14',
        dueAt: new Date('2026-12-15T02:59:59.999Z'),
        eventAt: new Date('2026-12-02T03:00:00Z'),
        settledAt: null,
        ruleSet: 'eu-1182-71',
        holidayDataVersion: 'date-holidays@3.37.0+supplements.abc',
      },
      case: undefined,
      now: new Date('2026-12-02T12:00:00Z'),
      publicUrl: 'https://docket.example',
      timeZone: 'America/Sao_Paulo',
    });
    const cell = (column: (typeof DEADLINE_CSV_COLUMNS)[number]) => row[DEADLINE_CSV_COLUMNS.indexOf(column)];
    expect(cell('event_date')).toBe('2026-12-02');
    expect(cell('due_date')).toBe('2026-12-14');
    expect(cell('rule_set')).toBe('eu-1182-71');
    expect(cell('holiday_data_version')).toBe('date-holidays@3.37.0+supplements.abc');
  });
});
