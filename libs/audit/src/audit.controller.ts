import { ConflictException, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { Response } from 'express';
import { Authenticated, Roles } from '#docket/platform';
import { AuditChainUnavailable, AuditService } from './audit.service.js';

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
  @ApiOperation({ summary: "Re-checks your authority's audit chain with the audit key, its head and its checkpoints" })
  @ApiOkResponse({
    description:
      '{valid, entries, head, firstBad?: {seq, id, problem}, keyId, legacyEntries, checkpoints: [{source, seq, writtenAt, problem}]}',
  })
  verify() {
    return this.audit.verify();
  }

  @Get('export')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary:
      "Your authority's whole audit trail as a JSON file, with its verification and the signed checkpoint of its last entry",
  })
  @ApiOkResponse({
    description:
      '{format, authorityId, exportedAt, verification, checkpoint: {format, authorityId, seq, hash, keyId, writtenAt, mac}, entries}',
  })
  async export(@Res({ passthrough: true }) response: Response) {
    const exported = await this.audit.export();
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="audit-${exported.authorityId}-${exported.exportedAt.slice(0, 10)}.json"`,
    );
    return exported;
  }

  @Post('checkpoint')
  @HttpCode(201)
  @Roles('admin', 'manager')
  @ApiOperation({ summary: "Writes your authority's signed checkpoint to the deployment's AUDIT_CHECKPOINT_DIR" })
  @ApiCreatedResponse({ description: '{checkpoint: {seq, hash, writtenAt, keyId, mac, ...}}' })
  @ApiConflictResponse({ description: 'AUDIT_CHECKPOINT_DIR is not set, or the chain does not verify (problem+json)' })
  async checkpoint() {
    try {
      const { checkpoint } = await this.audit.writeExternalCheckpoint();
      return { checkpoint };
    } catch (error) {
      if (error instanceof AuditChainUnavailable) throw new ConflictException(error.message);
      throw error;
    }
  }
}
