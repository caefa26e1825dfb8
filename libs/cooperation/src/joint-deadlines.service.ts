import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { HOLIDAY_DATA_VERSION, localDateOf, type PeriodUnit } from '#docket/calendar';
import { asProblem, DeadlinesService, withoutClosureReasons } from '#docket/deadlines';
import { IdentityService, type AuthorityRecord } from '#docket/identity';
import { Clock, Conflict, NotFound, RequestContext, UnitOfWork } from '#docket/platform';
import type { CooperationCalendarChange } from './calendar-change.js';
import { jointDueDate, type JointDue } from './procedure-rules.js';
import {
  JointDeadline,
  Procedure,
  ProcedureParticipant,
  type JointCalendarChange,
  type JointDeadlineMove,
} from './procedure.entities.js';
import { jointDeadlineView, type JointDeadlineView } from './joint-deadline-view.js';
import { ProceduresService } from './procedures.service.js';

export interface JointDeadlineInput {
  label: string;
  start: string;
  count: number;
  unit: PeriodUnit;
}

const sameInstant = (a: Date | string, b: Date | string) => new Date(a).getTime() === new Date(b).getTime();

/**
 * Joint due instants stored on a procedure (a coordinated letter): one instant that is a working day in every
 * participant's calendar and zone. A participant's closure day that moves it marks it affected and tells every
 * participant; any of them re-aligns it with one action, the move recorded with its reason. Only which days are
 * closed crosses authorities, never why: every calendar is read without closure reasons, the caller's own too,
 * because what is stored is read by all participants.
 */
