import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Post,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { catchError, throwError, type Observable } from 'rxjs';
import {
  ApiProblems,
  Authenticated,
  CASE_WRITERS,
  ProblemException,
  Roles,
  RUNTIME,
  UuidParam,
  type Runtime,
} from '#docket/platform';
import type { UploadedFile as StoredUpload } from './attachment-store.js';
import { AttachmentsService } from './attachments.service.js';
import { AttachmentView, FollowUpRequest, OutcomeRequest, OutcomeView, ResponseRequest, ResponseView } from './dto.js';
import { OutcomesService } from './outcomes.service.js';
import { ResponsesService } from './responses.service.js';

/** Turns multer's bare "File too large" into a message naming the limit. */
@Injectable()
export class AttachmentLimit implements NestInterceptor {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            error instanceof PayloadTooLargeException
              ? new ProblemException(
                  413,
                  'Request too large',
                  `The file is larger than the ${this.runtime.config.ATTACHMENT_MAX_MB} MB an attachment may have (ATTACHMENT_MAX_MB); nothing was stored.`,
                ).withMessage('problem.attachments.tooLarge', { megabytes: this.runtime.config.ATTACHMENT_MAX_MB })
              : error,
          ),
        ),
      );
  }
}

@ApiTags('responses')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1')
export class ResponsesController {
  constructor(
    private readonly responses: ResponsesService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Roles(...CASE_WRITERS)
  @Post('inquiries/:id/responses')
  @ApiOperation({
    summary: 'Record the response to an inquiry with an assessment per question',
    description:
      'The first response settles the response deadline: met, and late when received after the due instant (the lateness stays on the response). A later supplement is recorded without touching the deadline. The case moves to under_review.',
  })
  @ApiCreatedResponse({ type: ResponseView })
  @ApiProblems(400, 404, 409)
  record(@UuidParam() inquiryId: string, @Body() body: ResponseRequest): Promise<ResponseView> {
    return this.responses.record(inquiryId, body);
  }

  @Get('responses/:id')
  @ApiOperation({ summary: 'A response with its assessments and attachments' })
  @ApiOkResponse({ type: ResponseView })
  @ApiProblems(400, 404)
  get(@UuidParam() id: string): Promise<ResponseView> {
    return this.responses.view(id);
  }

  @Roles(...CASE_WRITERS)
  @Post('responses/:id/follow-up')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a follow-up inquiry on the questions assessed partial, insufficient, refused or not answered',
  })
  @ApiAcceptedResponse({
    description: 'The follow-up inquiry, queued like any other: {id, status: "queued", questions, deadline}',
  })
  @ApiProblems(400, 404, 409)
  followUp(@UuidParam() id: string, @Body() body: FollowUpRequest) {
    return this.responses.followUp(id, body);
  }

  @Roles(...CASE_WRITERS)
  @Post('responses/:id/attachments')
  @UseInterceptors(AttachmentLimit, FileInterceptor('file'))
  @ApiOperation({
    summary: 'Attach a file to a response (multipart/form-data, field "file"); stored with its size, type and SHA-256',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiCreatedResponse({ type: AttachmentView })
  @ApiProblems(400, 404, 409, 413)
  attach(@UuidParam() id: string, @UploadedFile() file: StoredUpload | undefined): Promise<AttachmentView> {
    return this.attachments.add(id, file);
  }

  @Get('attachments/:id')
  @ApiOperation({ summary: 'Download an attachment (only for the authority of its case)' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, as an attachment download with its stored content type' })
  @ApiProblems(400, 404)
  async download(@UuidParam() id: string): Promise<StreamableFile> {
    const { attachment, content } = await this.attachments.open(id);
    return new StreamableFile(content, {
      type: attachment.contentType,
      length: Number(attachment.size),
      disposition: `attachment; filename="${attachment.filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
    });
  }
}

@ApiTags('outcomes')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1')
export class OutcomesController {
  constructor(private readonly outcomes: OutcomesService) {}

  @Roles(...CASE_WRITERS)
  @Post('cases/:id/outcomes')
  @ApiOperation({
    summary:
      'Record an outcome; a compliance deadline and follow-up checks become deadlines of the case with reminders',
    description:
      'The case moves to decided (from any status but closed: an urgent order may come before any answer). Closed cases refuse outcomes (409).',
  })
  @ApiCreatedResponse({ type: OutcomeView })
  @ApiProblems(400, 404, 409)
  record(@UuidParam() caseId: string, @Body() body: OutcomeRequest): Promise<OutcomeView> {
    return this.outcomes.record(caseId, body);
  }

  @Get('outcomes/:id')
  @ApiOkResponse({ type: OutcomeView })
  @ApiProblems(400, 404)
  get(@UuidParam() id: string): Promise<OutcomeView> {
    return this.outcomes.view(id);
  }
}
