import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, Min, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import type { KeysetPage } from './keyset.js';

const LIMIT = { message: 'limit must be a whole number from 1 to 500' };

/** `limit`, `cursor` and `sort` of a list; each list documents its keys and default in its own `sort`. */
export class PagedQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, description: 'Rows per page (each list says its default)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt(LIMIT)
  @Min(1, LIMIT)
  @Max(500, LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor (or prevCursor) of a page of the same list, filters and sort' })
  @IsOptional()
  @IsString()
  @MaxLength(600)
  cursor?: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  sort?: string;
}

/** A filter that takes one value of `values` or several, comma-separated (`status=queued,failed`). */
export const OneOrMore = (name: string, values: readonly string[]): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description: `One or several, comma-separated: ${values.join(', ')}` }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value,
    ),
    IsArray({ message: `${name} must be given once, comma-separated for several` }),
    ArrayMaxSize(values.length),
    IsIn(values, { each: true, message: `${name} must be one of ${values.join(', ')}` }),
  );

/**
 * The paging of a list whose body the contract fixed as a bare array: the cursors in `X-Next-Cursor` and
 * `X-Prev-Cursor` and as RFC 8288 links (`Link: <…?cursor=…>; rel="next"`), the count of every row in
 * `X-Total-Count` when it is given.
 */
export function setPageHeaders(
  request: Request,
  response: Response,
  page: Pick<KeysetPage<unknown>, 'nextCursor' | 'prevCursor'>,
  total?: number,
): void {
  const links: string[] = [];
  const link = (cursor: string, rel: string) => {
    const url = new URL(request.originalUrl, 'http://docket.invalid');
    url.searchParams.set('cursor', cursor);
    links.push(`<${url.pathname}${url.search}>; rel="${rel}"`);
  };
  if (page.nextCursor) {
    response.setHeader('X-Next-Cursor', page.nextCursor);
    link(page.nextCursor, 'next');
  }
  if (page.prevCursor) {
    response.setHeader('X-Prev-Cursor', page.prevCursor);
    link(page.prevCursor, 'prev');
  }
  if (links.length) response.setHeader('Link', links.join(', '));
  if (total !== undefined) response.setHeader('X-Total-Count', String(total));
}
