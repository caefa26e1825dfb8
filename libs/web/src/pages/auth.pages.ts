import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response as ExpressResponse } from 'express';
import { t } from '#docket/i18n';
import {
  AccountLocked,
  AuthService,
  isSsoRefusal,
  OidcService,
  SecondFactorEnrolment,
  SecondFactorService,
  SsoOnly,
  WrongSecondFactorCode,
  type OidcFlow,
} from '#docket/identity';
import { httpStatusOf, NotAuthenticated, Public, signInThrottled, type FieldError } from '#docket/platform';
import { errorsOf, formValues } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { safeNext } from '../paths.js';
import { homeOf } from './page-helpers.js';
import { WebSession } from '../session.js';
import { WebKeys } from '../web-keys.js';

/** The user a password or single sign-on resolved to (identity's entity, named through the service). */
type User = Awaited<ReturnType<AuthService['checkPassword']>>;

/** The browser's half of a single sign-on under way: state, nonce and PKCE verifier, signed. */
const OIDC_COOKIE = 'docket_oidc';

/** Sign in (password, then the second factor's code when the account has one; or single sign-on) and sign out. */
@Page()
export class AuthPages {
  constructor(
    private readonly auth: AuthService,
    private readonly secondFactor: SecondFactorService,
    private readonly oidc: OidcService,
    private readonly session: WebSession,
    private readonly keys: WebKeys,
    private readonly pages: PageRenderer,
  ) {}

  @Public()
  @Get('login')
  async form(@Req() req: PageRequest, @Query('next') next?: string, @Query('authority') authority?: string) {
    if (req.auth && !req.auth.enrolmentOnly) return this.pages.redirect(safeNext(next));
    const provider =
      typeof authority === 'string' && authority.length <= 40 ? await this.oidc.providerOf(authority) : null;
    return this.loginPage({ values: { email: '' }, next: safeNext(next, ''), provider });
  }

  private async loginPage(context: Record<string, unknown>, status = 200) {
    const ssoOffered = await this.oidc.offeredByDomain();
    return this.pages.render(
      'login',
      { title: t('login.title'), values: { email: '' }, ssoOffered, ...context },
      { status },
    );
  }

  private lockedPage(error: AccountLocked, values: Record<string, string>, next: string) {
    const lockedUntil = error.until.toISOString().replace('T', ' ').slice(0, 16);
    return this.loginPage({ values, next, throttled: 'account', lockedUntil }, 429);
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
      return this.loginPage({ values: { email: values.email }, next, errors: errorsOf(missing) }, 400);
    // Too many attempts from this address (the limiter let the request through to answer with the form).
    if (signInThrottled(req))
      return this.loginPage({ values: { email: values.email }, next, throttled: 'address' }, 429);
    try {
      const user = await this.auth.checkPassword(values.email.trim().slice(0, 254), values.password.slice(0, 200));
      if (this.secondFactor.needsCode(user)) {
        const challenge = await this.auth.startChallenge(user);
        return this.codePage(challenge, next);
      }
      await this.auth.signedIn(user);
      return this.startSession(req, res, user, next);
    } catch (error) {
      if (error instanceof AccountLocked) return this.lockedPage(error, { email: values.email }, next);
      if (error instanceof SsoOnly) {
        const errors = errorsOf([{ field: 'email', message: t('login.ssoOnly', { label: error.provider.label }) }]);
        return this.loginPage({ values: { email: values.email }, next, errors, provider: error.provider }, 403);
      }
      if (!(error instanceof NotAuthenticated)) throw error;
      const errors = errorsOf([{ field: 'email', message: t('login.wrongCredentials') }]);
      return this.loginPage({ values: { email: values.email }, next, errors }, 401);
    }
  }

  private codePage(challenge: string, next: string, errors?: ReturnType<typeof errorsOf>, status = 200) {
    return this.pages.render(
      'login-code',
      { title: t('login.code.title'), challenge, next, ...(errors ? { errors } : {}) },
      { status },
    );
  }

