import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiProblems, Authenticated, Public, Roles, setPageHeaders } from '#docket/platform';
import { SecondFactorEnrolment, type AuthenticatedRequest } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { CreateAuthorityRequest, CreateUserRequest, TokenRequest, UserListQuery } from './dto.js';
import { IdentityService } from './identity.service.js';
import { authorityView, userView } from './views.js';

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/token')
  @HttpCode(200)
  @ApiOkResponse({ description: '{token, expiresAt, user}' })
  @ApiUnauthorizedResponse({
    description:
      'Wrong email or password; or, for an account with a second factor, a missing, wrong or already used `code` (`secondFactorRequired: true`; a wrong code counts as a wrong password)',
  })
  @ApiTooManyRequestsResponse({
    description:
      'Too many sign-in attempts from this address (LOGIN_ATTEMPTS_PER_MINUTE), or the account is locked after ACCOUNT_LOCK_FAILURES wrong passwords (for ACCOUNT_LOCK_MINUTES)',
  })
  token(@Body() body: TokenRequest) {
    return this.auth.issueToken(body.email, body.password, 'api', body.code);
  }

  @Authenticated()
  @SecondFactorEnrolment()
  @Get('me')
  @ApiOkResponse({ description: '{id, email, name, role, language, authority}' })
  me(@Req() request: AuthenticatedRequest) {
    const { user, authority } = request.auth!;
    return userView(user, authority);
  }
}

@ApiTags('authorities')
@Authenticated()
@Controller('api/v1/authorities')
export class AuthoritiesController {
  constructor(private readonly identity: IdentityService) {}

  @Roles('sysadmin')
  @Post()
  @ApiCreatedResponse({
    description: 'The authority; with `admin` (the user, without password) when its first administrator was given',
  })
  @ApiConflictResponse({ description: 'Code already used' })
  async create(@Body() body: CreateAuthorityRequest) {
    const authority = await this.identity.createAuthority(body);
    return { ...authorityView(authority), ...(authority.admin ? { admin: authority.admin } : {}) };
  }

  @Get()
  @ApiOkResponse({ description: 'All authorities for a sysadmin, your own otherwise' })
  async list() {
    return (await this.identity.listAuthorities()).map(authorityView);
  }
}

@ApiTags('users')
@Authenticated()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly identity: IdentityService) {}

  @Roles('sysadmin', 'admin')
  @Post()
  @ApiCreatedResponse({ description: 'The user (without password)' })
  @ApiConflictResponse({ description: 'Email already used' })
  create(@Body() body: CreateUserRequest) {
    return this.identity.createUser(body);
  }

  @Get()
  @ApiOperation({
    summary: 'Users of your authority, by name (sort: name, email, role, createdAt), filtered by role, active or q',
  })
  @ApiOkResponse({
    description:
      '[{id, email, name, role, active, language, authorityId}]; limit 1–500, default 100. The cursors ride in the X-Next-Cursor and X-Prev-Cursor headers and in Link (rel next, prev); X-Total-Count counts every user of the filter',
  })
  @ApiProblems(400)
  async list(@Query() query: UserListQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const page = await this.identity.pageUsers(query);
    setPageHeaders(request, response, page, page.total);
    return page.items.map((user) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      active: user.active,
      language: user.language,
      authorityId: user.authorityId,
    }));
  }
}
