import { Body, Get, Param, Post, Query, Req } from '@nestjs/common';
import { DateTime } from 'luxon';
import { instantOfLocalTime } from '#docket/calendar';
import {
  SERVICE_ROUTES,
  ServiceAttemptRequest,
  ServiceAttemptsService,
  type CaseServiceView,
  type ServiceRoute,
  type SuggestedRoute,
} from '#docket/cooperation';
import { t } from '#docket/i18n';
import { CASE_WRITERS, Clock, type FieldError, Roles } from '#docket/platform';
import { formatDate, formatInstant, localDate } from '../dates.js';
import { errorsOf, formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { fieldErrorsOf, requireUuid, settingsOf, validateInput } from './page-helpers.js';

const STAFF = ['admin', 'manager', 'officer', 'viewer'] as const;
const ATTEMPT_FIELDS = ['route', 'recipient', 'detail', 'attemptedDate', 'attemptedTime', 'servedFrom'];
/** Suggested routes whose recipient is a description rather than a name: shown in the reader's language. */
const DESCRIBED = new Set<ServiceRoute>(['app_store', 'hosting_provider', 'publication']);

/** A suggested route as the page shows it: the route in the reader's language, described recipients too. */
function routeView(route: SuggestedRoute) {
  const recipient = DESCRIBED.has(route.route) ? t(`service.suggested.${route.route}`) : route.recipient;
  return {
    route: route.route,
    label: t(`service.route.${route.route}`),
    recipient,
    detail: route.detail,
    use: `?route=${encodeURIComponent(route.route)}&recipient=${encodeURIComponent(recipient)}#attempt-route`,
  };
}

/** A local date and time in the authority's zone as an ISO instant with its offset; null when either is not one. */
function instantOf(date: string, time: string, timezone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  try {
    return DateTime.fromJSDate(instantOfLocalTime(date, time, timezone), { zone: timezone }).toISO({
      suppressMilliseconds: true,
    });
  } catch {
    return null;
  }
}

/**
 * Serving the organisation of a case where it has appointed no representative: whether one is recorded, the routes of
 * notification that exist, the delivery attempts recorded and the date from which the authority counts service.
 */
@Page('cases')
@Roles(...STAFF)
export class CaseServicePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly service: ServiceAttemptsService,
    private readonly clock: Clock,
  ) {}

  @Get(':id/service')
  async show(
    @Req() req: PageRequest,
    @Param('id') id: string,
    @Query('route') route?: string,
    @Query('recipient') recipient?: string,
  ) {
    requireUuid(id, 'case');
    const timezone = settingsOf(req).timezone;
    const now = this.clock.now();
    const values = {
      route: typeof route === 'string' && (SERVICE_ROUTES as readonly string[]).includes(route) ? route : '',
      recipient: typeof recipient === 'string' ? recipient.slice(0, 300) : '',
      detail: '',
      attemptedDate: localDate(now, timezone),
      attemptedTime: DateTime.fromJSDate(now, { zone: timezone }).toFormat('HH:mm'),
      servedFrom: localDate(now, timezone),
    };
    return this.page(req, await this.service.forCase(id), values, noErrors());
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/service-attempts')
  async record(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'case');
    const view = await this.service.forCase(id);
    const values = formValues(body, ATTEMPT_FIELDS);
    const options = {
      form: 'attempt',
      fields: ATTEMPT_FIELDS,
      rename: { attemptedAt: 'attemptedDate' },
      messages: {
        route: t('service.error.route'),
        recipient: t('service.error.recipient'),
        detail: t('service.error.detail'),
        attemptedDate: t('service.error.attemptedAt'),
        attemptedTime: t('service.error.attemptedAt'),
        servedFrom: t('service.error.servedFrom'),
      },
    };
    const attemptedAt = instantOf(values.attemptedDate.trim(), values.attemptedTime.trim(), settingsOf(req).timezone);
    const problems: FieldError[] = [];
    if (!attemptedAt)
      problems.push({
        field: /^\d{4}-\d{2}-\d{2}$/.test(values.attemptedDate.trim()) ? 'attemptedTime' : 'attemptedDate',
        message: 'is not a date and time',
      });
    let input: ServiceAttemptRequest | null = null;
    try {
      input = await validateInput(ServiceAttemptRequest, {
        route: values.route,
        recipient: values.recipient,
        ...(values.detail.trim() ? { detail: values.detail } : {}),
        // Checked above: an instant that passes, so that the other fields are checked in the same round.
        attemptedAt: attemptedAt ?? this.clock.now().toISOString(),
        servedFrom: values.servedFrom.trim(),
      });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (!fields) throw error;
      problems.push(...fields);
    }
    if (problems.length || !input) return this.page(req, view, values, errorsOf(problems, options));
    try {
      await this.service.record(id, input);
      return this.pages.redirect(`/cases/${id}/service#attempts-title`, t('service.flash.recorded'));
    } catch (error) {
      const fields = fieldErrorsOf(error);
      return this.page(req, view, values, fields ? errorsOf(fields, options) : formErrors(error, options));
    }
  }

  private page(req: PageRequest, view: CaseServiceView, values: Record<string, string>, errors: FormErrors) {
    const settings = settingsOf(req);
    return this.pages.render(
      'cases/service',
      {
        title: t('service.title', { reference: view.reference }),
        view: {
          ...view,
          servedFromText: view.servedFrom ? formatDate(view.servedFrom, settings, 'long') : null,
          routes: view.routes.map(routeView),
          attempts: view.attempts.map((attempt) => ({
            ...attempt,
            label: t(`service.route.${attempt.route}`),
            when: formatInstant(attempt.attemptedAt, settings),
            servedFromText: formatDate(attempt.servedFrom, settings, 'long'),
          })),
        },
        routeOptions: SERVICE_ROUTES.map((route) => ({ value: route, label: t(`service.route.${route}`) })),
        canWrite: (CASE_WRITERS as string[]).includes(req.auth!.user.role),
        values,
        errors,
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }
}
