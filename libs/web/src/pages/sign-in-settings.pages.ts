import { Body, Get, Post, Req } from '@nestjs/common';
import { OidcService, OidcSettingsRequest, SecondFactorService, type OidcSettingsView } from '#docket/identity';
import { t } from '#docket/i18n';
import { Roles } from '#docket/platform';
import { formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { validateInput } from './page-helpers.js';

const OIDC_FIELDS = ['issuer', 'clientId', 'clientSecret', 'emailClaim', 'emailDomains', 'label', 'enabled'];

/** How an authority's people sign in: the second factor's requirement and single sign-on, for its administrators. */
@Page('admin/sign-in')
@Roles('admin')
export class SignInSettingsPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly secondFactor: SecondFactorService,
    private readonly oidc: OidcService,
  ) {}

  private code(req: PageRequest): string {
    return req.auth!.authority!.code;
  }

  @Get()
  async show(@Req() req: PageRequest) {
    return this.page(req, noErrors(), null);
  }

  @Post('second-factor')
  async setSecondFactor(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const { required } = formValues(body, ['required']);
    const result = await this.secondFactor.setRequired(this.code(req), required === 'true');
    return this.pages.redirect(
      '/admin/sign-in',
      result.secondFactorRequired
        ? t('signIn.flash.required', { ended: result.endedSessions })
        : t('signIn.flash.optional'),
    );
  }

  @Post('oidc')
  async saveOidc(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const values = formValues(body, OIDC_FIELDS);
    const input: Record<string, unknown> = {
      issuer: values.issuer.trim(),
      clientId: values.clientId.trim(),
      emailClaim: values.emailClaim.trim() || 'email',
      emailDomains: values.emailDomains
        .split(/[\s,;]+/)
        .map((domain) => domain.trim().toLowerCase())
        .filter(Boolean),
      enabled: values.enabled === 'true',
      ...(values.label.trim() ? { label: values.label.trim() } : {}),
      // Blank keeps the stored secret.
      ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}),
    };
    try {
      const dto = await validateInput(OidcSettingsRequest, input);
      await this.oidc.save(this.code(req), dto, req.auth?.tokenId);
    } catch (error) {
      return this.page(req, formErrors(error, { form: 'oidc' }), { ...values, clientSecret: '' }, 400);
    }
    return this.pages.redirect('/admin/sign-in', t('signIn.flash.saved'));
  }

  @Post('oidc/remove')
  async removeOidc(@Req() req: PageRequest) {
    try {
      await this.oidc.remove(this.code(req));
    } catch (error) {
      return this.page(req, formErrors(error, { form: 'oidc-remove' }), null, 409);
    }
    return this.pages.redirect('/admin/sign-in', t('signIn.flash.removed'));
  }

  private async page(req: PageRequest, errors: FormErrors, values: Record<string, string> | null, status = 200) {
    const code = this.code(req);
    const settings: OidcSettingsView | null = await this.oidc.settings(code);
    return this.pages.render(
      'admin/sign-in',
      {
        title: t('signIn.title'),
        secondFactorRequired: req.auth!.authority!.secondFactorRequired,
        settings,
        redirectUri: this.oidc.redirectUri(code),
        enabledOptions: [
          { value: 'true', label: t('signIn.enabledOn') },
          { value: 'false', label: t('signIn.enabledOff') },
        ],
        loginLink: `/login?authority=${encodeURIComponent(code)}`,
        values: values ?? {
          issuer: settings?.issuer ?? '',
          clientId: settings?.clientId ?? '',
          clientSecret: '',
          emailClaim: settings?.emailClaim ?? 'email',
          emailDomains: settings?.emailDomains.join(', ') ?? '',
          label: settings?.label ?? '',
          enabled: settings ? String(settings.enabled) : 'true',
        },
        errors,
      },
      { status },
    );
  }
}
