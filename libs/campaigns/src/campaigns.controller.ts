import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { uuidPipe } from '#docket/deadlines';
import { translate, type Language } from '#docket/i18n';
import { ApiProblems, Authenticated, callerLanguage, CASE_WRITERS, Roles } from '#docket/platform';
import type { Campaign } from './campaign.entity.js';
import { CampaignsService, type CampaignCounts, type TargetView } from './campaigns.service.js';
import { CampaignListQuery, CreateCampaignRequest, TargetListQuery } from './dto.js';

function campaignView(campaign: Campaign & { counts: CampaignCounts }) {
  return {
    id: campaign.id,
    title: campaign.title,
    template: campaign.templateKey,
    templateVersion: campaign.templateVersion,
    locale: campaign.locale ?? 'auto',
    questionIds: campaign.questionIds,
    deadline: campaign.deadline,
    reminders: campaign.reminders,
    caseDefaults: campaign.caseDefaults,
    createdBy: campaign.createdBy,
    createdAt: campaign.createdAt.toISOString(),
    counts: campaign.counts,
  };
}

/** A target as the API answers it: why it failed in the caller's language (English for English callers). */
function targetOf({ errorMessage, ...target }: TargetView, language: Language) {
  return {
    ...target,
    error:
      errorMessage && language !== 'en' ? translate(language, errorMessage.key, errorMessage.params) : target.error,
  };
}

@ApiTags('campaigns')
@Authenticated()
@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Roles(...CASE_WRITERS)
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: '{id, title, …, counts}: the letters are sent by queued jobs, one per organisation',
  })
  async create(@Body() body: CreateCampaignRequest) {
    return campaignView(await this.campaigns.create(body));
  }

  @Get()
  @ApiOkResponse({
    description: "Your authority's campaigns, newest first, with their targets counted by stored status",
  })
  @ApiOperation({
    summary: 'Sort: createdAt (default -createdAt) or title; q: title containing; limit 1–500, default 50',
  })
  @ApiProblems(400)
  async list(@Query() query: CampaignListQuery) {
    const page = await this.campaigns.list(query);
    return { items: page.items.map(campaignView), nextCursor: page.nextCursor, prevCursor: page.prevCursor };
  }

  @Get(':id')
  @ApiOkResponse({
    description:
      '{…, counts: {total, pending, queued, sent, failed, answered, overdue}, targets: [{organisationId, caseId, inquiryId, status, error, …}]}',
  })
  @ApiNotFoundResponse()
  async get(@Req() request: Request, @Param('id', uuidPipe) id: string) {
    const campaign = await this.campaigns.require(id);
    const targets = await this.campaigns.targets(campaign);
    const language = callerLanguage(request);
    return {
      ...campaignView(Object.assign(campaign, { counts: CampaignsService.count(targets) })),
      targets: targets.map((target) => targetOf(target, language)),
    };
  }

  @Get(':id/targets')
  @ApiOperation({
    summary:
      "The campaign's organisations with where each stands, in the order given (sort: position, organisation, status, updatedAt), filtered by status or overdue; limit 1–500, default 100",
  })
  @ApiOkResponse({ description: '{items: [target], nextCursor, prevCursor, total}' })
  @ApiNotFoundResponse()
  @ApiProblems(400)
  async targets(@Req() request: Request, @Param('id', uuidPipe) id: string, @Query() query: TargetListQuery) {
    const campaign = await this.campaigns.require(id);
    const page = await this.campaigns.targetPage(campaign, query);
    const language = callerLanguage(request);
    return { ...page, items: page.items.map((target) => targetOf(target, language)) };
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: '{id, retried}: the failed organisations are sent again' })
  @ApiNotFoundResponse()
  retry(@Param('id', uuidPipe) id: string) {
    return this.campaigns.retry(id);
  }
}