@Injectable()
export class JointDeadlinesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly deadlines: DeadlinesService,
    private readonly procedures: ProceduresService,
    private readonly identity: IdentityService,
  ) {}

  async set(procedureId: string, input: JointDeadlineInput): Promise<JointDeadlineView> {
    return this.unitOfWork.run(async (manager) => {
      const { procedure } = await this.procedures.requireParticipant(procedureId, manager, true);
      if (procedure.status === 'closed')
        throw new Conflict(`Procedure ${procedure.reference} is closed; no joint deadline can be set.`);
      const participants = await manager.find(ProcedureParticipant, { where: { procedureId } });
      const due = await this.compute(participants, input);
      const row = await manager.save(
        manager.create(JointDeadline, {
          procedureId,
          label: input.label,
          start: input.start,
          count: input.count,
          unit: input.unit,
          dueAt: new Date(due.dueAt),
          perAuthority: due.perAuthority,
          status: 'aligned' as const,
          proposedDueAt: null,
          changes: [],
          moves: [],
          holidayDataVersion: HOLIDAY_DATA_VERSION,
          createdBy: RequestContext.actor().label,
          createdAt: this.clock.now(),
        }),
      );
      await this.procedures.recordForAll(procedure, participants, 'procedure.joint_deadline_set', {
        reference: procedure.reference,
        jointDeadlineId: row.id,
        label: row.label,
        start: row.start,
        period: `${row.count} ${row.unit}`,
        dueAt: due.dueAt,
      });
      return jointDeadlineView(row);
    });
  }

  /** Recomputes the joint deadline on the participants' current calendars and records the move with its reason. */
  async realign(procedureId: string, jointId: string, reason: string): Promise<JointDeadlineView> {
    return this.unitOfWork.run(async (manager) => {
      const { procedure, participant } = await this.procedures.requireParticipant(procedureId, manager, true);
      const row = await manager.findOne(JointDeadline, {
        where: { id: jointId, procedureId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) throw new NotFound(`There is no joint deadline ${jointId} in procedure ${procedure.reference}.`);
      const participants = await this.procedures.participantsOf(manager, [procedureId]);
      const due = await this.compute(participants, row);
      if (row.status === 'aligned' && sameInstant(due.dueAt, row.dueAt))
        throw new Conflict(
          `The joint deadline "${row.label}" already falls on a working day of every participant; there is nothing to re-align.`,
        );
      const self = participants.find((entry) => entry.authorityId === participant.authorityId)!.authority;
      const before = row.perAuthority;
      const move: JointDeadlineMove = {
        authority: self.code,
        by: RequestContext.actor().label,
        at: this.clock.now().toISOString(),
        fromDueAt: row.dueAt.toISOString(),
        toDueAt: new Date(due.dueAt).toISOString(),
        reason,
        changes: row.changes,
      };
      row.moves = [...row.moves, move];
      row.dueAt = new Date(due.dueAt);
      row.perAuthority = due.perAuthority;
      row.status = 'aligned';
      row.proposedDueAt = null;
      row.changes = [];
      row.holidayDataVersion = HOLIDAY_DATA_VERSION;
      await manager.save(row);
      await this.procedures.recordForAll(procedure, participants, 'procedure.joint_deadline_realigned', {
        reference: procedure.reference,
        jointDeadlineId: row.id,
        label: row.label,
        fromDueAt: move.fromDueAt,
        toDueAt: move.toDueAt,
        reason,
      });
      for (const other of participants.filter((entry) => entry.authorityId !== self.id)) {
        const code = other.authority.code;
        await this.procedures.tell(procedure, other.authority, 'joint_realigned', randomUUID(), {
          from: `${self.name} (${self.code})`,
          label: row.label,
          dueDate: before.find((share) => share.code === code)?.localDate,
          newDueDate: due.perAuthority.find((share) => share.code === code)?.localDate,
          reason,
        });
      }
      return jointDeadlineView(row);
    });
  }

  /**
   * A participant's calendar changed (a closure day added or removed, its settings): every joint deadline still ahead
   * in its open procedures is recomputed; where that moves it (from what it was recorded for, or last proposed), it is
   * marked affected and every participant is told the day — never a reason. A change that brings it back to its
   * recorded instant ends the affected state. Returns how many were marked.
   */
  async calendarChanged({ manager, authority, date, change }: CooperationCalendarChange): Promise<number> {
    const now = this.clock.now();
    const rows = (await manager
      .createQueryBuilder(JointDeadline, 'joint')
      .innerJoin(Procedure, 'procedure', 'procedure.id = joint.procedure_id')
      .innerJoin(ProcedureParticipant, 'participant', 'participant.procedure_id = joint.procedure_id')
      .where("participant.authority_id = :authority AND procedure.status = 'open'", { authority: authority.id })
      .andWhere('(joint.due_at > :now OR joint.proposed_due_at > :now)', { now })
      .orderBy('joint.created_at', 'ASC')
      .setLock('pessimistic_write', undefined, ['joint'])
      .getMany()) as JointDeadline[];
    let marked = 0;
    for (const row of rows) {
      const entry: JointCalendarChange = { authority: authority.code, date, change, at: now.toISOString() };
      if (await this.recheck(manager, row, entry, authority)) marked++;
    }
    return marked;
  }

  /**
   * A release with other public-holiday data than a joint deadline still ahead was computed with: it is computed again
   * and, where that moves it, marked affected like after any calendar change (every participant told). Returns how
   * many were marked.
   */
  async applyHolidayDataUpdate(): Promise<number> {
    const now = this.clock.now();
    const stale = (await this.unitOfWork.run((manager) =>
      manager.query(
        `SELECT joint.id FROM joint_deadlines joint JOIN procedures p ON p.id = joint.procedure_id
          WHERE p.status = 'open' AND (joint.due_at > $1 OR joint.proposed_due_at > $1)
            AND joint.holiday_data_version IS DISTINCT FROM $2
          ORDER BY joint.created_at`,
        [now, HOLIDAY_DATA_VERSION],
      ),
    )) as { id: string }[];
    let marked = 0;
    for (const { id } of stale) {
      marked += await this.unitOfWork.run(async (manager) => {
        const row = await manager.findOne(JointDeadline, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!row || row.holidayDataVersion === HOLIDAY_DATA_VERSION) return 0;
        const entry: JointCalendarChange = {
          authority: '',
          date: localDateOf(now, 'Europe/Brussels'),
          change: 'holiday_data',
          at: now.toISOString(),
        };
        const changed = await this.recheck(manager, row, entry, null);
        if (row.holidayDataVersion !== HOLIDAY_DATA_VERSION)
          await manager.update(JointDeadline, { id: row.id }, { holidayDataVersion: HOLIDAY_DATA_VERSION });
        return changed ? 1 : 0;
      });
    }
    return marked;
  }

  /**
   * Computes a joint deadline again on the participants' current calendars; when that moves it from what was recorded
   * or last proposed, marks it affected (or aligned again), audits it for every participant and tells each of them in
   * its language. `by`: the authority whose calendar changed; null for the release's holiday data.
   */
  private async recheck(
    manager: EntityManager,
    row: JointDeadline,
    entry: JointCalendarChange,
    by: AuthorityRecord | null,
  ): Promise<boolean> {
    const participants = await this.procedures.participantsOf(manager, [row.procedureId]);
    const due = await this.compute(participants, row);
    const previous = row.proposedDueAt ?? row.dueAt;
    if (sameInstant(due.dueAt, previous)) return false;
    if (!by) {
      // Holiday data: the participants whose own dates moved (all of them when none can be told apart).
      const moved = due.perAuthority
        .filter((share) => {
          const before = row.perAuthority.find((old) => old.code === share.code);
          return !before || before.ownDueDate !== share.ownDueDate || before.localDate !== share.localDate;
        })
        .map((share) => share.code);
      entry.authority = (moved.length ? moved : due.perAuthority.map((share) => share.code)).join(', ');
    }
    const back = sameInstant(due.dueAt, row.dueAt);
    row.status = back ? 'aligned' : 'affected';
    row.proposedDueAt = back ? null : new Date(due.dueAt);
    row.changes = back ? [] : [...row.changes, entry];
    await manager.save(row);
    const procedure = await manager.findOneByOrFail(Procedure, { id: row.procedureId });
    await this.procedures.recordForAll(procedure, participants, 'procedure.joint_deadline_affected', {
      reference: procedure.reference,
      jointDeadlineId: row.id,
      label: row.label,
      authority: entry.authority,
      ...(entry.change === 'added' || entry.change === 'removed' ? { closureDate: entry.date } : { date: entry.date }),
      change: entry.change,
      dueAt: row.dueAt.toISOString(),
      nowFallsOn: new Date(due.dueAt).toISOString(),
    });
    for (const participant of participants) {
      const code = participant.authority.code;
      await this.procedures.tell(procedure, participant.authority, 'joint_affected', randomUUID(), {
        from: by ? `${by.name} (${by.code})` : 'Docket',
        label: row.label,
        dueDate: row.perAuthority.find((share) => share.code === code)?.localDate,
        newDueDate: due.perAuthority.find((share) => share.code === code)?.localDate,
        closureDate: entry.date,
        change: entry.change,
      });
    }
    return true;
  }

  private async compute(
    participants: Pick<ProcedureParticipant, 'authorityId'>[],
    period: Pick<JointDeadlineInput, 'start' | 'count' | 'unit'>,
  ): Promise<JointDue> {
    const authorities = await this.identity.authoritiesBy(
      'id',
      participants.map((row) => row.authorityId),
    );
    const calendars = await Promise.all(
      authorities.map(async (authority) => ({
        code: authority.code,
        calendar: withoutClosureReasons((await this.deadlines.calendarOf(authority.id)).calendar),
      })),
    );
    return asProblem(() => jointDueDate(period.start, { count: period.count, unit: period.unit }, calendars));
  }
}
