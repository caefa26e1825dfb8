import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_QUERY_LENGTH, SEARCH_KINDS, type SearchKind } from './search-rules.js';

export class SearchQuery {
  @ApiProperty({
    description: `Words to find (1–${MAX_QUERY_LENGTH} characters). Words are matched in every language's stemmed form and as written; "quoted phrases", OR and -word work as in a web search; Korean and Japanese text is matched as written, anywhere in a word.`,
    example: 'retention schedule',
  })
  @IsString({ message: 'q must be text' })
  // Long enough to reach the service's own message (10,000 characters are refused there with a 400).
  @MaxLength(20000, { message: `q must be at most ${MAX_QUERY_LENGTH} characters long; search for fewer words` })
  q!: string;

  @ApiPropertyOptional({
    description: `Only hits in these kinds of text, comma-separated: ${SEARCH_KINDS.join(', ')}`,
    example: 'letter,reply',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  type?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class SearchItemView {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for a message of the triage inbox' })
  caseId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'GPDP-2025-0001' }) reference!: string | null;
  @ApiProperty({ enum: SEARCH_KINDS, description: 'Where the best hit of the case is' }) kind!: SearchKind;
  @ApiProperty({ description: "The case's title (the message's subject for the triage inbox)" }) title!: string;
  @ApiProperty({ example: 'Note by Officer One', description: 'Where the hit is, in words' }) where!: string;
  @ApiProperty({
    description: 'The text around the hit as HTML: the text escaped, each matched word in <mark>',
    example: 'the <mark>retention</mark> schedule of prompts',
  })
  snippet!: string;
  @ApiProperty({ description: 'Relevance; higher is better. Only comparable within one search' }) score!: number;
  @ApiProperty({ description: 'Id of the record the hit is in (note, letter, reply, attachment, …)' })
  sourceId!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "Another authority's code when the case is theirs, shared for coordination",
  })
  sharedFrom!: string | null;
}

export class SearchPage {
  @ApiProperty({ type: [SearchItemView] }) items!: SearchItemView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
