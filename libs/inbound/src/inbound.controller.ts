import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Authenticated, CASE_WRITERS, Roles, setPageHeaders, UuidParam } from '#docket/platform';
import { AssignRequest, ConfirmRequest, DismissRequest, InboundListQuery, RepliesToReviewQuery } from './dto.js';
import { InboundService } from './inbound.service.js';

@ApiTags('inbound')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1/inbound')
export class InboundController {
  constructor(private readonly inbound: InboundService) {}

  @Get()
  @ApiOperation({
    summary: "Messages received by e-mail: your authority's (the sysadmin: the deployment's unmatched ones)",
  })
  @ApiOkResponse({
    description:
      'An array, newest first (sort: receivedAt, from, subject, status), without bodies; limit 1–500, default 100. The cursors ride in the X-Next-Cursor and X-Prev-Cursor headers and in Link (rel next, prev); X-Total-Count counts every message of the filter',
  })
  @ApiProblems(400)
  async list(
    @Query() query: InboundListQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const page = await this.inbound.page(query);
    setPageHeaders(request, response, page, page.total);
    return page.items;
  }

  @Get('replies-to-review')
  @ApiOperation({
    summary:
      'Replies by e-mail matched to an inquiry that wait for staff to confirm or dismiss them (drafts), newest first, with their case',
  })
  @ApiOkResponse({
    description: '{ total, items: [{ id, caseId, caseReference, caseTitle, subject, from, receivedAt }] }',
  })
  @ApiProblems(400)
  repliesToReview(@Query() query: RepliesToReviewQuery) {
    return this.inbound.repliesToReview({ assigneeId: query.assigneeId, limit: query.limit ?? 20 });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A received message with its text and sanitised HTML' })
  @ApiProblems(400, 404)
  get(@UuidParam() id: string) {
    return this.inbound.view(id);
  }

  @Get(':id/attachments/:index')
  @ApiOperation({
    summary: 'A file that came with a received message (its authority only)',
    description: 'A quarantined file (malware found on arrival) or one too large to be kept apart answers 409.',
  })
  @ApiProduces('application/octet-stream')
  @ApiProblems(404, 409)
  async attachment(
    @UuidParam() id: string,
    @Param('index', new ParseIntPipe({ errorHttpStatusCode: 404 })) index: number,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { attachment, content } = await this.inbound.openAttachment(id, index);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(content, {
      type: 'application/octet-stream',
      disposition: contentDisposition(attachment.filename ?? `attachment-${index}`),
      length: attachment.size,
    });
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/confirm')
  @HttpCode(201)
  @ApiOperation({
    summary:
      "Confirm a draft: records the inquiry's response, received at the message's arrival by e-mail (this settles the deadline)",
  })
  @ApiProblems(400, 404, 409)
  confirm(@UuidParam() id: string, @Body() body: ConfirmRequest) {
    return this.inbound.confirm(id, body);
  }

  @Roles(...CASE_WRITERS, 'sysadmin')
  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'File a triaged message: to an inquiry (it becomes a draft), or, for the sysadmin, to an authority',
  })
  @ApiProblems(400, 404, 409)
  assign(@UuidParam() id: string, @Body() body: AssignRequest) {
    return this.inbound.assign(id, body);
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/extension-request')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'File a draft reply (or a triaged message of a case) as a request to extend the deadline: kept on the case as evidence, not a response; held chasers resume. Answers the message and the id of the deadline to extend (null when none runs)',
  })
  @ApiProblems(404, 409)
  fileAsExtensionRequest(@UuidParam() id: string) {
    return this.inbound.fileAsExtensionRequest(id);
  }

  @Roles(...CASE_WRITERS, 'sysadmin')
  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss a draft or a triaged message (kept, with its raw bytes)' })
  @ApiProblems(404, 409)
  dismiss(@UuidParam() id: string, @Body() body: DismissRequest) {
    return this.inbound.dismiss(id, body);
  }
}

function contentDisposition(filename: string): string {
  return `attachment; filename="${filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
