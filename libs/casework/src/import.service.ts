import { Injectable } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { localDateOf, parseDateOrInstant } from '#docket/calendar';
import { CasesService } from '#docket/cases';
import { asProblem, checkRuleSet, DeadlinesService, deriveDue, type ReminderPlanItem } from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import {
  CASE_WRITERS,
  Clock,
  httpExceptionOf,
  InvalidInput,
  ProblemException,
  TooLarge,
  UnitOfWork,
  Unprocessable,
  ValidationProblem,
} from '#docket/platform';
import { OrganisationsService } from '#docket/registry';
import { CaseImportRepository } from './casework.repositories.js';
import { translate, type Language } from '#docket/i18n';
import type { ImportReport, ImportRowResult } from './dto.js';
import {
  decodeImportFile,
  ImportFileError,
  nameKey,
  parseCsv,
  readImportRows,
  type ImportProblem,
  type ImportRow,
  type ProblemOf,
} from './import-rules.js';

/** An import's report with each row problem's catalogue message (`key`, `params`), for pages in the reader's words. */
export type ImportOutcome = Omit<ImportReport, 'problems'> & { problems: ImportProblem[] };

/**
 * A file with problems in some rows, refused whole: nothing was imported. The report (`extensions.report`) lists every
 * row's problems.
 */
export class ImportRefused extends Unprocessable {
  constructor(readonly report: ImportOutcome) {
    const lines = new Set(report.problems.map((problem) => problem.line)).size;
    super(
      `${lines} row(s) have problems; nothing was imported. Correct them (a dry run lists them: ?dryRun=true) and upload the file again.`,
      { report },
    );
    this.withMessage('imports.refusal.rowsWithProblems', { count: lines });
  }
}

/**
 * The report as the API answers it: each problem's `message` in the caller's language (the English sentence for
 * English callers), without its catalogue key.
 */
export function reportInLanguage(report: ImportOutcome, language: Language): ImportReport {
  return {
    ...report,
    problems: report.problems.map(({ line, column, message, key, params }) => ({
      line,
      column,
      message: language === 'en' ? message : translate(language, key, params),
    })),
  };
}

/** Imported deadlines are reminded as outcomes' are: the assignee 5 and 1 working days before, the manager that day. */
export const IMPORTED_DEADLINE_REMINDERS: ReminderPlanItem[] = [
  { offset: '-P5WD@09:00', audience: 'assignee' },
  { offset: '-P1WD@09:00', audience: 'assignee' },
  { offset: 'P0WD@09:00', audience: 'manager' },
];

interface ResolvedRow extends ImportRow {
  organisationId: string;
  assigneeId: string | null;
  existing?: { caseId: string };
  dueDate?: string;
}

