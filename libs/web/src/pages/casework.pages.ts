import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response as ExpressResponse } from 'express';
import { PERIOD_UNITS } from '#docket/calendar';
import { CASE_PRIORITIES, CasesService } from '#docket/cases';
import {
  BULK_ACTIONS,
  BulkRequest,
  BulkService,
  CreateSavedViewRequest,
  IMPORT_MAX_BYTES,
  IMPORT_OPTIONAL_COLUMNS,
  IMPORT_REQUIRED_COLUMNS,
  ImportFileLimit,
  ImportService,
  SAVED_VIEW_LISTS,
  SavedViewsService,
  type BulkFailure,
  type BulkOutcome,
  type ImportOutcome,
  type SavedViewList,
} from '#docket/casework';
import { LanguageContext, t } from '#docket/i18n';
import { IdentityService } from '#docket/identity';
import {
  CASE_WRITERS,
  CookieSession,
  httpExceptionOf,
  httpStatusOf,
  ProblemException,
  Roles,
  type FieldMessage,
} from '#docket/platform';
import { CSRF_FIELD, CsrfRefused } from '../csrf.guard.js';
import { errorsOf, fieldErrorText, formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { readableParams } from '../message-params.js';
import { Page } from '../page.decorator.js';
import { currentDateSettings, type PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { WebSession } from '../session.js';
import { fieldErrorsOf, listOf, requireUuid, validateInput } from './page-helpers.js';

const VIEW_FIELDS = ['name', 'list', 'query', 'shared'];
const BULK_FIELDS = ['action', 'assigneeId', 'priority', 'tag', 'count', 'unit', 'reason'];
/** A selected row carries its case's version as the list showed it (`id:version`): a case changed since fails alone. */
const SELECTION = /^([0-9a-f-]{36}):(\d{1,9})$/i;

/**
 * Why one case of a bulk action failed, as its page shows it: the service's words for English readers, its catalogue
 * message for others (the general message of the refusal's status where the service gave none).
 */
function failureText(failure: BulkFailure, message: FieldMessage | undefined): string {
  if (LanguageContext.language() === 'en') return failure.detail;
  if (message) return t(message.key, readableParams(message.params, currentDateSettings()));
  return t(failure.status === 409 ? 'problem.conflict' : failure.status === 412 ? 'problem.stale' : 'problem.refused');
}

/** The filters a view keeps, as "name: value" lines, in the list's own words where it has them. */
function querySummary(query: Record<string, string>) {
  return Object.entries(query).map(([name, value]) => ({ name, value }));
}

/** The query string a list page was showing, read into a view's query (page parameters left out). */
export function viewQueryOf(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) if (key !== 'cursor' && value.trim()) query[key] = value;
  return query;
}

/** The bulk form's choices (the case list shows the same form as the result page). */
export function bulkFormOptions(users: { id: string; name: string; active: boolean }[]) {
  return {
    actions: BULK_ACTIONS.map((action) => ({ value: action, label: t(`bulk.action.${action}`) })),
    assignees: [
      { value: '', label: t('bulk.nobody') },
      ...users.filter((user) => user.active).map((user) => ({ value: user.id, label: user.name })),
    ],
    priorities: CASE_PRIORITIES.map((priority) => ({ value: priority, label: t(`priority.${priority}`) })),
    units: PERIOD_UNITS.map((unit) => ({ value: unit, label: t(`bulk.unit.${unit}`) })),
  };
}

/** Saving a list's filters as a view, deleting views, and acting on many cases selected in the case list. */
@Page()
@Roles('admin', 'manager', 'officer', 'viewer')
export class CaseworkPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly views: SavedViewsService,
    private readonly bulk: BulkService,
    private readonly cases: CasesService,
    private readonly identity: IdentityService,
  ) {}

  @Get('views/new')
  newView(@Query() query: Record<string, unknown>) {
    const values = formValues(query, ['list', 'query']);
    const list = (SAVED_VIEW_LISTS as readonly string[]).includes(values.list) ? values.list : 'cases';
    return this.viewPage({ name: '', list, query: values.query, shared: '' }, noErrors());
  }

  @Post('views')
  async saveView(@Body() body: Record<string, unknown>) {
    const values = formValues(body, VIEW_FIELDS);
    try {
      const saved = await this.views.create(
        await validateInput(CreateSavedViewRequest, {
          name: values.name,
          list: values.list,
          query: viewQueryOf(values.query),
          shared: values.shared === 'true',
        }),
      );
      return this.pages.redirect(saved.href, t('views.flash.saved', { name: saved.name }));
    } catch (error) {
      const fields = fieldErrorsOf(error, (field) => (field.startsWith('query') ? 'query' : field));
      const errors = fields
        ? errorsOf(fields, { form: 'view', fields: ['name'] })
        : formErrors(error, { form: 'view', fields: ['name'] });
      return this.viewPage(values, errors, 400);
    }
  }

  @Post('views/:id/delete')
  async deleteView(@Param('id') id: string) {
    const view = await this.views.require(requireUuid(id, 'view'));
    await this.views.remove(view.id);
    return this.pages.redirect('/dashboard#views-title', t('views.flash.deleted', { name: view.name }));
  }

  @Roles(...CASE_WRITERS)
  @Post('cases/bulk')
  async applyBulk(@Body() body: Record<string, unknown>) {
    const values = formValues(body, BULK_FIELDS);
    const selected = listOf(body.ids)
      .map((item) => SELECTION.exec(item.trim()))
      .filter((match): match is RegExpExecArray => Boolean(match));
    const versions = Object.fromEntries(selected.map((match) => [match[1].toLowerCase(), Number(match[2])]));
    const ids = Object.keys(versions);
    let request: BulkRequest;
    try {
      if (ids.length === 0)
        return this.bulkPage(
          values,
          [],
          errorsOf([{ field: 'ids', message: t('bulk.error.none') }], { form: 'bulk' }),
          null,
          400,
        );
      const action = values.action;
      request = await validateInput(BulkRequest, {
        ids,
        versions,
        action: action || undefined,
        ...(action === 'reassign' ? { assigneeId: values.assigneeId || null } : {}),
        ...(action === 'set_priority' ? { priority: values.priority || undefined } : {}),
        ...(action === 'add_tag' ? { tag: values.tag || undefined } : {}),
        ...(action === 'extend'
          ? {
              count: /^\d{1,4}$/.test(values.count) ? Number(values.count) : values.count || undefined,
              unit: values.unit || undefined,
            }
          : {}),
        ...(action === 'extend' || action === 'close' ? { reason: values.reason || undefined } : {}),
      });
    } catch (error) {
      return this.bulkPage(
        values,
        selected.map((match) => match[0]),
        this.bulkErrors(error),
        null,
        400,
      );
    }
    try {
      const outcome = await this.bulk.run(request);
      return this.bulkPage(values, [], noErrors(), outcome);
    } catch (error) {
      if (httpStatusOf(error) === 403) throw error;
      return this.bulkPage(
        values,
        selected.map((match) => match[0]),
        this.bulkErrors(error),
        null,
        400,
      );
    }
  }

  private bulkErrors(error: unknown): FormErrors {
    const fields = fieldErrorsOf(error, (field) => field.split('.')[0]);
    return fields
      ? errorsOf(fields, { form: 'bulk', fields: BULK_FIELDS })
      : formErrors(error, { form: 'bulk', fields: BULK_FIELDS });
  }

  private async bulkPage(
    values: Record<string, string>,
    selection: string[],
    errors: FormErrors,
    outcome: BulkOutcome | null,
    status = 200,
  ) {
    const result = outcome?.result ?? null;
    const ids = result ? [...result.succeeded, ...result.failed.map((failure) => failure.id)] : [];
    const found = await this.cases.withParties(ids);
    const caseOf = (id: string) => {
      const kase = found.get(id);
      return { id, reference: kase?.reference ?? id, title: kase?.title ?? '', known: Boolean(kase) };
    };
    return this.pages.render(
      'cases/bulk',
      {
        title: t('bulk.title'),
        result: result
          ? {
              action: t(`bulk.action.${result.action}`),
              succeeded: result.succeeded.map(caseOf),
              failed: result.failed.map((failure) => ({
                ...caseOf(failure.id),
                status: failure.status,
                detail: failureText(failure, outcome?.messages.get(failure.id)),
              })),
            }
          : null,
        selection,
        form: bulkFormOptions(await this.identity.listUsers(CASE_WRITERS)),
        values,
        errors,
      },
      { status },
    );
  }

  private viewPage(values: Record<string, string>, errors: FormErrors, status = 200) {
    const list = values.list as SavedViewList;
    return this.pages.render(
      'views/new',
      {
        title: t('views.new.title'),
        listName: t(list === 'deadlines' ? 'nav.deadlines' : 'nav.cases'),
        filters: querySummary(viewQueryOf(values.query)),
        values,
        errors,
      },
      { status },
    );
  }
}

