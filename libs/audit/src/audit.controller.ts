import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { Authenticated } from '#docket/platform';
import { AuditService } from './audit.service.js';

class AuditQuery {
  @IsOptional()
  @IsUUID()
  caseId?: string;
}

@ApiTags('audit')
@Authenticated()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOkResponse({ description: 'Audit events of your authority, oldest first' })
  async list(@Query() query: AuditQuery) {
    const events = await this.audit.list({ caseId: query.caseId });
    return { items: events };
  }

  @Get('verify')
  @ApiOkResponse({ description: '{valid, entries, head, firstBad?}' })
  verify() {
    return this.audit.verify();
  }
}
