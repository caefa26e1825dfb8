import { Body, Controller, Get, Headers, HttpCode, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#docket/identity';
import { ApiProblems, Authenticated, CASE_WRITERS, ifMatchVersion, Roles, UuidParam } from '#docket/platform';
import {
  AddNoteRequest,
  CaseListQuery,
  CasePage,
  CaseSummaryView,
  CaseView,
  CloseCaseRequest,
  CreateCaseRequest,
  NoteView,
  TimelineQuery,
  TimelineView,
  UpdateCaseRequest,
} from './dto.js';
import { CasesService } from './cases.service.js';

const withEtag = <T extends { version: number }>(response: Response, view: T): T => {
  response.setHeader('ETag', `"${view.version}"`);
  return view;
};

@ApiTags('cases')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1/cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Roles(...CASE_WRITERS)
  @Post()
  @ApiOperation({ summary: 'Open a case; its reference is the next of your authority for the current year' })
  @ApiCreatedResponse({ type: CaseSummaryView })
  @ApiProblems(400)
  async create(
    @Body() body: CreateCaseRequest,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseSummaryView> {
    return withEtag(response, await this.cases.create(body, request.auth?.authority ?? undefined));
  }

  @Get()
  @ApiOperation({ summary: "Your authority's cases, newest first" })
  @ApiOkResponse({ type: CasePage })
  @ApiProblems(400)
  list(@Query() query: CaseListQuery, @Req() request: AuthenticatedRequest): Promise<CasePage> {
    return this.cases.list(query, request.auth?.authority ?? undefined);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The case file: the case, its notes and its inquiries, deadlines, responses and outcomes' })
  @ApiOkResponse({ type: CaseView })
  @ApiProblems(400, 404)
  async get(@UuidParam() id: string, @Res({ passthrough: true }) response: Response): Promise<CaseView> {
    return withEtag(response, await this.cases.get(id));
  }

  @Roles(...CASE_WRITERS)
  @Patch(':id')
  @ApiOperation({ summary: 'Change title, legal basis, priority, assignee, tags, risk flags or products' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The version you last read' })
  @ApiOkResponse({ type: CaseSummaryView })
  @ApiProblems(400, 404, 409, 412, 428)
  async update(
    @UuidParam() id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateCaseRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseSummaryView> {
    return withEtag(response, await this.cases.update(id, ifMatchVersion(ifMatch, true), body));
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the case with a reason (from any status but closed)' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'When sent, the close is refused (412) if the case changed since',
  })
  @ApiOkResponse({ type: CaseSummaryView })
  @ApiProblems(400, 404, 409, 412)
  async close(
    @UuidParam() id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: CloseCaseRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseSummaryView> {
    return withEtag(response, await this.cases.close(id, body.reason, ifMatchVersion(ifMatch, false)));
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/notes')
  @ApiOperation({ summary: 'Add an internal note (never shared with other authorities)' })
  @ApiCreatedResponse({ type: NoteView })
  @ApiProblems(400, 404)
  addNote(@UuidParam() id: string, @Body() body: AddNoteRequest): Promise<NoteView> {
    return this.cases.addNote(id, body.text);
  }

  @Get(':id/timeline')
  @ApiOperation({
    summary:
      'The events of the case with who and when, oldest first (sort=-seq: newest first), filtered by action or actor; limit 1–500, default 500',
  })
  @ApiOkResponse({ type: TimelineView })
  @ApiProblems(400, 404)
  timeline(@UuidParam() id: string, @Query() query: TimelineQuery): Promise<TimelineView> {
    return this.cases.timelinePage(id, query);
  }
}