/**
 * Importing an authority's existing cases from CSV (admins and managers). The form is multipart (it carries the file),
 * read after the guards run, so this controller checks the form's CSRF token itself once the form is read.
 */
@Controller('imports/cases')
@CookieSession()
@Roles('admin', 'manager')
@ApiExcludeController()
export class ImportPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly imports: ImportService,
    private readonly session: WebSession,
  ) {}

  @Get()
  form() {
    return this.page(null, null);
  }

  @Post()
  @UseInterceptors(
    ImportFileLimit,
    FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 3 } }),
  )
  async upload(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) res: ExpressResponse,
    @Body() body: Record<string, unknown>,
    @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined,
  ) {
    if (req.headers['sec-fetch-site'] === 'cross-site' || !this.session.checkCsrf(req, res, body?.[CSRF_FIELD]))
      throw new CsrfRefused();
    const dryRun = formValues(body, ['mode']).mode !== 'import';
    if (!file?.buffer?.length) return this.page(null, t('imports.error.noFile'), 400);
    try {
      return this.page(await this.imports.importCases(file.buffer, dryRun), null, 200, file.originalname);
    } catch (error) {
      const refusal = httpExceptionOf(error);
      if (!refusal || refusal.getStatus() >= 500 || refusal.getStatus() === 403) throw error;
      const problem = refusal.getResponse() as { detail?: string; report?: ImportOutcome };
      // The refusal in the reader's language: its catalogue message, the service's sentence for English readers.
      const message = refusal instanceof ProblemException ? refusal.detailMessage : undefined;
      const detail =
        message && LanguageContext.language() !== 'en'
          ? t(message.key, readableParams(message.params, currentDateSettings()))
          : (problem.detail ?? refusal.message);
      return this.page(problem.report ?? null, detail, refusal.getStatus(), file.originalname);
    }
  }

  private page(report: ImportOutcome | null, error: string | null, status = 200, filename?: string) {
    return this.pages.render(
      'imports/cases',
      {
        title: t('imports.title'),
        // Each row's problem in the reader's language (the service's sentence for English readers).
        report: report && {
          ...report,
          problems: report.problems.map((problem) => ({
            line: problem.line,
            column: problem.column,
            message: fieldErrorText({
              field: problem.column,
              message: problem.message,
              key: problem.key,
              params: problem.params,
            }),
          })),
        },
        error,
        filename,
        required: IMPORT_REQUIRED_COLUMNS.join(', '),
        optional: IMPORT_OPTIONAL_COLUMNS.join(', '),
        multipart: true,
      },
      { status },
    );
  }
}
