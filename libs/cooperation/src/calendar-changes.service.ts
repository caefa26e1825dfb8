import { Injectable } from '@nestjs/common';
import type { CooperationCalendarChange } from './calendar-change.js';
import { JointDeadlinesService } from './joint-deadlines.service.js';
import { ProceduresService } from './procedures.service.js';

/**
 * The one path every change of an authority's calendar takes in the cooperation context: a closure day added or
 * removed, its calendar settings changed, the release's public-holiday data updated. Its running procedure clocks are
 * counted again and the joint deadlines it takes part in are checked, in the transaction of the change; the
 * participants are told the day, never another authority's reason.
 */
@Injectable()
export class CalendarChangesService {
  constructor(
    private readonly procedures: ProceduresService,
    private readonly joint: JointDeadlinesService,
  ) {}

  /** Returns how many clocks moved and joint deadlines were marked. */
  async apply(change: CooperationCalendarChange): Promise<{ clocks: number; jointDeadlines: number }> {
    const clocks = await this.procedures.calendarChanged(change);
    const jointDeadlines = await this.joint.calendarChanged(change);
    return { clocks, jointDeadlines };
  }

  /**
   * Clocks and joint deadlines counted with other public-holiday data than the running release's are counted again,
   * each authority's clocks in a transaction of their own. Returns how many moved or were marked.
   */
  async applyHolidayDataUpdate(): Promise<number> {
    return (await this.procedures.applyHolidayDataUpdate()) + (await this.joint.applyHolidayDataUpdate());
  }
}
