import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, Roles } from './public.decorator.js';
import { QueueAdmin } from './queue-admin.service.js';

/** Queue status for the operators of the deployment (jobs carry ids only, but errors can name addresses). */
@ApiTags('operations')
@Authenticated()
@Roles('sysadmin')
@Controller('api/v1/admin/queues')
export class QueueAdminController {
  constructor(private readonly queues: QueueAdmin) {}

  @Get()
  @ApiOkResponse({ description: '[{name, counts: {waiting, active, delayed, completed, failed, …}}]' })
  list() {
    return this.queues.list();
  }

  @Get(':name/failed')
  @ApiOkResponse({ description: 'Failed jobs, newest first, with their error' })
  failed(@Param('name') name: string, @Query('limit') limit?: string) {
    return this.queues.failed(name, Number(limit));
  }

  @Post(':name/jobs/:id/retry')
  @HttpCode(200)
  retry(@Param('name') name: string, @Param('id') id: string) {
    return this.queues.retry(name, id);
  }
}
