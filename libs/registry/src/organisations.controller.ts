import { Body, Controller, Get, Headers, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems, Authenticated, CASE_WRITERS, ifMatchVersion, Roles, UuidParam } from '#docket/platform';
import {
  CreateOrganisationRequest,
  OrganisationHistoryView,
  OrganisationPage,
  OrganisationQuery,
  OrganisationView,
  UpdateOrganisationRequest,
} from './dto.js';
import { OrganisationsService } from './organisations.service.js';

@ApiTags('organisations')
@Authenticated()
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Roles(...CASE_WRITERS)
  @Post()
  @ApiCreatedResponse({
    type: OrganisationView,
    description:
      "The organisation: its identity is shared with every authority, its contacts and representatives are the caller's authority's own",
  })
  @ApiProblems(400, 409)
  create(@Body() body: CreateOrganisationRequest): Promise<OrganisationView> {
    return this.organisations.create(body);
  }

  @Get()
  @ApiOkResponse({
    type: OrganisationPage,
    description: 'Organisations whose legal or trading name contains q, by legal name',
  })
  @ApiProblems(400)
  search(@Query() query: OrganisationQuery): Promise<OrganisationPage> {
    return this.organisations.search(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrganisationView })
  @ApiProblems(400, 404)
  async get(@UuidParam() id: string, @Res({ passthrough: true }) response: Response): Promise<OrganisationView> {
    const view = await this.organisations.get(id);
    response.setHeader('ETag', `"${view.version}"`);
    return view;
  }

  @Get(':id/history')
  @ApiOkResponse({
    type: OrganisationHistoryView,
    description:
      'Every version of the shared identity (names, country, website, legal entities, products), newest first, with the authority and user who wrote it',
  })
  @ApiProblems(400, 404)
  history(@UuidParam() id: string): Promise<OrganisationHistoryView> {
    return this.organisations.history(id);
  }

  @Roles(...CASE_WRITERS)
  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: true, description: 'The version you last read' })
  @ApiOkResponse({ type: OrganisationView })
  @ApiProblems(400, 404, 409, 412, 428)
  async update(
    @UuidParam() id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateOrganisationRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrganisationView> {
    const view = await this.organisations.update(id, ifMatchVersion(ifMatch, true), body);
    response.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
