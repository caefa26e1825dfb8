import { Injectable } from '@nestjs/common';
import { localDateOf } from '#docket/calendar';
import { CalendarSettingsChanged, ClosureDayChanged, ReconciliationPass } from '#docket/deadlines';
import { Clock, OnEvent, type Transaction } from '#docket/platform';
import { CalendarChangesService } from './calendar-changes.service.js';
import { ProceduresService } from './procedures.service.js';

/**
 * What cooperation does when other contexts tell what happened. Procedure clocks are checked on every reconciliation
 * pass: missed ones escalated, near ones reminded. Every change of an authority's calendar — a closure day, its
 * settings (in the transaction of the change), the release's holiday data (once per worker process, as the deadlines
 * engine does) — goes the same way through CalendarChangesService: running clocks counted again, joint deadlines
 * checked, participants told.
 */
@Injectable()
export class CooperationSubscribers {
  private holidayDataChecked = false;

  constructor(
    private readonly procedures: ProceduresService,
    private readonly changes: CalendarChangesService,
    private readonly clock: Clock,
  ) {}

  @OnEvent(ClosureDayChanged)
  async closureDayChanged({ authority, date, change }: ClosureDayChanged, { manager }: Transaction) {
    await this.changes.apply({ manager, authority, date, change });
  }

  @OnEvent(CalendarSettingsChanged)
  async calendarSettingsChanged({ authority, changed }: CalendarSettingsChanged, { manager }: Transaction) {
    await this.changes.apply({
      manager,
      authority,
      change: 'settings',
      date: localDateOf(this.clock.now(), authority.timezone),
      settings: changed,
    });
  }

  @OnEvent(ReconciliationPass)
  async reconcile(pass: ReconciliationPass) {
    await pass.step('cooperationClocks', () => this.procedures.sweep());
    await pass.step('cooperationHolidayData', async () => {
      if (this.holidayDataChecked) return 0;
      const moved = await this.changes.applyHolidayDataUpdate();
      this.holidayDataChecked = true;
      return moved;
    });
  }
}