  /** The second step: the code of the authenticator app, or a recovery code; a wrong one counts as a wrong password. */
  @Public()
  @Post('login/code')
  async code(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) res: ExpressResponse,
    @Body() body: Record<string, unknown>,
  ) {
    const values = formValues(body, ['challenge', 'code', 'next']);
    const next = safeNext(values.next, '');
    const user = await this.auth.challengeUser(values.challenge);
    if (!user)
      return this.loginPage(
        {
          values: { email: '' },
          next,
          errors: errorsOf([
            {
              field: 'email',
              message: t('login.code.expired'),
            },
          ]),
        },
        401,
      );
    if (signInThrottled(req)) return this.loginPage({ values: { email: user.email }, next, throttled: 'address' }, 429);
    if (!values.code.trim())
      return this.codePage(
        values.challenge,
        next,
        errorsOf([{ field: 'code', message: t('login.code.missing') }]),
        400,
      );
    try {
      await this.auth.checkCode(user, values.code);
    } catch (error) {
      if (error instanceof AccountLocked) return this.lockedPage(error, { email: user.email }, next);
      if (!(error instanceof WrongSecondFactorCode)) throw error;
      return this.codePage(
        values.challenge,
        next,
        errorsOf([
          {
            field: 'code',
            message: error.replayed ? t('login.code.replayed') : t('login.code.wrong'),
          },
        ]),
        401,
      );
    }
    if (!(await this.auth.completeChallenge(values.challenge)))
      return this.loginPage({ values: { email: user.email }, next }, 401);
    await this.auth.signedIn(user);
    return this.startSession(req, res, user, next);
  }

  private async startSession(req: PageRequest, res: ExpressResponse, user: User, next: string, sso = false) {
    // A new session replaces the one this browser had (another user's, perhaps).
    if (req.sessionToken) await this.auth.revoke(req.sessionToken);
    const enrolmentOnly = !sso && (await this.auth.mustEnrol(user));
    const issued = await this.auth.issueFor(user, 'web', { enrolmentOnly, signedInBy: sso ? 'sso' : 'password' });
    this.session.startSession(res, issued.token, issued.expiresAt);
    if (enrolmentOnly)
      return this.pages.redirect('/me', {
        kind: 'info',
        message: t('login.code.enrolFirst'),
      });
    return this.pages.redirect(next || homeOf({ user, authority: user.authorityId }));
  }

  /** "Sign in with your organisation's account": the e-mail's domain names the authority whose provider to use. */
  @Public()
  @Post('login/sso')
  async ssoByEmail(@Body() body: Record<string, unknown>) {
    const values = formValues(body, ['ssoEmail', 'next']);
    const next = safeNext(values.next, '');
    const provider = values.ssoEmail.includes('@')
      ? await this.oidc.providerForEmail(values.ssoEmail.slice(0, 254))
      : null;
    if (!provider)
      return this.loginPage(
        {
          values: { email: values.ssoEmail },
          ssoValues: { ssoEmail: values.ssoEmail },
          next,
          errors: errorsOf(
            [
              {
                field: 'ssoEmail',
                message: t('login.sso.noneForEmail'),
              },
            ],
            { form: 'sso' },
          ),
        },
        400,
      );
    return this.pages.redirect(
      `/auth/oidc/${encodeURIComponent(provider.code)}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`,
    );
  }

  @Public()
  @Get('auth/oidc/:authority/login')
  async ssoStart(
    @Param('authority') authority: string,
    @Res({ passthrough: true }) res: ExpressResponse,
    @Query('next') next?: string,
  ) {
    try {
      const { url, flow } = await this.oidc.start(authority.slice(0, 40), safeNext(next, ''));
      const value = Buffer.from(JSON.stringify(flow)).toString('base64url');
      res.cookie(
        OIDC_COOKIE,
        `${value}.${this.keys.mac('oidc', value)}`,
        this.session.cookieOptions({ path: '/auth/oidc', maxAge: 10 * 60_000 }),
      );
      return this.pages.redirect(url);
    } catch (error) {
      return this.ssoRefused(error);
    }
  }

  @Public()
  @Get('auth/oidc/:authority/callback')
  async ssoCallback(
    @Req() req: PageRequest,
    @Param('authority') authority: string,
    @Res({ passthrough: true }) res: ExpressResponse,
  ) {
    const flow = this.readFlow(req);
    res.clearCookie(OIDC_COOKIE, this.session.cookieOptions({ path: '/auth/oidc' }));
    try {
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      const user = await this.oidc.finish(authority.slice(0, 40), query, flow);
      return await this.startSession(req, res, user, flow?.next ?? '', true);
    } catch (error) {
      return this.ssoRefused(error);
    }
  }

  private readFlow(req: PageRequest): OidcFlow | null {
    const raw = req.cookies?.[OIDC_COOKIE] as unknown;
    if (typeof raw !== 'string') return null;
    const [value, mac] = raw.split('.');
    if (!value || !this.keys.check('oidc', value, mac)) return null;
    try {
      return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as OidcFlow;
    } catch {
      return null;
    }
  }

  private ssoRefused(error: unknown) {
    if (!isSsoRefusal(error) || !error.detailMessage) throw error;
    const { key, params } = error.detailMessage;
    return this.loginPage({ ssoRefused: t(key, params) }, httpStatusOf(error) ?? 400);
  }

  @Post('logout')
  @SecondFactorEnrolment()
  async signOut(@Req() req: PageRequest, @Res({ passthrough: true }) res: ExpressResponse) {
    if (req.sessionToken) await this.auth.revoke(req.sessionToken);
    this.session.endSession(res);
    return this.pages.redirect('/login', { kind: 'info', message: t('login.signedOut') });
  }
}
