import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HOLIDAY_DATA_VERSION } from '#docket/calendar';
import { CasesService } from '#docket/cases';
import { formattingLocale, translate, writtenDate, writtenInstant, type Language } from '#docket/i18n';
import { UserRepository } from '#docket/identity';
import { MailingService } from '#docket/mailing';
import { escapeHtml, groupBy, RequestContext, RUNTIME, type Runtime, UnitOfWork } from '#docket/platform';
import { responseLabelDate } from './deadline-labels.js';
import { Deadline } from './deadline.entity.js';
import { DeadlinesService } from './deadlines.service.js';

export interface MovedDeadline {
  deadline: Deadline;
  previousDueAt: Date;
}

/** Why running deadlines moved without anyone acting on them. */
export type MoveReason =
  | { kind: 'closureAdded'; date: string; reason: string }
  | { kind: 'closureRemoved'; date: string; closureReason: string; reason: string }
  | { kind: 'settingsChanged'; changes: string }
  | { kind: 'holidayData'; from: string; to: string };

const REASON_TEXT: Record<MoveReason['kind'], string> = {
  closureAdded: 'notice.deadlineMoved.closureAdded',
  closureRemoved: 'notice.deadlineMoved.closureRemoved',
  settingsChanged: 'notice.deadlineMoved.settingsChanged',
  holidayData: 'notice.deadlineMoved.holidayData',
};

/**
 * The reason in a language, its closure day written out in `dates` (a locale) when given. English with the ISO date is
 * what the deadline's history records.
 */
export function moveReasonText(reason: MoveReason, language: Language = 'en', dates?: string): string {
  const { kind, ...params } = reason;
  if (dates && 'date' in params) params.date = writtenDate(params.date, dates);
  return translate(language, REASON_TEXT[kind], params);
}

/** The reason back from the English text a deadline's history holds (moveReasonText), or null for any other text. */
export function parseMoveReason(text: string): MoveReason | null {
  let match = /^closure day (\d{4}-\d{2}-\d{2}) added: (.*)$/s.exec(text);
  if (match) return { kind: 'closureAdded', date: match[1], reason: match[2] };
  match = /^closure day (\d{4}-\d{2}-\d{2}) \((.*)\) removed: (.*)$/s.exec(text);
  if (match) return { kind: 'closureRemoved', date: match[1], closureReason: match[2], reason: match[3] };
  match = /^calendar settings changed: (.*)$/s.exec(text);
  if (match) return { kind: 'settingsChanged', changes: match[1] };
  match = /^holiday data updated \((.*) → (.*)\)$/s.exec(text);
  return match ? { kind: 'holidayData', from: match[1], to: match[2] } : null;
}

/**
 * Running deadlines moved by something other than a person acting on them (new holiday data, a change of the
 * authority's calendar settings): each move is already in the deadline's history; this tells the case's assignee
 * (else the authority's managers) by mail, so nothing changes silently.
 */
@Injectable()
export class DeadlineNotices {
  private readonly logger = new Logger(DeadlineNotices.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly deadlines: DeadlinesService,
    private readonly cases: CasesService,
    private readonly mailing: MailingService,
    private readonly users: UserRepository,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  /**
   * Call in the transaction that moved the deadlines: the mails are queued in it, sent after its commit. Each member
   * of staff reads the notice in their own language, dates as their authority writes them.
   */
  async notifyMoved(moved: MovedDeadline[], reason: MoveReason): Promise<void> {
    if (moved.length === 0) return;
    const parties = await this.cases.withParties(moved.map((item) => item.deadline.caseId));
    for (const { deadline, previousDueAt } of moved) {
      const kase = parties.get(deadline.caseId);
      if (!kase) continue;
      const { timezone, locale } = kase.authority;
      const staff = await RequestContext.actingFor(deadline.authorityId, async () => {
        const assignee = kase.assigneeId ? await this.users.byId(kase.assigneeId) : null;
        return assignee?.active ? [assignee] : this.users.activeManagers();
      });
      for (const [language, readers] of groupBy(staff, (user) => user.language)) {
        const dates = formattingLocale(language, locale);
        const label = labelIn(deadline, language, dates);
        const text = [
          translate(language, 'notice.deadlineMoved.moved', {
            label,
            reference: kase.reference,
            organisation: kase.organisation.legalName,
            from: writtenInstant(previousDueAt, timezone, dates),
            to: writtenInstant(deadline.dueAt, timezone, dates),
            zone: timezone,
          }),
          '',
          translate(language, 'notice.deadlineMoved.why', { why: moveReasonText(reason, language, dates) }),
          '',
          translate(language, 'notice.deadlineMoved.history'),
          `${this.runtime.config.PUBLIC_URL}/cases/${kase.id}`,
        ].join('\n');
        await this.mailing.queueMessage({
          authorityId: deadline.authorityId,
          caseId: kase.id,
          kind: 'notification',
          dedupeKey: `deadline-moved.${deadline.id}.${deadline.dueAt.getTime()}.${language}`,
          to: readers.map((user) => user.email),
          subject: translate(language, 'notice.deadlineMoved.subject', {
            reference: kase.reference,
            due: writtenDate(deadline.dueDate, dates),
            label,
          }).slice(0, 500),
          text,
          html: `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
        });
      }
    }
  }

  /**
   * The maintenance step run when a release changes the holiday data: every authority's running deadlines computed
   * with other holiday data are recomputed; each move is recorded with its reason and its assignee told. Returns how
   * many deadlines moved.
   */
  async applyHolidayDataUpdate(): Promise<number> {
    const stale = await this.dataSource
      .getRepository(Deadline)
      .createQueryBuilder('deadline')
      .select('deadline.authorityId', 'authorityId')
      .addSelect('array_agg(DISTINCT deadline.holidayDataVersion)', 'versions')
      .where('deadline.status IN (:...open)', { open: ['pending', 'suspended'] })
      .andWhere('(deadline.holidayDataVersion IS NULL OR deadline.holidayDataVersion <> :current)', {
        current: HOLIDAY_DATA_VERSION,
      })
      .groupBy('deadline.authorityId')
      .getRawMany<{ authorityId: string; versions: (string | null)[] }>();
    let moved = 0;
    for (const { authorityId, versions } of stale) {
      const from = versions.map((version) => version ?? 'not recorded').join(', ');
      const reason: MoveReason = { kind: 'holidayData', from, to: HOLIDAY_DATA_VERSION };
      moved += await RequestContext.asAuthority(authorityId, () =>
        this.unitOfWork.run(async () => {
          const list = await this.deadlines.recomputeOpenDeadlines(authorityId, moveReasonText(reason), {
            onlyOtherHolidayData: true,
          });
          await this.notifyMoved(list, reason);
          return list.length;
        }),
      );
    }
    if (moved) this.logger.log(`holiday data ${HOLIDAY_DATA_VERSION}: ${moved} running deadline(s) moved`);
    return moved;
  }
}

/** The deadline's label in a language: the dates of the labels Docket gives written out; a typed label as typed. */
function labelIn(deadline: Deadline, language: Language, dates: string): string {
  if (deadline.kind === 'other') return deadline.label;
  const sent = responseLabelDate(deadline.label);
  if (sent) return translate(language, 'deadlineLabel.response', { date: writtenDate(sent, dates) });
  return deadline.label.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (date) => writtenDate(date, dates));
}
