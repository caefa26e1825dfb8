import { Body, Get, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { Response as ExpressResponse } from 'express';
import { t } from '#docket/i18n';
import { AccountLocked, AuthService } from '#docket/identity';
import { Public, signInThrottled, type FieldError } from '#docket/platform';
import { errorsOf, formValues } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { safeNext } from '../paths.js';
import { homeOf } from './page-helpers.js';
import { WebSession } from '../session.js';

/** Sign in and sign out. */
@Page()
export class AuthPages {
  constructor(
    private readonly auth: AuthService,
    private readonly session: WebSession,
    private readonly pages: PageRenderer,
  ) {}

  @Public()
  @Get('login')
  async form(@Req() req: PageRequest, @Query('next') next?: string) {
    if (req.auth) return this.pages.redirect(safeNext(next));
    return this.pages.render('login', { title: t('login.title'), values: { email: '' }, next: safeNext(next, '') });
  }

  @Public()
  @Post('login')
  async signIn(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) res: ExpressResponse,
    @Body() body: Record<string, unknown>,
  ) {
    const values = formValues(body, ['email', 'password', 'next']);
    const next = safeNext(values.next, '');
    const missing: FieldError[] = [];
    if (!values.email.trim()) missing.push({ field: 'email', message: t('login.missingEmail') });
    if (!values.password) missing.push({ field: 'password', message: t('login.missingPassword') });
    if (missing.length)
      return this.pages.render(
        'login',
        { title: t('login.title'), values: { email: values.email }, next, errors: errorsOf(missing) },
        { status: 400 },
      );
    // Too many attempts from this address (the limiter let the request through to answer with the form).
    if (signInThrottled(req))
      return this.pages.render(
        'login',
        { title: t('login.title'), values: { email: values.email }, next, throttled: 'address' },
        { status: 429 },
      );
    try {
      const user = await this.auth.checkCredentials(values.email.trim().slice(0, 254), values.password.slice(0, 200));
      // A new session replaces the one this browser had (another user's, perhaps).
      if (req.sessionToken) await this.auth.revoke(req.sessionToken);
      const issued = await this.auth.issueFor(user, 'web');
      this.session.startSession(res, issued.token, issued.expiresAt);
      return this.pages.redirect(next || homeOf({ user, authority: user.authorityId }));
    } catch (error) {
      if (error instanceof AccountLocked) {
        const lockedUntil = error.until.toISOString().replace('T', ' ').slice(0, 16);
        return this.pages.render(
          'login',
          { title: t('login.title'), values: { email: values.email }, next, throttled: 'account', lockedUntil },
          { status: 429 },
        );
      }
      if (!(error instanceof UnauthorizedException)) throw error;
      const errors = errorsOf([{ field: 'email', message: t('login.wrongCredentials') }]);
      return this.pages.render(
        'login',
        { title: t('login.title'), values: { email: values.email }, next, errors },
        { status: 401 },
      );
    }
  }

  @Post('logout')
  async signOut(@Req() req: PageRequest, @Res({ passthrough: true }) res: ExpressResponse) {
    if (req.sessionToken) await this.auth.revoke(req.sessionToken);
    this.session.endSession(res);
    return this.pages.redirect('/login', { kind: 'info', message: t('login.signedOut') });
  }
}
