import {
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CasesService } from '#docket/cases';
import type { AuthenticatedRequest } from '#docket/identity';
import { ApiProblems, Authenticated, Public, Roles, UuidParam } from '#docket/platform';
import { CoordinationService } from './coordination.service.js';
import { DashboardService } from './dashboard.service.js';
import {
  CoordinationOrganisationView,
  CoordinationQuery,
  CoordinationView,
  DashboardView,
  DeadlineExportQuery,
  IcalTokenView,
  RevokedView,
  SharingView,
} from './dto.js';
import { ExportsService } from './exports.service.js';

@ApiTags('reporting')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly exports: ExportsService,
  ) {}

  @Get('dashboard')
  @ApiOperation({
    summary: "Your authority's cases and deadlines at a glance",
    description:
      'overdue = missed deadlines + pending ones past their due instant; suspended deadlines are never overdue. dueIn7Days / dueIn30Days = pending deadlines due within 7 / 30 × 24 h from now. Responses count those that settled their deadline; days to respond are calendar days in your time zone.',
  })
  @ApiOkResponse({ type: DashboardView })
  get(): Promise<DashboardView> {
    return this.dashboard.get();
  }

  @Get('deadlines.csv')
  @ApiOperation({
    summary: 'The deadline list as CSV (same filters as GET /api/v1/deadlines, every matching row, due order)',
    description:
      'Cells starting with = + - @, a tab or a carriage return are prefixed with a single quote, so spreadsheets show them as text.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv; UTF-8 with a byte order mark' })
  @ApiProblems(400)
  async csv(
    @Query() query: DeadlineExportQuery,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
  ): Promise<void> {
    const code = request.auth?.authority?.code;
    if (!code) throw new ForbiddenException('The deadline export needs a user of an authority.');
    await this.exports.sendCsv(query, code, response);
  }

  @Post('me/ical-token')
  @ApiOperation({
    summary: 'Create (or replace) the private address of your deadline calendar; the previous address stops working',
  })
  @ApiOkResponse({ type: IcalTokenView })
  @HttpCode(200)
  issueFeed(@Req() request: AuthenticatedRequest): Promise<IcalTokenView> {
    return this.exports.issueFeedToken(request.auth!.user);
  }

  @Delete('me/ical-token')
  @ApiOperation({ summary: 'Revoke the address of your deadline calendar' })
  @ApiOkResponse({ type: RevokedView })
  async revokeFeed(@Req() request: AuthenticatedRequest): Promise<RevokedView> {
    return { revoked: await this.exports.revokeFeedTokens(request.auth!.user) };
  }
}

/** The calendar feed: the token in the address is the only credential (calendar clients send no header). */
@ApiTags('reporting')
@Controller('ical')
export class CalendarFeedController {
  constructor(private readonly exports: ExportsService) {}

  @Public()
  @Get(':token.ics')
  @ApiOperation({
    summary: 'Your deadlines as an iCalendar feed (RFC 5545): one event per deadline at its due instant',
  })
  @ApiParam({ name: 'token', description: 'From POST /api/v1/me/ical-token' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'text/calendar' })
  @ApiNotFoundResponse({ description: 'Unknown or revoked address' })
  async feed(@Param('token') token: string, @Res() response: Response): Promise<void> {
    const calendar = await this.exports.feed(token);
    if (calendar === null)
      throw new NotFoundException('There is no calendar at this address (it may have been revoked).');
    response.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    response.setHeader('Content-Disposition', 'inline; filename="docket-deadlines.ics"');
    response.setHeader('Cache-Control', 'private, max-age=300');
    response.send(calendar);
  }
}

@ApiTags('coordination')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1')
export class CoordinationController {
  constructor(
    private readonly coordination: CoordinationService,
    private readonly cases: CasesService,
  ) {}

  @Get('coordination')
  @ApiOperation({
    summary: 'Every case any authority shares about one organisation',
    description:
      'Authority, reference, title, status, next due date and latest outcome of each shared case; never notes, assessments, assignees or cases that are not shared.',
  })
  @ApiOkResponse({ type: CoordinationView })
  @ApiProblems(400, 404)
  forOrganisation(@Query() query: CoordinationQuery): Promise<CoordinationView> {
    return this.coordination.forOrganisation(query.organisationId);
  }

  @Get('coordination/organisations')
  @ApiOperation({ summary: 'Organisations with shared cases, and which authorities share them' })
  @ApiOkResponse({ type: [CoordinationOrganisationView] })
  organisations(): Promise<CoordinationOrganisationView[]> {
    return this.coordination.organisations();
  }

  @Roles('admin', 'manager')
  @Post('cases/:id/share')
  @HttpCode(200)
  @ApiOperation({
    summary: "Show the case in other authorities' coordination view of its organisation (recorded in your audit trail)",
  })
  @ApiOkResponse({ type: SharingView })
  @ApiProblems(400, 404)
  share(@UuidParam() id: string): Promise<SharingView> {
    return this.setSharing(id, true);
  }

  @Roles('admin', 'manager')
  @Post('cases/:id/unshare')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop sharing the case (recorded in your audit trail)' })
  @ApiOkResponse({ type: SharingView })
  @ApiProblems(400, 404)
  unshare(@UuidParam() id: string): Promise<SharingView> {
    return this.setSharing(id, false);
  }

  private async setSharing(id: string, shared: boolean): Promise<SharingView> {
    const view = await this.cases.setSharing(id, shared);
    return {
      id: view.id,
      reference: view.reference,
      sharedForCoordination: view.sharedForCoordination,
      version: view.version,
    };
  }
}