/**
 * Brings an authority's existing cases in from a CSV file, through the same services as a case opened by hand (its
 * audit entries, its deadline with the reasons of its due date, its reminders). All or nothing at the level of the
 * file: every row is checked first, and one problem anywhere refuses the whole file before anything is written.
 * Then each row is opened in a transaction of its own (case, deadline, import key together), so a row is never half
 * there, and its import key (column external_reference) makes a second run skip it: an import stopped halfway (the
 * process killed) is completed by running the same file again.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly keys: CaseImportRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly cases: CasesService,
    private readonly deadlines: DeadlinesService,
    private readonly organisations: OrganisationsService,
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async importCases(file: Buffer, dryRun: boolean): Promise<ImportOutcome> {
    const authority = await this.identity.currentAuthority();
    const { calendar } = await this.deadlines.calendarOf(authority.id);
    const today = localDateOf(this.clock.now(), authority.timezone);
    let read: ReturnType<typeof readImportRows>;
    try {
      read = readImportRows(parseCsv(decodeImportFile(file)), today);
    } catch (error) {
      if (error instanceof ImportFileError)
        throw (error.status === 413 ? new TooLarge(error.message) : new InvalidInput(error.message)).withMessage(
          error.key,
          error.params,
        );
      throw error;
    }
    const problems = [...read.problems];
    const rows = await this.resolve(read.rows, problems, calendar, authority.timezone);
    const report: ImportOutcome = {
      dryRun,
      rows: new Set([...read.rows.map((row) => row.line), ...read.problems.map((problem) => problem.line)]).size,
      created: rows.filter((row) => !row.existing).length,
      existing: rows.filter((row) => row.existing).length,
      problems: problems.sort((a, b) => a.line - b.line),
      items: rows.map((row) => this.item(row, row.existing ? 'exists' : 'create')),
    };
    if (problems.length) {
      report.created = 0;
      if (!dryRun) throw new ImportRefused(report);
    }
    if (dryRun || problems.length) return report;
    report.items = [];
    for (const row of rows) {
      if (row.existing) {
        report.items.push(this.item(row, 'exists'));
        continue;
      }
      const opened = await this.openOne(row, authority, calendar.timeZone);
      if (opened.existing) {
        report.created--;
        report.existing++;
      }
      report.items.push(this.item(row, opened.existing ? 'exists' : 'created'));
    }
    return report;
  }

  /** Looks up what each row names (organisation, assignee, an earlier import of its key) and works its due date out. */
  private async resolve(
    rows: ImportRow[],
    problems: ImportProblem[],
    calendar: Awaited<ReturnType<DeadlinesService['calendarOf']>>['calendar'],
    timeZone: string,
  ): Promise<ResolvedRow[]> {
    const organisations = new Map<string, string[]>();
    for (const name of new Set(rows.map((row) => nameKey(row.organisation)))) {
      const found = await this.organisations.search({ q: name, limit: 200 });
      organisations.set(
        name,
        found.items
          .filter((item) => [item.name, ...item.tradingNames].some((candidate) => nameKey(candidate) === name))
          .map((item) => item.id),
      );
    }
    const users = new Map(
      (await this.identity.listUsers(CASE_WRITERS)).map((user) => [user.email.toLowerCase(), user]),
    );
    const imported = await this.keys.imported(rows.map((row) => row.key));
    const resolved: ResolvedRow[] = [];
    for (const row of rows) {
      const before = problems.length;
      const problem: ProblemOf = (column, message, key, params) =>
        problems.push({ line: row.line, column, message, key, ...(params ? { params } : {}) });
      const matches = organisations.get(nameKey(row.organisation)) ?? [];
      if (matches.length === 0)
        problem(
          'organisation',
          `no registered organisation is named "${row.organisation}" (legal or trading name); register it first or correct the name`,
          'imports.refusal.organisationUnknown',
          { name: row.organisation },
        );
      else if (matches.length > 1)
        problem(
          'organisation',
          `${matches.length} registered organisations are named "${row.organisation}"`,
          'imports.refusal.organisationAmbiguous',
          { count: matches.length, name: row.organisation },
        );
      const assignee = row.assignee ? users.get(row.assignee.toLowerCase()) : undefined;
      if (row.assignee && (!assignee || !assignee.active))
        problem(
          'assignee',
          `${row.assignee} is not an active officer, manager or admin of your authority`,
          'imports.refusal.assignee',
          { email: row.assignee },
        );
      let dueDate: string | undefined;
      if (row.deadline && row.valid) {
        const deadline = row.deadline;
        try {
          asProblem(() => checkRuleSet(deadline.ruleSet, 'deadline_rule_set'));
          const eventAt = parseDateOrInstant(deadline.event, timeZone);
          if (!eventAt)
            throw new ValidationProblem([
              {
                field: 'deadline_count',
                message: `${deadline.event} does not exist in ${timeZone}`,
                key: 'imports.refusal.noSuchDay',
                params: { value: deadline.event, timeZone },
              },
            ]);
          const due = asProblem(() =>
            deriveDue(
              eventAt,
              {
                type: 'period',
                count: deadline.count,
                unit: deadline.unit,
                ...(deadline.ruleSet ? { ruleSet: deadline.ruleSet } : {}),
              },
              [],
              calendar,
            ),
          );
          dueDate = due.dueDate;
        } catch (error) {
          // The rules' refusal, with its catalogue message (a field error's, else the detail's).
          const field = error instanceof ValidationProblem ? error.fieldErrors[0] : undefined;
          const refusal = httpExceptionOf(error);
          const detail =
            refusal instanceof ProblemException
              ? ((refusal.getResponse() as { detail?: string }).detail ?? refusal.message)
              : error instanceof Error
                ? error.message
                : String(error);
          const structured = field?.key
            ? { key: field.key, params: field.params }
            : ((refusal instanceof ProblemException ? refusal.detailMessage : undefined) ?? {
                key: 'imports.refusal.deadline',
                params: { reason: detail },
              });
          problem(
            field?.field === 'deadline_rule_set' ? 'deadline_rule_set' : 'deadline_count',
            field?.message ?? detail,
            structured.key,
            structured.params,
          );
        }
      }
      if (problems.length > before || !row.valid) continue;
      const caseId = imported.get(row.key);
      resolved.push({
        ...row,
        organisationId: matches[0],
        assigneeId: assignee?.id ?? null,
        dueDate,
        ...(caseId ? { existing: { caseId } } : {}),
      });
    }
    return resolved;
  }

  /** One row: the case, its deadline and its import key in one transaction; a key imported meanwhile is left alone. */
  private async openOne(
    row: ResolvedRow,
    authority: Awaited<ReturnType<IdentityService['currentAuthority']>>,
    timeZone: string,
  ): Promise<{ existing: boolean }> {
    return this.unitOfWork.run(async (manager) => {
      // Two imports of one authority at once take their rows in turn, so a key is looked up and written alone.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('case-import'), hashtext($1))`, [authority.id]);
      const earlier = await this.keys.findKey(row.key);
      if (earlier) {
        row.existing = { caseId: earlier.caseId };
        return { existing: true };
      }
      const kase = await this.cases.create(
        {
          organisationId: row.organisationId,
          title: row.title,
          type: row.type,
          priority: row.priority,
          tags: row.tags,
          ...(row.assigneeId ? { assigneeId: row.assigneeId } : {}),
        },
        authority,
        { openedAt: parseDateOrInstant(row.opened, timeZone) as Date },
      );
      if (row.deadline) {
        const deadline = row.deadline;
        await this.deadlines.create({
          caseId: kase.id,
          kind: 'other',
          label: deadline.label,
          eventAt: parseDateOrInstant(deadline.event, timeZone) as Date,
          rule: {
            type: 'period',
            count: deadline.count,
            unit: deadline.unit,
            ...(deadline.ruleSet ? { ruleSet: deadline.ruleSet } : {}),
          },
          reminderPlan: IMPORTED_DEADLINE_REMINDERS,
        });
      }
      await this.keys.record(row.key, kase.id, this.clock.now());
      await this.audit.record({
        action: 'case.imported',
        entityType: 'case',
        entityId: kase.id,
        caseId: kase.id,
        after: { importKey: row.key, line: row.line, reference: kase.reference },
      });
      row.existing = undefined;
      Object.assign(row, { caseId: kase.id, reference: kase.reference });
      return { existing: false };
    });
  }

  private item(row: ResolvedRow & { caseId?: string; reference?: string }, outcome: ImportRowResult['outcome']) {
    const caseId = row.caseId ?? row.existing?.caseId;
    return {
      line: row.line,
      key: row.key,
      outcome,
      ...(caseId ? { caseId } : {}),
      ...(row.reference ? { reference: row.reference } : {}),
      ...(row.dueDate ? { dueDate: row.dueDate } : {}),
    };
  }
}
