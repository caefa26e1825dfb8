import { ConflictException, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import type { Response } from 'express';
import {
  ApiProblems,
  Authenticated,
  badCursor,
  decodeCursor,
  encodeCursor,
  IsInstant,
  parseSort,
  Roles,
  ValidationProblem,
} from '#docket/platform';
import { AuditChainUnavailable, AuditService } from './audit.service.js';

export const AUDIT_SORT_KEYS = ['seq'] as const;

class AuditQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Entries about this case only' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Entries of this user only' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be a UUID' })
  actorId?: string;

  @ApiPropertyOptional({
    description: 'Actions, comma-separated: exact (`case.updated`) or a prefix ending in a dot (`deadline.`)',
    example: 'case.created,deadline.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[a-z_]+(\.[a-z_]*)*(,[a-z_]+(\.[a-z_]*)*)*$/, {
    message: 'action must be actions such as case.updated or prefixes such as deadline., comma-separated',
  })
  action?: string;

  @ApiPropertyOptional({ description: 'Entries that occurred at or after this instant (ISO 8601 with offset)' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Entries that occurred before this instant (ISO 8601 with offset)' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({
    description: 'seq (oldest first) or -seq (newest first, the default): the order the chain was written in',
    enum: ['-seq', 'seq'],
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  sort?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 5000' })
  @Min(1, { message: 'limit must be a whole number from 1 to 5000' })
  @Max(5000, { message: 'limit must be a whole number from 1 to 5000' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (the same filters and sort)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

@ApiTags('audit')
@Authenticated()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: "Your authority's audit trail, newest first (sort=seq: oldest first), filtered and paged by cursor",
  })
  @ApiOkResponse({ description: '{items: [audit event], nextCursor}' })
  @ApiProblems(400)
  async list(@Query() query: AuditQuery) {
    const sort = parseSort(query.sort, AUDIT_SORT_KEYS, '-seq');
    let afterSeq: string | undefined;
    if (query.cursor) {
      const [seq, order] = decodeCursor(query.cursor, ['string', 'string']) as [string, string];
      if (!/^\d{1,19}$/.test(seq) || order !== sort.value) throw badCursor();
      afterSeq = seq;
    }
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to)
      throw new ValidationProblem([
        { field: 'to', message: 'to must be after from', key: 'audit.refusal.toAfterFrom' },
      ]);
    const page = await this.audit.page({
      caseId: query.caseId,
      actorId: query.actorId,
      actions: query.action?.split(','),
      from,
      to,
      ascending: !sort.descending,
      limit: query.limit ?? 500,
      afterSeq,
    });
    return { items: page.items, nextCursor: page.nextCursor ? encodeCursor([page.nextCursor, sort.value]) : null };
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
