import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AnswerRequest } from '#docket/decisions';
import { PagedQuery } from '#docket/platform';
import { INBOUND_STATUSES, type InboundStatus } from './inbound-message.entity.js';

export const INBOUND_SORT_KEYS = ['receivedAt', 'from', 'subject', 'status'] as const;
export type InboundSortKey = (typeof INBOUND_SORT_KEYS)[number];

export class InboundListQuery extends PagedQuery {
  @ApiPropertyOptional({ enum: INBOUND_STATUSES })
  @IsOptional()
  @IsIn(INBOUND_STATUSES, { message: `status must be one of ${INBOUND_STATUSES.join(', ')}` })
  status?: InboundStatus;

  @ApiPropertyOptional({ description: 'Messages filed on this case only' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a case id (UUID)' })
  caseId?: string;

  @ApiPropertyOptional({ description: 'Sender address containing this text (e.g. a domain)' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'from must be 1 to 200 characters long' })
  from?: string;

  @ApiPropertyOptional({
    description: `${INBOUND_SORT_KEYS.join(', ')}, - in front for descending; default -receivedAt (newest first)`,
  })
  declare sort?: string;
}

export class RepliesToReviewQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only replies on the cases assigned to this user' })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeId must be a UUID' })
  assigneeId?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    default: 20,
    description: 'How many to list (total counts them all)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 0 to 100' })
  @Min(0, { message: 'limit must be a whole number from 0 to 100' })
  @Max(100, { message: 'limit must be a whole number from 0 to 100' })
  limit?: number;
}

export class ConfirmRequest {
  @ApiProperty({
    type: [AnswerRequest],
    description: 'One assessment per question of the inquiry, as for POST /inquiries/{id}/responses',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AnswerRequest)
  answers!: AnswerRequest[];

  @ApiPropertyOptional({ maxLength: 20000, description: "The response's summary; the sender and subject when absent" })
  @IsOptional()
  @IsString()
  @Length(1, 20000)
  summary?: string;
}

export class AssignRequest {
  @ApiPropertyOptional({
    description: 'The inquiry of your authority the message answers (officers, managers, admins)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'inquiryId must be a UUID' })
  inquiryId?: string;

  @ApiPropertyOptional({
    description: "Sysadmin only: the code of the authority whose inbox gets a message of the deployment's inbox",
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  authority?: string;
}

export class DismissRequest {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
