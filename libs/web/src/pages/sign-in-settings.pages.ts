import { Body, Get, Post, Req } from '@nestjs/common';
import { OidcService, OidcSettingsRequest, SecondFactorService, type OidcSettingsView } from '#docket/identity';
import { t } from '#docket/i18n';
import { Roles } from '#docket/platform';
import { errorsOf, formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { validateInput } from './page-helpers.js';

const OIDC_FIELDS = [
  'issuer',
  'clientId',
  'clientSecret',
  'emailClaim',
  'emailDomains',
  'label',
  'enabled',
  'roleClaim',
  'roleMap',
  'defaultRole',
  'provisioning',
  'ssoOnly',
];
const MAPPED_ROLES = ['admin', 'manager', 'officer', 'viewer'] as const;

/** The role table as the form shows it: one `claim value = role` a line, by claim value. */
export const roleMapText = (roleMap: Record<string, string>): string =>
  Object.entries(roleMap)
    .sort(([one], [other]) => (one < other ? -1 : one > other ? 1 : 0))
    .map(([value, role]) => `${value} = ${role}`)
    .join('\n');

/** The role table typed into the form, or the number of the first line that is not `claim value = role`. */
export function parseRoleMap(text: string): { roleMap: Record<string, string> } | { badLine: number } {
  const roleMap: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const match = /^(.+?)\s*=\s*([A-Za-z]+)\s*$/.exec(line.trim());
    if (!match || !match[1].trim()) return { badLine: index + 1 };
    roleMap[match[1].trim()] = match[2].toLowerCase();
  }
  return { roleMap };
}

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
    const given = (field: string) => typeof (body as Record<string, unknown> | undefined)?.[field] === 'string';
    const messages = {
      roleClaim: t('signIn.error.roleClaim'),
      roleMap: t('signIn.error.roleMap'),
      defaultRole: t('signIn.error.defaultRole'),
      provisioning: t('signIn.error.provisioning'),
      ssoOnly: t('signIn.error.ssoOnly'),
    };
    const reshow = (errors: FormErrors) => this.page(req, errors, { ...values, clientSecret: '' }, 400);
    const table = parseRoleMap(values.roleMap);
    if ('badLine' in table)
      return reshow(
        errorsOf([{ field: 'roleMap', message: 'roleMap' }], {
          form: 'oidc',
          messages: { roleMap: t('signIn.error.roleMapLine', { line: table.badLine }) },
        }),
      );
    const choice = (field: string, allowed: readonly string[]) =>
      allowed.includes(values[field]) ? values[field] : `(${values[field]})`;
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
      // A field the form did not send keeps its stored value; a blank one clears it.
      ...(given('roleClaim') ? { roleClaim: values.roleClaim.trim() || null } : {}),
      ...(given('roleMap') ? { roleMap: table.roleMap } : {}),
      ...(given('defaultRole') ? { defaultRole: values.defaultRole ? choice('defaultRole', MAPPED_ROLES) : null } : {}),
      ...(given('provisioning') ? { provisioning: choice('provisioning', ['existing', 'jit']) } : {}),
      ...(given('ssoOnly') ? { ssoOnly: values.ssoOnly === 'true' } : {}),
    };
    let saved: OidcSettingsView;
    try {
      const dto = await validateInput(OidcSettingsRequest, input);
      saved = await this.oidc.save(this.code(req), dto, req.auth?.tokenId);
    } catch (error) {
      return reshow(formErrors(error, { form: 'oidc', messages }));
    }
    return this.pages.redirect(
      '/admin/sign-in',
      saved.endedSessions === undefined
        ? t('signIn.flash.saved')
        : t('signIn.flash.ssoOnly', { ended: saved.endedSessions }),
    );
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
        defaultRoleOptions: [
          { value: '', label: t('signIn.defaultRoleNone') },
          ...MAPPED_ROLES.map((role) => ({ value: role, label: t(`role.${role}`) })),
        ],
        provisioningOptions: [
          { value: 'existing', label: t('signIn.provisioningExisting') },
          { value: 'jit', label: t('signIn.provisioningJit') },
        ],
        ssoOnlyOptions: [
          { value: 'false', label: t('signIn.ssoOnlyOff') },
          { value: 'true', label: t('signIn.ssoOnlyOn') },
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
          roleClaim: settings?.roleClaim ?? '',
          roleMap: roleMapText(settings?.roleMap ?? {}),
          defaultRole: settings?.defaultRole ?? '',
          provisioning: settings?.provisioning ?? 'existing',
          ssoOnly: settings ? String(settings.ssoOnly) : 'false',
        },
        errors,
      },
      { status },
    );
  }
}
