import { Body, Controller, HttpCode, Patch, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, Roles, UuidParam } from '#docket/platform';
import type { AuthenticatedRequest } from './auth.guard.js';
import { ChangePasswordRequest, UpdateProfileRequest, UpdateUserRequest } from './dto.js';
import { PASSWORD_RULE } from './password-rule.js';
import { RESET_LINK_MINUTES, UserLifecycleService } from './user-lifecycle.service.js';

@ApiTags('users')
@Authenticated()
@Controller('api/v1/users')
export class UserLifecycleController {
  constructor(private readonly lifecycle: UserLifecycleService) {}

  @Roles('sysadmin', 'admin')
  @Patch(':id')
  @ApiOkResponse({
    description:
      '{id, email, name, role, active, language, authorityId}; a role change or deactivation ends every token and session of the user',
  })
  @ApiNotFoundResponse({ description: 'No such user in your authority' })
  @ApiForbiddenResponse({ description: 'Raising your own role' })
  @ApiConflictResponse({
    description: 'The last active admin of an authority cannot be deactivated or given another role',
  })
  update(@UuidParam() id: string, @Body() body: UpdateUserRequest) {
    return this.lifecycle.update(id, body);
  }

  @Roles('sysadmin', 'admin')
  @Post(':id/password-reset')
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: `{expiresAt}: a link that sets a new password once, within ${RESET_LINK_MINUTES} minutes, was mailed to the user; earlier links stop working`,
  })
  @ApiNotFoundResponse({ description: 'No such user in your authority' })
  @ApiConflictResponse({ description: 'The user is deactivated' })
  @ApiServiceUnavailableResponse({ description: 'The mail could not be sent (the link was withdrawn)' })
  sendResetLink(@UuidParam() id: string) {
    return this.lifecycle.sendResetLink(id);
  }
}

@ApiTags('auth')
@Authenticated()
@Controller('api/v1/me')
export class OwnPasswordController {
  constructor(private readonly lifecycle: UserLifecycleService) {}

  @Patch()
  @ApiOkResponse({
    description: '{id, email, name, role, active, language, authorityId}: your profile after the change',
  })
  @ApiBadRequestResponse({ description: 'A language Docket has no catalogue for (en, it, ko, ja, fr, de, nl)' })
  updateProfile(@Body() body: UpdateProfileRequest) {
    return this.lifecycle.changeOwnLanguage(body.language);
  }

  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Changed; every other token and session of yours ended (the token of this request stays valid)',
  })
  @ApiBadRequestResponse({ description: `Wrong current password, or the new one breaks the rule: ${PASSWORD_RULE}` })
  async change(@Req() request: AuthenticatedRequest, @Body() body: ChangePasswordRequest): Promise<void> {
    await this.lifecycle.changeOwnPassword(body.currentPassword, body.newPassword, request.auth!.tokenId);
  }
}
