import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Authenticated } from '#docket/platform';
import { SearchPage, SearchQuery } from './dto.js';
import { SearchService } from './search.service.js';

@ApiTags('search')
@Authenticated()
@ApiProblems(403)
@Controller('api/v1/search')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get()
  @ApiOperation({
    summary:
      "Search your authority's cases, organisations, letters, replies, inbox, notes, responses, outcomes and attachments",
    description:
      "Ranked hits grouped by case (each case once, with its best hit and a snippet). Other authorities' cases shared for coordination are found by reference and title only.",
  })
  @ApiOkResponse({ type: SearchPage })
  @ApiProblems(400)
  search(@Query() query: SearchQuery): Promise<SearchPage> {
    return this.searchService.search(query);
  }
}
