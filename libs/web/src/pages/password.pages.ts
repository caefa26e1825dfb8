import { Body, Get, Param, Post, Req } from '@nestjs/common';
import { t } from '#docket/i18n';
import { resetRefusalMessage, SecondFactorService, UserLifecycleService } from '#docket/identity';
import { httpExceptionOf, ProblemException, Public, Roles, type FieldError } from '#docket/platform';
import { errorsOf, formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { renderProfile } from './profile.js';

const NEW_PASSWORD_FIELDS = ['newPassword', 'confirmPassword'];

/** The two new-password fields must be filled in and agree before the password rule is checked. */
function newPasswordProblems(values: Record<string, string>): FieldError[] {
  if (!values.newPassword) return [{ field: 'newPassword', message: t('password.missingNew') }];
  if (values.newPassword !== values.confirmPassword)
    return [{ field: 'confirmPassword', message: t('password.mismatch') }];
  return [];
}

/** Changing one's own password (on the profile page) and setting one with a reset link. */
@Page()
export class PasswordPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly lifecycle: UserLifecycleService,
    private readonly secondFactor: SecondFactorService,
  ) {}

  @Roles('admin', 'manager', 'officer', 'viewer')
  @Post('me/password')
  async change(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const values = formValues(body, ['currentPassword', ...NEW_PASSWORD_FIELDS]);
    const refusal = (errors: FormErrors, status = 400) =>
      renderProfile(this.pages, this.secondFactor, req, { errors }, status);
    const problems: FieldError[] = [
      ...(values.currentPassword ? [] : [{ field: 'currentPassword', message: t('password.missingCurrent') }]),
      ...newPasswordProblems(values),
    ];
    if (problems.length) return refusal(errorsOf(problems, { form: 'password' }));
    try {
      await this.lifecycle.changeOwnPassword(values.currentPassword, values.newPassword, req.auth!.tokenId);
    } catch (error) {
      return refusal(formErrors(error, { form: 'password' }));
    }
    return this.pages.redirect('/me', t('password.changed'));
  }

  @Public()
  @Get('reset/:token')
  async form(@Param('token') token: string) {
    const state = await this.lifecycle.resetLinkState(token);
    if (state !== 'valid') {
      const { key, params } = resetRefusalMessage(state);
      return this.invalid(t(key, params), state === 'unknown' ? 404 : 410);
    }
    return this.pages.render('reset', {
      title: t('reset.title'),
      token,
      errors: noErrors(),
    });
  }

  @Public()
  @Post('reset/:token')
  async set(@Param('token') token: string, @Body() body: Record<string, unknown>) {
    const values = formValues(body, NEW_PASSWORD_FIELDS);
    const problems = newPasswordProblems(values);
    if (problems.length)
      return this.pages.render(
        'reset',
        { title: t('reset.title'), token, errors: errorsOf(problems) },
        { status: 400 },
      );
    try {
      await this.lifecycle.completeReset(token, values.newPassword);
    } catch (error) {
      const refusal = httpExceptionOf(error);
      const status = refusal?.getStatus();
      if ((status === 404 || status === 410) && refusal instanceof ProblemException && refusal.detailMessage)
        return this.invalid(t(refusal.detailMessage.key, refusal.detailMessage.params), status);
      return this.pages.render('reset', { title: t('reset.title'), token, errors: formErrors(error) }, { status: 400 });
    }
    return this.pages.redirect('/login', t('password.resetDone'));
  }

  private invalid(message: string, status: number) {
    return this.pages.render('reset', { title: t('reset.invalidTitle'), token: null, invalid: message }, { status });
  }
}
