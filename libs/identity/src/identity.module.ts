import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditModule } from '#docket/audit';
import { APP_GUARD } from '@nestjs/core';
import { RUNTIME, type Runtime } from '#docket/platform';
import { AccessToken } from './access-token.entity.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { Authority } from './authority.entity.js';
import { AuthController, AuthoritiesController, UsersController } from './identity.controllers.js';
import { IdentityService } from './identity.service.js';
import { LoginThrottleState } from './login-throttle.entity.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordReset } from './password-reset.entity.js';
import { OwnPasswordController, UserLifecycleController } from './user-lifecycle.controllers.js';
import { UserRepository } from './user.repository.js';
import { OidcSettingsRepository } from './oidc-settings.repository.js';
import { UserLifecycleService } from './user-lifecycle.service.js';
import { User } from './user.entity.js';
import { OidcService } from './oidc.service.js';
import { SecondFactorService } from './second-factor.service.js';
import { SecondFactorController, SecondFactorResetController, SignInPolicyController } from './sign-in.controllers.js';
import { RecoveryCode, SignInChallenge } from './second-factor.entity.js';
import { AuthorityOidcSettings } from './oidc-settings.entity.js';

export const identityEntities = [
  Authority,
  User,
  AccessToken,
  PasswordReset,
  LoginThrottleState,
  RecoveryCode,
  SignInChallenge,
  AuthorityOidcSettings,
];

@Module({
  imports: [AuditModule],
  controllers: [
    AuthController,
    AuthoritiesController,
    UsersController,
    UserLifecycleController,
    OwnPasswordController,
    SecondFactorController,
    SecondFactorResetController,
    SignInPolicyController,
  ],
  providers: [
    AuthService,
    LoginThrottle,
    IdentityService,
    UserLifecycleService,
    SecondFactorService,
    OidcService,
    UserRepository,
    OidcSettingsRepository,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, IdentityService, UserLifecycleService, SecondFactorService, OidcService, UserRepository],
})
export class IdentityModule implements OnApplicationBootstrap {
  constructor(
    private readonly identity: IdentityService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.runtime.config.DOCKET_ROLES.includes('api')) await this.identity.bootstrapSysadmin();
  }
}
