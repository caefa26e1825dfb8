import { Body, Get, Post, Query, Req } from '@nestjs/common';
import { DateTime } from 'luxon';
import { HOLIDAY_DATA_VERSION, publicHolidayName } from '#docket/calendar';
import { LanguageContext, t } from '#docket/i18n';
import { CalendarService, ClosureRequest } from '#docket/deadlines';
import { Clock, httpStatusOf, Roles, ValidationProblem } from '#docket/platform';
import { formatDate, localDate, weekdayNames } from '../dates.js';
import { formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { settingsOf, type PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';

const CLOSURE_FIELDS = ['date', 'reason'];
const SETTINGS_FIELDS = ['receiptCutoff'];

/** The authority's legal calendar: public holidays of a year, closure days, adding a closure day. */
@Page('calendar')
export class CalendarPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
  ) {}

  @Get()
  async show(@Req() req: PageRequest, @Query('year') year?: string) {
    return this.page(req, this.yearOf(req, year), noErrors(), {});
  }

  @Roles('admin')
  @Post('closures')
  async addClosure(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const authority = req.auth!.authority!;
    try {
      const input = await validateForm(ClosureRequest, body, { fields: CLOSURE_FIELDS });
      if (!DateTime.fromISO(input.date).isValid)
        throw new ValidationProblem([
          { field: 'date', message: 'date is not a real date', key: 'calendar.error.date' },
        ]);
      const { closure, recomputed } = await this.calendar.addClosure(authority.code, input.date, input.reason);
      return this.pages.redirect(
        `/calendar?year=${closure.date.slice(0, 4)}`,
        t('calendar.added', { date: formatDate(closure.date, settingsOf(req)), moved: recomputed }),
      );
    } catch (error) {
      const errors = formErrors(error, {
        form: 'closure',
        problemField: 'date',
        messages: {
          date: t('calendar.error.date'),
          reason: t('calendar.error.reason'),
        },
      });
      const values = formValues(body, CLOSURE_FIELDS);
      const year = /^\d{4}/.test(values.date) ? Number(values.date.slice(0, 4)) : this.yearOf(req, undefined);
      return this.page(req, year, errors, values, 400);
    }
  }

  /** The authority's counting settings: the receipt cut-off (empty: none). Open deadlines are recomputed. */
  @Roles('admin')
  @Post('settings')
  async saveSettings(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const authority = req.auth!.authority!;
    const values = formValues(body, SETTINGS_FIELDS);
    const cutoff = values.receiptCutoff.trim();
    try {
      const saved = await this.calendar.updateSettings(authority.code, {
        receiptCutoff: cutoff === '' ? null : cutoff,
      });
      return this.pages.redirect('/calendar', t('calendar.settingsSaved', { moved: saved.recomputedDeadlines }));
    } catch (error) {
      const errors = formErrors(error, {
        form: 'settings',
        fields: SETTINGS_FIELDS,
        messages: { receiptCutoff: t('calendar.error.cutoff') },
      });
      return this.page(req, this.yearOf(req, undefined), errors, {}, 400, null, { errors, values });
    }
  }

  @Roles('admin')
  @Post('closures/remove')
  async removeClosure(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const authority = req.auth!.authority!;
    const values = formValues(body, CLOSURE_FIELDS);
    const year = /^\d{4}/.test(values.date) ? Number(values.date.slice(0, 4)) : this.yearOf(req, undefined);
    const reason = values.reason.trim();
    if (reason.length < 3 || reason.length > 300)
      return this.page(req, year, noErrors(), {}, 400, {
        date: values.date,
        reason: values.reason,
        error: t('calendar.error.removeReason'),
      });
    try {
      const { recomputed } = await this.calendar.removeClosure(authority.code, values.date, reason);
      return this.pages.redirect(
        `/calendar?year=${year}`,
        t('calendar.removed', { date: formatDate(values.date, settingsOf(req)), moved: recomputed }),
      );
    } catch (error) {
      const status = httpStatusOf(error);
      if (status !== 404 && status !== 400) throw error;
      return this.page(req, year, noErrors(), {}, status, {
        date: values.date,
        reason: values.reason,
        error: t('calendar.error.notClosure', { date: values.date }),
      });
    }
  }

  private yearOf(req: PageRequest, year: string | undefined): number {
    if (year && /^\d{4}$/.test(year) && Number(year) >= 1970 && Number(year) <= 2100) return Number(year);
    return Number(localDate(this.clock.now(), req.auth!.authority?.timezone ?? 'UTC').slice(0, 4));
  }

  private async page(
    req: PageRequest,
    year: number,
    errors: FormErrors,
    values: Record<string, string>,
    status = 200,
    removal: { date: string; reason: string; error: string } | null = null,
    settingsForm: { errors: FormErrors; values: Record<string, string> } | null = null,
  ) {
    const authority = req.auth!.authority;
    if (!authority)
      return this.pages.render(
        'errors/error',
        {
          title: t('errors.heading403'),
          status: 403,
          detail: t('calendar.noAuthority'),
        },
        { status: 403 },
      );
    const settings = settingsOf(req);
    const receiptCutoff = (authority as { receiptCutoff?: string | null }).receiptCutoff ?? null;
    const [days, closures] = await Promise.all([
      this.calendar.holidays(authority.code, `${year}-01-01`, `${year}-12-31`),
      this.calendar.listClosures(authority.code),
    ]);
    return this.pages.render(
      'calendar',
      {
        title: t('calendar.title', { year }),
        year,
        previousYear: year - 1,
        nextYear: year + 1,
        holidayRegion: authority.holidayRegion,
        weekend: weekdayNames(authority.weekendDays, settings).join(', '),
        // Each holiday in the reader's language where the data has it, else under its official local name.
        holidays: days.days
          .filter((day) => day.source !== 'closure')
          .map((day) => ({
            ...day,
            name: publicHolidayName(authority.holidayRegion, day.date, day.name, LanguageContext.language()),
          })),
        closures: closures
          .filter((closure) => closure.date.startsWith(`${year}-`))
          .map((closure) => ({ date: closure.date, reason: closure.reason })),
        laterClosures: closures.filter((closure) => closure.date > `${year}-12-31`).length,
        receiptCutoff,
        settingsForm: settingsForm ?? { errors: noErrors(), values: { receiptCutoff: receiptCutoff ?? '' } },
        holidayDataVersion: HOLIDAY_DATA_VERSION,
        removal,
        errors,
        values,
      },
      { status },
    );
  }
}
