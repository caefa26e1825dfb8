import { Inject, Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuditService } from '#docket/audit';
import type { Deadline, DeadlineListQuery } from '#docket/deadlines';
import { localDateOf, type ExplanationEntry } from '#docket/calendar';
import { formattingLocale, type Language } from '#docket/i18n';
import { Authority, AuthService, type User } from '#docket/identity';
import { Clock, RequestContext, RUNTIME, type Runtime } from '#docket/platform';
import { DEADLINE_CSV_COLUMNS, deadlineCsvRow } from './csv.js';
import { deadlineCalendar, type FeedDeadline } from './ical.js';
import type { CaseLine } from './reporting.repository.js';
import { WorklistService } from './worklist.service.js';

const BATCH = 500;
/** How far back the calendar feed reaches; later deadlines are all in it. */
const FEED_PAST_DAYS = 180;
const FEED_MAX_EVENTS = 2000;

export type DeadlineFilter = Omit<DeadlineListQuery, 'limit' | 'cursor'>;

/**
 * One line of a deadline's "why this date" in a language, dates in the authority's zone and the reader's locale:
 * the pages' own writer (libs/web registers it), so the calendar feed reads as the deadline's page does.
 */
export type ExplanationWriter = (
  entry: ExplanationEntry,
  language: Language,
  settings: { timezone: string; locale: string },
) => string;

@Injectable()
export class ExportsService {
  /** Until the pages register theirs, the words stored with each line (English). */
  private explain: ExplanationWriter = (entry) => entry.reason;

  constructor(
    private readonly dataSource: DataSource,
    private readonly worklist: WorklistService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  /** How the calendar feed writes explanation lines in its owner's language (see ExplanationWriter). */
  writeExplanationsWith(writer: ExplanationWriter): void {
    this.explain = writer;
  }

  /** Every deadline matching the filter, in its order, page by page (the caller's authority only). */
  async *deadlinePages(
    filter: DeadlineFilter,
    maxRows = Infinity,
  ): AsyncGenerator<{ deadlines: Deadline[]; cases: Map<string, CaseLine> }> {
    let cursor: string | undefined;
    let rows = 0;
    do {
      const page = await this.worklist.page({ ...filter, limit: Math.min(BATCH, maxRows - rows), cursor }, BATCH);
      rows += page.items.length;
      const cases = new Map<string, CaseLine>();
      for (const item of page.items) if (item.case) cases.set(item.case.id, item.case);
      yield { deadlines: page.items.map((item) => item.deadline), cases };
      cursor = page.nextCursor ?? undefined;
    } while (cursor && rows < maxRows);
  }

  /** Answers an HTTP request with the deadline list as a CSV download named after the authority and today. */
  async sendCsv(filter: DeadlineFilter, authorityCode: string, response: ServerResponse): Promise<void> {
    const timeZone = await this.timeZone();
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="deadlines-${authorityCode}-${localDateOf(this.clock.now(), timeZone)}.csv"`,
    );
    response.setHeader('Cache-Control', 'no-store');
    await this.writeCsv(filter, response);
  }

  /** Writes the deadline list as CSV (UTF-8 with a BOM, for spreadsheets) into `out`. */
  async writeCsv(filter: DeadlineFilter, out: Writable): Promise<void> {
    const timeZone = await this.timeZone();
    const csv = stringify({ header: true, columns: [...DEADLINE_CSV_COLUMNS], bom: true });
    csv.pipe(out);
    const now = this.clock.now();
    try {
      for await (const page of this.deadlinePages(filter)) {
        for (const deadline of page.deadlines) {
          const line = page.cases.get(deadline.caseId);
          const row = deadlineCsvRow({
            deadline,
            case: line,
            now,
            publicUrl: this.runtime.config.PUBLIC_URL,
            timeZone,
          });
          if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
        }
      }
    } finally {
      csv.end();
    }
  }

  /** The caller's authority's zone: date-only cells are its local dates. */
  private async timeZone(): Promise<string> {
    const authority = await this.dataSource
      .getRepository(Authority)
      .findOne({ where: { id: RequestContext.authorityId() }, select: { timezone: true } });
    return authority?.timezone ?? 'UTC';
  }

  // ---- calendar feed ----

  feedUrl(token: string): string {
    return `${this.runtime.config.PUBLIC_URL.replace(/\/$/, '')}/ical/${token}.ics`;
  }

  /** A new feed address for the caller; the previous one stops working. */
  async issueFeedToken(user: User): Promise<{ url: string; token: string }> {
    RequestContext.authorityId(); // 403 for the sysadmin: the feed lists an authority's deadlines
    await this.auth.revokeAll(user.id, 'ical');
    const issued = await this.auth.issueFor(user, 'ical');
    await this.audit.record({ action: 'ical_token.issued', entityType: 'user', entityId: user.id });
    return { url: this.feedUrl(issued.token), token: issued.token };
  }

  async revokeFeedTokens(user: User): Promise<number> {
    RequestContext.authorityId();
    const revoked = await this.auth.revokeAll(user.id, 'ical');
    if (revoked) await this.audit.record({ action: 'ical_token.revoked', entityType: 'user', entityId: user.id });
    return revoked;
  }

  /**
   * The calendar of the token's user, or null for an unknown or revoked token. The request then runs as
   * that user: the deadlines of the cases assigned to them, from 180 days ago on, waived ones left out.
   */
  async feed(token: string): Promise<string | null> {
    const authenticated = await this.auth.authenticate(token, 'ical');
    if (!authenticated?.authority) return null;
    RequestContext.setActor(authenticated.actor);
    const now = this.clock.now();
    const since = new Date(now.getTime() - FEED_PAST_DAYS * 24 * 3600_000);
    const { language } = authenticated.user;
    const settings = {
      timezone: authenticated.authority.timezone,
      locale: formattingLocale(language, authenticated.authority.locale),
    };
    const deadlines: FeedDeadline[] = [];
    for await (const page of this.deadlinePages(
      { assigneeId: authenticated.user.id, dueAfter: since.toISOString() },
      FEED_MAX_EVENTS,
    )) {
      for (const deadline of page.deadlines) {
        const line = page.cases.get(deadline.caseId);
        if (deadline.status === 'waived' || !line) continue;
        deadlines.push({
          id: deadline.id,
          caseId: deadline.caseId,
          caseReference: line.reference,
          caseTitle: line.title,
          label: deadline.label,
          kind: deadline.kind,
          status: deadline.status,
          dueDate: deadline.dueDate,
          dueAt: deadline.dueAt,
          version: deadline.version,
          updatedAt: deadline.updatedAt,
          explanation: deadline.explanation.map((entry) => ({
            date: entry.date,
            reason: this.explain(entry, language, settings),
          })),
        });
      }
    }
    return deadlineCalendar({
      language,
      owner: authenticated.user.name,
      authorityCode: authenticated.authority.code,
      timeZone: authenticated.authority.timezone,
      publicUrl: this.runtime.config.PUBLIC_URL,
      now,
      deadlines,
    });
  }
}
