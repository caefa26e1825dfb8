import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Injectable,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  UploadedFile,
  UseInterceptors,
  type CallHandler,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { catchError, throwError, type Observable } from 'rxjs';
import {
  ApiProblems,
  Authenticated,
  callerLanguage,
  CASE_WRITERS,
  ProblemException,
  Roles,
  UuidParam,
  ValidationProblem,
} from '#docket/platform';
import { BulkService } from './bulk.service.js';
import {
  BULK_MAX_CASES,
  BulkRequest,
  BulkResult,
  CreateSavedViewRequest,
  ImportQuery,
  ImportReport,
  SavedViewPage,
  SavedViewView,
} from './dto.js';
import { IMPORT_MAX_ROWS } from './import-rules.js';
import { ImportRefused, ImportService, reportInLanguage } from './import.service.js';
import { SavedViewsService } from './saved-views.service.js';

/** The largest CSV an import reads: 10,000 rows of a few hundred characters fit well inside. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

/** Turns multer's bare "File too large" into a message naming the limit. */
@Injectable()
export class ImportFileLimit implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            error instanceof PayloadTooLargeException
              ? new ProblemException(
                  413,
                  'Request too large',
                  `The file is larger than the ${IMPORT_MAX_BYTES / 1024 / 1024} MB an import reads (at most ${IMPORT_MAX_ROWS.toLocaleString('en')} rows); split it. Nothing was imported.`,
                )
              : error,
          ),
        ),
      );
  }
}

@ApiTags('views')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1/views')
export class SavedViewsController {
  constructor(private readonly views: SavedViewsService) {}

  @Get()
  @ApiOperation({ summary: "Your saved views of the case and deadline lists, and your authority's shared ones" })
  @ApiOkResponse({ type: SavedViewPage })
  async list(): Promise<SavedViewPage> {
    return { items: await this.views.list() };
  }

  @Post()
  @ApiOperation({
    summary:
      'Save a filter and order of the case or deadline list under a name (query: the parameters of GET /api/v1/cases or /api/v1/deadlines), optionally shared with your authority',
  })
  @ApiCreatedResponse({ type: SavedViewView })
  @ApiProblems(400, 409)
  create(@Body() body: CreateSavedViewRequest): Promise<SavedViewView> {
    return this.views.create(body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a view (its owner; a shared view also an admin or manager)' })
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async remove(@UuidParam() id: string): Promise<void> {
    await this.views.remove(id);
  }
}

@ApiTags('cases')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1/cases/bulk')
export class BulkController {
  constructor(private readonly bulk: BulkService) {}

  @Roles(...CASE_WRITERS)
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: `One action on up to ${BULK_MAX_CASES} cases (ids, or a saved view's cases: viewId): reassign {assigneeId}, set_priority {priority}, add_tag {tag}, extend {count, unit, reason} (every running deadline of each case), share (admin, manager), close {reason}. Each case is changed, checked and audited on its own, as the single change would be; the answer lists those changed and those refused with the status the single change would have had (404 another authority's or unknown case, 409 wrong state, 412 stale version given in versions)`,
  })
  @ApiOkResponse({ type: BulkResult })
  @ApiProblems(400, 404)
  apply(@Body() body: BulkRequest): Promise<BulkResult> {
    return this.bulk.apply(body);
  }
}

@ApiTags('cases')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1/imports')
export class ImportsController {
  constructor(private readonly imports: ImportService) {}

  @Roles('admin', 'manager')
  @Post('cases')
  @HttpCode(200)
  @UseInterceptors(
    ImportFileLimit,
    FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 2 } }),
  )
  @ApiOperation({
    summary: `Import existing cases from a CSV file (multipart, field "file"; UTF-8, header external_reference, organisation, title, type, opened, assignee, deadline_label, deadline_event, deadline_count, deadline_unit; optional priority, tags, deadline_rule_set; at most ${IMPORT_MAX_ROWS.toLocaleString('en')} rows). dryRun=true reports every row's problems and changes nothing; without it a file with any problem is refused whole (422 with the report), else each row opens its case (with its deadline and reminders) once: a row whose external_reference was imported before is left as it is`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOkResponse({ type: ImportReport })
  @ApiProblems(400, 413, 422)
  async importCases(
    @Req() request: Request,
    @Query() query: ImportQuery,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<ImportReport> {
    if (!file?.buffer?.length)
      throw new ValidationProblem([
        { field: 'file', message: 'send the CSV file in the multipart field "file"', key: 'imports.refusal.noFile' },
      ]);
    // Each row's problem in the caller's language, in the report of a dry run as in that of a refused file (422).
    const language = callerLanguage(request);
    try {
      return reportInLanguage(await this.imports.importCases(file.buffer, query.dryRun === 'true'), language);
    } catch (error) {
      if (error instanceof ImportRefused) error.extensions.report = reportInLanguage(error.report, language);
      throw error;
    }
  }
}
