import { Body, Post, Req } from '@nestjs/common';
import { SecondFactorEnrolment, SecondFactorService } from '#docket/identity';
import { t } from '#docket/i18n';
import { httpStatusOf, Roles } from '#docket/platform';
import { errorsOf, formErrors, formValues } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { renderProfile, STAFF } from './profile.js';

/** Setting up one's second factor on the profile page: the secret, confirmed by a code, then recovery codes once. */
@Page('me/totp')
@Roles(...STAFF)
@SecondFactorEnrolment()
export class SecondFactorPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly secondFactor: SecondFactorService,
  ) {}

  @Post()
  async enrol(@Req() req: PageRequest) {
    try {
      const enrolment = await this.secondFactor.enrol();
      return renderProfile(this.pages, this.secondFactor, req, { enrolment });
    } catch (error) {
      return renderProfile(this.pages, this.secondFactor, req, { errors: formErrors(error, { form: 'totp' }) }, 409);
    }
  }

  @Post('confirm')
  async confirm(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const { code } = formValues(body, ['code']);
    const again = async (errors: ReturnType<typeof errorsOf>, status = 400) =>
      renderProfile(
        this.pages,
        this.secondFactor,
        req,
        { enrolment: await this.secondFactor.pendingEnrolment(req.auth!.user.id), errors },
        status,
      );
    if (!code.trim()) return again(errorsOf([{ field: 'code', message: t('login.code.missing') }], { form: 'totp' }));
    try {
      const { recoveryCodes } = await this.secondFactor.confirm(code);
      // The recovery codes exist in this response only.
      req.auth!.enrolmentOnly = false;
      return renderProfile(this.pages, this.secondFactor, req, { recoveryCodes });
    } catch (error) {
      const status = httpStatusOf(error) ?? 400;
      return again(formErrors(error, { form: 'totp', problemField: 'code' }), status);
    }
  }
}
