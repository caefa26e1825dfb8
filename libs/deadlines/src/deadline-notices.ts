import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HOLIDAY_DATA_VERSION, localDateTimeOf } from '#docket/calendar';
import { CasesService } from '#docket/cases';
import { UserRepository } from '#docket/identity';
import { MailingService } from '#docket/mailing';
import { escapeHtml, RequestContext, RUNTIME, type Runtime, UnitOfWork } from '#docket/platform';
import { Deadline } from './deadline.entity.js';
import { DeadlinesService } from './deadlines.service.js';

export interface MovedDeadline {
  deadline: Deadline;
  previousDueAt: Date;
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

  /** Call in the transaction that moved the deadlines: the mails are queued in it, sent after its commit. */
  async notifyMoved(moved: MovedDeadline[], reason: string): Promise<void> {
    if (moved.length === 0) return;
    const parties = await this.cases.withParties(moved.map((item) => item.deadline.caseId));
    for (const { deadline, previousDueAt } of moved) {
      const kase = parties.get(deadline.caseId);
      if (!kase) continue;
      const zone = kase.authority.timezone;
      const staff = await RequestContext.actingFor(deadline.authorityId, async () => {
        const assignee = kase.assigneeId ? await this.users.byId(kase.assigneeId) : null;
        return assignee?.active ? [assignee] : this.users.activeManagers();
      });
      if (staff.length === 0) continue;
      const text = [
        `The deadline "${deadline.label}" of case ${kase.reference} (${kase.organisation.legalName}) has moved:`,
        `from ${localDateTimeOf(previousDueAt, zone)} to ${localDateTimeOf(deadline.dueAt, zone)} (${zone}).`,
        '',
        `Why: ${reason}.`,
        '',
        "The move is in the deadline's history and its reminders were planned again. Check the new due date.",
        `${this.runtime.config.PUBLIC_URL}/cases/${kase.id}`,
      ].join('\n');
      await this.mailing.queueMessage({
        authorityId: deadline.authorityId,
        caseId: kase.id,
        kind: 'notification',
        dedupeKey: `deadline-moved.${deadline.id}.${deadline.dueAt.getTime()}`,
        to: staff.map((user) => user.email),
        subject: `[${kase.reference}] Deadline moved to ${deadline.dueDate}: ${deadline.label}`.slice(0, 500),
        text,
        html: `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
      });
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
      const reason = `holiday data updated (${from} → ${HOLIDAY_DATA_VERSION})`;
      moved += await RequestContext.asAuthority(authorityId, () =>
        this.unitOfWork.run(async () => {
          const list = await this.deadlines.recomputeOpenDeadlines(authorityId, reason, { onlyOtherHolidayData: true });
          await this.notifyMoved(list, reason);
          return list.length;
        }),
      );
    }
    if (moved) this.logger.log(`holiday data ${HOLIDAY_DATA_VERSION}: ${moved} running deadline(s) moved`);
    return moved;
  }
}
