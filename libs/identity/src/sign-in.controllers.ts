import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, Roles, UuidParam } from '#docket/platform';
import { SecondFactorEnrolment, type AuthenticatedRequest } from './auth.guard.js';
import { OidcSettingsRequest, SecondFactorPolicyRequest, TotpCodeRequest } from './dto.js';
import { OidcService } from './oidc.service.js';
import { RECOVERY_CODE_COUNT, SecondFactorService } from './second-factor.service.js';

@ApiTags('auth')
@Authenticated()
@SecondFactorEnrolment()
@Controller('api/v1/me/totp')
export class SecondFactorController {
  constructor(private readonly secondFactor: SecondFactorService) {}

  @Get()
  @ApiOkResponse({ description: '{enabled, enabledAt, recoveryCodesLeft}' })
  status(@Req() request: AuthenticatedRequest) {
    return this.secondFactor.status(request.auth!.user.id);
  }

  @Post()
  @ApiCreatedResponse({
    description:
      '{secret, otpauthUri}: put the secret (base32) or the otpauth:// URI into an authenticator app, then confirm with a code. Shown only now; a new call replaces a secret not yet confirmed',
  })
  @ApiConflictResponse({ description: 'A second factor is already set up (an administrator resets it)' })
  enrol() {
    return this.secondFactor.enrol();
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOkResponse({
    description: `{enabledAt, recoveryCodes}: the second factor is on; the ${RECOVERY_CODE_COUNT} recovery codes (each works once) are shown only now`,
  })
  @ApiBadRequestResponse({ description: 'The code is not the current one of the new secret (errors: code)' })
  @ApiConflictResponse({ description: 'No enrolment started, or already set up' })
  confirm(@Body() body: TotpCodeRequest) {
    return this.secondFactor.confirm(body.code);
  }
}

@ApiTags('users')
@Authenticated()
@Controller('api/v1/users')
export class SecondFactorResetController {
  constructor(private readonly secondFactor: SecondFactorService) {}

  @Roles('sysadmin', 'admin')
  @Delete(':id/totp')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: "The user's second factor and recovery codes are removed (audited: user.second_factor_reset)",
  })
  @ApiNotFoundResponse({ description: 'No such user in your authority' })
  @ApiConflictResponse({ description: 'The user has no second factor' })
  async reset(@UuidParam() id: string): Promise<void> {
    await this.secondFactor.reset(id);
  }
}

@ApiTags('authorities')
@Authenticated()
@Controller('api/v1/authorities')
export class SignInPolicyController {
  constructor(
    private readonly secondFactor: SecondFactorService,
    private readonly oidc: OidcService,
  ) {}

  @Roles('sysadmin', 'admin')
  @Put(':code/second-factor')
  @ApiOkResponse({
    description:
      '{secondFactorRequired, endedSessions}: when required, password sign-ins need a code; users without a second factor set one up at their next sign-in (their sessions and tokens end now)',
  })
  @ApiNotFoundResponse({ description: 'Not an authority you administer' })
  setSecondFactor(@Param('code') code: string, @Body() body: SecondFactorPolicyRequest) {
    return this.secondFactor.setRequired(code, body.required);
  }

  @Roles('sysadmin', 'admin')
  @Get(':code/oidc')
  @ApiOkResponse({
    description:
      '{issuer, clientId, clientSecretSet, emailClaim, emailDomains, label, enabled, redirectUri} or null when none is set up',
  })
  @ApiNotFoundResponse({ description: 'Not an authority you administer' })
  async oidcSettings(@Param('code') code: string) {
    return (await this.oidc.settings(code)) ?? null;
  }

  @Roles('sysadmin', 'admin')
  @Put(':code/oidc')
  @ApiOkResponse({
    description:
      'The single sign-on settings as stored (audited: authority.sso_configured); register `redirectUri` with the provider. Switching to single sign-on only (`ssoOnly`) ends at once every session and API token its users got with a password, but the one asking; the answer then says how many (`endedSessions`)',
  })
  @ApiBadRequestResponse({ description: 'Invalid fields, or the issuer has no OpenID Connect discovery document' })
  @ApiNotFoundResponse({ description: 'Not an authority you administer' })
  saveOidc(@Param('code') code: string, @Body() body: OidcSettingsRequest, @Req() request: AuthenticatedRequest) {
    return this.oidc.save(code, body, request.auth?.tokenId);
  }

  @Roles('sysadmin', 'admin')
  @Delete(':code/oidc')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Single sign-on removed (audited)' })
  @ApiNotFoundResponse({ description: 'Not an authority you administer, or none set up' })
  async removeOidc(@Param('code') code: string): Promise<void> {
    await this.oidc.remove(code);
  }
}
