import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Authenticated, Roles } from '#docket/platform';
import { MailingService } from './mailing.service.js';

export class RetryMailDto {
  @ApiProperty({
    enum: ['failed', 'waiting'],
    isArray: true,
    description: 'Which mail: failed (queued again, a new retry window) and/or waiting (tried now)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(['failed', 'waiting'], { each: true })
  statuses!: ('failed' | 'waiting')[];

  @ApiPropertyOptional({ type: [String], description: 'Only these messages (outbox ids)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ description: 'At most this many, oldest first (default 1000, at most 5000)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

/** Mail of the whole deployment for its operators: what waits for the mail server, what failed, retry. */
@ApiTags('operations')
@Authenticated()
@Roles('sysadmin')
@Controller('api/v1/admin/mail')
export class MailAdminController {
  constructor(private readonly mailing: MailingService) {}

  @Get()
  @ApiOkResponse({
    description:
      '{waiting, waitingSince, oldestWaitingSeconds, failed, resends, resentMessages}: mail waiting for the mail server (since the first failure of the one waiting longest), failed mail, and handovers made again after one whose outcome was never recorded (possible duplicates, same Message-ID)',
  })
  status() {
    return this.mailing.status();
  }

  @Post('retry')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      '{retried, messages: [{id, status}]}: the messages retried (status before the retry), oldest first; each is sent by its job',
  })
  async retry(@Body() body: RetryMailDto) {
    const messages = await this.mailing.retry({ statuses: body.statuses, ids: body.ids, limit: body.limit });
    return { retried: messages.length, messages };
  }
}
