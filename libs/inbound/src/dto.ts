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
import { INBOUND_STATUSES, type InboundStatus } from './inbound-message.entity.js';

export class InboundListQuery {
  @ApiPropertyOptional({ enum: INBOUND_STATUSES })
  @IsOptional()
  @IsIn(INBOUND_STATUSES, { message: `status must be one of ${INBOUND_STATUSES.join(', ')}` })
  status?: InboundStatus;
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
